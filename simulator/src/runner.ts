import type { InputMessage, LogEvent } from '@egret/protocol';
import type { Publisher } from './publish/publisher.ts';
import type { StepOutput, World } from './scenario/world.ts';

/** Real time for the loop: passed in, so tests can run minutes of world time in milliseconds on the same code path. */
export interface SimClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The machine's clock. */
export const systemClock: SimClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * The least real time between two steps (ms). A step is one fix per unit on duty: at 1200× a step every world second
 * would be 1,200 steps and, for 120 units, 144,000 fixes a real second — more than the simulator, Redis and a hub
 * carry, and of no use to a screen, which gets at most ten position frames a second (the loop fell behind and skipped
 * most of them anyway). 50 ms keeps two fixes per frame, so every frame moves every unit.
 */
export const MIN_REAL_STEP_MS = 50;

/**
 * The loop's step in world ms: `fixIntervalMs`, or the smallest multiple of it that lasts `MIN_REAL_STEP_MS` of real
 * time at `rate` (1× to 20×: every second of world time, as configured; 60×: every 3 s; 1200×: every minute). Fixed
 * by the rate alone, so a run stays reproducible from its seed.
 */
export function stepMs(fixIntervalMs: number, rate: number): number {
  return fixIntervalMs * Math.max(1, Math.ceil((rate * MIN_REAL_STEP_MS) / fixIntervalMs - 1e-9));
}

export interface RunOptions {
  world: World;
  publisher: Publisher;
  clock: SimClock;
  /** World ms per real ms. */
  rate: number;
  /** World time at the start. */
  worldStart: number;
  /** One fix per unit per this many ms of world time; also the step of the loop (at high rates a multiple: `stepMs`). */
  fixIntervalMs: number;
  signal?: AbortSignal;
  /** Stop after the step at or before this world time (batch runs and tests); runs until aborted otherwise. */
  until?: number;
  /** When the loop falls this far (world ms) behind, it skips ahead instead of trying to catch up step by step. */
  maxLagMs?: number;
  onStep?: (progress: RunProgress) => void;
  /** What the hub logged meanwhile (the log tail): handed to the world before each step. */
  feed?: { drain(): LogEvent[] };
  /**
   * Called with the units the start registers, after their registrations are sent and before their first fixes:
   * the hub reads the two streams independently, and a fix it handles before the unit's registration is refused
   * (`unknown_unit`). Live runs wait here until the hub has logged the registrations.
   */
  registered?: (unitIds: readonly string[]) => Promise<void>;
}

export interface RunProgress {
  /** World time of the step just published. */
  worldTime: number;
  steps: number;
  /** Steps skipped because the loop fell behind. */
  skippedSteps: number;
  /** How far behind world time the last step was published, in world ms. */
  lagMs: number;
  events: number;
  fixes: number;
}

/**
 * The simulator's loop. It sets the world clock (`clock.set`: baseReal now, baseWorld `worldStart`, the rate and the
 * scenario), publishes the world's start (roster, first fixes), then steps the world at world times
 * `worldStart + k × step` (`stepMs`: `fixIntervalMs`, coarser at high rates), each when real time reaches it, and publishes what each step produced — events
 * first, so a unit is registered before its fixes and a case reported before its steps. Step times are fixed by
 * the schedule, not by timer jitter, so a run is reproducible from its seed; only a loop that falls behind by more
 * than `maxLagMs` skips steps (units then move the whole gap in one step; no case or event is lost). What the hub
 * logged meanwhile (`feed`: tasks for the world's units, cases to verify) is handed to the world before each step.
 */
export async function runSimulation(o: RunOptions): Promise<RunProgress> {
  const { world, publisher, clock, rate, worldStart } = o;
  const dt = stepMs(o.fixIntervalMs, rate);
  const maxLagMs = o.maxLagMs ?? Math.max(5 * dt, 5_000);
  const baseReal = clock.now();
  const progress: RunProgress = { worldTime: worldStart, steps: 0, skippedSteps: 0, lagMs: 0, events: 0, fixes: 0 };
  const publish = async (out: StepOutput, extra: InputMessage[] = []) => {
    const events = extra.length ? [...extra, ...out.events] : out.events;
    if (events.length) await publisher.events(events);
    if (out.fixBatches.length) await publisher.fixes(out.fixBatches);
    progress.events += events.length;
    progress.fixes += out.fixCount;
  };

  try {
    const clockSet: InputMessage = {
      kind: 'clock.set',
      clock: { baseReal, baseWorld: worldStart, rate, scenario: world.scenario },
      at: worldStart,
    };
    const first = world.start(worldStart);
    await publish({ ...first, fixBatches: [], fixCount: 0 }, [clockSet]);
    const units = first.events.flatMap((e) => (e.kind === 'unit.register' ? [e.unitId] : []));
    if (units.length && o.registered) await o.registered(units);
    await publish({ events: [], fixBatches: first.fixBatches, fixCount: first.fixCount });
    o.onStep?.(progress);
    for (let k = 1; !o.signal?.aborted; k++) {
      let t = worldStart + k * dt;
      if (o.until !== undefined && t > o.until) break;
      const wait = baseReal + (t - worldStart) / rate - clock.now();
      if (wait > 0) {
        await clock.sleep(wait, o.signal);
        if (o.signal?.aborted) break;
      } else if (-wait * rate > maxLagMs) {
        let behind = Math.floor((-wait * rate) / dt);
        if (o.until !== undefined) behind = Math.min(behind, Math.floor((o.until - worldStart) / dt) - k);
        k += behind;
        progress.skippedSteps += behind;
        t = worldStart + k * dt;
      }
      const seen = o.feed?.drain();
      if (seen?.length) world.observe?.(seen);
      await publish(world.step(t));
      progress.steps++;
      progress.worldTime = t;
      progress.lagMs = Math.max(0, (clock.now() - baseReal) * rate - (t - worldStart));
      o.onStep?.(progress);
    }
  } catch (err) {
    // A publisher retrying through a Redis outage rejects with the abort reason when we are told to stop.
    if (!o.signal?.aborted) throw err;
  }
  return progress;
}
