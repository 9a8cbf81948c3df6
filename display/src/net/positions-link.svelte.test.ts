import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinkStore } from '../state/link.svelte.ts';
import { UnitsStore } from '../state/units.svelte.ts';
import { mergeFrames } from './frame-merge.ts';
import type { FromPositionsWorker, ToPositionsWorker } from './positions-messages.ts';
import {
  fallBackToMain,
  POSITIONS_FALLBACK_MS,
  positionsOnMain,
  startPositionsLink,
  type WorkerLike,
} from './positions-link.ts';

describe(fallBackToMain.name, () => {
  const up = { failed: false, downSince: null, mainConnected: true, now: 100_000 };

  it('keeps the worker while its socket is up, or down only a while', () => {
    expect(fallBackToMain(up)).toBe(false);
    expect(fallBackToMain({ ...up, downSince: 100_000 - POSITIONS_FALLBACK_MS })).toBe(false);
  });

  it('falls back at once when the worker failed, and when its socket stays down while the main one is up', () => {
    expect(fallBackToMain({ ...up, failed: true })).toBe(true);
    expect(fallBackToMain({ ...up, downSince: 100_000 - POSITIONS_FALLBACK_MS - 1 })).toBe(true);
  });

  it('waits while both sockets are down: the hub is away, and the worker reconnects as the page does', () => {
    expect(fallBackToMain({ ...up, mainConnected: false, downSince: 0 })).toBe(false);
  });

  it('counts the wait from when the main socket came back, not from when the worker’s went (a long hub restart)', () => {
    const downSince = 100_000 - 5 * POSITIONS_FALLBACK_MS;
    expect(fallBackToMain({ ...up, downSince, mainDownAt: 100_000 - 2_000 })).toBe(false);
    expect(fallBackToMain({ ...up, downSince, mainDownAt: 100_000 - POSITIONS_FALLBACK_MS - 1 })).toBe(true);
  });
});

describe(positionsOnMain.name, () => {
  it('reads ?positions=main in any case, and nothing else', () => {
    expect(positionsOnMain('?positions=main')).toBe(true);
    expect(positionsOnMain('?a=1&positions=MAIN')).toBe(true);
    expect(positionsOnMain('?positions=worker')).toBe(false);
    expect(positionsOnMain('')).toBe(false);
  });
});

/** A worker stand-in: records what the page posts, and lets the test speak for the worker. */
class FakeWorker implements WorkerLike {
  posted: ToPositionsWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromPositionsWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: ToPositionsWorker): void {
    this.posted.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(m: FromPositionsWorker): void {
    this.onmessage?.({ data: m } as MessageEvent<FromPositionsWorker>);
  }
}

describe(startPositionsLink.name, () => {
  let clock = 1_000_000;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1_000_000;
  });
  afterEach(() => vi.useRealTimers());

  function start(makeWorker: () => WorkerLike | undefined) {
    const units = new UnitsStore();
    const link = new LinkStore();
    let fellBack = 0;
    const handle = startPositionsLink({
      units,
      link,
      url: 'http://hub',
      realNow: () => clock,
      makeWorker,
      onFallback: () => fellBack++,
    });
    return { units, link, handle, fellBack: () => fellBack };
  }

  it('keeps the frames on the main socket when no worker can start', () => {
    const { handle, link } = start(() => undefined);
    expect(handle.elsewhere()).toBe(false);
    expect(link.positionsVia).toBe('main');
  });

  it('applies each batch, says ready for the next, and counts the frames and bad frames', () => {
    const worker = new FakeWorker();
    const { handle, units, link } = start(() => worker);
    expect(handle.elsewhere()).toBe(true);
    expect(worker.posted).toEqual([{ type: 'start', url: 'http://hub' }]);
    const batch = mergeFrames([
      {
        tick: 1,
        at: clock,
        keyframe: true,
        slots: Uint32Array.of(2),
        lonE6: Int32Array.of(118_100_000),
        latE6: Int32Array.of(24_500_000),
        ageS: Uint16Array.of(0),
      },
      {
        tick: 2,
        at: clock,
        keyframe: false,
        slots: Uint32Array.of(2),
        lonE6: Int32Array.of(118_200_000),
        latE6: Int32Array.of(24_500_000),
        ageS: Uint16Array.of(0),
      },
    ]);
    worker.say({ type: 'batch', batch, badFrames: 1 });
    expect(units.framesReceived).toBe(2);
    expect(units.badFrames).toBe(1);
    expect(link.framesViaWorker).toBe(2);
    expect(units.positions.lon(2)).toBeCloseTo(118.2, 5);
    expect(link.lastDataAt).toBe(clock);
    expect(worker.posted.at(-1)).toEqual({ type: 'ready' });
  });

  it('says the stream is down from when its socket went, and up again when it is back', () => {
    const worker = new FakeWorker();
    const { link } = start(() => worker);
    expect(link.positionsDownSince).toBe(clock); // connecting counts as down
    worker.say({ type: 'socket', connected: true });
    expect(link.positionsDownSince).toBeNull();
    clock += 5_000;
    worker.say({ type: 'socket', connected: false });
    expect(link.positionsDownSince).toBe(clock);
  });

  it('falls back to the main socket when the worker fails, and stops it', () => {
    const worker = new FakeWorker();
    const { handle, link, fellBack } = start(() => worker);
    worker.onerror?.({} as ErrorEvent);
    expect(fellBack()).toBe(1);
    expect(worker.terminated).toBe(true);
    expect(handle.elsewhere()).toBe(false);
    expect(link.positionsVia).toBe('main');
    expect(link.positionsDownSince).toBeNull();
  });

  it('falls back when the worker gives up, and when its socket stays down while the main one is up', () => {
    const refused = new FakeWorker();
    const a = start(() => refused);
    refused.say({ type: 'fatal', message: 'forbidden' });
    expect(a.fellBack()).toBe(1);

    const stuck = new FakeWorker();
    const b = start(() => stuck);
    b.link.connected = true;
    clock += POSITIONS_FALLBACK_MS;
    vi.advanceTimersByTime(1_000);
    expect(b.fellBack()).toBe(0);
    clock += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(b.fellBack()).toBe(1);
    expect(stuck.terminated).toBe(true);
  });

  it('keeps the worker through a hub restart longer than the fallback wait, when the main socket is back first', () => {
    const worker = new FakeWorker();
    const { link, fellBack } = start(() => worker);
    link.connected = true;
    worker.say({ type: 'socket', connected: true });
    // The hub goes away for a minute: both sockets down.
    link.connected = false;
    worker.say({ type: 'socket', connected: false });
    for (let s = 0; s < 60; s++) {
      clock += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    // The main socket is back a moment before the worker's (its reconnect delay is its own).
    link.connected = true;
    clock += 1_000;
    vi.advanceTimersByTime(1_000);
    clock += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(fellBack()).toBe(0);
    worker.say({ type: 'socket', connected: true });
    expect(link.positionsVia).toBe('worker');
    // A worker whose socket then stays down is still given up, the wait counted from the main socket's return.
    worker.say({ type: 'socket', connected: false });
    for (let s = 0; s < POSITIONS_FALLBACK_MS / 1_000 + 2; s++) {
      clock += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    expect(fellBack()).toBe(1);
  });

  it('holds one timer and one worker through ten minutes of its socket flapping, and none once closed', () => {
    let made = 0;
    const worker = new FakeWorker();
    const { link, handle, fellBack } = start(() => (made++, worker));
    link.connected = true;
    const timers = vi.getTimerCount();
    for (let s = 0; s < 600; s++) {
      worker.say({ type: 'socket', connected: s % 7 !== 0 }); // down a second in every seven
      clock += 1_000;
      vi.advanceTimersByTime(1_000);
    }
    expect(fellBack()).toBe(0);
    expect(made).toBe(1);
    expect(vi.getTimerCount()).toBe(timers);
    handle.close();
    expect(worker.terminated).toBe(true);
    expect(vi.getTimerCount()).toBe(timers - 1);
  });
});
