import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyKpiEvent,
  createKpiAccumulator,
  decodeFrame,
  kpiFigures,
  redisKeys,
  toSnapshot,
  worldNow,
  type KpiAccumulator,
  type KpiReport,
  type LogEvent,
  type ReplayRange,
  type ReplayState,
  type ReplaySummary,
  type WorldSnapshot,
} from '@egret/protocol';
import { startSimulator, type RunningSimulator } from '../../../e2e/support/simulator.ts';
import { waitWhileProgressing } from '../../../test/wait.ts';
import { configWith, startHub, testRedis, type TestHub } from '../../test/hub-fixture.ts';
import type { Redis } from '../redis/connect.ts';
import { inject } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from './archive.ts';
import { exportHistory } from './history-export.ts';
import { importChunk } from './history-import.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';
import { execFileSync } from 'node:child_process';

const DAY_MS = 24 * 3_600_000;
/** A whole ordinary day, from midnight: the morning peak, the evening, the night shift. */
const WORLD_START = '2026-07-01T00:00:00+08:00';
const START = Date.parse(WORLD_START);
const RECORDS = 20;

interface Recorded {
  world: WorldSnapshot;
  kpi: KpiReport;
}

/** Sorts a snapshot's entity lists by id: the mirror and a replay may hold the same maps in another insertion order. */
function canonical(s: WorldSnapshot): WorldSnapshot {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.parse(
    JSON.stringify({
      ...s,
      cases: byId(s.cases),
      units: byId(s.units),
      tasks: byId(s.tasks),
      storms: byId(s.storms),
      sensors: byId(s.sensors),
    }),
  ) as WorldSnapshot;
}

describe('replay against the live mirror of a simulated day', () => {
  const base = configWith({ tickMs: 200, snapshotEvery: 500 });
  const archiveDir = mkdtempSync(join(tmpdir(), 'egret-history-'));
  const config = {
    ...base,
    settings: {
      ...base.settings,
      replay: { ...base.settings.replay, snapshotEveryEvents: 2_000, snapshotEveryMinutes: 60, archiveDir },
    },
  };
  let hub: TestHub;
  let redis: Redis;
  let sim: RunningSimulator | undefined;
  const records: Recorded[] = [];
  let ns = '';

  // The live side, as a screen would see it: the hub's own mirror after each batch it applies, and the KPI fold of
  // the same batches. A state is recorded only at a moment when the mirror held every event up to its world time
  // (the next batch starts later), which is what "the state at T" means.
  const kpi: KpiAccumulator = createKpiAccumulator();
  /**
   * Marks passed and not yet recorded. A count, not a flag: when the hub falls behind the simulator one poll can pass
   * several marks at once, and each still gets a state of its own at a later batch (a flag recorded only one of them,
   * and a loaded machine's day came out thinner than the test asks).
   */
  let armed = 0;
  /** World time the export cut the history at (set by the export test, read by the import test). */
  let exportedTo = 0;
  let candidate: (Recorded & { at: number }) | undefined;

  beforeAll(async () => {
    const t = await testRedis('replay-exact');
    redis = t.redis;
    ns = t.ns;
    hub = await startHub(ns, {
      config,
      mirrorObserver: {
        events(batch: LogEvent[]) {
          if (candidate) {
            // The next batch carries more events of the same world time: not a whole state at T. Try again.
            if (batch[0]!.at > candidate.at) records.push(candidate);
            else armed++;
            candidate = undefined;
          }
          for (const e of batch) applyKpiEvent(kpi, e);
          if (armed > 0 && records.length < RECORDS) {
            const world = hub.app.world();
            armed--;
            candidate = { at: world.at, world: canonical(toSnapshot(world)), kpi: kpiFigures(kpi, world.at) };
          }
        },
        reset() {
          throw new Error('the mirror reset during the run: the recording is void');
        },
      },
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await hub?.close();
    await redis?.close();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it(
    'records 20 live states during a simulated day, and replay gives each of them back exactly',
    // ~80 s on a quiet 2-core machine; the wait above fails on a stall, this only bounds a machine crawling.
    { timeout: 900_000 },
    async () => {
      sim = startSimulator({
        REDIS_URL: inject('redisUrl'),
        EGRET_NS: ns,
        SIM_UNITS: '120',
        SIM_RATE: '1200',
        SIM_START: WORLD_START,
        HUB_URL: hub.url,
        // At 1200× the city's ~330 sensors read every 5 world minutes would send ~1,300 readings a real second, more
        // than the hub applies, and the day would fall behind: an hourly reading keeps them in, at a load one hub takes.
        SIM_SENSOR_EVERY_MIN: '60',
      });
      // Arm the recorder at random moments over the day (world time), a little apart so states differ.
      const marks = Array.from({ length: RECORDS + 6 }, () => START + Math.random() * DAY_MS * 0.97).sort(
        (a, b) => a - b,
      );
      let next = 0;
      // The commander switches the wall to typhoon posture in the afternoon and back in the evening.
      const modes: Array<{ at: number; mode: 'typhoon' | 'peacetime'; done?: boolean }> = [
        { at: START + 14 * 3_600_000, mode: 'typhoon' },
        { at: START + 20 * 3_600_000, mode: 'peacetime' },
      ];
      // However long the day takes on a loaded machine, as long as the hub keeps applying it: a hang (or the simulator
      // stopping) shows as the log standing still.
      await waitWhileProgressing('a simulated day', {
        progress: () => hub.app.world().seq,
        stallMs: 30_000,
        pollMs: 20,
        done: async () => {
          const at = hub.app.world().at;
          while (next < marks.length && at >= marks[next]!) {
            armed++;
            next++;
          }
          // By the hub's clock, which stamps the switch: on a loaded machine the log's latest event can trail the clock
          // by hours of world time (the simulator runs a day in minutes), and both switches would land at once. Only
          // once the day has begun in the log, so the simulator has set the clock.
          const clockNow = worldNow(hub.app.world().clock, Date.now());
          for (const m of modes) {
            if (m.done || at < START || clockNow < m.at) continue;
            m.done = true;
            const res = await fetch(`${hub.url}/api/commands/mode:set`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-egret-user': 'replay-test' },
              body: JSON.stringify({ mode: m.mode, idempotencyKey: `replay-test-${m.mode}` }),
            });
            expect(res.status).toBe(200);
          }
          return at >= START + DAY_MS;
        },
      }).catch((err: Error) => {
        throw new Error(`${err.message}; world at ${new Date(hub.app.world().at).toISOString()}\n${sim?.output()}`);
      });
      await sim.stop();
      sim = undefined;

      expect(records.length).toBeGreaterThanOrEqual(15);
      const world = hub.app.world();
      expect(world.cases.size).toBeGreaterThan(500);
      expect(world.tasks.size).toBeGreaterThan(0);
      expect(new Set(records.map((r) => r.world.seq)).size).toBe(records.length);

      for (const r of records) {
        const res = await fetch(`${hub.url}/api/replay/state?t=${r.world.at}`);
        expect(res.status).toBe(200);
        const replay = (await res.json()) as ReplayState;
        expect(canonical(replay.world)).toEqual(r.world);
        expect(replay.kpi).toEqual(r.kpi);
      }
      // The commander's posture is part of the state: typhoon in the late afternoon, peacetime again at night.
      const afternoon = (await (
        await fetch(`${hub.url}/api/replay/state?t=${START + 17 * 3_600_000}`)
      ).json()) as ReplayState;
      expect(afternoon.world.mode).toBe('typhoon');
      expect(hub.app.world().mode).toBe('peacetime');
    },
  );

  it('summarises a window with the same figures as plain counting over the raw log', async () => {
    const from = START + 6 * 3_600_000;
    const to = START + 18 * 3_600_000;
    const res = await fetch(`${hub.url}/api/replay/summary?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as ReplaySummary;

    // Independently: the raw log entries, the window by the running maximum of their time.
    const raw = ((await redis.xRange(`{${ns}}:log`, '-', '+')) ?? []).map(
      (entry) => JSON.parse(entry.message!.e!) as LogEvent,
    );
    let runMax = 0;
    const inWindow: LogEvent[] = [];
    for (const e of raw) {
      runMax = Math.max(runMax, e.at);
      if (runMax > from && runMax <= to) inWindow.push(e);
    }
    const reported = inWindow.filter(
      (e): e is Extract<LogEvent, { type: 'case.reported' }> => e.type === 'case.reported',
    );
    const cohort = new Set(reported.map((e) => e.case.id));
    const transitions = inWindow.filter(
      (e): e is Extract<LogEvent, { type: 'case.transitioned' }> =>
        e.type === 'case.transitioned' && cohort.has(e.case.id),
    );
    const count = <T>(xs: T[], key: (x: T) => string) =>
      xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());
    const casesWith = (pred: (e: Extract<LogEvent, { type: 'case.transitioned' }>) => boolean) =>
      new Set(transitions.filter(pred).map((e) => e.case.id));

    expect(summary.totals.reported).toBe(reported.length);
    expect(summary.totals.reported).toBeGreaterThan(100);
    expect(summary.totals.dispatched).toBe(casesWith((e) => e.to === 'dispatched').size);
    expect(summary.totals.closed).toBe(casesWith((e) => e.to === 'closed').size);
    expect(summary.totals.reworked).toBe(
      casesWith((e) => e.to === 'filed' && (e.from === 'handled' || e.from === 'verifying')).size,
    );
    const arrived = new Set(
      inWindow.flatMap((e) =>
        e.type === 'task.updated' && e.to === 'on_scene' && cohort.has(e.task.caseId) ? [e.task.caseId] : [],
      ),
    );
    expect(summary.totals.arrived).toBe(arrived.size);

    const byCategory = count(reported, (e) => e.case.category.code);
    expect(Object.fromEntries(summary.byCategory.map((c) => [c.code, c.reported]))).toEqual(
      Object.fromEntries(byCategory),
    );
    const byDistrict = count(reported, (e) => e.case.district);
    expect(Object.fromEntries(summary.byDistrict.map((d) => [d.district, d.reported]))).toEqual(
      Object.fromEntries(byDistrict),
    );

    // The last word on each case of the cohort within the window: overdue if still open past its deadline at `to`.
    const last = new Map<string, { status: string; deadline?: number }>();
    for (const e of inWindow) if ('case' in e && cohort.has(e.case.id)) last.set(e.case.id, e.case);
    const overdue = [...last.values()].filter(
      (c) => !['closed', 'rejected', 'parked'].includes(c.status) && c.deadline !== undefined && c.deadline < to,
    );
    expect(summary.totals.overdueOpen).toBe(overdue.length);

    // Report → dispatch, nearest-rank median, by hand.
    const firstDispatch = new Map<string, number>();
    for (const e of transitions)
      if (e.to === 'dispatched' && !firstDispatch.has(e.case.id)) firstDispatch.set(e.case.id, e.at);
    const waits = reported
      .flatMap((e) => (firstDispatch.has(e.case.id) ? [firstDispatch.get(e.case.id)! - e.case.reportedAt] : []))
      .sort((a, b) => a - b);
    expect(summary.milestones.reportToDispatch.n).toBe(waits.length);
    if (waits.length) expect(summary.milestones.reportToDispatch.p50).toBe(waits[Math.ceil(waits.length / 2) - 1]);

    const perHour = count(reported, (e) => String(Math.floor(e.case.reportedAt / 3_600_000)));
    const busiest = Math.max(...perHour.values());
    expect(summary.busiestHours[0]!.reported).toBe(busiest);

    const csv = await fetch(`${hub.url}/api/replay/summary?from=${from}&to=${to}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text).toContain(`,${summary.totals.reported},`);
  });

  it(
    'seeks across the boundary after the first half of the day is exported to files and dropped from Redis',
    { timeout: 120_000 },
    async () => {
      const keys = redisKeys(ns);
      const history = new RedisHistory(redis, keys);
      const archive = new Archive(archiveDir, ns);
      const half = START + DAY_MS / 2;
      // First, while Redis holds the whole day: a morning instant with positions, and what Redis answers there. Not a
      // fixed instant: at 1200× the recorder samples a few times a real second, and on a loaded machine two samples
      // can lie further apart in world time than a seek looks back (15 minutes): CI once found none at 09:00.
      let morning: { t: number; frame: Buffer } | undefined;
      for (let t = START + 8 * 3_600_000; t < START + 11 * 3_600_000 && !morning; t += 5 * 60_000) {
        const res = await fetch(`${hub.url}/api/replay/positions?t=${t}`);
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status === 200) morning = { t, frame: body };
      }
      expect(morning, 'no position history between 08:00 and 11:00').toBeDefined();
      const { chunks, trimmedTo } = await exportHistory({ history, archive, before: half });
      expect(chunks.length).toBeGreaterThan(0);
      expect(trimmedTo!.at).toBeLessThanOrEqual(half);
      exportedTo = trimmedTo!.at;
      // Redis no longer holds the morning: the log starts after the exported part, and so does its history.
      expect(await history.firstLogSeq()).toBeGreaterThan(1);
      expect((await history.oldestSnapshot())!.seq).toBe(trimmedTo!.seq);
      expect(readdirSync(join(archiveDir, ns)).filter((f) => f.endsWith('.jsonl.br'))).toHaveLength(chunks.length);

      const range = (await (await fetch(`${hub.url}/api/replay/range`)).json()) as ReplayRange;
      expect(range.archived).toBe(true);
      expect(range.first).toBe(START); // the simulator's clock.set, the first event, now read from a file

      const archived = records.filter((r) => r.world.at < trimmedTo!.at);
      const straddling = records.filter((r) => r.world.at >= trimmedTo!.at);
      expect(archived.length).toBeGreaterThan(0);
      for (const r of [...archived, ...straddling.slice(0, 3)]) {
        const replay = (await (await fetch(`${hub.url}/api/replay/state?t=${r.world.at}`)).json()) as ReplayState;
        expect(canonical(replay.world)).toEqual(r.world);
        expect(replay.kpi).toEqual(r.kpi);
      }
      // Unit positions of the exported morning come from the files too: the same frame Redis gave.
      expect(morning!.t).toBeLessThan(trimmedTo!.at);
      const positions = await fetch(`${hub.url}/api/replay/positions?t=${morning!.t}`);
      expect(positions.status).toBe(200);
      const frame = Buffer.from(await positions.arrayBuffer());
      expect(decodeFrame(new Uint8Array(frame)).slots.length).toBeGreaterThan(0);
      expect(frame.equals(morning!.frame)).toBe(true);
    },
  );

  it(
    'loads the exported files into another namespace, where the morning replays the same',
    { timeout: 120_000 },
    async () => {
      const source = new Archive(archiveDir, ns);
      const target = new RedisHistory(redis, redisKeys(`${ns}-restored`));
      for (const c of (await source.manifest()).chunks) await importChunk(target, await source.readLines(c.file));
      const reader = new ReplayReader({
        parts: [target],
        periods: () => target.periods(),
        live: () => ({ seq: 0, at: 0 }),
        cold: (a, b) => target.coldDeltas(a, b),
      });
      // What the files hold: everything before the snapshot the export cut at (the last one before noon).
      const morning = records.filter((r) => r.world.at < exportedTo);
      expect(morning.length).toBeGreaterThan(0);
      for (const r of morning) {
        const { world } = await reader.stateAt(r.world.at);
        expect(canonical(toSnapshot(world))).toEqual(r.world);
      }
      // The command line lists the same files.
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'server/src/replay/cli.ts', 'list', '--ns', ns, '--dir', archiveDir],
        { encoding: 'utf8' },
      );
      expect(out).toContain(`files in ${archiveDir}/${ns}: ${(await source.manifest()).chunks.length}`);
    },
  );
});
