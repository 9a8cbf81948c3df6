import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, tileAt } from '@egret/config';
import { gzipSync } from 'node:zlib';
import { vectorTiles } from '../../test/mvt.ts';
import { drawTiles, encodePng, tileRange, writePmtiles } from '../../test/tiles.ts';
import { checkTiles } from '../src/tiles-check.ts';
import { tempDir } from '../../test/temp-dir.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const { city } = loadConfig();
const dir = tempDir('egret-tiles-check-');

/** `npm run tiles:check -- …` as an operator runs it: its output and exit code (spawned once: slow). */
async function tilesCheckCli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/tiles-check.ts', ...args], { cwd: ROOT });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The same check in this process: its lines as the CLI prints them, and 0 or 1. */
async function tilesCheck(target: string): Promise<{ code: number; out: string }> {
  const { facts, problems } = await checkTiles(target, city);
  return { code: problems.length ? 1 : 0, out: [...facts, ...problems].join('\n') };
}

/** A package of `zooms`, each covering `bbox`, drawn from nothing but a ground colour. */
function pack(bbox: readonly [number, number, number, number], zooms: number[], file: string): string {
  const tiles = new Map<string, Uint8Array>();
  for (const z of zooms) {
    const r = tileRange(bbox, z);
    for (const [k, v] of drawTiles({
      lines: [],
      z,
      ...r,
      color: [0, 0, 0, 255],
      background: [9, 20, 40, 255],
      width: 1,
    }).tiles)
      tiles.set(k, v);
  }
  const path = join(dir, file);
  writeFileSync(path, writePmtiles({ tiles, bounds: bbox }));
  return path;
}

/** One gzipped MVT tile with a road, whatever tile is asked for: enough for the service check's samples. */
const mvt = (() => {
  const [w, s, e, n] = city.bbox;
  const tiles = vectorTiles({
    layers: {
      road: [
        {
          geometry: {
            type: 'LineString',
            coordinates: [
              [w, s],
              [e, n],
            ],
          },
          properties: { name: '成功大道' },
        },
      ],
    },
    zooms: [11],
    bbox: city.bbox,
  });
  return gzipSync([...tiles.values()][0]!);
})();

describe('npm run tiles:check', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    const png = encodePng(1, 1, new Uint8Array([0, 0, 0, 255]));
    server = createServer((req, res) => {
      const cors = req.url!.startsWith('/cors/');
      if (req.url!.endsWith('.pbf')) {
        // A folder of tippecanoe's gzipped tiles on a static server: no Content-Encoding. `/junk/`: a PNG instead.
        const body = req.url!.includes('/junk/') ? png : mvt;
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'access-control-allow-origin': '*' }).end(body);
      } else if (req.url!.includes('/text/')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      else
        res
          .writeHead(200, { 'content-type': 'image/png', ...(cors ? { 'access-control-allow-origin': '*' } : {}) })
          .end(png);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const a = server.address();
    origin = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('passes a PMTiles package that covers the city from the city view to street level', async () => {
    const [w, s, e, n] = city.bbox;
    const c: [number, number] = [(w + e) / 2, (s + n) / 2];
    // The whole city at 11, and only the centre's tile at 16: enough for the check's samples.
    const tiles = drawTiles({
      lines: [],
      z: 11,
      ...tileRange(city.bbox, 11),
      color: [0, 0, 0, 255],
      background: [1, 2, 3, 255],
      width: 1,
    }).tiles;
    const t = tileAt(c, 16);
    tiles.set(`16/${t.x}/${t.y}`, encodePng(1, 1, new Uint8Array([0, 0, 0, 255])));
    const file = join(dir, 'good.pmtiles');
    writeFileSync(file, writePmtiles({ tiles, bounds: [w - 0.01, s - 0.01, e + 0.01, n + 0.01] }));
    const r = await tilesCheckCli(file);
    expect(r.out).toContain('PMTiles v3');
    expect(r.out).toContain(`OK: ${file} can serve Xiamen's base map`);
    expect(r.code).toBe(0);
  });

  it('names each thing wrong with a package: the sides of the city it leaves out, and its zoom range', async () => {
    const file = pack([118.0, 24.4, 118.2, 24.6], [12, 13], 'small.pmtiles');
    const r = await tilesCheckCli(file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bounds stop \d+\.\d km short of the city's west edge/);
    expect(r.out).toMatch(/short of the city's east edge/);
    expect(r.out).toMatch(/short of the city's north edge/);
    expect(r.out).toContain('zooms start at 12: the wall shows the whole city at 11');
    expect(r.out).toContain('zooms end at 13: street level is 16');
  });

  it('says MBTiles is not supported and how to convert it, and refuses anything else', async () => {
    writeFileSync(join(dir, 'city.mbtiles'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(200)]));
    const mb = await tilesCheck(join(dir, 'city.mbtiles'));
    expect(mb.code).toBe(1);
    expect(mb.out).toContain('MBTiles is not supported: Node 20 has no built-in SQLite');
    expect(mb.out).toContain('pmtiles convert');
    writeFileSync(join(dir, 'x.pmtiles'), 'not tiles at all');
    expect((await tilesCheck(join(dir, 'x.pmtiles'))).out).toContain('not a PMTiles archive');
    expect((await tilesCheck(join(dir, 'missing.pmtiles'))).out).toContain('does not exist');
  });

  it('passes a gzipped MVT package that covers the city, naming its source layers', async () => {
    const [w, s, e, n] = city.bbox;
    const c: [number, number] = [(w + e) / 2, (s + n) / 2];
    const diagonal = {
      geometry: { type: 'LineString' as const, coordinates: [[w, s], c, [e, n]] as [number, number][] },
    };
    const tiles = new Map([
      ...vectorTiles({ layers: { road: [diagonal] }, zooms: [11], bbox: city.bbox, gzip: true }),
      ...vectorTiles({ layers: { road: [diagonal] }, zooms: [14], bbox: [c[0], c[1], c[0], c[1]], gzip: true }),
    ]);
    const file = join(dir, 'vector.pmtiles');
    const pkg = writePmtiles({ tiles, bounds: [w - 0.01, s - 0.01, e + 0.01, n + 0.01], tileType: 1 });
    pkg[98] = 2; // gzip
    writeFileSync(file, pkg);
    const r = await tilesCheck(file);
    expect(r.out).toContain('tile type 1');
    expect(r.out).toMatch(/source layers in the samples: road \(\d+ features\)/);
    expect(r.code).toBe(0);
    // The same package stored brotli, or ending at zoom 12: said why.
    pkg[98] = 3;
    writeFileSync(file, pkg);
    expect((await tilesCheck(file)).out).toContain('compressed with brotli: the hub reads gzipped or plain MVT');
  });

  it('samples a vector tile service and wants MVT, unpacking gzipped tiles sent without saying so', async () => {
    const ok = await tilesCheck(`${origin}/cors/{z}/{x}/{y}.pbf`);
    expect(ok.out).toContain('sampled 4 tiles');
    expect(ok.out).toMatch(/source layers in the samples: road/);
    expect(ok.code).toBe(0);
    const junk = await tilesCheck(`${origin}/cors/junk/{z}/{x}/{y}.pbf`);
    expect(junk.code).toBe(1);
    expect(junk.out).toMatch(/not a vector tile \(MVT\): /);
  });

  it('samples a tile service at the city’s centre and corners, and wants images with CORS', async () => {
    const ok = await tilesCheck(`${origin}/cors/{z}/{x}/{y}.png`);
    expect(ok.out).toContain('sampled 4 tiles');
    expect(ok.code).toBe(0);
    const noCors = await tilesCheck(`${origin}/plain/{z}/{x}/{y}.png`);
    expect(noCors.code).toBe(1);
    expect(noCors.out).toContain('no Access-Control-Allow-Origin');
    const text = await tilesCheck(`${origin}/cors/text/{z}/{x}/{y}`);
    expect(text.out).toContain('not a png, jpg or webp image');
    expect(text.out).toContain('Content-Type text/html, an image/* type expected');
    expect((await tilesCheck(`${origin}/{z}/{x}.png`)).out).toContain('must contain {z}, {x} and {y}');
  });
});
