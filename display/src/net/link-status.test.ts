import { describe, expect, it } from 'vitest';
import { linkStatus } from './link-status.ts';

const base = { staleAfterMs: 5000, now: 100_000 };

describe(linkStatus.name, () => {
  it('says connecting before any data arrived', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: null })).toEqual({ kind: 'connecting' });
  });

  it('says live while data keeps arriving', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: 96_000 })).toEqual({ kind: 'live' });
  });

  it('says reconnecting while the socket is down but the picture is still fresh', () => {
    expect(linkStatus({ ...base, connected: false, lastDataAt: 99_000 })).toEqual({ kind: 'reconnecting' });
  });

  it('says stale, with whole seconds, once data is older than the limit — connected or not', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: 87_500 })).toEqual({ kind: 'stale', seconds: 12 });
    expect(linkStatus({ ...base, connected: false, lastDataAt: 90_000 })).toEqual({ kind: 'stale', seconds: 10 });
  });

  it('is not stale at exactly the limit', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: 95_000 })).toEqual({ kind: 'live' });
  });
});
