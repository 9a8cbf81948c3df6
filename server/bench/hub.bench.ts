/**
 * Hub benchmark: the position path against the usual way, side by side in one run.
 *
 *   npm run bench:hub            (= tsx server/bench/hub.bench.ts; about 90 s)
 *
 * Starts a private redis-server, registers 5,000 units, then for each configuration starts a hub in a child
 * process, connects 10 real Socket.IO screens (another child) and publishes 5,000 fixes per second (every unit once
 * a second, in batches every 25 ms) to the positions input stream for 20 s, measuring the last 17 s:
 *   - hub CPU (% of one core, from /proc/<pid>/stat), Redis CPU, and the screens' own CPU
 *   - bytes per second received by each screen
 *   - age of each position when it reaches a screen (fix published → screen), p50/p99
 * Configurations: the hub as built (one binary frame per tick, at the configured tick and at 100 ms), and the
 * baseline (each fix sent to every screen as its own JSON event). Then Redis CPU per fix of the apply path alone,
 * before and after the scripts went by SHA and the GEO index went (redis-per-fix.ts). Not a test: nothing is asserted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@egret/config';
import { redisKeys, type Fix } from '@egret/protocol';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { startEmbeddedRedis } from '../src/redis/embedded-redis.ts';
import { cpuMsOf, latCarrying, rssMbOf } from './measure.ts';
import { redisPerFix, type RedisPerFixRow } from './redis-per-fix.ts';

/** Scale: 5,000 units and 10 screens by default; EGRET_BENCH_UNITS=50000 EGRET_BENCH_SCREENS=40 is the target. */
const UNITS = Number(process.env.EGRET_BENCH_UNITS ?? 5_000);
const SCREENS = Number(process.env.EGRET_BENCH_SCREENS ?? 10);
// Every unit reports once a second, 1/40 of them every 25 ms: arrivals spread over the tick, as many gateways'
// would be (batches in step with the tick would make every fix wait the same time).
const BATCH_EVERY_MS = 25;
const STEPS_PER_S = 1000 / BATCH_EVERY_MS;
/** Fixes per stream entry: keeps each entry well under MAX_INPUT_BYTES (about 75 bytes a fix). */
const FIXES_PER_ENTRY = 500;
const LOAD_S = 20;
const WARMUP_S = 3;

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

interface Run {
  label: string;
  mode: 'app' | 'positions' | 'baseline';
  tickMs: number;
}

interface ScreensReport {
  seconds: number;
  cpuPercent: number;
  connected: number;
  perScreen: Array<{ bytes: number; updates: number; frames: number; keyframes: number; skippedTicks: number }>;
  fixAge: { p50: number; p99: number; max: number; count: number };
  tickAge: { p50: number; p99: number; max: number; count: number };
}

interface Result {
  run: Run;
  hubCpu: number;
  redisCpu: number;
  hubRssMb: number;
  published: number;
  backlog: number;
  screens: ScreensReport;
}

function child(file: string, args: string[]): ChildProcess {
  return fork(join(here, file), args, {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<T>(proc: ChildProcess, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolveMsg, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: unknown) => done(undefined, m as T);
    const onExit = (code: number | null) => done(new Error(`${what}: process exited (code ${code})`));
    function done(err?: Error, m?: T) {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      if (err) reject(err);
      else resolveMsg(m as T);
    }
    proc.on('message', onMessage);
    proc.on('exit', onExit);
  });
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.send('stop');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Registers the units the way the control plane does: one slot each from the counter, kept in the slots hash. */
async function registerUnits(redis: Redis, ns: string): Promise<string[]> {
  const keys = redisKeys(ns);
  const last = await redis.incrBy(keys.slotSeq, UNITS);
  const ids = Array.from({ length: UNITS }, (_, i) => `bench-unit-${i}`);
  await redis.hSet(keys.slots, Object.fromEntries(ids.map((id, i) => [id, String(last - UNITS + 1 + i)])));
  return ids;
}

/** Publishes every unit once a second, a slice of them every 25 ms, in entries of at most 500 fixes. */
function startPublisher(redis: Redis, ns: string, ids: string[]) {
  const keys = redisKeys(ns);
  const perBatch = Math.ceil(ids.length / STEPS_PER_S);
  let step = 0;
  let published = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const t0 = Date.now();
  const tick = () => {
    if (stopped) return;
    const at = Date.now();
    const part = step % STEPS_PER_S;
    const slice = ids.slice(part * perBatch, (part + 1) * perBatch);
    const fixes: Fix[] = slice.map((unitId, i) => ({
      unitId,
      lon: 117.9 + ((step * 7 + i) % 4000) * 1e-4,
      lat: latCarrying(at),
      at,
    }));
    step++;
    published += fixes.length;
    for (let i = 0; i < fixes.length; i += FIXES_PER_ENTRY) {
      const data = JSON.stringify({ fixes: fixes.slice(i, i + FIXES_PER_ENTRY) });
      void redis.xAdd(
        keys.inPositions,
        '*',
        { data },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 10_000 } },
      );
    }
    timer = setTimeout(tick, Math.max(0, t0 + step * BATCH_EVERY_MS - Date.now()));
  };
  tick();
  return {
    published: () => published,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function backlogOf(redis: Redis, ns: string): Promise<number> {
  const keys = redisKeys(ns);
  const groups = (await redis.xInfoGroups(keys.inPositions)) as unknown as Array<Record<string, unknown>>;
  const group = groups.find((g) => g.name === keys.ingestGroup);
  return Number(group?.lag ?? 0) + Number(group?.pending ?? 0);
}

async function runOne(redis: Redis, redisPid: number, run: Run, index: number): Promise<Result> {
  await redis.flushAll();
  const ns = `bench${index}`;
  const ids = await registerUnits(redis, ns);
  let hub = child('bench-hub.ts', [run.mode, redisUrlOf(redis), ns, String(run.tickMs)]);
  let port: number;
  try {
    ({ port } = await nextMessage<{ port: number }>(hub, `hub (${run.mode})`));
  } catch (err) {
    if (run.mode !== 'app') throw err;
    console.log(`  the full hub (app.ts) did not start (${(err as Error).message}); measuring the position path alone`);
    run = { ...run, mode: 'positions', label: `${run.label} [positions only]` };
    hub = child('bench-hub.ts', [run.mode, redisUrlOf(redis), ns, String(run.tickMs)]);
    ({ port } = await nextMessage<{ port: number }>(hub, `hub (${run.mode})`));
  }
  const screens = child('bench-screens.ts', [`http://127.0.0.1:${port}`, String(SCREENS)]);
  await nextMessage(screens, 'screens');
  const publisher = startPublisher(redis, ns, ids);
  await sleep(WARMUP_S * 1000);
  screens.send('measure');
  const hubCpu0 = cpuMsOf(hub.pid!);
  const redisCpu0 = cpuMsOf(redisPid);
  const published0 = publisher.published();
  const t0 = performance.now();
  await sleep((LOAD_S - WARMUP_S) * 1000);
  const reportP = nextMessage<ScreensReport>(screens, 'screens report');
  screens.send('report');
  const hubCpu1 = cpuMsOf(hub.pid!);
  const redisCpu1 = cpuMsOf(redisPid);
  const elapsed = performance.now() - t0;
  const published = publisher.published() - published0;
  const hubRssMb = rssMbOf(hub.pid!);
  const report = await reportP;
  publisher.stop();
  const backlog = await backlogOf(redis, ns);
  await Promise.all([stopChild(screens), stopChild(hub)]);
  return {
    run,
    hubCpu: ((hubCpu1 - hubCpu0) / elapsed) * 100,
    redisCpu: ((redisCpu1 - redisCpu0) / elapsed) * 100,
    hubRssMb,
    published,
    backlog,
    screens: report,
  };
}

const urls = new WeakMap<Redis, string>();
const redisUrlOf = (r: Redis) => urls.get(r)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function table(results: Result[]): string {
  const fmt = (n: number, digits = 0) =>
    Number.isFinite(n)
      ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : '—';
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const rows: Array<[string, (r: Result) => string]> = [
    ['hub CPU, % of one core', (r) => fmt(r.hubCpu, 1)],
    ['Redis CPU, % of one core', (r) => fmt(r.redisCpu, 1)],
    // Every Redis command of the run (stream XADD/XREADGROUP/XACK, the apply, the ticks, the frames) per fix published.
    ['Redis CPU per fix published, µs', (r) => fmt(((r.redisCpu / 100) * 1e6) / (r.published / r.screens.seconds), 2)],
    [`screens process CPU (${SCREENS} screens), %`, (r) => fmt(r.screens.cpuPercent, 1)],
    ['fixes published per second', (r) => fmt(r.published / r.screens.seconds)],
    ['bytes/s received per screen', (r) => fmt(mean(r.screens.perScreen.map((s) => s.bytes)) / r.screens.seconds)],
    ['position updates/s per screen', (r) => fmt(mean(r.screens.perScreen.map((s) => s.updates)) / r.screens.seconds)],
    [
      'frames/s per screen',
      (r) =>
        r.run.mode === 'baseline' ? '—' : fmt(mean(r.screens.perScreen.map((s) => s.frames)) / r.screens.seconds, 1),
    ],
    [
      'ticks skipped (all screens)',
      (r) => (r.run.mode === 'baseline' ? '—' : fmt(r.screens.perScreen.reduce((a, s) => a + s.skippedTicks, 0))),
    ],
    ['fix → screen p50, ms', (r) => fmt(r.screens.fixAge.p50)],
    ['fix → screen p99, ms', (r) => fmt(r.screens.fixAge.p99)],
    ['fix → screen max, ms', (r) => fmt(r.screens.fixAge.max)],
    ['tick → screen p50, ms', (r) => (r.run.mode === 'baseline' ? '—' : fmt(r.screens.tickAge.p50))],
    ['tick → screen p99, ms', (r) => (r.run.mode === 'baseline' ? '—' : fmt(r.screens.tickAge.p99))],
    ['hub RSS at end, MB', (r) => fmt(r.hubRssMb, 0)],
    ['input entries not yet handled at end', (r) => fmt(r.backlog)],
    ['screens still connected', (r) => `${r.screens.connected}/${SCREENS}`],
  ];
  const header = ['', ...results.map((r) => r.run.label)];
  const body = rows.map(([name, f]) => [name, ...results.map(f)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  console.log(
    `hub benchmark: ${UNITS} units × 1 fix/s, ${SCREENS} screens, ${LOAD_S} s per configuration (first ${WARMUP_S} s not measured)`,
  );
  console.log(
    `machine: ${cpus().length} CPUs (${cpuModel}), Node ${process.version}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  const tickMs = loadConfig().settings.hub.tickMs;
  const dataDir = mkdtempSync(join(tmpdir(), 'egret-bench-redis-'));
  const server = await startEmbeddedRedis({ dataDir, persist: false, install: false, say: console.log });
  const redis = await connectRedis(server.url);
  urls.set(redis, server.url);
  const runs: Run[] = [
    { label: `frames, ${tickMs} ms tick`, mode: 'app', tickMs },
    { label: 'frames, 100 ms tick', mode: 'app', tickMs: 100 },
    { label: 'JSON per fix (baseline)', mode: 'baseline', tickMs },
  ];
  const results: Result[] = [];
  let perFix: RedisPerFixRow[];
  try {
    for (const [i, run] of runs.entries()) {
      console.log(`— ${run.label} …`);
      results.push(await runOne(redis, server.pid, run, i));
    }
    console.log('— Redis per fix, apply path alone …');
    perFix = await redisPerFix(redis, server.pid, UNITS, Math.max(4, Math.round(200_000 / UNITS)));
  } finally {
    await redis.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\n${table(results)}\n`);
  console.log(`Redis CPU per fix, apply path alone (${UNITS} units, apply per 1/40 of them, a tick per 4 applies):`);
  for (const r of perFix)
    console.log(
      `  ${r.label.padEnd(38)} ${r.perFixUs.toFixed(2).padStart(6)} µs  (${r.fixes} fixes, ${r.redisCpuMs} ms; GEO entries ${r.geoSize})`,
    );
}

await main();
