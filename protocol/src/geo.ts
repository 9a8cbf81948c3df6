import { z } from 'zod';

/** Longitude in WGS-84/CGCS2000 degrees. Conversion to GCJ-02/BD-09 happens only at the edges that need it. */
export const Lon = z.number().finite().min(-180).max(180);
/** Latitude in WGS-84/CGCS2000 degrees. */
export const Lat = z.number().finite().min(-90).max(90);
/** A point as `[lon, lat]`. */
export const LonLat = z.tuple([Lon, Lat]);
export type LonLat = z.infer<typeof LonLat>;

/** A map extent `[west, south, east, north]` in degrees (a camera's view; never across the antimeridian). */
export const Extent = z
  .tuple([Lon, Lat, Lon, Lat])
  .refine(([w, s, e, n]) => w < e && s < n, 'an extent runs from west to east and from south to north');
export type Extent = z.infer<typeof Extent>;

/** Epoch milliseconds, UTC. */
export const EpochMs = z.number().int().nonnegative();

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineM(a: LonLat, b: LonLat): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a point lies inside a ring of [lon, lat] points (even-odd ray casting; the ring need not be closed). */
export function pointInRing(ring: readonly LonLat[], [lon, lat]: LonLat): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
