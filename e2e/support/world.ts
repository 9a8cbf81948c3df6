import { loadPlaces, type EgretConfig } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import { HttpHub } from '@egret/simulator/dispatch/hub-client.ts';
import { startLive } from '@egret/simulator/live.ts';
import { RedisPublisher } from '@egret/simulator/publish/redis-publisher.ts';
import { systemClock } from '@egret/simulator/runner.ts';
import { createWorld } from '@egret/simulator/scenario/registry.ts';
import type { Fix, TestHub } from './hub.ts';

/** A stretch of a simulated city, computed in advance: the inputs it sent, and each unit's last fix. */
export interface SimulatedCity {
  scenario: string;
  start: number;
  end: number;
  events: InputMessage[];
  /** The latest fix of every unit that sent one. */
  fixes: Fix[];
  /** Every fix batch, in order (for a test that needs the units' history, e.g. replay). */
  fixHistory: Fix[][];
}

export interface SimulateOptions {
  config: EgretConfig;
  /** A scenario of `config/scenarios` (default `normal-day`). */
  scenario?: string;
  seed?: number;
  /** Total units of a city scenario. */
  units?: number;
  /** World time the stretch begins. */
  start: number;
  minutes: number;
  /** World ms per step of the simulator's world (default a minute: units move a minute's way each step). */
  stepMs?: number;
  keepHistory?: boolean;
}

/**
 * Runs the simulator's own scenario generators (pure and seeded: the same options give the same city) for a fixed
 * number of steps, without a clock and without Redis: what `npm run start:simulator` would send over `minutes` of
 * world time, in a second or two. End-to-end tests write it to the hub in one go (`writeCity`) instead of waiting on
 * a running simulator.
 */
export function simulateCity(o: SimulateOptions): SimulatedCity {
  const scenario = o.scenario ?? 'normal-day';
  const stepMs = o.stepMs ?? 60_000;
  const world = createWorld({
    name: scenario,
    config: o.config,
    places: loadPlaces(),
    seed: o.seed ?? 20160915,
    start: o.start,
    ...(o.units !== undefined ? { units: o.units } : {}),
  });
  const events: InputMessage[] = [];
  const latest = new Map<string, Fix>();
  const fixHistory: Fix[][] = [];
  const take = (out: { events: InputMessage[]; fixBatches: string[] }) => {
    events.push(...out.events);
    for (const batch of out.fixBatches) {
      const fixes = (JSON.parse(batch) as { fixes: Fix[] }).fixes;
      for (const f of fixes) latest.set(f.unitId, f);
      if (o.keepHistory) fixHistory.push(fixes);
    }
  };
  take(world.start(o.start));
  const steps = Math.round((o.minutes * 60_000) / stepMs);
  for (let k = 1; k <= steps; k++) take(world.step(o.start + k * stepMs));
  return { scenario, start: o.start, end: o.start + steps * stepMs, events, fixes: [...latest.values()], fixHistory };
}

/**
 * Writes a simulated city to a hub as its upstream systems would, in one go: the clock set to the stretch's end
 * (inputs in the past are accepted), every input, then — once the hub has the roster, since fixes of unknown units
 * are refused — each unit's last fix, stamped now so the wall shows it fresh. Resolves when the hub has applied the
 * inputs and the fixes are on their stream.
 */
export async function writeCity(hub: TestHub, city: SimulatedCity, o: { rate?: number } = {}): Promise<void> {
  await hub.setClock(city.end, o.rate ?? 1, `e2e-${city.scenario}`);
  await hub.sendAll(city.events);
  const units = new Set(city.events.flatMap((e) => (e.kind === 'unit.register' ? [e.unitId] : [])));
  const cases = new Set(city.events.flatMap((e) => (e.kind === 'case.report' ? [e.caseId] : [])));
  await hub.hubHas(
    `the simulated city's ${units.size} units and ${cases.size} cases`,
    () => {
      const w = hub.app.world();
      for (const id of units) if (!w.units.has(id)) return false;
      for (const id of cases) if (!w.cases.has(id)) return false;
      return true;
    },
    60_000,
  );
  const now = hub.now();
  await hub.sendFixes(city.fixes.filter((f) => units.has(f.unitId)).map((f) => ({ ...f, at: now })));
}

/**
 * Registers on-duty units in 思明 (`names(i)`, `squads(i)` per unit; inspectors unless said), at the hub's clock set
 * to now, and waits until the hub's world holds them all.
 */
export async function registerUnits(
  hub: TestHub,
  ids: readonly string[],
  o: { names: (i: number) => string; squads: (i: number) => string; type?: 'inspector' | 'enforcement' },
): Promise<void> {
  await hub.setClock(Date.now());
  const at = hub.now();
  await hub.sendAll(
    ids.map((unitId, i): InputMessage => ({
      kind: 'unit.register',
      unitId,
      name: o.names(i),
      type: o.type ?? 'inspector',
      squadId: o.squads(i),
      district: '350203',
      status: 'available',
      at,
    })),
  );
  await hub.hubHas(`${ids.length} units registered`, () => ids.every((id) => hub.app.world().units.has(id)));
}

/**
 * Keeps the units' fixes fresh, as a GPS gateway would (each unit a few metres on from its last fix every second),
 * for tests that need units drawn in their status colours rather than greyed out as silent. Returns a stop function.
 */
export function keepFixesFresh(hub: TestHub, fixes: readonly Fix[], everyMs = 1_000): () => Promise<void> {
  let n = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    n++;
    let now: number;
    try {
      now = hub.now();
    } catch {
      return; // the hub is down (a test of the link): the gateway waits for it
    }
    inFlight = hub
      .sendFixes(fixes.map((f) => ({ ...f, lon: f.lon + (n % 2) * 0.00005, at: now })))
      .catch(() => undefined);
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}

export interface PlayOptions {
  config: EgretConfig;
  scenario?: string;
  seed?: number;
  units?: number;
  start: number;
  minutes: number;
  /** World ms per real ms. */
  rate: number;
  /** One fix per unit per this many world ms (the simulator's default is a second; coarser keeps a fast run light). */
  fixIntervalMs?: number;
}

/**
 * Plays a stretch of a simulated city against a hub in this process, with the simulator's own live wiring
 * (`startLive`: the world's loop, the log tail feeding the field side, the auto-dispatcher over HTTP), fast, and
 * stops once the hub's log has reached the stretch's end. For tests that need the hub to have lived through the
 * time — replay's recorded positions come from the hub's live frames — rather than to be handed its result.
 */
export async function playCity(hub: TestHub, o: PlayOptions): Promise<void> {
  const world = createWorld({
    name: o.scenario ?? 'normal-day',
    config: o.config,
    places: loadPlaces(),
    seed: o.seed ?? 20160915,
    start: o.start,
    ...(o.units !== undefined ? { units: o.units } : {}),
  });
  const stop = new AbortController();
  const quiet = { warn: () => undefined, info: () => undefined };
  const live = await startLive({
    client: hub.redis,
    ns: hub.ns,
    world,
    publisher: new RedisPublisher(hub.redis, { ns: hub.ns, signal: stop.signal }),
    clock: systemClock,
    rate: o.rate,
    worldStart: o.start,
    fixIntervalMs: o.fixIntervalMs ?? 10_000,
    signal: stop.signal,
    hub: new HttpHub(hub.base),
    log: quiet,
  });
  const end = o.start + o.minutes * 60_000;
  try {
    await hub.hubHas(`world time ${new Date(end).toISOString()} in the log`, () => hub.app.world().at >= end, 120_000);
  } finally {
    stop.abort(new Error('the stretch is played'));
    await live.done;
  }
}
