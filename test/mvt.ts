// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- vt-pbf ships no types, and the display’s tsconfig (whose tests import this file) does not include test/
/// <reference path="./vt-pbf.d.ts" />
import { gzipSync } from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { tileRange, type LonLat } from './tiles.ts';

/**
 * Vector tiles (MVT) made by tests from the project's own geography, as a city's GIS would cut them: geojson-vt
 * slices each source layer, vt-pbf encodes the tile. No simplification (tolerance 0): the boundaries a test
 * compares must be the ones it gave.
 */

export interface VectorFeature {
  geometry:
    | { type: 'LineString'; coordinates: LonLat[] }
    | { type: 'Polygon'; coordinates: LonLat[][] }
    | { type: 'Point'; coordinates: LonLat };
  properties?: Record<string, string | number | boolean>;
}

/** `z/x/y` → the tile's bytes, for every tile of the zooms over the bbox that holds anything. */
export function vectorTiles(opts: {
  layers: Record<string, readonly VectorFeature[]>;
  zooms: readonly number[];
  bbox: readonly [number, number, number, number];
  /** Store each tile gzipped, as most MVT servers and packages do. */
  gzip?: boolean;
}): Map<string, Uint8Array> {
  const maxZoom = Math.max(...opts.zooms);
  const indexes = Object.entries(opts.layers).map(
    ([name, features]) =>
      [
        name,
        new GeoJSONVT(
          {
            type: 'FeatureCollection',
            features: features.map((f) => ({
              type: 'Feature' as const,
              geometry: f.geometry as unknown as GeoJSON.Geometry,
              properties: f.properties ?? {},
            })),
          },
          { maxZoom, indexMaxZoom: maxZoom, tolerance: 0, buffer: 64 },
        ),
      ] as const,
  );
  const tiles = new Map<string, Uint8Array>();
  for (const z of opts.zooms) {
    const { xs, ys } = tileRange(opts.bbox, z);
    for (let x = xs[0]; x <= xs[1]; x++)
      for (let y = ys[0]; y <= ys[1]; y++) {
        const layers: Record<string, unknown> = {};
        for (const [name, index] of indexes) {
          const tile = index.getTile(z, x, y);
          if (tile && tile.features.length) layers[name] = tile;
        }
        if (!Object.keys(layers).length) continue;
        const bytes = vtpbf.fromGeojsonVt(layers, { version: 2 });
        tiles.set(`${z}/${x}/${y}`, opts.gzip ? gzipSync(bytes) : bytes);
      }
  }
  return tiles;
}
