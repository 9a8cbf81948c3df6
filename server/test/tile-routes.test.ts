import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseBasemap, type EgretConfig } from '@egret/config';
import { drawTiles, tileRange, writePmtiles } from '../../test/tiles.ts';
import { testNamespace } from '../../test/namespace.ts';
import { startHub, type TestHub } from './hub-fixture.ts';
import { tempDir } from '../../test/temp-dir.ts';

const base = loadConfig();
const dir = tempDir('egret-tiles-');
const bbox = [118.08, 24.44, 118.1, 24.46] as const;
const z = 14;
const { xs, ys } = tileRange(bbox, z);
const line = [
  [118.085, 24.445],
  [118.095, 24.455],
] as const;
const dark = drawTiles({ lines: [line], z, xs, ys, color: [255, 0, 255, 255], background: [0, 0, 0, 255], width: 5 });
const light = drawTiles({
  lines: [line],
  z,
  xs,
  ys,
  color: [0, 0, 255, 255],
  background: [255, 255, 255, 255],
  width: 5,
});
writeFileSync(join(dir, 'dark.pmtiles'), writePmtiles({ tiles: dark.tiles, bounds: bbox }));
writeFileSync(join(dir, 'light.pmtiles'), writePmtiles({ tiles: light.tiles, bounds: bbox }));

function withBasemap(raw: unknown): EgretConfig {
  const { basemap, problems } = parseBasemap(raw, 'basemap.json', dir);
  if (problems.length) throw new Error(problems.join('\n'));
  return { ...base, basemap };
}

/** A GET with the path exactly as written (fetch and URL would normalise it), answering status, headers and bytes. */
function rawGet(url: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((done, fail) => {
    request({ hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', fail)
      .end();
  });
}

describe('the hub serving a city’s tile package', () => {
  let hub: TestHub;
  const tile = `/tiles/${z}/${xs[0] + 1}/${ys[0] + 1}.png`;

  beforeAll(async () => {
    hub = await startHub(testNamespace('tiles'), {
      config: withBasemap({
        kind: 'raster',
        crs: 'gcj02',
        attribution: '测试底图',
        dark: { type: 'package', file: 'dark.pmtiles' },
        light: { type: 'package', file: join(dir, 'light.pmtiles') },
      }),
    });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('answers each tile as the package holds it, with a strong ETag and a day’s Cache-Control', async () => {
    const res = await rawGet(hub.url, tile);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(Buffer.compare(res.body, Buffer.from(dark.tiles.get(tile.slice(7, -4))!))).toBe(0);
    // The light variant is its own package.
    const lightRes = await rawGet(hub.url, `/tiles/light${tile.slice(6)}`);
    expect(lightRes.status).toBe(200);
    expect(Buffer.compare(lightRes.body, Buffer.from(light.tiles.get(tile.slice(7, -4))!))).toBe(0);
    expect(lightRes.headers.etag).not.toBe(res.headers.etag);
  });

  it('answers 304 without a body to a browser revalidating the same tile, and 200 to a stale ETag', async () => {
    const first = await rawGet(hub.url, tile);
    const again = await rawGet(hub.url, tile, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await rawGet(hub.url, tile, { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('answers 404 for a tile the package does not hold (another zoom, outside its area)', async () => {
    expect((await rawGet(hub.url, `/tiles/${z}/${xs[1] + 5}/${ys[0]}.png`)).status).toBe(404);
    expect((await rawGet(hub.url, `/tiles/3/6/3.png`)).status).toBe(404);
  });

  it('refuses malformed addresses with a 400 naming the form, never a 500 or a file outside the package', async () => {
    const bad = [
      `/tiles/${z}/abc/1.png`,
      `/tiles/-1/0/0.png`,
      `/tiles/1e1/0/0.png`,
      `/tiles/0x1/0/0.png`,
      `/tiles/+14/0/0.png`,
      `/tiles/23/0/0.png`,
      `/tiles/${z}/${2 ** z}/0.png`, // one past the last column
      `/tiles/${z}/0/${2 ** z}.png`,
      `/tiles/${z}/0/0.PNG`,
      `/tiles/${z}/0/0.jpg`,
      `/tiles/${z}/0/0.png.png`,
      `/tiles/${z}/0/%2e%2e.png`,
      `/tiles/${z}/0/0%00.png`,
      `/tiles/${z}/999999999999/0.png`,
    ];
    for (const path of bad) {
      const res = await rawGet(hub.url, path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.parse(res.body.toString()).error).toBe('bad_tile_address');
    }
    // Path tricks never reach the file system: the package is opened by the hub, never named by the request.
    for (const path of ['/tiles/../../etc/passwd', '/tiles/%2e%2e/%2e%2e/etc/passwd', `/TILES/${z}/0/0.png`]) {
      const res = await rawGet(hub.url, path);
      expect([path, res.status < 500, res.body.includes('root:')]).toEqual([path, true, false]);
    }
  });

  it('serves a burst of the same and different tiles at once, every answer whole', async () => {
    const paths = Array.from({ length: 60 }, (_, i) => `/tiles/${z}/${xs[0] + (i % 3)}/${ys[0] + ((i >> 2) % 3)}.png`);
    const answers = await Promise.all(paths.map((p) => rawGet(hub.url, p)));
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect(Buffer.compare(a.body, Buffer.from(dark.tiles.get(paths[i]!.slice(7, -4))!))).toBe(0);
    });
  });

  it('tells the display its base map and keeps the CSP to the hub itself for a package', async () => {
    const res = await fetch(`${hub.url}/api/config`);
    const config = (await res.json()) as { basemap: unknown };
    expect(config.basemap).toEqual({
      kind: 'raster',
      tiles: { dark: '/tiles/{z}/{x}/{y}.png', light: '/tiles/light/{z}/{x}/{y}.png' },
      subdomains: [],
      crs: 'gcj02',
      attribution: '测试底图',
      minZoom: 0,
      maxZoom: 14, // the package's deepest zoom: past it the display scales those tiles
      tileSize: 256,
    });
    const csp = String(res.headers.get('content-security-policy-report-only'));
    expect(csp).toContain("img-src 'self' data: blob:;");
    // connect-src may also list the video platform's origins (cameras.json), never a tile origin.
    const connect = csp
      .split('; ')
      .find((d) => d.startsWith('connect-src'))!
      .split(' ')
      .slice(1);
    const video = (base as { video?: { origins: string[] } }).video?.origins ?? [];
    expect(connect.filter((o) => o !== "'self'" && !video.includes(o))).toEqual([]);
  });
});

describe('the CSP of a hub whose tiles come from the city’s GIS', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub(testNamespace('tiles-csp'), {
      config: withBasemap({
        kind: 'raster',
        crs: 'wgs84',
        attribution: '天地图',
        dark: {
          type: 'wmts-kvp',
          url: 'https://t{s}.tianditu.gov.cn/vec_w/wmts',
          layer: 'vec',
          tileMatrixSet: 'w',
          format: 'tiles',
          params: { tk: 'k' },
          subdomains: ['0', '1'],
        },
      }),
    });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('lists exactly the configured tile origins in img-src and connect-src, and serves no /tiles', async () => {
    const res = await fetch(`${hub.url}/api/config`);
    const csp = String(res.headers.get('content-security-policy-report-only'));
    const img = csp.split('; ').find((d) => d.startsWith('img-src'));
    expect(img).toBe("img-src 'self' data: blob: https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn");
    expect(csp).toContain("connect-src 'self' https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn");
    expect((await rawGet(hub.url, '/tiles/14/0/0.png')).status).toBe(404);
  });
});
