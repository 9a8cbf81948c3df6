/**
 * What one applier costs: control-plane inputs applied per second, batched beside one by one, with 1 and 2 hub
 * processes; then how long a roster of units takes to register.
 *
 *   npm run bench:ingest -- [entries=5000] [runs=2] [units=100000] [batch=500]
 *
 * Starts a private redis-server and real hub processes (server/src/main.ts). Per run and mode it writes `entries`
 * inputs to the control-plane stream once every hub is up — case chains (report → accepted → filed, in stream
 * order, so most batches hold a case's report and its transitions together) — and times from the first write until
 * the log holds them all. "one by one" is the path before batches (EGRET_INGEST_APPLY_BATCH=1: one commit.lua call
 * per input); "batched" commits up to `batch` inputs per commit-batch.lua call. With the leased applier the second
 * hub stands by, so the figures should not move with the number of hubs. Last, `units` unit.register inputs
 * (batched, one hub): "N units registered in S seconds", written in pipelines of 5,000 as a roster import would.
 * And the applier alone: the same batch handler in this process on 20,000 inputs, without a hub's mirror, replay
 * history and KPIs folding the same events on the same thread — what the applier itself costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import { REAL_CLOCK, redisKeys, type InputMessage } from '@egret/protocol';
import { ensureGroup } from '../src/ingest/consumer.ts';
import { handleBatch } from '../src/ingest/handle-batch.ts';
import { createMetrics } from '../src/metrics.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { startEmbeddedRedis } from '../src/redis/embedded-redis.ts';
import { redisStore } from '../src/redis/store.ts';
import { startHubProcess, type HubProcess } from '../test/hub-process.ts';

const entries = Number(process.argv[2] ?? 5_000);
const runs = Number(process.argv[3] ?? 2);
const units = Number(process.argv[4] ?? 100_000);
const batch = process.argv[5] ?? '500';
const dataDir = mkdtempSync(join(tmpdir(), 'egret-ingest-bench-'));
const server = await startEmbeddedRedis({ dataDir, persist: false, install: false });
const redis = await connectRedis(server.url);
const upstream = { role: 'upstream', id: 'case-system' } as const;

/** `n` inputs: case chains report → accepted → filed, each case's three in order. */
function caseChains(n: number, at: number): InputMessage[] {
  const out: InputMessage[] = [];
  for (let i = 0; out.length < n; i++) {
    const caseId = `B-${i}`;
    out.push({
      kind: 'case.report',
      caseId,
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'normal',
      lon: 118.09,
      lat: 24.46,
      address: '思明南路',
      at,
    });
    out.push({ kind: 'case.transition', caseId, to: 'accepted', actor: upstream, at });
    out.push({ kind: 'case.transition', caseId, to: 'filed', actor: upstream, at });
  }
  return out.slice(0, n);
}

/** `n` unit registrations over the city's districts and 200 squads. */
function roster(n: number, at: number): InputMessage[] {
  const districts = ['350203', '350205', '350206', '350211', '350212', '350213'];
  return Array.from({ length: n }, (_, i) => ({
    kind: 'unit.register',
    unitId: `BU-${i}`,
    name: `单位 ${i}`,
    type: 'sanitation',
    squadId: `SQ-${i % 200}`,
    district: districts[i % districts.length]!,
    status: 'available',
    at,
  }));
}

/** Starts the hubs, writes the inputs, and answers the seconds from the first write until every one is logged. */
async function run(label: string, hubCount: number, applyBatch: string | undefined, inputs: InputMessage[]) {
  const ns = `bench-ingest-${label}-${hubCount}-${process.pid}`;
  const keys = redisKeys(ns);
  const hubs: HubProcess[] = [];
  try {
    for (let i = 0; i < hubCount; i++) {
      const env = { REDIS_URL: server.url, EGRET_NS: ns, HUB_ID: `bench-${i}` };
      if (applyBatch !== undefined) Object.assign(env, { EGRET_INGEST_APPLY_BATCH: applyBatch });
      hubs.push(await startHubProcess(env));
    }
    const t0 = performance.now();
    for (let from = 0; from < inputs.length; from += 5_000) {
      const multi = redis.multi();
      for (const input of inputs.slice(from, from + 5_000))
        multi.xAdd(keys.inEvents, '*', { data: JSON.stringify(input) });
      await multi.exec();
    }
    const written = performance.now() - t0;
    while (Number((await redis.get(keys.logSeq)) ?? 0) < inputs.length) {
      if (performance.now() - t0 > 600_000) throw new Error(`${label}: not applied within 10 minutes`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const s = (performance.now() - t0) / 1000;
    const dead = await redis.xLen(keys.deadletter);
    if (dead > 0) throw new Error(`${label}: ${dead} inputs dead-lettered`);
    return { s, perS: inputs.length / s, writtenS: written / 1000 };
  } finally {
    await Promise.all(hubs.map((h) => h.stop()));
    // Free the namespace's memory before the next run (the private Redis holds every run's).
    await redis.flushDb();
  }
}

/** The batch handler alone, in this process: `n` inputs read and applied `size` at a time, in stream order. */
async function applierAlone(inputs: InputMessage[], size: number) {
  const config = loadConfig();
  const keys = redisKeys(`bench-ingest-alone-${process.pid}`);
  await ensureGroup(redis, keys.inEvents, keys.ingestGroup);
  for (let from = 0; from < inputs.length; from += 5_000) {
    const multi = redis.multi();
    for (const input of inputs.slice(from, from + 5_000))
      multi.xAdd(keys.inEvents, '*', { data: JSON.stringify(input) });
    await multi.exec();
  }
  const ctx = {
    store: redisStore(redis, keys, { logMaxLen: 1_000_000 }),
    redis,
    keys,
    apply: {
      categories: config.categories,
      shapes: districtShapes(config.boundaries),
      districts: new Set(config.city.districts.map((d) => d.code)),
      sensors: config.settings.sensors,
      grids: gridSpec(config.city.bbox, GRID_CELL_M),
    },
    clock: () => REAL_CLOCK,
    realNow: Date.now,
    deadletterMaxLen: 10_000,
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
  };
  const redisCpu = async () => {
    const info = await redis.info('cpu');
    const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return v('used_cpu_user') + v('used_cpu_sys');
  };
  const [cpu0, redis0, t0] = [process.cpuUsage(), await redisCpu(), performance.now()];
  for (;;) {
    const read = (await redis.xReadGroup(
      keys.ingestGroup,
      'alone',
      { key: keys.inEvents, id: '>' },
      { COUNT: size },
    )) as Array<{ messages: Array<{ id: string; message: Record<string, string> }> }> | null;
    const entries = (read?.[0]?.messages ?? []).map((m) => ({ id: m.id, message: { ...m.message } }));
    if (entries.length === 0) break;
    if ((await handleBatch(ctx, keys.inEvents, entries, undefined, 1_000_000)) !== 'done')
      throw new Error('the applier alone kept conflicting');
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redisS = (await redisCpu()) - redis0;
  if (Number(await redis.get(keys.logSeq)) !== inputs.length) throw new Error('the applier alone missed inputs');
  await redis.flushDb();
  return { perS: inputs.length / s, s, cpuS: (cpu.user + cpu.system) / 1e6, redisS };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
try {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${load()}; batch ${batch}`);
  for (let round = 0; round < runs; round++) {
    for (const n of [1, 2]) {
      const hubs = `${n} hub${n > 1 ? 's' : ''}`;
      const at = Date.now() - 60_000;
      const one = await run(`one-${round}`, n, '1', caseChains(entries, at));
      const many = await run(`batched-${round}`, n, batch, caseChains(entries, at));
      console.log(
        `${hubs}: batched ${fmt(many.perS)} inputs/s, one by one ${fmt(one.perS)} inputs/s ` +
          `(×${(many.perS / one.perS).toFixed(1)}; ${fmt(entries)} case reports and transitions)`,
      );
    }
  }
  if (units > 0) {
    const r = await run('roster', 1, batch, roster(units, Date.now() - 60_000));
    console.log(
      `${fmt(units)} units registered in ${r.s.toFixed(1)} s (${fmt(units / r.s)}/s; writing them took ${r.writtenS.toFixed(1)} s), 1 hub, batched`,
    );
  }
  const alone = await applierAlone(caseChains(20_000, Date.now() - 60_000), Number(batch));
  console.log(
    `the applier alone (in this process, no hub around it): ${fmt(alone.perS)} inputs/s (20,000 case chains in ` +
      `${alone.s.toFixed(2)} s: its CPU ${alone.cpuS.toFixed(2)} s, Redis CPU ${alone.redisS.toFixed(2)} s)`,
  );
  console.log(`load average after: ${load()}`);
} finally {
  await redis.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
