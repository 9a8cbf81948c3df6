import { DEFAULT_AUTO_DISPATCH_AFTER_MS } from '@egret/config';
import { AutoDispatcher, type AutoDispatcherLog } from './dispatch/auto-dispatcher.ts';
import type { HubApi } from './dispatch/hub-client.ts';
import { LogTail } from './hub/log-tail.ts';
import { openTasksOf } from './hub/open-tasks.ts';
import type { Redis } from './publish/connect.ts';
import type { Publisher } from './publish/publisher.ts';
import { runSimulation, type RunProgress, type SimClock } from './runner.ts';
import type { World } from './scenario/world.ts';

export interface LiveOptions {
  /** For the log tail (it opens a blocking connection of its own from this one). */
  client: Redis;
  ns: string;
  world: World;
  publisher: Publisher;
  clock: SimClock;
  rate: number;
  worldStart: number;
  fixIntervalMs: number;
  signal: AbortSignal;
  /** The hub the auto-dispatcher asks; without one nothing is dispatched automatically. */
  hub?: HubApi;
  /** Default: the world's scenario value, else 3 minutes. */
  autoDispatchAfterMs?: number;
  log: AutoDispatcherLog;
  onStep?: (progress: RunProgress) => void;
}

export interface LiveSimulation {
  tail: LogTail;
  dispatcher: AutoDispatcher | undefined;
  /** Resolves when the loop has stopped (signal or `until`), the dispatcher is idle and the tail closed. */
  done: Promise<RunProgress>;
}

/**
 * The simulator wired to a running hub: the world's loop publishing to the input streams, the log tail feeding
 * the world (tasks for its units, cases to verify) and the auto-dispatcher (filed cases nobody dispatched), which
 * is ticked with world time after every step. Tasks the hub still holds open for the world's units (an earlier run
 * stopped mid-task) are handed back at the first step. `main.ts` and the end-to-end tests run the same wiring.
 */
export async function startLive(o: LiveOptions): Promise<LiveSimulation> {
  let lastWarn = 0;
  const warn = (obj: object, msg: string) => {
    // An outage would otherwise log every retry.
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    o.log.warn(obj, msg);
  };
  const tail = await LogTail.open(o.client, {
    ns: o.ns,
    onError: (err) => warn({ err: (err as Error).message }, 'reading the hub log failed; retrying'),
    onBad: (entryId, reason) => warn({ entryId, reason }, 'skipped a log entry that is not a log event'),
  });
  const dispatcher = o.hub
    ? new AutoDispatcher({ hub: o.hub, afterMs: o.autoDispatchAfterMs ?? o.world.autoDispatchAfterMs ?? DEFAULT_AUTO_DISPATCH_AFTER_MS, log: o.log })
    : undefined;
  if (dispatcher) tail.subscribe((events) => dispatcher.observe(events));
  if (o.world.handBack) {
    const open = await openTasksOf(o.client, o.ns, o.world.roster.id);
    if (open.length) o.log.info({ tasks: open.length }, 'handing back tasks left open by an earlier run');
    o.world.handBack(open);
  }

  const done = (async () => {
    try {
      return await runSimulation({
        world: o.world, publisher: o.publisher, clock: o.clock, rate: o.rate, worldStart: o.worldStart,
        fixIntervalMs: o.fixIntervalMs, signal: o.signal, feed: tail,
        onStep: (p) => {
          dispatcher?.tick(p.worldTime);
          o.onStep?.(p);
        },
      });
    } finally {
      await dispatcher?.stop();
      await tail.close();
    }
  })();
  return { tail, dispatcher, done };
}
