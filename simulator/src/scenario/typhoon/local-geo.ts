import type { LonLat } from '@egret/protocol';

/**
 * Flat-earth helpers for the few hundred kilometres around a storm: an equirectangular projection about the storm
 * centre is within a fraction of a percent of the great circle at these distances, and far cheaper per cell.
 */

const KM_PER_DEG_LAT = 110.8;
const KM_PER_DEG_LON_EQUATOR = 111.32;
const RAD = Math.PI / 180;

/** East and north offsets in km from `origin` to `point`. */
export function offsetKm(origin: LonLat, point: LonLat): [number, number] {
  const kx = KM_PER_DEG_LON_EQUATOR * Math.cos(((origin[1] + point[1]) / 2) * RAD);
  return [(point[0] - origin[0]) * kx, (point[1] - origin[1]) * KM_PER_DEG_LAT];
}

/** Distance in km (equirectangular). */
export function distanceKm(a: LonLat, b: LonLat): number {
  const [dx, dy] = offsetKm(a, b);
  return Math.hypot(dx, dy);
}

/** The point `eastKm`, `northKm` away from `origin`. */
export function moveKm(origin: LonLat, eastKm: number, northKm: number): LonLat {
  const lat = origin[1] + northKm / KM_PER_DEG_LAT;
  const kx = KM_PER_DEG_LON_EQUATOR * Math.cos(((origin[1] + lat) / 2) * RAD);
  return [origin[0] + eastKm / kx, lat];
}

/** Compass bearing in degrees (0 = north, 90 = east) of an east/north vector. */
export function bearingDeg(east: number, north: number): number {
  const b = Math.atan2(east, north) / RAD;
  return b < 0 ? b + 360 : b;
}

/** The point `km` away from `origin` along compass bearing `deg`. */
export function moveAlong(origin: LonLat, deg: number, km: number): LonLat {
  return moveKm(origin, km * Math.sin(deg * RAD), km * Math.cos(deg * RAD));
}
