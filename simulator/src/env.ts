import type { SettingsFile } from '@egret/config';
import { redisUrlFromEnv } from '@egret/server/redis-connect';

/** The simulator's settings after reading the environment and argv. */
export interface SimEnv {
  redisUrl: string;
  ns: string;
  scenario: string;
  seed: number | string;
  rate: number;
  /** World start, epoch ms; undefined = now. */
  start: number | undefined;
  /** Total units for city scenarios (SIM_UNITS); load scenarios use LOAD_UNITS. */
  units: number | undefined;
  loadUnits: number | undefined;
  loadCasesPerMin: number | undefined;
  /** Minutes between two readings of a sensor (SIM_SENSOR_EVERY_MIN; default: the scenario's `sensors.readEveryMinutes`). */
  sensorEveryMinutes: number | undefined;
  fixIntervalMs: number;
  eventsMaxLen: number | undefined;
  positionsMaxLen: number | undefined;
  logLevel: string;
  /** The hub the auto-dispatcher asks (HUB_URL). */
  hubUrl: string;
  /** Whether filed cases left undispatched are dispatched automatically (SIM_AUTO_DISPATCH, default on). */
  autoDispatch: boolean;
  /** A `dispatcher` API key for a hub with accounts (HUB_TOKEN). */
  hubToken: string | undefined;
}

/** A bad or missing variable: the message names it and what was expected. */
export class SimEnvError extends Error {
  override name = 'SimEnvError';
}

/**
 * Reads the simulator's settings: REDIS_URL (required; or REDIS_SENTINELS + REDIS_MASTER_NAME), EGRET_NS, SIM_SCENARIO (or `--scenario <name>`), SIM_SEED,
 * SIM_RATE, SIM_START (ISO time), SIM_UNITS, LOAD_UNITS, LOAD_CASES_PER_MIN, SIM_EVENTS_MAXLEN,
 * SIM_POSITIONS_MAXLEN, LOG_LEVEL, HUB_URL (http://127.0.0.1:8080), SIM_AUTO_DISPATCH (1; 0 turns it off), HUB_TOKEN; defaults
 * from config/settings.json. Throws `SimEnvError` listing every bad one.
 */
export function readSimEnv(
  env: Record<string, string | undefined>,
  argv: readonly string[],
  settings: SettingsFile['simulator'],
): SimEnv {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const num = (name: string, check: (n: number) => boolean, expected: string): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || !check(n)) {
      problems.push(`${name}=${v}: expected ${expected}`);
      return undefined;
    }
    return n;
  };
  const posInt = (name: string, max: number) =>
    num(name, (n) => Number.isInteger(n) && n >= 1 && n <= max, `a whole number from 1 to ${max}`);

  // REDIS_SENTINELS + REDIS_MASTER_NAME (the hub's settings) make a redis+sentinel:// URL.
  const redisUrl = redisUrlFromEnv(env);
  if (!redisUrl)
    problems.push('REDIS_URL: required (e.g. redis://127.0.0.1:6379), or REDIS_SENTINELS and REDIS_MASTER_NAME');
  else if (!/^(rediss?|redis\+sentinel):\/\//.test(redisUrl))
    problems.push(`REDIS_URL=${redisUrl}: expected a redis://, rediss:// or redis+sentinel:// URL`);

  const ns = get('EGRET_NS') ?? 'egret';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(ns))
    problems.push(`EGRET_NS=${ns}: expected 1–64 characters of A–Z a–z 0–9 _ . : -`);

  const scenario = scenarioFromArgv(argv, problems) ?? get('SIM_SCENARIO') ?? settings.scenario;
  if (!/^[a-z0-9-]+$/.test(scenario))
    problems.push(`scenario "${scenario}": expected lower-case letters, digits and dashes`);

  const seedText = get('SIM_SEED');
  const seed = seedText === undefined ? settings.seed : /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;

  const rate = num('SIM_RATE', (n) => n > 0 && n <= 3600, 'a number above 0, at most 3600') ?? settings.rate;

  let start: number | undefined;
  const startText = get('SIM_START');
  if (startText !== undefined) {
    start = Date.parse(startText);
    if (!/^\d{4}-\d{2}-\d{2}/.test(startText) || Number.isNaN(start) || start < 0) {
      problems.push(`SIM_START=${startText}: expected an ISO time such as 2016-09-14T06:00:00+08:00`);
      start = undefined;
    }
  }

  const hubUrl = get('HUB_URL') ?? 'http://127.0.0.1:8080';
  if (!/^https?:\/\/[^\s/]+/.test(hubUrl))
    problems.push(`HUB_URL=${hubUrl}: expected an http:// or https:// URL such as http://127.0.0.1:8080`);
  const autoText = get('SIM_AUTO_DISPATCH')?.toLowerCase();
  let autoDispatch = true;
  if (autoText !== undefined) {
    if (['0', 'false', 'off', 'no'].includes(autoText)) autoDispatch = false;
    else if (!['1', 'true', 'on', 'yes'].includes(autoText))
      problems.push(`SIM_AUTO_DISPATCH=${autoText}: expected 1 or 0`);
  }

  const out: SimEnv = {
    redisUrl: redisUrl ?? '',
    ns,
    scenario,
    seed,
    rate,
    start,
    units: posInt('SIM_UNITS', 500_000),
    loadUnits: posInt('LOAD_UNITS', 500_000),
    loadCasesPerMin: num('LOAD_CASES_PER_MIN', (n) => n >= 0 && n <= 100_000, 'a number from 0 to 100000'),
    sensorEveryMinutes: num('SIM_SENSOR_EVERY_MIN', (n) => n > 0 && n <= 60, 'a number of minutes above 0, at most 60'),
    fixIntervalMs: settings.fixIntervalMs,
    eventsMaxLen: posInt('SIM_EVENTS_MAXLEN', 100_000_000),
    positionsMaxLen: posInt('SIM_POSITIONS_MAXLEN', 100_000_000),
    logLevel: get('LOG_LEVEL') ?? 'info',
    hubUrl,
    autoDispatch,
    hubToken: get('HUB_TOKEN'),
  };
  if (problems.length) throw new SimEnvError(problems.join('\n'));
  return out;
}

function scenarioFromArgv(argv: readonly string[], problems: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--scenario=')) return a.slice('--scenario='.length);
    if (a === '--scenario') {
      const next = argv[i + 1];
      if (!next || next.startsWith('--')) problems.push('--scenario: expected a scenario name after it');
      return next && !next.startsWith('--') ? next : undefined;
    }
  }
  return undefined;
}
