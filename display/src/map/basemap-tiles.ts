import gcoord from 'gcoord';
import type { BasemapInfo, LonLat } from '@egret/protocol';

/** A tile of the Web Mercator grid (XYZ: row 0 at the top). */
export interface TileIndex {
  x: number;
  y: number;
  z: number;
}

/**
 * The URL of one tile from the served template (pure): `{z}`, `{x}`, `{y}`, `{-y}` (TMS rows, counted from the
 * bottom) and `{s}`, a subdomain taken in turn by tile so that a wall spreads its requests.
 */
export function tileUrl(template: string, subdomains: readonly string[], { x, y, z }: TileIndex): string {
  const s = subdomains.length ? subdomains[Math.abs(x + y) % subdomains.length]! : '';
  return template
    .replaceAll('{z}', String(z))
    .replaceAll('{x}', String(x))
    .replaceAll('{y}', String(y))
    .replaceAll('{-y}', String(2 ** z - 1 - y))
    .replaceAll('{s}', s);
}

/** The longitude and latitude of a tile-grid corner (x, y in tiles at zoom z) on its own datum. */
function gridLonLat(x: number, y: number, z: number): LonLat {
  const n = 2 ** z;
  const lon = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon, lat];
}

/** A GCJ-02 position in WGS-84 (gcoord's inverse; a few centimetres off, far below a pixel at street zoom). */
export function gcj02ToWgs84(p: LonLat): LonLat {
  return gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as LonLat;
}

/**
 * Where a tile's picture goes on Egret's WGS-84 map, as BitmapLayer corners (bottom-left, top-left, top-right,
 * bottom-right). A WGS-84 tile sits on its grid; a GCJ-02 tile shows the ground ~500 m from where its grid says,
 * so each corner is moved by GCJ-02 → WGS-84. The shift varies by well under a metre across a street-level tile,
 * so moving the four corners moves every pixel with them: Egret's own layers stay in WGS-84 untouched.
 */
export function tileCorners({ x, y, z }: TileIndex, crs: BasemapInfo['crs']): [LonLat, LonLat, LonLat, LonLat] {
  const corners: [LonLat, LonLat, LonLat, LonLat] = [
    gridLonLat(x, y + 1, z),
    gridLonLat(x, y, z),
    gridLonLat(x + 1, y, z),
    gridLonLat(x + 1, y + 1, z),
  ];
  return crs === 'gcj02' ? (corners.map(gcj02ToWgs84) as typeof corners) : corners;
}
