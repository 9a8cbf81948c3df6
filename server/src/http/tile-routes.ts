import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import express from 'express';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import type { LoadedBasemap, TilePackage } from '@egret/config';

/** Tiles do not change while a package is served: a day in the browser, then revalidated by ETag. */
export const TILE_CACHE_CONTROL = 'public, max-age=86400';

/** The pmtiles reader's Source over a local file: positioned reads, no whole-file load. */
export class FileHandleSource implements Source {
  private handle: Promise<FileHandle> | undefined;
  constructor(private readonly file: string) {}
  getKey(): string {
    return this.file;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    this.handle ??= open(this.file, 'r');
    const fh = await this.handle;
    const buf = new Uint8Array(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return { data: buf.buffer.slice(0, bytesRead) };
  }
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h) await (await h).close();
  }
}

/** A tile address parsed strictly: plain decimal digits only, inside the zoom level's grid. */
export function parseTileAddress(
  z: string,
  x: string,
  file: string,
  ext: string,
): { z: number; x: number; y: number } | { error: string } {
  const m = /^(\d{1,8})\.([a-z]{3,4})$/.exec(file);
  if (!/^\d{1,2}$/.test(z) || !/^\d{1,8}$/.test(x) || !m)
    return { error: 'not a tile address: /tiles/{z}/{x}/{y}.{ext}' };
  if (m[2] !== ext) return { error: `this package holds .${ext} tiles` };
  const zi = Number(z),
    xi = Number(x),
    yi = Number(m[1]);
  if (zi > 22) return { error: 'zoom out of range' };
  const n = 2 ** zi;
  if (xi >= n || yi >= n) return { error: 'tile outside the zoom level' };
  return { z: zi, x: xi, y: yi };
}

/**
 * Serves the city's offline tile packages (PMTiles: raster, or MVT as `.pbf`, unpacked by the reader when stored gzipped) as `/tiles/{z}/{x}/{y}.<ext>` (the dark variant) and
 * `/tiles/light/…`, with a strong ETag per tile and `Cache-Control`, so a wall loads each tile once. A malformed
 * address is a 400 naming the expected form, a tile the package does not hold a 404 — never a 500.
 */
export function tileRoutes(basemap: LoadedBasemap): { router: express.Router; close(): Promise<void> } {
  const router = express.Router({ caseSensitive: true, strict: true });
  const sources: FileHandleSource[] = [];
  const mount = (prefix: string, pkg: TilePackage) => {
    const source = new FileHandleSource(pkg.file);
    sources.push(source);
    const archive = new PMTiles(source);
    router.get(`${prefix}/:z/:x/:file`, async (req, res) => {
      const address = parseTileAddress(req.params.z, req.params.x, req.params.file, pkg.ext);
      if ('error' in address) {
        res.status(400).json({ ok: false, error: 'bad_tile_address', message: address.error });
        return;
      }
      try {
        const tile = await archive.getZxy(address.z, address.x, address.y);
        if (!tile) {
          res.status(404).set('Cache-Control', TILE_CACHE_CONTROL).json({ ok: false, error: 'no_such_tile' });
          return;
        }
        const body = Buffer.from(tile.data);
        const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
        res.set({ ETag: etag, 'Cache-Control': TILE_CACHE_CONTROL, 'Cross-Origin-Resource-Policy': 'same-origin' });
        if (req.fresh) {
          res.status(304).end();
          return;
        }
        res.type(pkg.contentType).send(body);
      } catch (err) {
        res.status(503).json({ ok: false, error: 'package_unreadable', message: (err as Error).message });
      }
    });
  };
  // The light variant first: `/tiles/light/…` must not be read as zoom "light".
  if (basemap.packages.light) mount('/tiles/light', basemap.packages.light);
  if (basemap.packages.dark) mount('/tiles', basemap.packages.dark);
  return {
    router,
    async close() {
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}
