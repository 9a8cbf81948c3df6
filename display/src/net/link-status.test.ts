import { describe, expect, it } from 'vitest';
import { linkStatus, POSITIONS_SILENT_MS } from './link-status.ts';

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

describe('linkStatus when the position frames stop with their socket up', () => {
  const live = { ...base, connected: true, lastDataAt: 99_000, positionsDownSince: null };

  it('says live while frames keep coming (a hub writes one every tick, a unit moved or not)', () => {
    expect(linkStatus({ ...live, lastFrameAt: 99_900 })).toEqual({ kind: 'live' });
    expect(linkStatus({ ...live, lastFrameAt: 100_000 - POSITIONS_SILENT_MS })).toEqual({ kind: 'live' });
    // Before the first frame there is nothing to miss yet: the socket's own grace covers the start.
    expect(linkStatus({ ...live, lastFrameAt: null })).toEqual({ kind: 'live' });
  });

  it('says the positions are down once frames have stopped a while, though the log and the socket are live', () => {
    expect(linkStatus({ ...live, lastFrameAt: 100_000 - POSITIONS_SILENT_MS - 1 })).toEqual({
      kind: 'positions-down',
      seconds: 10,
    });
    expect(linkStatus({ ...live, lastFrameAt: 75_000 })).toEqual({ kind: 'positions-down', seconds: 25 });
  });

  it('counts from whichever came first, the frames stopping or their socket going down', () => {
    expect(linkStatus({ ...live, lastFrameAt: 70_000, positionsDownSince: 90_000 })).toEqual({
      kind: 'positions-down',
      seconds: 30,
    });
    expect(linkStatus({ ...live, lastFrameAt: 95_000, positionsDownSince: 80_000 })).toEqual({
      kind: 'positions-down',
      seconds: 20,
    });
  });

  it('lets stale and reconnecting win here too', () => {
    expect(linkStatus({ ...live, lastDataAt: 80_000, lastFrameAt: 80_000 })).toEqual({ kind: 'stale', seconds: 20 });
    expect(linkStatus({ ...live, connected: false, lastFrameAt: 60_000 })).toEqual({ kind: 'reconnecting' });
  });
});
