import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import express from 'express';
import {
  cellSquare,
  districtShapes,
  GRID_CELL_M,
  gridCells,
  gridSpec,
  type EgretConfig,
  type GridCell,
  type GridSpec,
} from '@egret/config';
import type { GridMap, LonLat } from '@egret/protocol';

/** Wire precision: 1e-5° is about 1 m, far below a line's width on the wall even zoomed to one street. */
const round = (v: number): number => Math.round(v * 1e5) / 1e5;

/** The served form of the city's cells (`GridMap`): whole squares by row and column, cut cells with their rings. */
export function gridMap(cells: readonly GridCell[], spec: GridSpec): GridMap {
  return {
    cellM: spec.cellM,
    lattice: { origin: spec.origin, cellLon: spec.cellLon, cellLat: spec.cellLat },
    cells: cells.map(({ id, district, row, col, polygons }) =>
      isWholeSquare(polygons, spec, row, col)
        ? { id, district, row, col }
        : {
            id,
            district,
            row,
            col,
            rings: polygons.flat().map((ring) => ring.map(([lon, lat]): LonLat => [round(lon), round(lat)])),
          },
    ),
  };
}

/** One ring through the square's four corners only (clipping may start it at any corner, in either turn). */
function isWholeSquare(polygons: readonly LonLat[][][], spec: GridSpec, row: number, col: number): boolean {
  const ring = polygons.length === 1 && polygons[0]!.length === 1 ? polygons[0]![0]! : undefined;
  if (ring?.length !== 5) return false;
  const key = ([lon, lat]: LonLat) => `${round(lon)},${round(lat)}`;
  const corners = new Set(cellSquare(spec, row, col).map(key));
  return new Set(ring.map(key)).size === 4 && ring.every((p) => corners.has(key(p)));
}

/**
 * `GET /api/map/grids`: the city's unit grids for the wall's grid layer, built and gzipped once at startup (the
 * cells take ~80 ms to clip; the body never changes while the hub runs). Behind the `/api` guard like every route
 * but the login page's `/api/config`: only a screen that may watch draws the grid. `no-cache` with an ETag: a
 * reload revalidates with a 304 instead of fetching 90 kB again, and a new config is picked up at once.
 */
export function gridRoute(config: EgretConfig): express.Router {
  const spec = gridSpec(config.city.bbox, GRID_CELL_M);
  const raw = Buffer.from(JSON.stringify(gridMap(gridCells(districtShapes(config.boundaries), spec), spec)));
  const gzipped = gzipSync(raw, { level: 9 });
  const tag = createHash('sha256').update(raw).digest('base64url').slice(0, 22);
  const router = express.Router();
  router.get('/api/map/grids', (req, res) => {
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    // Each encoding is its own representation, so each has its own ETag (RFC 9110 §8.8.3).
    res.set({ 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding', ETag: `"${tag}${gzip ? '-gz' : ''}"` });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/json');
    if (gzip) res.set('Content-Encoding', 'gzip');
    res.send(gzip ? gzipped : raw);
  });
  return router;
}
