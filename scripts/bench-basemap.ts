/**
 * `npm run bench:basemap` — what the tile base map costs the wall's main thread per frame. One Redis, the
 * simulator (units moving, so every tick redraws), and three hubs on the same world: one without a base map, one
 * serving a GCJ-02 raster PMTiles package made here from the project's own geography (sea, districts as land,
 * borders, the fixed links to the island), one a GCJ-02 vector (MVT) package of the same geography with the places'
 * and links' names as labels. The wall is opened on each in turn, in the same browser, and Chromium's own thread
 * time (CDP `Performance.getMetrics`, thread ticks) is divided by the frames deck.gl drew: at city zoom, then with a
 * street-level view put on the walls (推屏). A measurement, not a test: it prints a table and asserts nothing.
 * It also writes docs/wall-basemap.png (city view) and artifacts/wall-basemap-street.png, the wall on those tiles at
 * 1920×1080, and docs/wall-basemap-vector.png, the wall at 3840×2160 on the vector tiles at street view.
 *
 * Environment: BENCH_SECONDS (15 per sample), BENCH_UNITS (300).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as gcoordModule from 'gcoord';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { build } from 'vite';
import { loadConfig, loadPlaces, loadRoads, parseBasemap, type EgretConfig } from '@egret/config';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '@egret/protocol';
import { openApp } from '@egret/server/app';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';
import { launchChromium } from '../e2e/support/chromium.ts';
import { startSimulator } from '../e2e/support/simulator.ts';
import { vectorTiles, type VectorFeature } from '../test/mvt.ts';
import { drawTiles, tileRange, writePmtiles, type LonLat, type Rgba } from '../test/tiles.ts';

const gcoord = gcoordModule.default as unknown as (typeof gcoordModule.default)['default'];
const ROOT = resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`bench │ ${line}`);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const UNITS = Number(process.env.BENCH_UNITS ?? 300);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

/** A dark base map of Xiamen from the project's geography, on GCJ-02 as a commercial map would be. */
function demoPackage(config: EgretConfig, file: string, street: readonly [number, number, number, number]): void {
  const toGcj = (p: LonLat) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as unknown as LonLat;
  const rings: LonLat[][] = [];
  for (const f of config.boundaries.features) {
    const g = f.geometry as { type: string; coordinates: unknown };
    for (const poly of (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as LonLat[][][])
      rings.push(...poly.map((r) => r.map(toGcj)));
  }
  const links = loadRoads({ dir: config.dir, city: config.city.id }).islands.flatMap((i) =>
    i.links.map((l) => [toGcj(l.island), toGcj(l.mainland)]),
  );
  const land: Rgba = [26, 44, 68, 255];
  const tiles = new Map<string, Uint8Array>();
  const draw = (z: number, bbox: readonly [number, number, number, number], width: number) => {
    const drawn = drawTiles({
      fills: [{ rings, color: land }],
      lines: rings,
      strokes: [{ lines: links, color: [214, 170, 84, 255], width: width + 1 }],
      z,
      ...tileRange(bbox, z),
      color: [70, 112, 150, 255],
      background: [7, 18, 34, 255],
      width,
    });
    for (const [k, png] of drawn.tiles) tiles.set(k, png);
  };
  for (const z of [10, 11, 12]) draw(z, config.city.bbox, 2);
  draw(14, street, 3);
  writeFileSync(file, writePmtiles({ tiles, bounds: config.city.bbox, metadata: { attribution: 'Egret demo' } }));
}

/** The same geography as vector tiles (GCJ-02, gzipped MVT in a PMTiles package) and a dark style for the wall. */
function demoVectorPackage(config: EgretConfig, dir: string, street: readonly [number, number, number, number]): void {
  const toGcj = (p: LonLat) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as unknown as LonLat;
  const land: VectorFeature[] = [];
  const borders: VectorFeature[] = [];
  for (const f of config.boundaries.features) {
    const g = f.geometry as { type: string; coordinates: unknown };
    for (const poly of (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as LonLat[][][]) {
      land.push({ geometry: { type: 'Polygon', coordinates: poly.map((r) => r.map(toGcj)) } });
      borders.push(...poly.map((r) => ({ geometry: { type: 'LineString' as const, coordinates: r.map(toGcj) } })));
    }
  }
  const links = loadRoads({ dir: config.dir, city: config.city.id }).islands.flatMap((i) =>
    i.links.map((l): VectorFeature => ({
      geometry: { type: 'LineString', coordinates: [toGcj(l.island), toGcj(l.mainland)] },
      properties: { name: l.name.zh, kind: l.kind ?? 'bridge' },
    })),
  );
  const places = Object.values(loadPlaces({ dir: config.dir, city: config.city.id }).districts)
    .flat()
    .map((p): VectorFeature => ({
      geometry: { type: 'Point', coordinates: toGcj(p.at) },
      properties: { name: p.name },
    }));
  const layers = { land, boundary: borders, link: links, place: places };
  const tiles = new Map([
    ...vectorTiles({ layers, zooms: [9, 10, 11, 12], bbox: config.city.bbox, gzip: true }),
    ...vectorTiles({ layers, zooms: [13], bbox: street, gzip: true }),
  ]);
  const pkg = writePmtiles({ tiles, bounds: config.city.bbox, tileType: 1 });
  pkg[98] = 2; // gzipped tiles
  writeFileSync(join(dir, 'xiamen-vector.pmtiles'), pkg);
  const style = {
    version: 8,
    name: 'Egret demo dark',
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#07121f' } },
      { id: 'land', type: 'fill', 'source-layer': 'land', paint: { 'fill-color': '#1a2c44' } },
      { id: 'borders', type: 'line', 'source-layer': 'boundary', paint: { 'line-color': '#46709a', 'line-width': 2 } },
      { id: 'links', type: 'line', 'source-layer': 'link', paint: { 'line-color': '#d6aa54', 'line-width': 4 } },
      {
        id: 'link-names',
        type: 'symbol',
        'source-layer': 'link',
        layout: { 'text-field': '{name}', 'text-size': 36 },
        paint: { 'text-color': '#f0d9a8', 'text-halo-color': '#07121f', 'text-halo-width': 2 },
      },
      {
        id: 'places',
        type: 'symbol',
        'source-layer': 'place',
        minzoom: 11,
        layout: { 'text-field': '{name}', 'text-size': 32 },
        paint: { 'text-color': '#b8c9da' },
      },
    ],
  };
  writeFileSync(join(dir, 'style-dark.json'), JSON.stringify(style));
}

async function main(): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), 'egret-bench-dist-'));
  say('building the display …');
  await build({
    root: join(ROOT, 'display'),
    configFile: join(ROOT, 'display/vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
    build: { outDir: dist, emptyOutDir: true },
  });
  const base = loadConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'egret-bench-'));
  // A street-level view on Xiamen Island, put on the walls halfway.
  const street = [118.075, 24.445, 118.125, 24.485] as const;
  demoPackage(base, join(dataDir, 'xiamen-demo.pmtiles'), street);
  const { basemap, problems } = parseBasemap(
    {
      kind: 'raster',
      crs: 'gcj02',
      attribution: '底图：Egret 演示瓦片（由区界数据生成）',
      dark: { type: 'package', file: 'xiamen-demo.pmtiles' },
    },
    'bench',
    dataDir,
  );
  if (problems.length) throw new Error(problems.join('\n'));
  demoVectorPackage(base, dataDir, street);
  const vector = parseBasemap(
    {
      kind: 'vector',
      crs: 'gcj02',
      attribution: '底图：Egret 演示矢量瓦片（由区界、地名数据生成）',
      source: { type: 'package', file: 'xiamen-vector.pmtiles' },
      style: { dark: 'style-dark.json' },
    },
    'bench',
    dataDir,
  );
  if (vector.problems.length) throw new Error(vector.problems.join('\n'));

  const redis = await startEmbeddedRedis({ dataDir, persist: false, install: false });
  const ns = `bench-${process.pid}`;
  const hub = async (config: EgretConfig, id: string) => {
    const app = await openApp({
      redisUrl: redis.url,
      config,
      ns,
      hubId: id,
      logger: pino({ level: 'warn' }),
      displayDir: dist,
    });
    return { app, port: await app.listen(0, '127.0.0.1') };
  };
  const plain = await hub(base, 'bench-plain');
  const tiled = await hub({ ...base, basemap }, 'bench-tiled');
  const vectored = await hub({ ...base, basemap: vector.basemap }, 'bench-vector');
  const sim = startSimulator({
    REDIS_URL: redis.url,
    EGRET_NS: ns,
    SIM_UNITS: String(UNITS),
    SIM_RATE: '30',
    SIM_START: '2026-07-01T08:00:00+08:00',
  });
  const browser = await launchChromium({ width: 3840, height: 2160 });
  const commander: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${plain.port}`, {
    transports: ['websocket'],
    auth: { protocol: PROTOCOL_VERSION, user: 'bench' },
  });
  try {
    const open = async (port: number): Promise<Page> => {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${port}/wall`);
      await page.waitForFunction(
        () => {
          const e = (globalThis as Untyped).__egret;
          return !!e && e.caseCount > 0 && e.framesReceived > 2;
        },
        undefined,
        { timeout: 120_000, polling: 500 },
      );
      await settled(page);
      return page;
    };
    /** Until no tile has come for 6 s: the wall's tiles are loaded and drawn (software GL draws slowly). */
    const settled = async (page: Page) => {
      let last = Date.now();
      page.on('response', (r) => r.url().includes('/tiles/') && (last = Date.now()));
      while (Date.now() - last < 6_000) await new Promise((r) => setTimeout(r, 500));
    };
    /** Main-thread CPU per drawn frame over SECONDS: Chromium's thread-time task duration / deck.gl's redraws. */
    const measure = async (page: Page) => {
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      const read = async () => {
        const { metrics } = (await cdp.send('Performance.getMetrics')) as {
          metrics: { name: string; value: number }[];
        };
        const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
        const redraws = (await page.evaluate(() => (globalThis as Untyped).__egret.redraws)) as number;
        return { task: m.TaskDuration ?? 0, script: m.ScriptDuration ?? 0, redraws };
      };
      const a = await read();
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const b = await read();
      await cdp.detach();
      const frames = Math.max(1, b.redraws - a.redraws);
      return { frames, taskMs: ((b.task - a.task) * 1000) / frames, scriptMs: ((b.script - a.script) * 1000) / frames };
    };
    const rows: string[] = [];
    const round = async (view: string) => {
      for (const [name, port] of [
        ['no base map', plain.port],
        ['raster', tiled.port],
        ['vector', vectored.port],
        ['no base map', plain.port],
        ['raster', tiled.port],
        ['vector', vectored.port],
      ] as const) {
        const page = await open(port);
        const r = await measure(page);
        await page.close();
        const row = `${view} │ ${name.padEnd(11)} │ ${r.frames} frames │ ${r.taskMs.toFixed(1)} ms task │ ${r.scriptMs.toFixed(1)} ms script per frame`;
        say(row);
        rows.push(row);
      }
    };
    // The README's picture: the wall on the demo tiles at city view, 1920×1080.
    {
      const page = await open(tiled.port);
      await page.setViewportSize({ width: 1920, height: 1080 });
      await settled(page);
      writeFileSync(join(ROOT, 'docs/wall-basemap.png'), await page.screenshot());
      await page.close();
      say('wrote docs/wall-basemap.png');
    }
    await round('city view  ');
    const ack = await commander
      .timeout(10_000)
      .emitWithAck('wall:focus', { extent: [...street], idempotencyKey: randomUUID() });
    if (!ack.ok) throw new Error(`wall:focus refused: ${ack.error}`);
    await round('street view');
    // And the street view, to look at.
    const page = await open(tiled.port);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await settled(page);
    writeFileSync(join(ROOT, 'artifacts/wall-basemap-street.png'), await page.screenshot());
    await page.close();
    // The vector base map on the 4K wall at street view: its labels must be readable.
    const vpage = await open(vectored.port);
    writeFileSync(join(ROOT, 'docs/wall-basemap-vector.png'), await vpage.screenshot());
    await vpage.close();
    say('wrote docs/wall-basemap-vector.png');
    console.log(rows.join('\n'));
  } finally {
    commander.close();
    await browser.close().catch(() => undefined);
    await sim.stop();
    await plain.app.close();
    await tiled.app.close();
    await vectored.app.close();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  }
}

await main();
