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

describe('linkStatus with the position frames on a socket of their own', () => {
  it('says the positions are down once their socket has been down a while, though the main socket is live', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: 99_000, positionsDownSince: 90_000 })).toEqual({
      kind: 'positions-down',
      seconds: 10,
    });
  });

  it('gives the first connect longer before saying so: a loaded wall starting its worker is not an outage', () => {
    const starting = { ...base, connected: true, lastDataAt: 99_000, positionsEverUp: false };
    // base.now is 100 s: 10 s since the page started the worker, within the first connect's grace.
    expect(linkStatus({ ...starting, positionsDownSince: 90_000 })).toEqual({ kind: 'live' });
    expect(linkStatus({ ...starting, positionsDownSince: 80_000 })).toEqual({ kind: 'positions-down', seconds: 20 });
  });

  it('says live through a short blip of the positions socket, and while it is up', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: 99_000, positionsDownSince: 98_000 })).toEqual({
      kind: 'live',
    });
    expect(linkStatus({ ...base, connected: true, lastDataAt: 99_000, positionsDownSince: null })).toEqual({
      kind: 'live',
    });
  });

  it('lets stale and reconnecting win: the whole link is worse than the positions alone', () => {
    expect(linkStatus({ ...base, connected: true, lastDataAt: 80_000, positionsDownSince: 80_000 })).toEqual({
      kind: 'stale',
      seconds: 20,
    });
    expect(linkStatus({ ...base, connected: false, lastDataAt: 99_000, positionsDownSince: 80_000 })).toEqual({
      kind: 'reconnecting',
    });
  });
});
