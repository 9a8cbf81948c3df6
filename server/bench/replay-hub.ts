/**
 * The hub's side of a late seek (`EGRET_BENCH_HUB=only npm run bench:replay`): what the replay wall waits for after
 * the open part — the seek's tracks (`/api/replay/trails`) and its finished part (`/api/replay/state?part=finished`)
 * — answered by the real replay routes over the bench's history, as the browser asks them (brotli accepted), each
 * alone and both together, at late instants each asked once (a commander seeks to new instants: no answer is a
 * repeat); and the wall's whole seek (open part, positions and tracks at once, the finished part once the open part
 * is in). Beside the old paths in the same run, over the same Redis, one hub after the other: first one whose reader
 * lays the finished part out through the protocol's encoder per answer, whose segments and tracks come from the old
 * decoder and builder (server/test/replay-reference.ts), and whose answers are streamed through the compression
 * middleware. Per answer: ms from the request's arrival to its last byte handed to the socket (the hub's time,
 * compression included), the process's CPU, and by the clock for both together.
 *
 * EGRET_BENCH_HUB_PROFILE=<file.cpuprofile>: a CPU profile of the new path's answers asked together (open it in
 * Chrome's DevTools); the top functions by self time are printed too.
 */
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import express from 'express';
import type { EgretConfig } from '@egret/config';
import { encodeTrails, redisKeys } from '@egret/protocol';
import { compress } from '../src/http/compress.ts';
import { unpackBytes, unpackText } from '../src/replay/compress.ts';
import { decodeSnapshotText, type LazySnapshot } from '../src/replay/replay-snapshot.ts';
import { minuteOf, type PositionSegment } from '../src/replay/position-segment.ts';
import { referenceBuildTrails, referenceDecodeSegment } from '../test/replay-reference.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { RedisHistory } from '../src/replay/redis-history.ts';
import { ReplayReader, type ReplayReaderDeps } from '../src/replay/replay-reader.ts';
import { replayRoutes } from '../src/replay/replay-routes.ts';
import { SlotTable } from '../src/replay/slot-table.ts';

const MIN = 60_000;
/** The replay wall at speed 60 (display/src/replay/replay-clock.ts): 30 min of track behind, 16 min ahead, 20-s steps. */
const BEHIND_MS = 30 * MIN;
const AHEAD_MS = 16 * MIN;
const STEP_MS = 20_000;

/** The old finished part: through the protocol's encoder per answer (no compiled rows). */
const BASELINE_READER: Partial<ReplayReaderDeps> = {
  compiledFinished: false,
  openFromBytes: false,
  segmentsKeptBytes: 0,
  lazyFold: false,
};
/** The reader as it was before the LANDHUB work (issue #19's landfall seek); its answers packed with brotli's 22-bit window. */
const COMMITTED_READER: Partial<ReplayReaderDeps> = {
  openFromBytes: false,
  segmentsKeptBytes: 0,
  lazyFold: false,
  finishedAsText: false,
};

/** Snapshots read as at 9dbf63e: decoded to text whole (the committed baseline's; its reader never sees `rowBytes`). */
class TextHistory extends RedisHistory {
  override async loadSnapshot(seq: number): Promise<LazySnapshot | undefined> {
    const z = await this.rawSnapshot(seq);
    return z && decodeSnapshotText(await unpackText(z));
  }
}

/**
 * The old position segments' decoder (server/test/replay-reference.ts) behind the reader's `segments` (the one
 * segment `segmentFor` reads, holding the window's start, still comes through the new decoder: ~0.4 ms of 46).
 */
class BaselineHistory extends TextHistory {
  override async segments(fromMinute: number, toMinute: number): Promise<PositionSegment[]> {
    const raw = await this.rawSegments(fromMinute, toMinute);
    return Promise.all(raw.map(async (r) => referenceDecodeSegment(await unpackBytes(r.d))));
  }
}

/** `/api/replay/trails` as it was answered (the route's code before issue #19's hub work, the old builder). */
function baselineTrails(reader: ReplayReader): express.Router {
  const router = express.Router();
  router.get('/api/replay/trails', compress(), (req, res, next) => {
    void (async () => {
      const from = Number(req.query.from);
      const to = Number(req.query.to);
      const stepMs = Number(req.query.step);
      const first = await reader.segmentFor(from);
      const rest = first
        ? await reader.segments(first.minute + 1, minuteOf(to))
        : await reader.segments(minuteOf(from), minuteOf(to));
      const bytes = encodeTrails(referenceBuildTrails(first ? [first, ...rest] : rest, from, to, stepMs));
      res.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    })().catch(next);
  });
  return router;
}

type Ensure = (this: SlotTable, slot: number) => void;
const slotTableProto = SlotTable.prototype as unknown as { ensure: Ensure };
const newEnsure = slotTableProto.ensure;

/**
 * `SlotTable`'s `ensure` as it was before c5bbe87: holding the growth's closures, it allocated their context on every
 * `set`. Put back for the baselines' hubs (one hub at a time in this process), the new one for `after`.
 */
const oldEnsure: Ensure = function (this: SlotTable, slot: number) {
  if (slot < this.has.length) return;
  let n = this.has.length;
  while (n <= slot) n *= 2;
  const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(n);
    b.set(a);
    return b;
  };
  this.lonE6 = grow(this.lonE6, (k) => new Int32Array(k));
  this.latE6 = grow(this.latE6, (k) => new Int32Array(k));
  this.has = grow(this.has, (k) => new Uint8Array(k));
};

interface Served {
  ms: number;
  bytes: number;
}

/** One GET as the browser makes it (brotli accepted); the body is read, not decoded. */
function fetchRaw(port: number, path: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function serve(
  baseline: boolean,
  history: RedisHistory,
  live: () => { seq: number; at: number },
  committed = false,
) {
  const deps = baseline ? BASELINE_READER : committed ? COMMITTED_READER : {};
  slotTableProto.ensure = baseline || committed ? oldEnsure : newEnsure;
  const reader = new ReplayReader({
    parts: [history],
    periods: () => history.periods(),
    live,
    cold: (a, b) => history.coldDeltas(a, b),
    ...deps,
  });
  const served = new Map<string, Served>();
  const app = express();
  // The hub's time per answer: from the request's arrival to its last byte handed to the socket.
  app.use((req, res, next) => {
    const t0 = performance.now();
    let bytes = 0;
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk)) bytes += chunk.length;
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.on('finish', () => served.set(req.url, { ms: performance.now() - t0, bytes }));
    next();
  });
  if (baseline) app.use(baselineTrails(reader));
  app.use(
    replayRoutes({
      reader: () => reader,
      displayDir: '/nonexistent',
      packWhole: !baseline,
      ...(committed ? { packWindowBits: 22 } : {}),
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { reader, served, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const trailsPath = (t: number) => `/api/replay/trails?from=${t - BEHIND_MS}&to=${t + AHEAD_MS}&step=${STEP_MS}`;
const finishedPath = (t: number) => `/api/replay/state?t=${t}&part=finished`;

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? 0;
};
const r0 = (x: number) => Math.round(x);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function topSelf(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, n = 25): string[] {
  const self = new Map<number, number>();
  profile.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

/**
 * The replay wall's seek as it asks it now (display `seek=hold`): what is open, the positions, the tracks and the
 * finished part all at once at t. Per part the hub's ms (arrival to last byte) and the bytes sent; by the clock
 * until all four are in; the process's CPU.
 */
async function fourAtOnce(hub: { port: number; served: Map<string, Served> }, t: number) {
  const paths = {
    open: `/api/replay/state?t=${t}&part=open`,
    positions: `/api/replay/positions?t=${t}`,
    trails: trailsPath(t),
    finished: finishedPath(t),
  };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const got = await Promise.all(Object.values(paths).map((p) => fetchRaw(hub.port, p)));
  const allMs = performance.now() - t0;
  const allCpuMs = cpuMs(cpu);
  for (const g of got) if (g.status !== 200) throw new Error(`four at once at ${t}: ${g.status}`);
  const row: Record<string, number> = { allMs, allCpuMs };
  Object.entries(paths).forEach(([k, p], i) => {
    row[`${k}Ms`] = hub.served.get(p)!.ms;
    row[`${k}Kb`] = got[i]!.bytes / 1024;
  });
  return row;
}

/**
 * EGRET_BENCH_HUB=four: only the wall's seek with its four asks at once (`fourAtOnce`), at `instants` (the
 * landfall of the 30-h typhoon, say) each asked `repeats` times a minute apart (no answer a repeat), on one hub per
 * variant in the same run: `before` (the old paths, as in `hubPhase`), `committed` (the routes before the LANDHUB
 * work: `landhub: false`) and `after`.
 */
export async function fourPhase(opts: {
  redisUrl: string;
  ns: string;
  instants: number[];
  repeats: number;
  variants: string[];
  say: (line: string) => void;
}) {
  const { say } = opts;
  const redis = await connectRedis(opts.redisUrl, { name: 'bench-hub' });
  const history = new RedisHistory(redis, redisKeys(opts.ns));
  const oldHistory = new BaselineHistory(redis, redisKeys(opts.ns));
  const textHistory = new TextHistory(redis, redisKeys(opts.ns));
  const seq = Number(await redis.get(redisKeys(opts.ns).logSeq));
  const live = () => ({ seq, at: opts.instants.at(-1)! + 24 * 60 * MIN });
  const profiling = process.env.EGRET_BENCH_HUB_PROFILE;
  const out: Record<string, unknown> = {};
  const cols = [
    'allMs',
    'allCpuMs',
    'openMs',
    'positionsMs',
    'trailsMs',
    'finishedMs',
    'openKb',
    'trailsKb',
    'finishedKb',
  ];
  try {
    for (const name of opts.variants) {
      const hub = await serve(
        name === 'before',
        name === 'before' ? oldHistory : name === 'committed' ? textHistory : history,
        live,
        name === 'committed',
      );
      const rows: Array<Record<string, number>> = [];
      try {
        await hub.reader.prepare();
        const warm = opts.instants[0]! - 6 * 60 * MIN;
        await fourAtOnce(hub, warm);
        for (const t0 of opts.instants)
          for (let k = 0; k < opts.repeats; k++) {
            const t = t0 + (k % 2 ? -1 : 1) * Math.ceil(k / 2) * MIN;
            const session = profiling && name === opts.variants.at(-1) ? new Session() : undefined;
            if (session) {
              session.connect();
              await session.post('Profiler.enable');
              await session.post('Profiler.start');
            }
            const heap = process.env.EGRET_BENCH_HUB_HEAP && name === opts.variants.at(-1) ? new Session() : undefined;
            if (heap) {
              heap.connect();
              await heap.post('HeapProfiler.enable');
              await heap.post('HeapProfiler.startSampling', {
                samplingInterval: 16_384,
                includeObjectsCollectedByMajorGC: true,
                includeObjectsCollectedByMinorGC: true,
              } as never);
            }
            const row = await fourAtOnce(hub, t);
            if (heap) {
              const { profile } = await heap.post('HeapProfiler.stopSampling');
              heap.disconnect();
              for (const line of topAllocations(profile as never)) say(`      ${line}`);
            }
            if (session) {
              const { profile } = await session.post('Profiler.stop');
              session.disconnect();
              writeFileSync(
                profiling!.replace(/(\.cpuprofile)?$/, `-four-${new Date(t).toISOString().slice(5, 16)}.cpuprofile`),
                JSON.stringify(profile),
              );
              for (const line of topSelf(profile as never, 15)) say(`      ${line}`);
            }
            rows.push(row);
            say(
              `  ${name.padEnd(9)} ${new Date(t).toISOString().slice(5, 16)}: all four ${r0(row.allMs!)} ms (cpu ` +
                `${r0(row.allCpuMs!)}); open ${r0(row.openMs!)}, positions ${r0(row.positionsMs!)}, trails ` +
                `${r0(row.trailsMs!)}, finished ${r0(row.finishedMs!)} ms — open ${r0(row.openKb!)}, trails ` +
                `${r0(row.trailsKb!)}, finished ${r0(row.finishedKb!)} KB br`,
            );
          }
      } finally {
        await hub.close();
      }
      const col = (k: string) => rows.map((r) => r[k]!);
      out[name] = Object.fromEntries(
        cols.map((k) => [k, { p50: r0(pct(col(k), 0.5)), p95: r0(pct(col(k), 0.95)), max: r0(Math.max(...col(k))) }]),
      );
      say(
        `  ${name}: p50 all four ${r0(pct(col('allMs'), 0.5))} ms, open ${r0(pct(col('openMs'), 0.5))}, trails ` +
          `${r0(pct(col('trailsMs'), 0.5))}, finished ${r0(pct(col('finishedMs'), 0.5))} ms`,
      );
    }
    out.heapMb = Math.round(process.memoryUsage().heapUsed / 1_048_576);
    return out;
  } finally {
    await redis.close();
  }
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** EGRET_BENCH_HUB_HEAP: the functions that allocated most during the four asks (sampled, collected objects too). */
function topAllocations(profile: { head: HeapNode }, n = 15): string[] {
  const by = new Map<string, number>();
  const walk = (node: HeapNode) => {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    by.set(key, (by.get(key) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk(profile.head);
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, bytes]) => `${(bytes / 1_048_576).toFixed(1).padStart(7)} MB  ${k}`);
}

export async function hubPhase(opts: {
  redisUrl: string;
  ns: string;
  config: EgretConfig;
  instants: number[];
  say: (line: string) => void;
}) {
  const { say, instants } = opts;
  const redis = await connectRedis(opts.redisUrl, { name: 'bench-hub' });
  const history = new RedisHistory(redis, redisKeys(opts.ns));
  const oldHistory = new BaselineHistory(redis, redisKeys(opts.ns));
  const seq = Number(await redis.get(redisKeys(opts.ns).logSeq));
  const live = () => ({ seq, at: instants.at(-1)! + 24 * 60 * MIN });
  // One hub after the other, each let go before the next starts: the process's heap holds one reader's cold index,
  // as a hub's does (two of them made its collections of garbage pause twice as long).
  const variants = [
    { name: 'before', baseline: true, history: oldHistory },
    { name: 'after', baseline: false, history },
  ];
  const out: Record<string, unknown> = {};
  const profiling = process.env.EGRET_BENCH_HUB_PROFILE;
  const rows: Record<string, Array<Record<string, number>>> = { before: [], after: [] };
  try {
    for (const v of variants) {
      const hub = await serve(v.baseline, v.history, live);
      try {
        // Warm, as a hub is after it started: every cold delta read (`prepare`), one seek and its tracks served.
        const p0 = performance.now();
        await hub.reader.prepare();
        say(`  ${v.name}: cold deltas read in ${r0(performance.now() - p0)} ms`);
        const warm = instants[0]! - 6 * 60 * MIN;
        await fetchRaw(hub.port, trailsPath(warm));
        await fetchRaw(hub.port, finishedPath(warm));
        for (const t of instants) {
          const { port, served } = hub;
          // Each alone at an instant of its own, 40 min on (its tracks' window shares nothing with the one before).
          const a = t + 40 * MIN;
          let cpu = process.cpuUsage();
          await fetchRaw(port, trailsPath(a));
          const trailsCpu = cpuMs(cpu);
          cpu = process.cpuUsage();
          await fetchRaw(port, finishedPath(a));
          const finishedCpu = cpuMs(cpu);
          // Both together at t, as the wall asks them (profiled, on ask).
          const session = profiling && v.name === 'after' ? new Session() : undefined;
          if (session) {
            session.connect();
            await session.post('Profiler.enable');
            await session.post('Profiler.start');
          }
          cpu = process.cpuUsage();
          const c0 = performance.now();
          const [tr, fin] = await Promise.all([fetchRaw(port, trailsPath(t)), fetchRaw(port, finishedPath(t))]);
          const bothMs = performance.now() - c0;
          const bothCpu = cpuMs(cpu);
          if (session) {
            const { profile } = await session.post('Profiler.stop');
            session.disconnect();
            (out.profileFiles ??= []) as string[];
            const file = profiling!.replace(
              /(\.cpuprofile)?$/,
              `-${new Date(t).toISOString().slice(5, 16)}.cpuprofile`,
            );
            writeFileSync(file, JSON.stringify(profile));
            for (const line of topSelf(profile as never, 12)) say(`      ${line}`);
          }
          // The whole seek as the wall makes it (display/src/replay/replay-session.svelte.ts), at an instant of its
          // own 80 min on: what is open, the positions and the tracks at once, the finished part once what is open is
          // in; by the clock until all four are in.
          const w = t + 80 * MIN;
          const w0 = performance.now();
          const openIn = fetchRaw(port, `/api/replay/state?t=${w}&part=open`);
          const [, , , finIn] = await Promise.all([
            openIn,
            fetchRaw(port, `/api/replay/positions?t=${w}`),
            fetchRaw(port, trailsPath(w)),
            openIn.then(() => fetchRaw(port, finishedPath(w))),
          ]);
          const seekMs = performance.now() - w0;
          if (finIn.status !== 200) throw new Error(`${v.name} at ${w}: ${finIn.status}`);
          const row = {
            seekMs,
            trailsMs: served.get(trailsPath(a))!.ms,
            trailsCpuMs: trailsCpu,
            finishedMs: served.get(finishedPath(a))!.ms,
            finishedCpuMs: finishedCpu,
            bothMs,
            bothCpuMs: bothCpu,
            bothTrailsMs: served.get(trailsPath(t))!.ms,
            bothFinishedMs: served.get(finishedPath(t))!.ms,
            trailsKb: tr.bytes / 1024,
            finishedKb: fin.bytes / 1024,
          };
          if (tr.status !== 200 || fin.status !== 200)
            throw new Error(`${v.name} at ${t}: ${tr.status} / ${fin.status}`);
          rows[v.name]!.push(row);
          say(
            `  ${v.name.padEnd(6)} ${new Date(t).toISOString().slice(5, 16)}: trails ${r0(row.trailsMs)} ms ` +
              `(cpu ${r0(row.trailsCpuMs)}), finished ${r0(row.finishedMs)} ms (cpu ${r0(row.finishedCpuMs)}); ` +
              `together ${r0(bothMs)} ms by the clock (cpu ${r0(bothCpu)}; trails ${r0(row.bothTrailsMs)}, ` +
              `finished ${r0(row.bothFinishedMs)}) — ${r0(row.trailsKb)} + ${r0(row.finishedKb)} KB br; the wall's ` +
              `four asks ${r0(seekMs)} ms`,
          );
        }
      } finally {
        await hub.close();
      }
    }
    for (const [name, list] of Object.entries(rows)) {
      const col = (k: string) => list.map((r) => r[k]!);
      out[name] = Object.fromEntries(
        [
          'trailsMs',
          'trailsCpuMs',
          'finishedMs',
          'finishedCpuMs',
          'bothMs',
          'bothCpuMs',
          'seekMs',
          'trailsKb',
          'finishedKb',
        ].map((k) => [k, { p50: r0(pct(col(k), 0.5)), p95: r0(pct(col(k), 0.95)), max: r0(Math.max(...col(k))) }]),
      );
      say(
        `  ${name}: trails p50/p95 ${r0(pct(col('trailsMs'), 0.5))} / ${r0(pct(col('trailsMs'), 0.95))} ms, ` +
          `finished ${r0(pct(col('finishedMs'), 0.5))} / ${r0(pct(col('finishedMs'), 0.95))} ms, together ` +
          `${r0(pct(col('bothMs'), 0.5))} / ${r0(pct(col('bothMs'), 0.95))} ms, the wall's four asks ` +
          `${r0(pct(col('seekMs'), 0.5))} / ${r0(pct(col('seekMs'), 0.95))} ms`,
      );
    }
    out.heapMb = Math.round(process.memoryUsage().heapUsed / 1_048_576);
    return out;
  } finally {
    await redis.close();
  }
}
