import * as gcoordModule from 'gcoord';
import type { GeoJsonFeatureCollection } from './geojson.ts';

// gcoord is CommonJS: from ESM its API is the module's default export.
// Its typings describe the ESM build, so under NodeNext they sit one `default` deeper than the runtime value.
const gcoord = gcoordModule.default as unknown as (typeof gcoordModule.default)['default'];

/** Coordinate systems map data arrives in. WGS-84 and CGCS2000 agree to the metre; GCJ-02 is offset by up to ~600 m. */
export type SourceCrs = 'WGS-84' | 'CGCS2000' | 'GCJ-02';

/**
 * The collection in WGS-84: a copy with every coordinate (and each feature's `labelPoint`) converted when the
 * source is GCJ-02, the same collection otherwise.
 */
export function toWgs84(fc: GeoJsonFeatureCollection, crs: SourceCrs): GeoJsonFeatureCollection {
  if (crs !== 'GCJ-02') return fc;
  const converted = gcoord.transform(
    structuredClone(fc) as never,
    gcoord.GCJ02,
    gcoord.WGS84,
  ) as unknown as GeoJsonFeatureCollection;
  for (const f of converted.features) {
    const label = f.properties.labelPoint;
    if (Array.isArray(label) && label.length === 2) {
      f.properties.labelPoint = gcoord.transform(label as [number, number], gcoord.GCJ02, gcoord.WGS84);
    }
  }
  return converted;
}

/** One point in WGS-84. */
export function pointToWgs84(p: [number, number], crs: SourceCrs): [number, number] {
  return crs === 'GCJ-02' ? (gcoord.transform(p, gcoord.GCJ02, gcoord.WGS84) as [number, number]) : p;
}
