/**
 * The simulator: plays Xiamen's upstream systems — the roster, patrol GPS gateways, the hotline, video AI, the case
 * system's intake desk — through the same Redis input streams a real integration writes.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx simulator/src/main.ts [--scenario normal-day]
 *
 * Environment: REDIS_URL (required), EGRET_NS (egret), SIM_SCENARIO (settings: normal-day), SIM_SEED, SIM_RATE
 * (world ms per real ms), SIM_START (ISO world start; default now), SIM_UNITS (total units of a city scenario),
 * LOAD_UNITS and LOAD_CASES_PER_MIN (the `load` scenario), SIM_EVENTS_MAXLEN, SIM_POSITIONS_MAXLEN, LOG_LEVEL.
 */
import pino from 'pino';
import { ConfigError, loadConfig, loadPlaces } from '@egret/config';
import { readSimEnv, SimEnvError } from './env.ts';
import { connectRedis, redactUrl, RedisUnreachableError } from './publish/connect.ts';
import { RedisPublisher } from './publish/redis-publisher.ts';
import { lastCaseSerials } from './publish/resume.ts';
import { runSimulation, systemClock, type RunProgress } from './runner.ts';
import { createWorld } from './scenario/registry.ts';

const log = pino({ name: 'simulator', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  const config = loadConfig();
  const env = readSimEnv(process.env, process.argv.slice(2), config.settings.simulator);
  const places = loadPlaces();
  const client = await connectRedis(env.redisUrl, { name: 'egret-simulator' });
  const lastSerials = await lastCaseSerials(client, env.ns);

  const built = performance.now();
  const world = createWorld({
    name: env.scenario, config, places, seed: env.seed, start: env.start ?? Date.now(), lastSerials,
    ...(env.units !== undefined ? { units: env.units } : {}),
    ...(env.loadUnits !== undefined ? { loadUnits: env.loadUnits } : {}),
    ...(env.loadCasesPerMin !== undefined ? { casesPerMinute: env.loadCasesPerMin } : {}),
  });
  // Taken after building (a second or two at 50,000 units), so that a live run's world time is real time.
  const worldStart = env.start ?? Date.now();
  log.info({
    scenario: world.scenario, seed: env.seed, rate: env.rate, worldStart: new Date(worldStart).toISOString(),
    units: world.roster.count, squads: world.roster.squads.length, buildMs: Math.round(performance.now() - built),
    redis: redactUrl(env.redisUrl), ns: env.ns,
  }, 'simulator starting');

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
    ns: env.ns, signal: stop.signal,
    ...(env.eventsMaxLen ? { eventsMaxLen: env.eventsMaxLen } : {}),
    ...(env.positionsMaxLen ? { positionsMaxLen: env.positionsMaxLen } : {}),
    onRetry: (what, attempt, err) => {
      // One warning per 10 s at most: an outage otherwise floods the log.
      if (Date.now() - lastRetryLog < 10_000) return;
      lastRetryLog = Date.now();
      log.warn({ what, attempt, err: (err as Error).message }, 'Redis write failed; retrying');
    },
  });

  let progress: RunProgress | undefined;
  let lastFixes = 0;
  let lastAt = Date.now();
  const statsTimer = setInterval(() => {
    if (!progress) return;
    const c = world.counters, p = publisher.stats, now = Date.now();
    log.info({
      world: new Date(progress.worldTime).toISOString(),
      cases: c.reported, accepted: c.accepted, filed: c.filed, rejected: c.rejected,
      onDuty: c.onDuty, offline: c.offline, statusChanges: c.statusChanges,
      fixesPerSec: Math.round(((progress.fixes - lastFixes) * 1000) / Math.max(1, now - lastAt)),
      lagMs: Math.round(progress.lagMs), skippedSteps: progress.skippedSteps,
      retries: p.retries, droppedFixBatches: p.droppedFixBatches,
    }, 'stats');
    lastFixes = progress.fixes;
    lastAt = now;
  }, 60_000);

  try {
    progress = await runSimulation({
      world, publisher, clock: systemClock, rate: env.rate, worldStart, fixIntervalMs: env.fixIntervalMs, signal: stop.signal,
      onStep: (p) => { progress = p; },
    });
  } finally {
    clearInterval(statsTimer);
    await client.close().catch(() => client.destroy());
  }
  log.info({ steps: progress.steps, skippedSteps: progress.skippedSteps, lagMs: Math.round(progress.lagMs), events: progress.events, fixes: progress.fixes }, 'simulator stopped');
}

main().catch((err: unknown) => {
  if (err instanceof SimEnvError || err instanceof ConfigError || err instanceof RedisUnreachableError) log.fatal(err.message);
  else log.fatal({ err }, 'simulator failed');
  process.exitCode = 1;
});
