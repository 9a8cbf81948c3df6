import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellSquare, districtShapes, GRID_CELL_M, gridCells, gridSpec, loadConfig, parseGridId } from '@egret/config';
import { GridMap } from '@egret/protocol';
import { testNamespace } from '../../test/namespace.ts';
import { addUser, PASSWORD, sessionCookie, startAuthHub, type AuthHub } from './auth-fixture.ts';
import { startHub, type TestHub } from './hub-fixture.ts';

const config = loadConfig();
const spec = gridSpec(config.city.bbox, GRID_CELL_M);
/** What the simulator's city geometry holds (`cityGeometry` uses the same cell size). */
const cells = gridCells(districtShapes(config.boundaries), spec);

/** A GET with exactly these headers, answering the bytes as sent (fetch would undo the gzip). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((done, fail) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    }).on('error', fail);
  });
}

describe('GET /api/map/grids', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub(testNamespace('grid-route'));
  });
  afterAll(async () => {
    await hub.close();
  });
  const url = () => `${hub.url}/api/map/grids`;

  it('answers gzip to a screen that accepts it: every cell of the config’s grid, in order, with its id', async () => {
    const res = await rawGet(url(), { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    const map = GridMap.parse(JSON.parse(gunzipSync(res.body).toString('utf8')));
    expect(map.cellM).toBe(GRID_CELL_M);
    expect(map.cells).toHaveLength(cells.length);
    expect(map.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    for (const c of map.cells) {
      expect(c.id).toMatch(/^\d{15}$/);
      expect(parseGridId(c.id)).toEqual({ district: c.district, row: c.row, col: c.col });
    }
    // Well under a tenth of the naive 1.2 MB.
    expect(res.body.length).toBeLessThan(120_000);
  });

  it('answers the same JSON uncompressed to a client that does not accept gzip', async () => {
    const [zipped, raw] = await Promise.all([
      rawGet(url(), { 'accept-encoding': 'gzip' }),
      rawGet(url(), { 'accept-encoding': 'identity' }),
    ]);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(Number(raw.headers['content-length'])).toBe(raw.body.length);
    expect(raw.body.equals(gunzipSync(zipped.body))).toBe(true);
    // Without any Accept-Encoding too.
    expect((await rawGet(url(), {})).headers['content-encoding']).toBeUndefined();
  });

  it('sends whole squares by row and column, and cut cells with their outline rounded to 1e-5°', async () => {
    const map = GridMap.parse(await (await fetch(url())).json());
    const whole = map.cells.filter((c) => !c.rings);
    expect(whole.length).toBeGreaterThan(map.cells.length / 2);
    const { origin, cellLon, cellLat } = map.lattice;
    for (const c of whole.slice(0, 50)) {
      const [sw, , ne] = cellSquare(spec, c.row, c.col);
      expect(origin[0] + c.col * cellLon).toBeCloseTo(sw![0], 9);
      expect(origin[1] + (c.row + 1) * cellLat).toBeCloseTo(ne![1], 9);
    }
    const cut = map.cells.find((c) => c.rings)!;
    const source = cells.find((c) => c.id === cut.id)!;
    expect(cut.rings).toEqual(
      source.polygons
        .flat()
        .map((ring) => ring.map(([lon, lat]) => [Math.round(lon * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5])),
    );
  });

  it('revalidates with a 304 by ETag, one tag per encoding', async () => {
    const zipped = await rawGet(url(), { 'accept-encoding': 'gzip' });
    const raw = await rawGet(url(), { 'accept-encoding': 'identity' });
    const tag = zipped.headers.etag!;
    expect(tag).toMatch(/^"[\w-]+"$/);
    expect(raw.headers.etag).not.toBe(tag);
    const again = await rawGet(url(), { 'accept-encoding': 'gzip', 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The gzip tag does not validate the raw body.
    expect((await rawGet(url(), { 'accept-encoding': 'identity', 'if-none-match': tag })).status).toBe(200);
  });
});

describe('GET /api/map/grids when the hub requires accounts', () => {
  let hub: AuthHub;
  beforeAll(async () => {
    hub = await startAuthHub('grid-route-auth');
    await addUser(hub.store, 'vera', 'viewer');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('is refused without a session and served to anyone who may watch', async () => {
    expect((await fetch(`${hub.url}/api/map/grids`)).status).toBe(401);
    const cookie = await sessionCookie(hub.url, 'vera', PASSWORD);
    const res = await fetch(`${hub.url}/api/map/grids`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(GridMap.parse(await res.json()).cells).toHaveLength(cells.length);
  });
});
