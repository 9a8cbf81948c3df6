import { DEFAULT_AUTO_DISPATCH_AFTER_MS } from '@egret/config';
import { AutoDispatcher, type AutoDispatcherLog } from './dispatch/auto-dispatcher.ts';
import type { HubApi } from './dispatch/hub-client.ts';
import { PlanCommander, type PlanApi } from './dispatch/plan-commander.ts';
import { LogTail } from './hub/log-tail.ts';
import { openPlanWork } from './hub/open-plan-work.ts';
import { openTasksOf } from './hub/open-tasks.ts';
import type { Redis } from './publish/connect.ts';
import type { Publisher } from './publish/publisher.ts';
import { runSimulation, type RunProgress, type SimClock } from './runner.ts';
import type { World } from './scenario/world.ts';

/** How long the first fixes wait for the hub to log the units' registrations (a hub that is down: then they go anyway). */
const REGISTRATION_WAIT_MS = 20_000;

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
  /**
   * The hub the scenario's commander activates the world's plan on (`World.plan`, a campaign), with the request's
   * idempotency key (`activationKey`); without it no plan is activated.
   */
  planHub?: { api: PlanApi; idempotencyKey: string };
  onStep?: (progress: RunProgress) => void;
}

export interface LiveSimulation {
  tail: LogTail;
  dispatcher: AutoDispatcher | undefined;
  commander: PlanCommander | undefined;
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
    ? new AutoDispatcher({
        hub: o.hub,
        afterMs: o.autoDispatchAfterMs ?? o.world.autoDispatchAfterMs ?? DEFAULT_AUTO_DISPATCH_AFTER_MS,
        log: o.log,
        ...(o.world.reservedUnits?.length ? { skipUnits: new Set(o.world.reservedUnits) } : {}),
      })
    : undefined;
  if (dispatcher) tail.subscribe((events) => dispatcher.observe(events));
  const commander =
    o.world.plan && o.planHub
      ? new PlanCommander({
          hub: o.planHub.api,
          plan: o.world.plan,
          idempotencyKey: o.planHub.idempotencyKey,
          log: o.log,
        })
      : undefined;
  if (o.world.handBack) {
    const open = await openTasksOf(o.client, o.ns, [...o.world.roster.id, ...(o.world.reservedUnits ?? [])]);
    if (open.length) o.log.info({ tasks: open.length }, 'handing back tasks left open by an earlier run');
    o.world.handBack(open);
  }
  if (o.world.resumePlanWork) {
    const { roster } = o.world;
    const work = await openPlanWork(o.client, o.ns, new Set(roster.squads.map((s) => s.id)), new Set(roster.id));
    if (work.inspections.length || work.orders.length)
      o.log.info(
        { inspections: work.inspections.length, orders: work.orders.length },
        'taking up the plan work left open by an earlier run',
      );
    o.world.resumePlanWork(work);
  }

  // Units whose registration the hub has logged since the start: their fixes are sent only then (runner.ts).
  const seen = new Set<string>();
  let waiting: { ids: ReadonlySet<string>; done: () => void } | undefined;
  tail.subscribe((events) => {
    for (const e of events) if (e.type === 'unit.registered') seen.add(e.unit.id);
    if (waiting && [...waiting.ids].every((id) => seen.has(id))) waiting.done();
  });
  const registered = async (ids: readonly string[]) => {
    const wanted = new Set(ids);
    if ([...wanted].every((id) => seen.has(id))) return;
    const t0 = Date.now();
    const arrived = await new Promise<boolean>((done) => {
      const timer = setTimeout(() => done(false), REGISTRATION_WAIT_MS);
      waiting = {
        ids: wanted,
        done: () => {
          clearTimeout(timer);
          done(true);
        },
      };
      o.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          done(false);
        },
        { once: true },
      );
    });
    waiting = undefined;
    if (arrived)
      o.log.info({ units: wanted.size, ms: Date.now() - t0 }, 'the hub registered the units: sending their fixes');
    else
      o.log.warn(
        { units: wanted.size, logged: [...wanted].filter((id) => seen.has(id)).length },
        'the hub has not logged every registration yet: sending fixes anyway',
      );
  };

  const done = (async () => {
    try {
      return await runSimulation({
        world: o.world,
        publisher: o.publisher,
        clock: o.clock,
        rate: o.rate,
        worldStart: o.worldStart,
        fixIntervalMs: o.fixIntervalMs,
        signal: o.signal,
        feed: tail,
        registered,
        onStep: (p) => {
          dispatcher?.tick(p.worldTime);
          // After the first step: the clock is set and the units registered, as on a commander's morning.
          commander?.tick();
          o.onStep?.(p);
        },
      });
    } finally {
      await dispatcher?.stop();
      await commander?.stop();
      await tail.close();
    }
  })();
  return { tail, dispatcher, commander, done };
}
