/**
 * The simulator: plays Xiamen's upstream systems — the roster, patrol GPS gateways, the hotline, video AI, the case
 * system's intake desk and inspectors — and the squads' field apps through the same Redis input streams a real
 * integration writes; it reads the hub's log for the tasks it is given, and (unless SIM_AUTO_DISPATCH=0) dispatches
 * filed cases nobody dispatched through the hub's HTTP commands.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx simulator/src/main.ts [--scenario normal-day]
 *
 * Environment: REDIS_URL (required), EGRET_NS (egret), SIM_SCENARIO (settings: normal-day), SIM_SEED, SIM_RATE
 * (world ms per real ms), SIM_START (ISO world start; default now, a typhoon: its window's start, a major event: its `from`), SIM_UNITS (total units
 * of a city scenario),
 * LOAD_UNITS and LOAD_CASES_PER_MIN (the `load` scenario), SIM_EVENTS_MAXLEN, SIM_POSITIONS_MAXLEN, LOG_LEVEL,
 * HUB_URL (http://127.0.0.1:8080), SIM_AUTO_DISPATCH (1), HUB_TOKEN (a dispatcher API key, when the hub has accounts),
 * SIM_SENSOR_EVERY_MIN (minutes between sensor readings; default the scenario's).
 */
import pino from 'pino';
import { ConfigError, DEFAULT_AUTO_DISPATCH_AFTER_MS, loadConfig, loadPlaces } from '@egret/config';
import { HttpHub } from './dispatch/hub-client.ts';
import { activationKey } from './dispatch/plan-commander.ts';
import { readSimEnv, SimEnvError } from './env.ts';
import { startLive } from './live.ts';
import { connectRedis, redactUrl, RedisUnreachableError } from './publish/connect.ts';
import { RedisPublisher } from './publish/redis-publisher.ts';
import { lastCaseSerials } from './publish/resume.ts';
import { systemClock, type RunProgress } from './runner.ts';
import { createWorld, scenarioStart } from './scenario/registry.ts';

const log = pino({ name: 'simulator', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  const config = loadConfig();
  const env = readSimEnv(process.env, process.argv.slice(2), config.settings.simulator);
  const places = loadPlaces();
  const client = await connectRedis(env.redisUrl, { name: 'egret-simulator' });
  const lastSerials = await lastCaseSerials(client, env.ns);

  // A scenario set at its own time (a typhoon, a major event) starts then; an ordinary day now.
  const fixedStart = env.start ?? scenarioStart(env.scenario, config);
  const built = performance.now();
  const world = createWorld({
    name: env.scenario,
    config,
    places,
    seed: env.seed,
    start: fixedStart ?? Date.now(),
    lastSerials,
    ...(env.units !== undefined ? { units: env.units } : {}),
    ...(env.loadUnits !== undefined ? { loadUnits: env.loadUnits } : {}),
    ...(env.loadCasesPerMin !== undefined ? { casesPerMinute: env.loadCasesPerMin } : {}),
    ...(env.sensorEveryMinutes !== undefined ? { sensorEveryMinutes: env.sensorEveryMinutes } : {}),
  });
  // Taken after building (a second or two at 50,000 units), so that a live run's world time is real time.
  const worldStart = fixedStart ?? Date.now();
  log.info(
    {
      scenario: world.scenario,
      seed: env.seed,
      rate: env.rate,
      worldStart: new Date(worldStart).toISOString(),
      units: world.roster.count,
      ...(world.reservedUnits?.length ? { postUnits: world.reservedUnits.length } : {}),
      squads: world.roster.squads.length,
      buildMs: Math.round(performance.now() - built),
      redis: redactUrl(env.redisUrl),
      ns: env.ns,
    },
    'simulator starting',
  );

  const stop = new AbortController();
  const onSignal = (sig: string) => {
    if (stop.signal.aborted) return;
    log.info({ signal: sig }, 'stopping');
    stop.abort(new Error(`stopped by ${sig}`));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  let lastRetryLog = 0;
  const publisher = new RedisPublisher(client, {
    ns: env.ns,
    signal: stop.signal,
    ...(env.eventsMaxLen ? { eventsMaxLen: env.eventsMaxLen } : {}),
    ...(env.positionsMaxLen ? { positionsMaxLen: env.positionsMaxLen } : {}),
    onRetry: (what, attempt, err) => {
      // One warning per 10 s at most: an outage otherwise floods the log.
      if (Date.now() - lastRetryLog < 10_000) return;
      lastRetryLog = Date.now();
      log.warn({ what, attempt, err: (err as Error).message }, 'Redis write failed; retrying');
    },
  });

  const afterMs = world.autoDispatchAfterMs ?? DEFAULT_AUTO_DISPATCH_AFTER_MS;
  log.info(
    { hub: env.hubUrl, afterMs },
    env.autoDispatch ? 'auto-dispatch on' : 'auto-dispatch off (SIM_AUTO_DISPATCH=0)',
  );
  let progress: RunProgress | undefined;
  const live = await startLive({
    client,
    ns: env.ns,
    world,
    publisher,
    clock: systemClock,
    rate: env.rate,
    worldStart,
    fixIntervalMs: env.fixIntervalMs,
    signal: stop.signal,
    autoDispatchAfterMs: afterMs,
    log: log.child({ part: 'field' }),
    ...(env.autoDispatch ? { hub: new HttpHub(env.hubUrl, env.hubToken ? { token: env.hubToken } : {}) } : {}),
    // A campaign's commander activates its plan (issue #17); with accounts, HUB_TOKEN must then be a commander's key.
    ...(world.plan
      ? {
          planHub: {
            api: new HttpHub(env.hubUrl, { user: 'sim-commander', ...(env.hubToken ? { token: env.hubToken } : {}) }),
            idempotencyKey: activationKey(world.scenario, env.seed, worldStart),
          },
        }
      : {}),
    onStep: (p) => {
      progress = p;
    },
  });
  const { tail, dispatcher } = live;

  let lastFixes = 0;
  let lastAt = Date.now();
  const statsTimer = setInterval(() => {
    if (!progress) return;
    const c = world.counters,
      p = publisher.stats,
      now = Date.now();
    log.info(
      {
        world: new Date(progress.worldTime).toISOString(),
        cases: c.reported,
        accepted: c.accepted,
        filed: c.filed,
        rejected: c.rejected,
        onDuty: c.onDuty,
        offline: c.offline,
        statusChanges: c.statusChanges,
        fixesPerSec: Math.round(((progress.fixes - lastFixes) * 1000) / Math.max(1, now - lastAt)),
        lagMs: Math.round(progress.lagMs),
        skippedSteps: progress.skippedSteps,
        retries: p.retries,
        droppedFixBatches: p.droppedFixBatches,
        field: c.field,
        ...(c.feeds ? { feeds: c.feeds } : {}),
        ...(c.posts ? { posts: c.posts } : {}),
        logEvents: tail.stats.events,
        badLogEntries: tail.stats.bad,
        ...(dispatcher ? { autoDispatch: { ...dispatcher.stats, waiting: dispatcher.waiting } } : {}),
      },
      'stats',
    );
    lastFixes = progress.fixes;
    lastAt = now;
  }, 60_000);

  try {
    progress = await live.done;
  } finally {
    clearInterval(statsTimer);
    await client.close().catch(() => client.destroy());
  }
  log.info(
    {
      steps: progress.steps,
      skippedSteps: progress.skippedSteps,
      lagMs: Math.round(progress.lagMs),
      events: progress.events,
      fixes: progress.fixes,
    },
    'simulator stopped',
  );
}

main().catch((err: unknown) => {
  if (err instanceof SimEnvError || err instanceof ConfigError || err instanceof RedisUnreachableError)
    log.fatal(err.message);
  else log.fatal({ err }, 'simulator failed');
  process.exitCode = 1;
});
