/**
 * Replay benchmark: 72 hours of Typhoon Meranti over Xiamen, then seeks, history bytes and playback speed.
 *
 *   npm run bench:replay        (= tsx server/bench/replay.bench.ts; a few minutes)
 *
 * Builds the history the way the hub would, through the real code: the typhoon incident model's cases
 * (`generateTyphoonCases`, ~42,000 over the window) each taken through its loop — accepted, filed, dispatched to a
 * unit (task, unit status), en route, on scene, handled, verified, closed — as log events appended to the log
 * stream with the commit script's ids; 3,000 units registered and moving, their fixes every 10 s of world time
 * turned into one-minute position segments by the history writer's own recorder and stored by its own code; the
 * real history writer (leader lease, snapshots every 2,000 events and 30 world-minutes) folding the log. Then:
 *   - seek: the state (world + KPI table) and every unit's position at 200 random instants, p50/p95 — the server's
 *     work, and the same plus the JSON of the whole WorldSnapshot the API sends;
 *   - bytes of history per hour: Redis MEMORY USAGE of the streams, and the exported files on disk;
 *   - playback at 3600×: events per second the shared reducer (world + KPI) sustains, against what 3600× needs.
 *   - the browser: the real replay wall in Chromium against a hub over this history, seeking to late instants
 *     (`EGRET_BENCH_BROWSER_SEEKS`, 10, spread over the last 24 h): bytes on the wire, main-thread work, seek →
 *     state applied → drawn, for the split seek (open first, finished after) beside the one JSON answer it replaced
 *     (`?snapshot=json`; replay-browser.ts).
 * EGRET_BENCH_UNITS (3000), EGRET_BENCH_SEEKS (200) and EGRET_BENCH_HOURS (the typhoon's 72; fewer: only the first
 * hours of it) change the scale; EGRET_BENCH_BROWSER=0 skips the browser, =only runs it without the server-side
 * figures (seeks, bytes, export, playback); EGRET_BENCH_DISPLAY_DIR serves a display already built there instead of
 * building one; EGRET_BENCH_PLAYBACK=only builds the log and its snapshots, then only plays the busiest hours at 3600×
 * through the replay routes (replay-playback.ts); EGRET_BENCH_HUB=only times the hub's answers to a late seek's
 * tracks and finished part beside the old paths (replay-hub.ts; EGRET_BENCH_HUB_SEEKS instants, 12); EGRET_BENCH_HUB=four
 * the wall's four asks at once (EGRET_BENCH_HUB_AT, _REPEATS, _VARIANTS: committed,after), beside the committed path;
 * EGRET_BENCH_HUB=finished the finished part's layout as arrays and as bytes at the browser's instants (replay-finished.ts);
 * EGRET_BENCH_KEEP=<dir> keeps the built history in a Redis persisted there and starts from it next time (a rerun
 * takes seconds, not minutes). Not a test: nothing is asserted.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { districtShapes, gridCells, gridSpec, loadConfig, loadPlaces, type EgretConfig } from '@egret/config';
import {
  applyEvent,
  applyKpiEvent,
  createKpiAccumulator,
  emptyWorld,
  kpiFigures,
  redisKeys,
  toSnapshot,
  type RedisKeys,
  type Actor,
  type Case,
  type CaseStatus,
  type LogEvent,
  type NewLogEvent,
  type Task,
  type TaskStatus,
  type Unit,
  type UnitStatus,
} from '@egret/protocol';
import { Rng } from '@egret/simulator/rng.ts';
import { createTyphoonIncidentModel } from '@egret/simulator/scenario/typhoon/incident-model.ts';
import { generateTyphoonCases, toCaseReport } from '@egret/simulator/scenario/typhoon/incidents.ts';
import { loadTyphoonScenario } from '@egret/simulator/scenario/typhoon/typhoon-config.ts';
import { typhoonScenario } from '@egret/simulator/scenario/typhoon/typhoon-scenario.ts';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { startEmbeddedRedis } from '../src/redis/embedded-redis.ts';
import { Archive } from '../src/replay/archive.ts';
import { exportHistory } from '../src/replay/history-export.ts';
import { startHistoryWriter } from '../src/replay/history-writer.ts';
import { PositionRecorder } from '../src/replay/position-recorder.ts';
import { RedisHistory } from '../src/replay/redis-history.ts';
import { ReplayReader } from '../src/replay/replay-reader.ts';
import { browserPhase } from './replay-browser.ts';

const UNITS = Number(process.env.EGRET_BENCH_UNITS ?? 3_000);
const SEEKS = Number(process.env.EGRET_BENCH_SEEKS ?? 200);
const HOURS = Number(process.env.EGRET_BENCH_HOURS ?? 72);
const BROWSER = process.env.EGRET_BENCH_BROWSER ?? '1';
const BROWSER_SEEKS = Number(process.env.EGRET_BENCH_BROWSER_SEEKS ?? 10);
const FIX_STEP_MS = 10_000;
const MIN = 60_000;
const HOUR = 3_600_000;
const SYSTEM: Actor = { role: 'system', id: 'bench' };
const FIELD: Actor = { role: 'field', id: 'app' };
const DISPATCHER: Actor = { role: 'dispatcher', id: 'desk-1' };

const say = (line: string) => process.stderr.write(`${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
};
const ms = (x: number) => Math.round(x * 10) / 10;
const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 100) / 100;

/** Every case of the typhoon through its loop, as log events (not yet numbered). */
function buildEvents(config: EgretConfig, rng: Rng) {
  const scenario = typhoonScenario(loadTyphoonScenario({ categories: config.categories }));
  const { start } = scenario.window;
  const end = Math.min(scenario.window.end, start + HOURS * HOUR);
  say('building the typhoon incident model (500 m grid)…');
  const cells = gridCells(districtShapes(config.boundaries), gridSpec(config.city.bbox, 500));
  const model = createTyphoonIncidentModel({
    scenario,
    cells,
    seed: 1614,
    places: loadPlaces().districts,
    districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
  });
  const typhoonCases = generateTyphoonCases(model, rng, start, end);
  say(`${typhoonCases.length} cases over ${(end - start) / HOUR} h`);

  const events: NewLogEvent[] = [];
  // Units: squads of ~25 per district in proportion to its squads in the city config.
  const districts = config.city.districts;
  const units: Unit[] = [];
  const squadsOf = new Map<string, string[]>();
  for (let i = 0; i < UNITS; i++) {
    const d = districts[i % districts.length]!;
    const squad = `SQ-${d.code}-${String(Math.floor(i / districts.length / 25) + 1).padStart(2, '0')}`;
    if (!squadsOf.has(d.code)) squadsOf.set(d.code, []);
    if (!squadsOf.get(d.code)!.includes(squad)) squadsOf.get(d.code)!.push(squad);
    const unit: Unit = {
      id: `U-${String(i).padStart(5, '0')}`,
      name: `队员${i}`,
      type: (['enforcement', 'inspector', 'sanitation', 'emergency', 'vehicle'] as const)[i % 5]!,
      squadId: squad,
      district: d.code,
      status: 'available',
      slot: i,
      version: 1,
    };
    units.push(unit);
    events.push({ type: 'unit.registered', at: start, unit });
  }
  events.unshift({
    type: 'clock.changed',
    at: start,
    clock: { baseReal: 0, baseWorld: start, rate: 60, scenario: scenario.name },
  });
  events.push({
    type: 'mode.changed',
    at: start + 6 * HOUR,
    mode: 'typhoon',
    actor: { role: 'commander', id: 'chief' },
  });
  const unitsBySquad = new Map<string, Unit[]>();
  for (const u of units) unitsBySquad.set(u.squadId, [...(unitsBySquad.get(u.squadId) ?? []), u]);
  const nextUnit = new Map<string, number>();

  /** Unit status changes are emitted with the unit as it then is; statuses may overlap (a bench, not a roster). */
  const unitTo = (u: Unit, at: number, to: UnitStatus, taskId?: string) => {
    const from = u.status;
    const next: Unit = { ...u, status: to, version: u.version + 1, ...(taskId ? { taskId } : {}) };
    if (!taskId) delete next.taskId;
    units[u.slot] = next;
    events.push({ type: 'unit.status_changed', at, from, to, unit: next });
  };

  let rejected = 0;
  for (const tc of typhoonCases) {
    const report = toCaseReport(tc);
    const entry = config.categories.entries.find((e) => e.code === report.category.code);
    const r = report.at;
    let c: Case = {
      id: report.caseId,
      category: { ...report.category, name: entry?.name.zh ?? report.category.code },
      source: report.source,
      urgency: report.urgency,
      position: [report.lon, report.lat],
      address: report.address ?? '',
      district: tc.district,
      grid: tc.grid,
      status: 'reported',
      reportedAt: r,
      supervised: false,
      history: [{ to: 'reported', at: r, actor: { role: 'upstream', id: 'hotline' } }],
      version: 1,
    };
    events.push({ type: 'case.reported', at: r, case: c });
    const step = (at: number, to: CaseStatus, actor: Actor, extra: Partial<Case> = {}) => {
      if (at > end) return false;
      const from = c.status;
      c = { ...c, ...extra, status: to, version: c.version + 1, history: [...c.history, { to, at, actor }] };
      events.push({ type: 'case.transitioned', at, from, to, actor, case: c });
      return true;
    };
    let t = r + rng.int(1, 3) * MIN;
    if (rng.float() < 0.03) {
      rejected++;
      step(t, 'rejected', SYSTEM);
      continue;
    }
    if (!step(t, 'accepted', SYSTEM)) continue;
    t += rng.int(2, 6) * MIN;
    const deadline = t + (report.urgency === 'critical' ? 2 : report.urgency === 'urgent' ? 6 : 24) * HOUR;
    if (!step(t, 'filed', SYSTEM, { deadline, filedAt: t })) continue;
    t += rng.int(2, 25) * MIN;
    const squads = squadsOf.get(tc.district) ?? [...squadsOf.values()][0]!;
    const squadId = squads[rng.int(0, squads.length - 1)]!;
    const crew = unitsBySquad.get(squadId)!;
    const k = nextUnit.get(squadId) ?? 0;
    nextUnit.set(squadId, k + 1);
    let unit = units[crew[k % crew.length]!.slot]!;
    const taskId = `T-${c.id}`;
    let task: Task = {
      id: taskId,
      caseId: c.id,
      unitId: unit.id,
      squadId,
      status: 'dispatched',
      createdAt: t,
      updatedAt: t,
      actor: DISPATCHER,
      version: 1,
    };
    if (t > end) continue;
    events.push({ type: 'task.created', at: t, actor: DISPATCHER, task });
    step(t, 'dispatched', DISPATCHER, { squadId, taskId, dispatchedAt: t });
    unitTo(unit, t, 'dispatched', taskId);
    const taskTo = (at: number, to: TaskStatus) => {
      if (at > end) return false;
      const from = task.status;
      task = { ...task, status: to, updatedAt: at, version: task.version + 1 };
      events.push({ type: 'task.updated', at, from, to, actor: FIELD, task });
      return true;
    };
    t += rng.int(1, 3) * MIN;
    if (!taskTo(t, 'accepted')) continue;
    t += rng.int(1, 2) * MIN;
    if (!taskTo(t, 'en_route')) continue;
    unitTo(units[unit.slot]!, t, 'en_route', taskId);
    t += rng.int(8, 35) * MIN;
    if (!taskTo(t, 'on_scene')) continue;
    unit = units[unit.slot]!;
    unitTo(unit, t, 'on_scene', taskId);
    step(t, 'in_progress', FIELD);
    t += rng.int(20, 120) * MIN;
    if (!taskTo(t, 'done')) continue;
    unitTo(units[unit.slot]!, t, 'available');
    if (!step(t, 'handled', FIELD, { handledAt: t })) continue;
    t += rng.int(5, 40) * MIN;
    if (!step(t, 'verifying', { role: 'field', id: 'inspector' })) continue;
    t += rng.int(5, 20) * MIN;
    step(t, 'closed', { role: 'field', id: 'inspector' }, { closedAt: t });
  }
  say(`${events.length} log events (${rejected} cases rejected at intake)`);
  // The log's order: by world time (stable: a case's own steps keep their order).
  const order = events.map((e, i) => [e.at, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const numbered = order.map(([, i], k) => ({ ...events[i]!, seq: k + 1 }) as LogEvent);
  return { start, end, events: numbered, units: units.length };
}

/** Fixes every 10 s of world time: each unit walks (1–9 m/s, a new heading now and then), a third of the time standing. */
function* fixSteps(start: number, end: number, rng: Rng, bbox: readonly [number, number, number, number]) {
  const lon = new Float64Array(UNITS);
  const lat = new Float64Array(UNITS);
  const heading = new Float64Array(UNITS);
  const speed = new Float64Array(UNITS);
  const [w, s, e, n] = bbox;
  for (let i = 0; i < UNITS; i++) {
    lon[i] = w + (e - w) * (0.3 + 0.4 * rng.float());
    lat[i] = s + (n - s) * (0.3 + 0.4 * rng.float());
    heading[i] = rng.float() * 2 * Math.PI;
    speed[i] = 1 + rng.float() * 8;
  }
  const slots = Uint32Array.from({ length: UNITS }, (_, i) => i);
  for (let at = start; at <= end; at += FIX_STEP_MS) {
    const lonE6 = new Int32Array(UNITS);
    const latE6 = new Int32Array(UNITS);
    for (let i = 0; i < UNITS; i++) {
      if (rng.float() < 0.01) heading[i] = rng.float() * 2 * Math.PI;
      if (rng.float() < 0.01) speed[i] = speed[i]! > 0 ? 0 : 1 + rng.float() * 8; // stop at a scene, or set off again
      const d = (speed[i]! * FIX_STEP_MS) / 1000;
      lon[i] = Math.min(e, Math.max(w, lon[i]! + (d * Math.cos(heading[i]!)) / 101_000));
      lat[i] = Math.min(n, Math.max(s, lat[i]! + (d * Math.sin(heading[i]!)) / 111_000));
      lonE6[i] = Math.round(lon[i]! * 1e6);
      latE6[i] = Math.round(lat[i]! * 1e6);
    }
    yield { at, slots, lonE6, latE6 };
  }
}

async function memoryUsage(redis: Redis, key: string): Promise<number> {
  return Number(await redis.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) || 0;
}

/** The log, its snapshots and the position segments, built into Redis as a hub would have written them. */
async function buildHistory(d: {
  config: EgretConfig;
  redis: Redis;
  keys: RedisKeys;
  history: RedisHistory;
  rng: Rng;
}) {
  const { config, redis, keys, history, rng } = d;
  const built = performance.now();
  const built_ = buildEvents(config, rng);
  const { start, end } = built_;
  const eventCount = built_.events.length;
  const perHour = new Map<number, number>();
  for (const e of built_.events) perHour.set(Math.floor(e.at / HOUR), (perHour.get(Math.floor(e.at / HOUR)) ?? 0) + 1);
  const peakHour = Math.max(...perHour.values());
  say(`built in ${Math.round(performance.now() - built)} ms; writing the log…`);

  // The log as the commit script writes it: stream id `<seq>-0`, field e.
  const wrote = performance.now();
  for (let i = 0; i < eventCount; i += 2_000) {
    const m = redis.multi();
    for (const e of built_.events.slice(i, i + 2_000)) m.xAdd(keys.log, `${e.seq}-0`, { e: JSON.stringify(e) });
    await m.exec();
  }
  await redis.set(keys.logSeq, String(eventCount));
  say(`log written in ${Math.round(performance.now() - wrote)} ms`);
  // Let the built events go: the measurements below should not pay for a gigabyte of heap they do not own.
  built_.events = [];

  // The real history writer folds it: snapshots, periods, report counts.
  const folded = performance.now();
  const writer = startHistoryWriter({
    redis,
    keys,
    hubId: 'bench',
    settings: config.settings.replay,
    logger: pino({ level: 'warn' }),
  });
  const progress = setInterval(() => say(`  history writer at seq ${writer.seq()}`), 15_000);
  await writer.caughtUp(eventCount, 30 * 60_000).finally(() => clearInterval(progress));
  const writerMs = performance.now() - folded;
  await writer.stop();
  say(`history writer folded ${eventCount} events in ${Math.round(writerMs)} ms`);
  if (process.env.EGRET_BENCH_PLAYBACK === 'only') return { start, end, eventCount, peakHour, segments: 0, writerMs };

  // Positions: the writer's recorder and segment store, fed 10-second fixes of every unit.
  const positioned = performance.now();
  const recorder = new PositionRecorder(config.settings.replay.positionStepMs);
  let segments = 0;
  for (const frame of fixSteps(start, end, rng, config.city.bbox)) {
    const closed = recorder.push(frame);
    if (closed && (await history.writeSegment(closed))) segments++;
  }
  const last = recorder.close();
  if (last && (await history.writeSegment(last))) segments++;
  say(`${segments} position segments in ${Math.round(performance.now() - positioned)} ms`);
  return { start, end, eventCount, peakHour, segments, writerMs };
}

const KEPT_FILE = 'bench-history.json';

/**
 * A history an earlier run kept (`EGRET_BENCH_KEEP`), or undefined. One built for other hours or units is refused:
 * measuring it would print figures under the wrong heading.
 */
function keptHistory(dir: string) {
  const file = join(dir, KEPT_FILE);
  if (!existsSync(file)) return undefined;
  const kept = JSON.parse(readFileSync(file, 'utf8')) as {
    start: number;
    end: number;
    eventCount: number;
    peakHour: number;
    segments: number;
    writerMs: number;
    hours?: number;
    units?: number;
  };
  if (kept.hours !== HOURS || kept.units !== UNITS)
    throw new Error(
      `EGRET_BENCH_KEEP=${dir} holds a history of ${kept.hours ?? '?'} h and ${kept.units ?? '?'} units, not ` +
        `${HOURS} h and ${UNITS}: keep each in its own folder`,
    );
  return kept;
}

async function main(): Promise<void> {
  const config = loadConfig();
  // EGRET_BENCH_KEEP=<dir>: the built history kept in a Redis persisted there, and used again by the next run.
  const keep = process.env.EGRET_BENCH_KEEP;
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'egret-replay-bench-'));
  const archiveDir = mkdtempSync(join(tmpdir(), 'egret-replay-archive-'));
  const server = await startEmbeddedRedis({ dataDir, persist: keep !== undefined, install: false });
  const redis = await connectRedis(server.url, { name: 'bench' });
  const ns = 'bench-replay';
  const keys = redisKeys(ns);
  const history = new RedisHistory(redis, keys);
  const rng = new Rng(1614);
  // Stopped early (Ctrl-C): take the private redis-server down with us.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void server.stop().finally(() => process.exit(130));
    });
  }
  try {
    const kept = keep ? keptHistory(keep) : undefined;
    const { start, end, eventCount, peakHour, segments, writerMs } =
      kept ?? (await buildHistory({ config, redis, keys, history, rng }));
    if (keep && !kept && segments > 0)
      writeFileSync(
        join(keep, KEPT_FILE),
        JSON.stringify({ start, end, eventCount, peakHour, segments, writerMs, hours: HOURS, units: UNITS }),
      );
    if (kept) say(`history kept in ${keep}: ${eventCount} events, ${segments} position segments`);
    if (process.env.EGRET_BENCH_PLAYBACK === 'only') {
      // Playback at 3600× through the replay routes (replay-playback.ts): the log and snapshots are all it reads.
      const { measurePlayback } = await import('./replay-playback.ts');
      console.log(JSON.stringify(await measurePlayback({ redis, keys, say }), null, 2));
      return;
    }
    if (process.env.EGRET_BENCH_HUB === 'four') {
      // The wall's seek with its four asks at once (replay-hub.ts `fourPhase`): at EGRET_BENCH_HUB_AT (ISO times,
      // comma-separated) or the browser phase's instants, each EGRET_BENCH_HUB_REPEATS (4) times a minute apart.
      const { fourPhase } = await import('./replay-hub.ts');
      const span = Math.min(24 * HOUR, (end - start) / 3);
      const at = process.env.EGRET_BENCH_HUB_AT;
      const instants = at
        ? at.split(',').map((s) => Date.parse(s))
        : Array.from(
            { length: BROWSER_SEEKS },
            (_, i) => Math.round((end - span + ((i + 0.5) * span) / BROWSER_SEEKS) / MIN) * MIN,
          );
      const repeats = Number(process.env.EGRET_BENCH_HUB_REPEATS ?? 4);
      const variants = (process.env.EGRET_BENCH_HUB_VARIANTS ?? 'committed,after').split(',');
      const load = loadavg().map((x) => Math.round(x * 10) / 10);
      const figures = await fourPhase({ redisUrl: server.url, ns, instants, repeats, variants, say });
      console.log(
        JSON.stringify({ load, loadAtEnd: loadavg().map((x) => Math.round(x * 10) / 10), ...figures }, null, 2),
      );
      return;
    }
    if (process.env.EGRET_BENCH_HUB === 'finished') {
      // The finished part's layout as arrays (before) and as bytes (now), at the browser phase's instants.
      const { finishedPhase } = await import('./replay-finished.ts');
      const span = Math.min(24 * HOUR, (end - start) / 3);
      const instants = Array.from(
        { length: BROWSER_SEEKS },
        (_, i) => Math.round((end - span + ((i + 0.5) * span) / BROWSER_SEEKS) / MIN) * MIN,
      );
      const load = loadavg().map((x) => Math.round(x * 10) / 10);
      const json = await finishedPhase({ redis, keys, live: { seq: eventCount, at: end }, instants, say });
      console.log(JSON.stringify({ load, loadAtEnd: loadavg().map((x) => Math.round(x * 10) / 10), json }, null, 2));
      return;
    }
    if (process.env.EGRET_BENCH_HUB === 'only') {
      // The hub's answers to a late seek's tracks and finished part, beside the old paths (replay-hub.ts).
      const { hubPhase } = await import('./replay-hub.ts');
      const span = Math.min(24 * HOUR, (end - start) / 3);
      const n = Number(process.env.EGRET_BENCH_HUB_SEEKS ?? 12);
      const instants = Array.from(
        { length: n },
        (_, i) => Math.round((end - span + ((i + 0.5) * span) / n) / MIN) * MIN,
      );
      console.log(JSON.stringify(await hubPhase({ redisUrl: server.url, ns, config, instants, say }), null, 2));
      return;
    }

    /** The replay wall in Chromium, seeking over the last 24 h (the last third of a shorter history). */
    const browserFigures = async () => {
      let displayDir = process.env.EGRET_BENCH_DISPLAY_DIR;
      if (!displayDir) {
        displayDir = join(dataDir, 'display');
        say('building the display…');
        const { build } = await import('vite');
        const root = resolve(import.meta.dirname, '../../display');
        await build({
          root,
          configFile: join(root, 'vite.config.ts'),
          logLevel: 'error',
          build: { outDir: displayDir, emptyOutDir: true },
        });
      }
      const span = Math.min(24 * HOUR, (end - start) / 3);
      const instants = Array.from(
        { length: BROWSER_SEEKS },
        (_, i) => Math.round((end - span + ((i + 0.5) * span) / BROWSER_SEEKS) / MIN) * MIN,
      );
      const load = loadavg().map((x) => Math.round(x * 10) / 10);
      const figures = await browserPhase({
        redisUrl: server.url,
        ns,
        config,
        displayDir,
        from: start,
        to: end,
        instants,
        variants: [
          { name: 'before: JSON /state', query: 'snapshot=json' },
          { name: 'after: open first, finished after', query: '' },
        ],
        say,
      });
      return {
        loadAverageAtStart: load,
        loadAverageAtEnd: loadavg().map((x) => Math.round(x * 10) / 10),
        ...Object.fromEntries(
          Object.entries(figures).map(([k, v]) => [k, v.profile ? { ...v.summary, profile: v.profile } : v.summary]),
        ),
      };
    };
    if (BROWSER === 'only') {
      const browser = await browserFigures();
      console.log(
        JSON.stringify(
          {
            machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version },
            scale: { hours: (end - start) / HOUR, units: UNITS, events: eventCount, segments },
            browser,
          },
          null,
          2,
        ),
      );
      return;
    }

    // Seeks: a reader as a hub has it (Redis, no archive yet), at random instants.
    const reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      live: () => ({ seq: eventCount, at: end }),
      cold: (a, b) => history.coldDeltas(a, b),
      onPhase: (phase, took) => phases[phase].push(took),
    });
    const phases = { snapshot: [] as number[], fold: [] as number[], json: [] as number[] };
    // The first seek near the end reads every cold delta once (they never change; a hub keeps them).
    const w0 = performance.now();
    await reader.stateJson(end - 60_000);
    const firstSeekMs = performance.now() - w0;
    for (const list of Object.values(phases)) list.length = 0;
    const seekMs: number[] = [];
    const stateMs: number[] = [];
    const positionsMs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SEEKS; i++) {
      const t = start + rng.float() * (end - start);
      const a = performance.now();
      const json = await reader.stateJson(t);
      const b = performance.now();
      const frame = await reader.positionsFrame(t);
      const c = performance.now();
      bytes += json.length;
      stateMs.push(b - a);
      positionsMs.push(c - b);
      seekMs.push(c - a);
      if (!frame) say(`no positions at ${new Date(t).toISOString()}`);
      if ((i + 1) % 50 === 0) say(`  ${i + 1} seeks`);
    }
    // The same state as objects (the whole world parsed), for comparison.
    const objectMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = start + rng.float() * (end - start);
      const a = performance.now();
      const { world, kpi } = await reader.stateAt(t);
      JSON.stringify({ t, world: toSnapshot(world), kpi: kpiFigures(kpi, t) });
      objectMs.push(performance.now() - a);
    }

    // Bytes of history.
    const hours = (end - start) / HOUR;
    const mem = {
      log: await memoryUsage(redis, keys.log),
      snapshots: await memoryUsage(redis, keys.replaySnapshots),
      cold: await memoryUsage(redis, keys.replayCold),
      positions: await memoryUsage(redis, keys.posHistory),
      reports: await memoryUsage(redis, keys.replayReports),
    };
    const exported = performance.now();
    await exportHistory({ history, archive: new Archive(archiveDir, ns), before: end + 1, trim: false });
    const exportMs = performance.now() - exported;
    const files = readdirSync(join(archiveDir, ns)).filter((f) => f.endsWith('.jsonl.br'));
    const disk = files.reduce((s, f) => s + statSync(join(archiveDir, ns, f)).size, 0);

    // Playback: the shared reducer over the whole log (world + KPI), from parsed events, and from Redis pages.
    // Playback: read the log from Redis in pages (as the display's /events does) and fold it through the shared
    // reducer, world and KPI; the fold alone is timed apart from reading and parsing.
    const world = emptyWorld();
    const acc = createKpiAccumulator();
    let foldMs = 0;
    let read = 0;
    const r0 = performance.now();
    for (let next = 1; next <= eventCount;) {
      const page = await history.readEvents(next, 5_000);
      read += page.length;
      next = page.at(-1)!.seq + 1;
      const f0 = performance.now();
      for (const e of page) {
        applyEvent(world, e);
        applyKpiEvent(acc, e);
      }
      foldMs += performance.now() - f0;
    }
    const readMs = performance.now() - r0;
    const browser = BROWSER === '0' ? undefined : await browserFigures();

    const result = {
      machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      scale: {
        hours,
        units: UNITS,
        cases: world.cases.size,
        events: eventCount,
        segments,
        snapshots: (await history.snapshotsUpTo(Infinity)).length,
      },
      writer: { foldMs: Math.round(writerMs), eventsPerS: Math.round(eventCount / (writerMs / 1000)) },
      seek: {
        n: SEEKS,
        firstSeekMs: Math.round(firstSeekMs),
        stateAndPositionsMs: { p50: ms(pct(seekMs, 0.5)), p95: ms(pct(seekMs, 0.95)), max: ms(Math.max(...seekMs)) },
        stateJsonMs: { p50: ms(pct(stateMs, 0.5)), p95: ms(pct(stateMs, 0.95)) },
        phasesMs: Object.fromEntries(
          Object.entries(phases).map(([k, v]) => [
            k,
            { p50: ms(pct(v.slice(0, SEEKS), 0.5)), p95: ms(pct(v.slice(0, SEEKS), 0.95)) },
          ]),
        ),
        positionsMs: { p50: ms(pct(positionsMs, 0.5)), p95: ms(pct(positionsMs, 0.95)) },
        stateAsObjectsAndJsonMs: { n: objectMs.length, p50: ms(pct(objectMs, 0.5)), p95: ms(pct(objectMs, 0.95)) },
        stateJsonMbAvg: mb(bytes / SEEKS),
      },
      bytes: {
        redisMb: {
          log: mb(mem.log),
          snapshots: mb(mem.snapshots),
          cold: mb(mem.cold),
          positions: mb(mem.positions),
          reports: mb(mem.reports),
        },
        redisMbPerHour: {
          all: mb((mem.log + mem.snapshots + mem.cold + mem.positions + mem.reports) / hours),
          log: mb(mem.log / hours),
          snapshots: mb((mem.snapshots + mem.cold) / hours),
          positions: mb(mem.positions / hours),
        },
        diskMb: mb(disk),
        diskMbPerHour: mb(disk / hours),
        exportFiles: files.length,
        exportMs: Math.round(exportMs),
      },
      playback: {
        reducerEventsPerS: Math.round(eventCount / (foldMs / 1000)),
        readParseAndFoldEventsPerS: Math.round(read / (readMs / 1000)),
        peakEventsPerWorldHour: peakHour,
        neededAt3600xPerS: peakHour,
        headroomAt3600x: Math.round((eventCount / (foldMs / 1000) / peakHour) * 10) / 10,
      },
      browser,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await redis.close();
    await server.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    rmSync(archiveDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
