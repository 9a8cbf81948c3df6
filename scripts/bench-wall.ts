/**
 * `npm run bench:wall` — what the wall costs the page as its city grows (issue #19), beside what drawing the same
 * moving points costs an ECharts `large` scatter and a bare deck.gl ScatterplotLayer, in one Chromium run (software
 * GL, as on a wall PC without a GPU and in the tests).
 *
 * For each size N (5k, 20k, 50k, 100k units by default), the hub (in this process, on a private Redis) has N units
 * registered through the control plane and gets a fix of every unit every second on the positions stream (a tenth
 * of them every 100 ms: the position path, not the simulator). Then one page at a time for `BENCH_WALL_SECONDS`:
 *   (a) the real wall (`/wall`: every layer and panel of its mode), then a mode switch and a 推屏, each timed from the
 *       command to the map having drawn it, and a check that the wall holds every unit's latest fix;
 *   (b) `scripts/bench-wall/echarts.html` and (c) `scripts/bench-wall/deck.html`: the same units from the same socket,
 *       redrawn once per frame received as fast as drawing allows.
 * The wall receives its position frames in a Web Worker (display/src/net/positions-worker.ts); `wall-main-socket` is
 * the wall with them on its main socket (`?positions=main`), the worker's baseline. Per page it prints main-thread CPU (CDP `Performance.getMetrics` TaskDuration in thread time: software GL blocks the
 * page on the GPU process, which wall-clock task time would count) per second, per redraw and per frame applied (the
 * wall draws every few seconds by design — display/src/map/draw-pacer.ts — so its CPU per redraw carries the
 * receiving of all the frames between two draws; per frame applied compares pages that draw at different rates),
 * frames the hub sent
 * and the page received per second, redraws per second, the link (WebSocket closes, `egret_screens_stalled_total`),
 * and the JS heap, and the CPU of Chromium's GPU process (SwiftShader draws there, out of the page's thread times:
 * ./bench-wall/process-cpu.ts) per second and per redraw. A measurement, not a test: it asserts nothing.
 *
 * Environment: BENCH_WALL_SIZES (5000,20000,50000,100000), BENCH_WALL_SECONDS (20), BENCH_WALL_VIEWPORT (1920x1080),
 * BENCH_WALL_PAGES (wall,echarts,deck), BENCH_WALL_PROFILE=1 (the top functions of each page's window, the display built unminified), BENCH_WALL_SHOTS (a folder: a screenshot of each page at each size), BENCH_WALL_TRACE (a file name: a Chrome trace of each page's window and its main thread broken down). `EGRET_FRAME_VERSION=2`: the hub writes position frames in version 2 (14 bytes a fix), the baseline of version 3 (protocol/src/frame.ts). A quick run: `BENCH_WALL_SIZES=5000,20000 BENCH_WALL_SECONDS=10`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { loadConfig } from '@egret/config';
import { UnitType, type InputMessage } from '@egret/protocol';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';
import { launchChromium } from '../e2e/support/chromium.ts';
import { chromiumCpu } from './bench-wall/process-cpu.ts';
import { formatBreakdown, mainThreadBreakdown } from './bench-wall/trace-breakdown.ts';
import { startTrace } from './bench-wall/trace.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SIZES = (process.env.BENCH_WALL_SIZES ?? '5000,20000,50000,100000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_WALL_SECONDS ?? 20);
const [VW, VH] = (process.env.BENCH_WALL_VIEWPORT ?? '1920x1080').split('x').map(Number) as [number, number];
/** Print the top functions of a CPU profile of each page's measured window. */
const PROFILE = process.env.BENCH_WALL_PROFILE === '1';
/** A folder to keep a screenshot of each page at each size in, when set. */
const SHOTS = process.env.BENCH_WALL_SHOTS;
/**
 * A file name: a Chrome trace of each page's measured window goes to `<name>-<size>-<page>.json` (CDP `Tracing`,
 * ./bench-wall/trace.ts), and the page's main thread broken down by what it did is printed
 * (./bench-wall/trace-breakdown.ts). Tracing costs the page CPU of its own: compare traced runs with traced runs.
 */
const TRACE = process.env.BENCH_WALL_TRACE;
/**
 * `wall-full`: the wall with `?resolution=full` (never drawn below its device pixels: display/src/map/resolution.ts).
 * `wall-units-full`: the wall with `?units=full` (every unit its own dot, not gathered into screen cells:
 * display/src/map/unit-cells.ts) — the baseline of the cells. `wall-paths`: `?outline=paths`, the outline map's
 * lines drawn by deck.gl's PathLayers instead of meshes (display/src/map/outline-mesh.ts). `wall-before`:
 * `?units=full&outline=full,paths`, also the outline map at every point (display/src/map/outline-detail.ts) — the
 * wall before all three.
 * Any other `wall?…` page is the wall with that query, e.g. `wall?hide=units` (display/src/map/hidden-layers.ts: the
 * map without those layers, to tell what each costs a draw); pages are split at `;` when one holds a `?`.
 */
const PAGES = ((p: string) => (p.includes('?') ? p.split(';') : p.split(',')))(
  process.env.BENCH_WALL_PAGES ?? 'wall,echarts,deck',
);
const WALL_URLS: Record<string, string> = {
  wall: '/wall',
  'wall-full': '/wall?resolution=full',
  'wall-units-full': '/wall?units=full',
  // The wall before the cells, the outline's detail levels (display/src/map/outline-detail.ts) and its meshes
  // (display/src/map/outline-mesh.ts).
  'wall-before': '/wall?units=full&outline=full,paths',
  // The wall with the outline drawn by deck.gl's PathLayers (at the zoom's detail): the meshes' baseline.
  'wall-paths': '/wall?outline=paths',
  // deck.gl's loop looking at every animation frame (display/src/map/idle-frames.ts) and the units gathered with the
  // exact projection into arrays allocated per picture (display/src/map/unit-cells.ts): the main thread's baseline.
  'wall-every-frame': '/wall?frames=every&units=exact',
  // The position frames on the page's main socket, not received in its worker (display/src/net/positions-link.ts):
  // the worker's baseline.
  'wall-main-socket': '/wall?positions=main',
};
const isWall = (kind: string): boolean => kind in WALL_URLS || kind.startsWith('wall?');
const wallUrl = (kind: string): string => WALL_URLS[kind] ?? `/${kind}`;
/** Where the units are scattered: the city's land, roughly (lon/lat). */
const AREA = [117.95, 24.42, 118.25, 24.62] as const;
const DISTRICTS = ['350203', '350205', '350206', '350211', '350212', '350213'];
const say = (line: string) => console.log(`bench │ ${line}`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

/** In each page, before its scripts: WebSocket messages received (binary ones are position frames) and closes. */
function instrument(): void {
  const g = globalThis as Untyped;
  const Native = g.WebSocket;
  g.__ws = {
    binary: 0,
    binaryBytes: 0,
    text: 0,
    opened: 0,
    closed: 0,
    arrived: { 'focus.changed': [], 'mode.changed': [] },
    long: [],
  };
  // The page's long tasks (epoch ms, duration): what an event waits behind before its message handler runs.
  // Each draw's cost (the pacer's, until the page is free: `__egret.drawMs`), sampled as draws come.
  g.__draws = [];
  let seen = 0;
  setInterval(() => {
    const e = g.__egret;
    if (e && e.redraws > seen && typeof e.drawMs === 'number') {
      seen = e.redraws;
      g.__draws.push([Date.now(), e.drawMs]);
    }
  }, 100);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) g.__ws.long.push([performance.timeOrigin + e.startTime, e.duration]);
  }).observe({ type: 'longtask' as Untyped, buffered: true });
  g.WebSocket = class extends Native {
    constructor(...args: Untyped[]) {
      super(...args);
      g.__ws.opened++;
      this.addEventListener('close', () => g.__ws.closed++);
      this.addEventListener('message', (ev: Untyped) => {
        if (typeof ev.data !== 'string') {
          g.__ws.binary++;
          g.__ws.binaryBytes += ev.data.byteLength ?? ev.data.size ?? 0;
          return;
        }
        g.__ws.text++;
        for (const type of Object.keys(g.__ws.arrived))
          if (ev.data.includes(`"${type}"`)) g.__ws.arrived[type].push(Date.now());
      });
    }
  };
}

/** What a page tells of itself: frames received, redraws, link, WebSocket counts. */
function pageFacts(page: Page) {
  return page.evaluate(() => {
    const g = globalThis as Untyped;
    const e = g.__egret;
    const b = g.__bench;
    return {
      frames: (e ? e.framesReceived : b?.framesReceived) as number,
      /** Frames the wall's positions worker received on its own socket (the page's WebSocket counts leave them out). */
      viaWorker: (e?.framesViaWorker ?? 0) as number,
      via: (e?.positionsVia ?? null) as string | null,
      fallback: (e?.positionsFallback ?? null) as string | null,
      redraws: (e ? e.redraws : b?.redraws) as number,
      link: (e ? e.link : b?.connected ? 'live' : 'down') as string,
      drawMs: (e ? e.drawMs : null) as number | null,
      resolution: (e ? e.resolution : null) as number | null,
      positioned: (e ? e.unitsPositioned : b?.length) as number,
      pictures: (e ? e.unitPictures : null) as number | null,
      ws: {
        binary: g.__ws.binary,
        binaryBytes: g.__ws.binaryBytes,
        text: g.__ws.text,
        opened: g.__ws.opened,
        closed: g.__ws.closed,
      } as {
        binary: number;
        binaryBytes: number;
        text: number;
        opened: number;
        closed: number;
      },
    };
  });
}

async function cdpMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** A counter's value from the hub's `/metrics` (summed over its labels). */
async function hubCounter(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name + ' ') || line.startsWith(name + '{')) sum += Number(line.split(' ').pop());
  return sum;
}

/** The functions that took the most self time in a CPU profile (ms), one a line. */
function topFunctions(profile: {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i]!)?.callFrame;
    if (!f) continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...self]
    .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${k}`)
    .join('\n');
}

/** When the page's socket first got an event of `type` at or after `since` (page clock), or null. */
function arrivedAt(page: Page, type: string, since: number) {
  return page.evaluate(
    ({ type, since }) =>
      (((globalThis as Untyped).__ws.arrived[type] as number[]).find((t) => t >= since) ?? null) as number | null,
    { type, since },
  );
}

/** The page's main thread blocked by long tasks between `from` and `to` (epoch ms): total overlap and the longest. */
function blockedBetween(page: Page, from: number, to: number) {
  return page.evaluate(
    ({ from, to }) => {
      let total = 0,
        longest = 0;
      for (const [start, ms] of (globalThis as Untyped).__ws.long as [number, number][]) {
        const overlap = Math.min(to, start + ms) - Math.max(from, start);
        if (overlap > 0) total += overlap;
        if (overlap > 0) longest = Math.max(longest, ms);
      }
      return `page blocked ${Math.round(total)} ms of it (longest task ${Math.round(longest)} ms)`;
    },
    { from, to },
  );
}

/** Resolves once the page has drawn a frame and is free again (software GL blocks it after a frame). */
function pageFree(page: Page) {
  return page.evaluate(
    () =>
      new Promise<void>((done) =>
        (globalThis as Untyped).requestAnimationFrame(() =>
          (globalThis as Untyped).requestAnimationFrame(() => setTimeout(done)),
        ),
      ),
  );
}

/** Waits in the page until the map has drawn `what`; answers ms from the call, by the page's clock. */
function timeToDrawn(page: Page, what: 'focus' | 'mode', value: string, startedAt: number) {
  return page.evaluate(
    ({ what, value, startedAt }) =>
      new Promise<number>((done) => {
        const g = globalThis as Untyped;
        const on = (layers: { id: string; visible: boolean; length: number }[] | undefined) =>
          what === 'mode'
            ? !!layers?.find((l) => l.id === 'case-heat')?.visible === (value === 'typhoon')
            : (layers?.find((l) => l.id === 'selected-case')?.length ?? 0) > 0;
        // Drawn: handed to the GPU (onAfterRender), and out — the next animation frame, once the page is free again.
        const check = () =>
          on(g.__egret?.map?.drawnLayers())
            ? (globalThis as Untyped).requestAnimationFrame(() => done(Date.now() - startedAt))
            : setTimeout(check, 20);
        check();
      }),
    { what, value, startedAt },
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'egret-bench-wall-'));
const displayDir = join(dataDir, 'display');
say('building the display and the baseline pages …');
await build({
  root: join(ROOT, 'display'),
  configFile: join(ROOT, 'display/vite.config.ts'),
  logLevel: 'error',
  // Profiled, the display is built unminified: the top functions then carry their own names.
  build: { outDir: displayDir, emptyOutDir: true, ...(PROFILE ? { minify: false } : {}) },
});
await build({
  root: join(ROOT, 'scripts/bench-wall'),
  configFile: false,
  base: '/bench-wall/',
  logLevel: 'error',
  build: {
    outDir: join(displayDir, 'bench-wall'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      input: {
        deck: join(ROOT, 'scripts/bench-wall/deck.html'),
        echarts: join(ROOT, 'scripts/bench-wall/echarts.html'),
      },
    },
  },
});
process.env.EGRET_E2E_DISPLAY_DIR = displayDir;
const { startHub } = await import('../e2e/support/hub.ts');

const redisServer = await startEmbeddedRedis({ dataDir, persist: false, install: false });
const config = loadConfig();
const hub = await startHub({ redisUrl: redisServer.url, config, label: 'bench-wall' });
await hub.setClock(Date.now(), 1, 'bench-wall');

// A few open cases to put on the wall (推屏).
const cases = Array.from({ length: 12 }, (_, i) => `BW-${i}`);
await hub.sendAll(
  cases.map((caseId, i): InputMessage => ({
    kind: 'case.report',
    caseId,
    category: { code: '04002', standard: 'GB/T 47678.5-2026' },
    source: 'hotline',
    urgency: 'normal',
    lon: 118.08 + i * 0.004,
    lat: 24.47 + i * 0.002,
    address: '思明南路',
    at: hub.now(),
  })),
);

/** Every unit's base place; a fix puts it there, a few metres east every other second. */
const baseLon: number[] = [];
const baseLat: number[] = [];
let round = 0;
let registered = 0;
async function register(n: number): Promise<void> {
  const at = hub.now();
  const types = UnitType.options;
  const roster: InputMessage[] = [];
  for (let i = registered; i < n; i++) {
    baseLon[i] = AREA[0] + Math.random() * (AREA[2] - AREA[0]);
    baseLat[i] = AREA[1] + Math.random() * (AREA[3] - AREA[1]);
    roster.push({
      kind: 'unit.register',
      unitId: `BW-${i}`,
      name: `单位 ${i}`,
      type: types[i % types.length]!,
      squadId: `SQ-${i % 200}`,
      district: DISTRICTS[i % DISTRICTS.length]!,
      status: 'available',
      at,
    });
  }
  const t0 = Date.now();
  await hub.sendAll(roster);
  await hub.hubHas(`${n} units`, () => hub.app.world().units.size >= n, 300_000);
  say(`${n - registered} units registered in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  registered = n;
}

const fixOf = (i: number, r: number, at: number) => ({
  unitId: `BW-${i}`,
  lon: baseLon[i]! + (r % 2) * 0.0003,
  lat: baseLat[i]!,
  at,
});

/** Feeds a fix of each of the first `n` units every second, a tenth every 100 ms; skips a slice while one is in flight. */
function feed(n: number) {
  let slice = 0;
  let inFlight = false;
  let paused = false;
  const stats = { fixes: 0, skipped: 0 };
  const timer = setInterval(() => {
    if (paused) return;
    if (inFlight) {
      stats.skipped++;
      return;
    }
    const part = slice++ % 10;
    if (part === 0) round++;
    const at = hub.now();
    const fixes = [];
    for (let i = part; i < n; i += 10) fixes.push(fixOf(i, round, at));
    inFlight = true;
    const multi = hub.redis.multi();
    for (let k = 0; k < fixes.length; k += 500)
      multi.xAdd(hub.keys.inPositions, '*', { data: JSON.stringify({ fixes: fixes.slice(k, k + 500) }) });
    multi
      .exec()
      .then(() => (stats.fixes += fixes.length))
      .catch(() => undefined)
      .finally(() => (inFlight = false));
  }, 100);
  return {
    stats,
    /** Stops feeding after a whole round and answers what each unit's last fix was. */
    async pause(): Promise<number> {
      while (slice % 10 !== 0 || inFlight) await new Promise((r) => setTimeout(r, 10));
      paused = true;
      return round;
    },
    resume: () => (paused = false),
    stop: () => clearInterval(timer),
  };
}

interface Row {
  size: number;
  page: string;
  cpuPerS: number;
  cpuPerRedraw: number | null;
  scriptPerS: number;
  redrawsPerS: number;
  sentPerS: number;
  receivedPerS: number;
  appliedPerS: number;
  closes: number;
  stalled: number;
  heapMb: number;
  link: string;
  notes: string[];
}
const rows: Row[] = [];

const browser = await launchChromium({ width: VW, height: VH });
const commander = await hub.commander();
const bboxParam = AREA.join(',');
try {
  for (const size of SIZES) {
    await register(size);
    const feeder = feed(size);
    try {
      for (const kind of PAGES) {
        const page = await browser.context.newPage();
        // Every WebSocket of the page, its workers' too (the page's own wrapper sees only the page's).
        const sockets = { opened: 0, closed: 0 };
        page.on('websocket', (ws) => {
          sockets.opened++;
          ws.on('close', () => sockets.closed++);
        });
        await page.addInitScript('globalThis.__name = (fn) => fn;');
        await page.addInitScript(instrument);
        const url = isWall(kind)
          ? `${hub.base}${wallUrl(kind)}`
          : `${hub.base}/bench-wall/${kind}.html?bbox=${bboxParam}`;
        const loadedAt = Date.now();
        await page.goto(url);
        await page.waitForFunction(
          (n) => {
            const g = globalThis as Untyped;
            const e = g.__egret;
            if (e) return e.link === 'live' && e.unitsPositioned >= n * 0.99 && e.redraws > 0;
            return !!g.__bench && g.__bench.length >= n * 0.99 && g.__bench.redraws > 0;
          },
          size,
          { timeout: 300_000, polling: 500 },
        );
        const readyS = (Date.now() - loadedAt) / 1000;
        // Settled: the snapshot parsed, the first keyframe drawn.
        await new Promise((r) => setTimeout(r, 3_000));
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        const m0 = await cdpMetrics(cdp);
        const f0 = await pageFacts(page);
        const sent0 = await hubCounter(hub.base, 'egret_frames_total');
        const stalled0 = await hubCounter(hub.base, 'egret_screens_stalled_total');
        if (PROFILE) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 1_000 });
          await cdp.send('Profiler.start');
        }
        const tracing = TRACE ? await startTrace(cdp) : null;
        const t0 = Date.now();
        const p0 = chromiumCpu();
        await new Promise((r) => setTimeout(r, SECONDS * 1000));
        const p1 = chromiumCpu();
        const m1 = await cdpMetrics(cdp);
        const redrawsTraced = (await pageFacts(page)).redraws - f0.redraws;
        if (tracing) {
          const file = `${TRACE}-${size}-${kind.replace(/[^\w-]+/g, '_')}.json`;
          const events = await tracing.stop(file);
          say(`${size} ${kind}: trace in ${file}\n${formatBreakdown(mainThreadBreakdown(events), redrawsTraced)}`);
        }
        if (PROFILE) {
          const { profile } = await cdp.send('Profiler.stop');
          say(`${size} ${kind}: top self time\n${topFunctions(profile)}`);
          // Beside the trace, for DevTools or a script to read callers from.
          if (TRACE)
            writeFileSync(`${TRACE}-${size}-${kind.replace(/[^\w-]+/g, '_')}.cpuprofile`, JSON.stringify(profile));
        }
        const f1 = await pageFacts(page);
        const s = (Date.now() - t0) / 1000;
        const sent1 = await hubCounter(hub.base, 'egret_frames_total');
        const stalled1 = await hubCounter(hub.base, 'egret_screens_stalled_total');
        const cpu = ((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0)) * 1000;
        const redraws = f1.redraws - f0.redraws;
        const row: Row = {
          size,
          page: kind,
          cpuPerS: cpu / s,
          cpuPerRedraw: redraws > 0 ? cpu / redraws : null,
          scriptPerS: (((m1.ScriptDuration ?? 0) - (m0.ScriptDuration ?? 0)) * 1000) / s,
          redrawsPerS: redraws / s,
          sentPerS: (sent1 - sent0) / s,
          receivedPerS: (f1.ws.binary - f0.ws.binary + f1.viaWorker - f0.viaWorker) / s,
          appliedPerS: (f1.frames - f0.frames) / s,
          closes: Math.max(f1.ws.closed, sockets.closed),
          stalled: stalled1 - stalled0,
          heapMb: (m1.JSHeapUsedSize ?? 0) / 2 ** 20,
          link: f1.link,
          notes: [`ready ${readyS.toFixed(1)} s`],
        };
        if (f1.drawMs !== null) row.notes.push(`last draw ${f1.drawMs} ms`);
        if (f1.via !== null)
          row.notes.push(
            `frames via ${f1.via}${f1.fallback ? ` (fell back: ${f1.fallback})` : ''} (${f1.viaWorker - f0.viaWorker} through the worker, ${f1.ws.binary - f0.ws.binary} on the page's socket; ${sockets.opened} WebSockets)`,
          );
        // The position frames' bytes (socket.io's binary attachments; EGRET_FRAME_VERSION sets the hub's version).
        row.notes.push(
          `frames ${((f1.ws.binaryBytes - f0.ws.binaryBytes) / s / 1024).toFixed(0)} KB/s received (frame version ${process.env.EGRET_FRAME_VERSION || 'default'})`,
        );
        if (p0 && p1) {
          // SwiftShader's work: in the GPU process, which the page's thread times leave out.
          const gpu = p1.gpu - p0.gpu;
          const perRedraw = redraws > 0 ? ` (${(gpu / redraws).toFixed(0)} ms per redraw)` : '';
          row.notes.push(
            `GPU process CPU ${(gpu / s).toFixed(0)} ms/s${perRedraw}, renderers ${((p1.renderer - p0.renderer) / s).toFixed(0)} ms/s`,
          );
        }
        const draws = await page.evaluate(
          (t0) =>
            ((globalThis as Untyped).__draws as [number, number][]).filter(([at]) => at >= t0).map(([, ms]) => ms),
          t0,
        );
        if (draws.length > 0) {
          draws.sort((a, b) => a - b);
          row.notes.push(
            `draws ${draws.length}: median ${draws[Math.floor(draws.length / 2)]} ms, max ${draws[draws.length - 1]} ms`,
          );
        }
        if (isWall(kind)) {
          const units = await page.evaluate(() =>
            ((globalThis as Untyped).__egret.map.drawnLayers() as { id: string; length: number }[]).find(
              (l) => l.id === 'units',
            ),
          );
          const dots = await page.evaluate(() => (globalThis as Untyped).__egret.unitDots ?? null);
          row.notes.push(`units layer rows ${units?.length ?? '?'}, dots drawn ${dots ?? 'every row'}`);
        }
        if (f1.resolution !== null) row.notes.push(`resolution ×${f1.resolution}`);
        if (f1.pictures !== null && f0.pictures !== null)
          row.notes.push(`units painted ${((f1.pictures - f0.pictures) / s).toFixed(2)}/s`);
        if (isWall(kind)) {
          // A mode switch and a 推屏, each from the command to the map having drawn it.
          const modeAt = Date.now();
          const modeDrawn = timeToDrawn(page, 'mode', 'typhoon', modeAt);
          await hub.setMode('typhoon');
          const modeMs = await modeDrawn;
          const modeEvent = await arrivedAt(page, 'mode.changed', modeAt);
          row.notes.push(
            `mode switch: command → event at the page ${modeEvent === null ? '?' : modeEvent - modeAt} ms ` +
              `(${await blockedBetween(page, modeAt, modeEvent ?? modeAt)}), → map drew it ${modeMs} ms`,
          );
          // 推屏 twice: right as the mode's frame is handed over (the page then blocks while software GL reads it
          // back), and once the page is free again — an event waits behind the frame under way.
          for (const when of ['right after the mode frame', 'page free'] as const) {
            if (when === 'page free') await pageFree(page);
            const focusAt = Date.now();
            const focusDrawn = timeToDrawn(page, 'focus', cases[0]!, focusAt);
            const ack = await commander
              .timeout(10_000)
              .emitWithAck('wall:focus', { caseId: cases[0]!, idempotencyKey: randomUUID() });
            if (!ack.ok) throw new Error(`wall:focus refused: ${JSON.stringify(ack)}`);
            const focusMs = await focusDrawn;
            // The map zoomed in on the case (推屏): what the units look like there.
            if (SHOTS && when === 'page free')
              await page.screenshot({ path: join(SHOTS, `bench-wall-${kind}-${size}-focus.png`) });
            const focusEvent = await arrivedAt(page, 'focus.changed', focusAt);
            // The draws the map finished meanwhile (their costs, ms): what the 推屏 waited behind.
            const meanwhile = await page.evaluate(
              ({ from, to }) =>
                ((globalThis as Untyped).__draws as [number, number][])
                  .filter(([at]) => at >= from && at <= to)
                  .map(([, ms]) => ms),
              { from: focusAt, to: focusAt + focusMs },
            );
            row.notes.push(
              `推屏 (${when}): command → event at the page ${focusEvent === null ? '?' : focusEvent - focusAt} ms ` +
                `(${await blockedBetween(page, focusAt, focusEvent ?? focusAt)}), → map drew it ${focusMs} ms ` +
                `(draws meanwhile: ${meanwhile.join(', ') || 'none'} ms)`,
            );
            await commander.timeout(10_000).emitWithAck('wall:focus', { idempotencyKey: randomUUID() });
            // Back to the overview on the map before the next.
            await page.waitForFunction(
              () => {
                const drawn = (globalThis as Untyped).__egret?.map?.drawnLayers() as
                  { id: string; length: number }[] | undefined;
                return (drawn?.find((l) => l.id === 'selected-case')?.length ?? 0) === 0;
              },
              undefined,
              { timeout: 30_000, polling: 50 },
            );
          }
          await hub.setMode('peacetime');
          // Every unit's latest fix: feeding stops after a whole round; the wall must hold that round's places.
          const last = await feeder.pause();
          const pausedAt = Date.now();
          // The hub has them once its count of fixes read stops moving.
          let read = await hubCounter(hub.base, 'egret_position_fixes_total');
          for (;;) {
            await new Promise((r) => setTimeout(r, 500));
            const now = await hubCounter(hub.base, 'egret_position_fixes_total');
            if (now === read) break;
            read = now;
          }
          const hubHadThem = (Date.now() - pausedAt - 500) / 1000;
          const world = hub.app.world();
          const expected: [number, number, number][] = [];
          for (let i = 0; i < size; i++) {
            const u = world.units.get(`BW-${i}`);
            // As the wall holds them: microdegrees on the wire, then Float32.
            const onWire = (deg: number) => Math.fround(Math.round(deg * 1e6) / 1e6);
            if (u) expected.push([u.slot, onWire(fixOf(i, last, 0).lon), onWire(baseLat[i]!)]);
          }
          const checkAt = Date.now();
          const held = await page.evaluate(async (expected) => {
            const g = globalThis as Untyped;
            const count = () => {
              const got = new Map<number, [number, number]>();
              for (const p of g.__egret.unitPositions(1e7) as { slot: number; lon: number; lat: number }[])
                got.set(p.slot, [p.lon, p.lat]);
              let ok = 0;
              for (const [slot, lon, lat] of expected) {
                const p = got.get(slot);
                if (p && p[0] === lon && p[1] === lat) ok++;
              }
              return ok;
            };
            const until = Date.now() + 15_000;
            let ok = count();
            while (ok < expected.length && Date.now() < until) {
              await new Promise((r) => setTimeout(r, 250));
              ok = count();
            }
            return ok;
          }, expected);
          row.notes.push(
            `latest fixes held ${held}/${expected.length} (the hub read the last ${hubHadThem.toFixed(1)} s after they were written, the wall held them ${((Date.now() - checkAt) / 1000).toFixed(1)} s later)`,
          );
          feeder.resume();
        }
        rows.push(row);
        say(
          `${size} ${kind}: ${row.cpuPerS.toFixed(0)} ms CPU/s, ${row.cpuPerRedraw?.toFixed(1) ?? '—'} ms/redraw, ` +
            `${row.redrawsPerS.toFixed(2)} redraws/s, frames sent ${row.sentPerS.toFixed(1)}/s received ` +
            `${row.receivedPerS.toFixed(1)}/s applied ${row.appliedPerS.toFixed(1)}/s, ${row.link}, ` +
            `closes ${row.closes}, stalled ${row.stalled}, heap ${row.heapMb.toFixed(0)} MB; ${row.notes.join('; ')}`,
        );
        if (SHOTS) await page.screenshot({ path: join(SHOTS, `bench-wall-${kind}-${size}.png`) });
        await cdp.detach();
        await page.close();
      }
      say(
        `${size}: fed ${feeder.stats.fixes} fixes, ${feeder.stats.skipped} slices skipped (the previous still in flight)`,
      );
    } finally {
      feeder.stop();
    }
  }
} finally {
  await browser.close();
  await hub.close();
  await redisServer.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log('');
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}; Chromium ${VW}×${VH}, SwiftShader; ${SECONDS} s per page`,
);
console.log(
  '| units | page | main-thread CPU ms/s | per redraw ms | per frame applied ms | script ms/s | redraws/s | frames sent / received / applied per s | link (closes, stalled) | heap MB | notes |',
);
console.log('|---:|---|---:|---:|---:|---:|---:|---|---|---:|---|');
for (const r of rows)
  console.log(
    `| ${r.size.toLocaleString('en')} | ${r.page} | ${r.cpuPerS.toFixed(0)} | ${r.cpuPerRedraw?.toFixed(1) ?? '—'} | ` +
      `${r.appliedPerS > 0 ? (r.cpuPerS / r.appliedPerS).toFixed(1) : '—'} | ` +
      `${r.scriptPerS.toFixed(0)} | ${r.redrawsPerS.toFixed(2)} | ${r.sentPerS.toFixed(1)} / ${r.receivedPerS.toFixed(1)} / ` +
      `${r.appliedPerS.toFixed(1)} | ${r.link} (${r.closes}, ${r.stalled}) | ${r.heapMb.toFixed(0)} | ${r.notes.join('; ')} |`,
  );
console.log(
  'goals (issue #19): wall per redraw at 50k ≤ 1.2× bare deck.gl and ≥ 10× below ECharts; every frame applied; 0 stalled',
);
