import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinkStore } from '../state/link.svelte.ts';
import { UnitsStore } from '../state/units.svelte.ts';
import { mergeFrames } from './frame-merge.ts';
import type { FromPositionsWorker, ToPositionsWorker } from './positions-messages.ts';
import {
  fallBackToMain,
  POSITIONS_FALLBACK_MS,
  POSITIONS_RETRY_MAX_MS,
  POSITIONS_RETRY_MS,
  positionsOnMain,
  retryDelay,
  startPositionsLink,
  takesFramesBack,
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

describe(retryDelay.name, () => {
  it('tries again after 30 s, twice as long after each try that failed, never more than 10 minutes', () => {
    expect([0, 1, 2, 3].map(retryDelay)).toEqual([1, 2, 4, 8].map((k) => k * POSITIONS_RETRY_MS));
    expect(retryDelay(5)).toBe(POSITIONS_RETRY_MAX_MS);
    expect(retryDelay(1_000)).toBe(POSITIONS_RETRY_MAX_MS);
  });
});

describe(takesFramesBack.name, () => {
  it('takes the frames back with a batch as new as what the main socket gave, its socket up', () => {
    expect(takesFramesBack({ connected: true, batchAt: 5_000, appliedAt: 5_000 })).toBe(true);
    expect(takesFramesBack({ connected: true, batchAt: 6_000, appliedAt: 5_000 })).toBe(true);
    expect(takesFramesBack({ connected: true, batchAt: 1, appliedAt: null })).toBe(true);
  });

  it('not with an older batch (units would step back), nor while its socket is down', () => {
    expect(takesFramesBack({ connected: true, batchAt: 4_999, appliedAt: 5_000 })).toBe(false);
    expect(takesFramesBack({ connected: false, batchAt: 6_000, appliedAt: 5_000 })).toBe(false);
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
    let resumed = 0;
    const handle = startPositionsLink({
      units,
      link,
      url: 'http://hub',
      realNow: () => clock,
      makeWorker,
      onFallback: () => fellBack++,
      onResume: () => resumed++,
    });
    return { units, link, handle, fellBack: () => fellBack, resumed: () => resumed };
  }

  /** Seconds of the page's clock and timers. */
  function pass(seconds: number): void {
    for (let s = 0; s < seconds; s++) {
      clock += 1_000;
      vi.advanceTimersByTime(1_000);
    }
  }

  /** One frame moving slot 2 to `lon`, at world time `at`, merged as the worker hands it over. */
  const batchAt = (at: number, lon: number) =>
    mergeFrames([
      {
        tick: at,
        at,
        keyframe: false,
        slots: Uint32Array.of(2),
        lonE6: Int32Array.of(Math.round(lon * 1e6)),
        latE6: Int32Array.of(24_500_000),
        ageS: Uint16Array.of(0),
      },
    ]);

  /** A page whose first worker's socket never came, fallen back to its main socket; `workers` hands out the next. */
  function fallenBack(workers: Array<FakeWorker | undefined>) {
    const first = new FakeWorker();
    const queue = [first, ...workers];
    let made = 0;
    const page = start(() => queue[made++]);
    page.link.connected = true;
    pass(POSITIONS_FALLBACK_MS / 1_000); // the wait is over at the next look, a second later
    expect(page.fellBack()).toBe(0);
    pass(1);
    expect(page.fellBack()).toBe(1);
    expect(first.terminated).toBe(true);
    return { ...page, made: () => made };
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

  it('tries a new worker after a fallback; it takes the frames back once a batch is as new as the main socket’s', () => {
    const next = new FakeWorker();
    const page = fallenBack([next]);
    pass(POSITIONS_RETRY_MS / 1_000 - 1);
    expect(page.made()).toBe(1);
    pass(1);
    expect(page.made()).toBe(2);
    expect(next.posted).toEqual([{ type: 'start', url: 'http://hub' }]);
    expect(page.handle.elsewhere()).toBe(false); // on trial: the main socket still asks for the frames

    // The main socket goes on applying frames; the trial's batches are dropped (answered "ready") while older.
    page.units.applyFrame(
      {
        tick: 9,
        at: 9_000,
        keyframe: false,
        slots: Uint32Array.of(2),
        lonE6: Int32Array.of(118_200_000),
        latE6: Int32Array.of(24_500_000),
        ageS: Uint16Array.of(0),
      },
      clock,
    );
    next.say({ type: 'socket', connected: true });
    next.say({ type: 'batch', batch: batchAt(8_000, 118.1), badFrames: 0 });
    expect(page.resumed()).toBe(0);
    expect(page.units.positions.lon(2)).toBeCloseTo(118.2, 5);
    expect(page.link.framesViaWorker).toBe(0);
    expect(next.posted.at(-1)).toEqual({ type: 'ready' });

    next.say({ type: 'batch', batch: batchAt(9_000, 118.3), badFrames: 0 });
    expect(page.resumed()).toBe(1);
    expect(page.handle.elsewhere()).toBe(true);
    expect(page.link.positionsVia).toBe('worker');
    expect(page.link.positionsResumed).toBe(1);
    expect(page.units.positions.lon(2)).toBeCloseTo(118.3, 5);
    expect(page.link.framesViaWorker).toBe(1);
    // On duty it is watched as the first was: its socket down too long, the frames go back to the main socket.
    next.say({ type: 'socket', connected: false });
    pass(POSITIONS_FALLBACK_MS / 1_000 + 2);
    expect(page.fellBack()).toBe(2);
    expect(next.terminated).toBe(true);
  });

  it('ends a try whose socket does not come, and waits twice as long for the next; none when none can start', () => {
    const [silent, none, later] = [new FakeWorker(), undefined, new FakeWorker()];
    const page = fallenBack([silent, none, later]);
    pass(POSITIONS_RETRY_MS / 1_000);
    expect(page.made()).toBe(2);
    pass(POSITIONS_FALLBACK_MS / 1_000);
    expect(silent.terminated).toBe(false);
    pass(1);
    expect(silent.terminated).toBe(true);
    expect(page.handle.elsewhere()).toBe(false);
    pass(retryDelay(1) / 1_000 - 1);
    expect(page.made()).toBe(2);
    pass(1);
    expect(page.made()).toBe(3); // no worker could start: a failed try too
    pass(retryDelay(2) / 1_000 - 1);
    expect(page.made()).toBe(3);
    pass(1);
    expect(page.made()).toBe(4);
    expect(page.resumed()).toBe(0);
    expect(page.fellBack()).toBe(1);
  });

  it('waits longer before the next try when a worker that took the frames back loses its socket soon after', () => {
    const [back, again] = [new FakeWorker(), new FakeWorker()];
    const page = fallenBack([back, again]);
    pass(POSITIONS_RETRY_MS / 1_000);
    back.say({ type: 'socket', connected: true });
    back.say({ type: 'batch', batch: batchAt(1_000, 118.1), badFrames: 0 });
    expect(page.resumed()).toBe(1);
    back.say({ type: 'socket', connected: false });
    pass(POSITIONS_FALLBACK_MS / 1_000 + 1);
    expect(page.fellBack()).toBe(2);
    expect(page.link.positionsVia).toBe('main');
    pass(retryDelay(1) / 1_000 - 1);
    expect(page.made()).toBe(2);
    pass(1);
    expect(page.made()).toBe(3);
  });

  it('leaves no timer and no worker once closed, on trial or waiting for the next try', () => {
    const timers = vi.getTimerCount();
    const trial = new FakeWorker();
    const a = fallenBack([trial]);
    pass(POSITIONS_RETRY_MS / 1_000);
    a.handle.close();
    expect(trial.terminated).toBe(true);
    const b = fallenBack([]);
    b.handle.close();
    expect(vi.getTimerCount()).toBe(timers);
  });
});
