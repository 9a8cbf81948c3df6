import { pointInRing, type HubConfig, type LonLat } from '@egret/protocol';

/**
 * District outlines as the hub serves them: WGS-84, like every coordinate inside Egret (the config loader converts
 * GCJ-02 source data once, at load), so they line up with unit fixes and case positions without conversion here.
 */
export type Boundaries = HubConfig['boundaries']['geojson'];

/**
 * A label per district, at the visual centre of its largest polygon (its centroid, when that falls inside).
 * Xiamen's `labelPoint`s are the district governments' seats, several on a coast, where a name collides with the
 * outline; they are the fallback, then the centre of the bounding box.
 */
export interface DistrictLabel {
  code: string;
  position: LonLat;
  text: string;
}

export function districtLabels(geojson: Boundaries, nameOf: (code: string) => string | undefined): DistrictLabel[] {
  const out: DistrictLabel[] = [];
  for (const f of geojson.features) {
    const code = String(f.properties.code ?? '');
    const text = nameOf(code);
    if (!text) continue;
    const p = f.properties.labelPoint;
    const centre = largestRingCentroid(f.geometry);
    out.push({ code, text, position: centre ?? (isLonLat(p) ? [p[0], p[1]] : bboxCentre(f.geometry.coordinates)) });
  }
  return out;
}

/** The code of the district a point lies in (inside an outer ring and no hole of it), or undefined at sea. */
export function districtAt(geojson: Boundaries, point: LonLat): string | undefined {
  for (const f of geojson.features) {
    const { type, coordinates } = f.geometry;
    const polygons = (type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? coordinates : []) as LonLat[][][];
    const inside = polygons.some(
      ([outer, ...holes]) =>
        outer !== undefined && pointInRing(outer, point) && !holes.some((h) => pointInRing(h, point)),
    );
    if (inside) return String(f.properties.code ?? '');
  }
  return undefined;
}

/** [minLon, minLat, maxLon, maxLat] of every outline: what the camera fits (tighter than the city's nominal bbox). */
export function boundsOf(geojson: Boundaries): [number, number, number, number] | undefined {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (isLonLat(c)) {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1]);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of geojson.features) walk(f.geometry.coordinates);
  return Number.isFinite(b[0]) ? b : undefined;
}

/** Every vertex of every outline (the wall keeps them clear of its legends: ./fit-clear.ts). */
export function outlinePoints(geojson: Boundaries): LonLat[] {
  const out: LonLat[] = [];
  const walk = (c: unknown): void => {
    if (isLonLat(c)) out.push(c);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of geojson.features) walk(f.geometry.coordinates);
  return out;
}

/** The centroid of the largest outer ring, if it lies inside that ring (a concave shape's may not). */
function largestRingCentroid(geometry: { type: string; coordinates: unknown }): LonLat | undefined {
  const polygons = (
    geometry.type === 'MultiPolygon' ? geometry.coordinates : geometry.type === 'Polygon' ? [geometry.coordinates] : []
  ) as unknown[];
  let best: [number, number][] | undefined;
  let bestArea = 0;
  for (const poly of polygons) {
    const ring = Array.isArray(poly) ? (poly[0] as unknown) : undefined;
    if (!Array.isArray(ring) || !ring.every(isLonLat)) continue;
    const a = Math.abs(ringArea(ring));
    if (a > bestArea) [best, bestArea] = [ring, a];
  }
  if (!best) return undefined;
  const a = ringArea(best);
  let cx = 0,
    cy = 0;
  for (let i = 0; i < best.length - 1; i++) {
    const [x0, y0] = best[i]!,
      [x1, y1] = best[i + 1]!;
    const f = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  const c: LonLat = [cx / (6 * a), cy / (6 * a)];
  return inRing(best, c) ? c : undefined;
}

function ringArea(ring: [number, number][]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
}

function inRing(ring: [number, number][], [x, y]: LonLat): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!,
      [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function isLonLat(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

function bboxCentre(coordinates: unknown): LonLat {
  const [minLon, minLat, maxLon, maxLat] = boundsOf({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } }],
  }) ?? [0, 0, 0, 0];
  return [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
}

/** Every ring of every district polygon (outer rings and holes), as served. */
export function ringsOf(boundaries: Boundaries): LonLat[][] {
  const rings: LonLat[][] = [];
  for (const f of boundaries.features) {
    const g = f.geometry as { type: string; coordinates: unknown };
    if (g.type === 'Polygon') rings.push(...(g.coordinates as LonLat[][]));
    else if (g.type === 'MultiPolygon') for (const poly of g.coordinates as LonLat[][][]) rings.push(...poly);
  }
  return rings;
}
