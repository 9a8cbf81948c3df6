import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, parseBasemap, type EgretConfig } from '@egret/config';
import { vectorTiles, type VectorFeature } from '../test/mvt.ts';
import { tileRange, writePmtiles } from '../test/tiles.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { decodePng } from './support/png.ts';
import {
  borderPoint,
  districtRings,
  fromWorld,
  toGcj,
  toWorld,
  VIEW_ZOOM,
  wallOnTiles,
  type LonLat,
} from './support/tile-alignment.ts';
import { tempDir } from '../test/temp-dir.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

/**
 * The city's vector base map (MVT with a style) on the wall: tiles cut here from the project's own district
 * boundaries with geojson-vt + vt-pbf, served the way a city serves them — a folder of gzipped `.pbf` tiles on a
 * static server of its own (as tippecanoe writes them), or a PMTiles package the hub serves — and drawn by the
 * real wall in Chromium with the city's style, every other request cut off. The style draws the boundary magenta,
 * 9 px wide: Egret's own district edge must lie on it within 2 px at zoom 14, for WGS-84 tiles and for GCJ-02 tiles
 * (their geometry moved WGS-84 → GCJ-02 before cutting, as a Chinese commercial map's), which line up only because
 * the wall moves every vertex back. Two labels stacked on one place: only the upper style layer's is drawn.
 */

const base = loadConfig();
/** The wall at its design size: smaller, it scales its 4K layout down and zoom 14 would not be shown 1:1. */
const WALL = { width: 3840, height: 2160 };
/** 512-px MVT tiles of zoom 13 at view zoom 13: the same ground resolution as 256-px tiles of zoom 14. */
const MVT_Z = VIEW_ZOOM;
const GREEN = '#00ff00';
const YELLOW = '#ffff00';

const style = {
  version: 8,
  name: 'test dark',
  layers: [
    { id: 'ground', type: 'background', paint: { 'background-color': '#1c1c20' } },
    {
      id: 'border',
      type: 'line',
      source: 'city',
      'source-layer': 'boundary',
      filter: ['==', '$type', 'LineString'],
      paint: { 'line-color': '#ff00ff', 'line-width': 9 },
    },
    {
      id: 'lower-names',
      type: 'symbol',
      'source-layer': 'place',
      filter: ['==', 'rank', 2],
      layout: { 'text-field': '{name}', 'text-size': 28 },
      paint: { 'text-color': GREEN },
    },
    {
      id: 'upper-names',
      type: 'symbol',
      'source-layer': 'place',
      filter: ['in', 'rank', 1],
      layout: { 'text-field': '{name}', 'text-size': 28 },
      paint: { 'text-color': YELLOW },
    },
  ],
};

describe('the wall on the city’s vector base map', () => {
  const redisUrl = inject('redisUrl');
  const dir = tempDir('egret-basemap-vector-e2e-');
  const center = borderPoint(base);
  // Two labels on one place, off the border: the collision must keep the upper one only.
  const [cx, cy] = toWorld(center, VIEW_ZOOM);
  const stacked = fromWorld([cx - 300, cy - 250], VIEW_ZOOM);
  // And the lower layer's label alone elsewhere: drawn, so that its absence above is the collision's doing.
  const alone = fromWorld([cx + 300, cy - 250], VIEW_ZOOM);
  let browser: Browser;
  let xyzServer: Server;
  let xyzOrigin: string;
  const served: string[] = [];

  /** The district boundaries and the two stacked labels, on the tiles' own datum, cut at zoom 13 around the view. */
  const tilesOf = (move: (p: LonLat) => LonLat) => {
    const around = [fromWorld([cx - 2000, cy + 1200], MVT_Z), fromWorld([cx + 2000, cy - 1200], MVT_Z)];
    const bbox = [around[0]![0], around[0]![1], around[1]![0], around[1]![1]] as const;
    const place = (at: LonLat, name: string, rank: number): VectorFeature => ({
      geometry: { type: 'Point', coordinates: move(at) },
      properties: { name, rank },
    });
    return vectorTiles({
      layers: {
        boundary: districtRings(base).map((r) => ({ geometry: { type: 'LineString', coordinates: r.map(move) } })),
        place: [place(stacked, '被压住的名字', 2), place(stacked, '上层地名', 1), place(alone, '下层地名', 2)],
      },
      zooms: [MVT_Z],
      bbox,
      gzip: true,
    });
  };

  beforeAll(async () => {
    writeFileSync(join(dir, 'style-dark.json'), JSON.stringify(style));
    // A folder of gzipped .pbf tiles, served by a static server of its own (another origin: CORS, as a city's GIS).
    for (const [key, bytes] of tilesOf((p) => p)) {
      mkdirSync(join(dir, 'xyz', dirname(key)), { recursive: true });
      writeFileSync(join(dir, 'xyz', `${key}.pbf`), bytes);
    }
    xyzServer = createServer((req, res) => {
      const m = /^\/(\d+)\/(\d+)\/(\d+)\.pbf$/.exec(req.url ?? '');
      served.push(req.url ?? '');
      try {
        if (!m) throw new Error('not a tile');
        const body = readFileSync(join(dir, 'xyz', m[1]!, m[2]!, `${m[3]}.pbf`));
        // As a plain static server sends tippecanoe's folder: gzipped bytes, no Content-Encoding.
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'access-control-allow-origin': '*' }).end(body);
      } catch {
        res.writeHead(404, { 'access-control-allow-origin': '*' }).end();
      }
    });
    await new Promise<void>((done) => xyzServer.listen(0, '127.0.0.1', done));
    const address = xyzServer.address();
    xyzOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // A PMTiles package of GCJ-02 MVT tiles, stored gzipped, for the hub to serve.
    const pkg = writePmtiles({ tiles: tilesOf(toGcj), bounds: [117.9, 24.3, 118.4, 24.7], tileType: 1 });
    pkg[98] = 2; // tile compression: gzip, as `pmtiles convert` stores MVT
    writeFileSync(join(dir, 'gcj.pmtiles'), pkg);
    browser = await launchChromium(WALL);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => xyzServer?.close(done));
  });

  const configWith = (source: unknown, crs: string): EgretConfig => {
    const raw = { kind: 'vector', crs, attribution: `测试矢量底图 ${crs}`, source, style: { dark: 'style-dark.json' } };
    const { basemap, problems } = parseBasemap(raw, 'basemap.json', dir);
    if (problems.length) throw new Error(problems.join('\n'));
    return { ...base, basemap };
  };

  /** Pixels of a colour within `r` of a point of the screenshot. */
  const pixelsNear = (png: Buffer, [px, py]: [number, number], r: number, rgb: readonly [number, number, number]) => {
    const { width, height, data } = decodePng(png);
    let n = 0;
    for (let y = Math.max(0, Math.round(py - r)); y < Math.min(height, py + r); y++)
      for (let x = Math.max(0, Math.round(px - r * 3)); x < Math.min(width, px + r * 3); x++) {
        const i = (y * width + x) * 4;
        if (rgb.every((c, k) => Math.abs(data[i + k]! - c) < 60)) n++;
      }
    return n;
  };

  async function wallOn(label: string, config: EgretConfig, shot: string) {
    const hub: TestHub = await startHub({ redisUrl, config, label });
    try {
      const isTile = (url: string) => url.startsWith(xyzOrigin) || url.includes('/tiles/');
      const r = await wallOnTiles({
        browser,
        hub,
        allowed: [xyzOrigin],
        center,
        isTile,
        label,
        points: [stacked, alone],
      });
      writeFileSync(join(ARTIFACTS, shot), r.png);
      return { ...r, hub: hub.base };
    } finally {
      await hub.close();
    }
  }

  const expectAligned = (r: Awaited<ReturnType<typeof wallOn>>) => {
    expect(r.blocked).toEqual([]);
    // The CSP lists the tile service's origin (connect-src); the labels' font is the machine's: nothing else loads.
    expect(r.violations.filter((v) => /^(connect|img|font|worker|default)-src/.test(v))).toEqual([]);
    expect(r.aligned.edgePixels).toBeGreaterThan(500);
    expect(r.aligned.covered).toBeGreaterThan(0.9);
    expect(r.aligned.mean).toBeLessThanOrEqual(2);
    expect(r.aligned.median).toBeLessThanOrEqual(2);
    // The upper layer's label is drawn where both are; the lower one, colliding with it, is not.
    expect(pixelsNear(r.png, r.points[0]!, 24, [255, 255, 0])).toBeGreaterThan(40);
    expect(pixelsNear(r.png, r.points[0]!, 24, [0, 255, 0])).toBe(0);
    expect(pixelsNear(r.png, r.points[1]!, 24, [0, 255, 0])).toBeGreaterThan(40);
  };

  it('lines a WGS-84 MVT folder up with Egret’s district boundary within 2 px at zoom 14, labels not colliding', async () => {
    const r = await wallOn(
      'basemap-vector-wgs',
      configWith({ type: 'xyz', url: `${xyzOrigin}/{z}/{x}/{y}.pbf` }, 'wgs84'),
      'basemap-vector-wgs84-z14.png',
    );
    expectAligned(r);
    expect(served.filter((u) => u.startsWith(`/${MVT_Z}/`)).length).toBeGreaterThan(4);
  }, 90_000);

  it('lines a GCJ-02 MVT package served by the hub up too, because the wall moves every vertex', async () => {
    const config = configWith({ type: 'package', file: 'gcj.pmtiles' }, 'gcj02');
    const r = await wallOn('basemap-vector-gcj', config, 'basemap-vector-gcj02-z14.png');
    expectAligned(r);
  }, 90_000);

  it('serves the package’s tiles unpacked with caching headers, and no tile for a bad address', async () => {
    const hub = await startHub({
      redisUrl,
      config: configWith({ type: 'package', file: 'gcj.pmtiles' }, 'gcj02'),
      label: 'basemap-vector-http',
    });
    try {
      const { xs, ys } = tileRange([center[0], center[1], center[0], center[1]], MVT_Z);
      const key = `${MVT_Z}/${xs[0] + 1}/${ys[0] + 1}`;
      const res = await fetch(`${hub.base}/tiles/${key}.pbf`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.mapbox-vector-tile/);
      // Stored gzipped, unpacked by the pmtiles reader: sent plain (a browser could not tell otherwise).
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      // An MVT protobuf: field 3 (a layer), length-delimited.
      expect(new Uint8Array(await res.arrayBuffer())[0]).toBe(0x1a);
      // (304 on a matching ETag: server/test/tile-routes.test.ts, the same route for every tile type.)
      for (const bad of [`/tiles/${key}.png`, `/tiles/${key}.PBF`, `/tiles/${MVT_Z}/-1/0.pbf`, `/tiles/99/0/0.pbf`])
        expect((await fetch(`${hub.base}${bad}`)).status, bad).toBe(400);
      expect((await fetch(`${hub.base}/tiles/${MVT_Z}/0/0.pbf`)).status).toBe(404);
    } finally {
      await hub.close();
    }
  });
});
