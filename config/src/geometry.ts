import { pointInRing, type LonLat } from '@egret/protocol';
import type { GeoJsonFeatureCollection } from './geojson.ts';

/** Rings of one polygon: the outer ring first, then holes. */
type Polygon = LonLat[][];

/** One district's outline, prepared for fast point-in-polygon tests. */
export interface DistrictShape {
  code: string;
  polygons: Polygon[];
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

/** Turns the boundaries GeoJSON (Polygon / MultiPolygon features with a `code` property) into district shapes. */
export function districtShapes(fc: GeoJsonFeatureCollection): DistrictShape[] {
  return fc.features.map((f) => {
    const code = String(f.properties.code);
    const polygons = (
      f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates]
    ) as Polygon[];
    let minLon = Infinity,
      minLat = Infinity,
      maxLon = -Infinity,
      maxLat = -Infinity;
    for (const poly of polygons)
      for (const [lon, lat] of poly[0] ?? []) {
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      }
    return { code, polygons, bbox: [minLon, minLat, maxLon, maxLat] };
  });
}

export function inShape(shape: DistrictShape, [lon, lat]: LonLat): boolean {
  const [x0, y0, x1, y1] = shape.bbox;
  if (lon < x0 || lon > x1 || lat < y0 || lat > y1) return false;
  const p: LonLat = [lon, lat];
  return shape.polygons.some(
    (poly) => pointInRing(poly[0] ?? [], p) && !poly.slice(1).some((hole) => pointInRing(hole, p)),
  );
}

/** The district containing a point, or undefined when it lies outside the city. */
export function locateDistrict(shapes: readonly DistrictShape[], point: LonLat): string | undefined {
  return shapes.find((s) => inShape(s, point))?.code;
}
