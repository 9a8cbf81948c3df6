import type { LonLat } from '@egret/protocol';
import type { Boundaries } from './boundaries.ts';

/**
 * The outline map's lines at the detail the zoom can show (issue #19). On software GL a draw's cost follows the
 * vertices drawn: the district fills, their glow, the edges and the shore draw Xiamen's 8,184 outline points four
 * times over, and `bench:wall` at 50,000 units measured the map's draw at ~120 ms without them against ~1.1 s with
 * them. At city view a pixel is 50–70 m and most of those points fall within a pixel of the line through their
 * neighbours: a Douglas–Peucker pass with a tolerance of under a pixel at the zoom drawn leaves 2,000–3,300, and the
 * outline looks the same. Zoomed in past `FULL_DETAIL_FROM` the outline is drawn as it is. Pure.
 */

/** Deviation allowed, in screen pixels at the lowest zoom of a level. */
export const TOLERANCE_PX = 0.75;
/** Levels are half a zoom wide: at the top of a level the deviation is at most `TOLERANCE_PX` × √2 (~1 px). */
const LEVELS_PER_ZOOM = 2;
/** From this zoom on, every point is drawn. */
export const FULL_DETAIL_FROM = 15;

/**
 * `?outline=full`: every point at every zoom (the baseline `bench:wall` compares against). The value is a list:
 * `?outline=full,paths` also draws with deck.gl's PathLayers (./outline-mesh.ts).
 */
export function outlineForcedFull(search: string): boolean {
  const raw = new URLSearchParams(search).get('outline') ?? '';
  return raw
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .includes('full');
}
const OUTLINE_FULL = typeof location !== 'undefined' && outlineForcedFull(location.search);

/** The detail level for a zoom: the zoom rounded down to its level, or null for every point. */
export function detailLevel(zoom: number, full = OUTLINE_FULL): number | null {
  if (full || !Number.isFinite(zoom) || zoom >= FULL_DETAIL_FROM) return null;
  return Math.floor(zoom * LEVELS_PER_ZOOM) / LEVELS_PER_ZOOM;
}

/**
 * The tolerance (degrees of latitude; longitudes are scaled by the cosine of the latitude first) of a level at
 * latitude `lat`: `TOLERANCE_PX` of a 512-pixel Web Mercator world at that zoom.
 */
export function toleranceDeg(level: number, lat: number): number {
  return (TOLERANCE_PX * 360 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** level);
}

/**
 * Douglas–Peucker over `n` points given by `x(i)` and `y(i)` in a plane (any units; `tolerance` in the same): the
 * points to keep (1) and to leave out (0). The ends are kept. The one simplifier of the map: the outline's lines
 * below, the replay's unit tracks (./track-detail.ts).
 */
export function keptPoints(
  n: number,
  x: (i: number) => number,
  y: (i: number) => number,
  tolerance: number,
): Uint8Array {
  const keep = new Uint8Array(n);
  if (n === 0) return keep;
  keep[0] = keep[n - 1] = 1;
  const stack: number[] = n > 2 ? [0, n - 1] : [];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    const ax = x(a),
      ay = y(a);
    const dx = x(b) - ax,
      dy = y(b) - ay;
    const length = Math.hypot(dx, dy);
    let far = -1,
      farthest = -1;
    for (let i = a + 1; i < b; i++) {
      const px = x(i) - ax,
        py = y(i) - ay;
      const d = length > 0 ? Math.abs(dy * px - dx * py) / length : Math.hypot(px, py);
      if (d > farthest) {
        farthest = d;
        far = i;
      }
    }
    if (farthest > tolerance) {
      keep[far] = 1;
      stack.push(a, far, far, b);
    }
  }
  return keep;
}

/**
 * A line with the points that lie within `tolerance` of the line through those kept left out (Douglas–Peucker),
 * in a local equirectangular plane (longitude × cos(latitude)). The ends are kept; a closed ring stays closed.
 */
export function simplifyLine(points: readonly LonLat[], tolerance: number): LonLat[] {
  const n = points.length;
  if (n < 3) return [...points];
  const k = Math.cos((points[0]![1] * Math.PI) / 180);
  const keep = keptPoints(
    n,
    (i) => points[i]![0] * k,
    (i) => points[i]![1],
    tolerance,
  );
  const out: LonLat[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i]!);
  return out;
}

/** A ring simplified, never below the four points (a triangle, closed) a polygon needs. */
function simplifyRing(ring: readonly LonLat[], tolerance: number): LonLat[] {
  const out = simplifyLine(ring, tolerance);
  return out.length >= 4 ? out : [...ring];
}

type Geometry = { type: string; coordinates: unknown };

const boundariesAt = new WeakMap<Boundaries, Map<number, Boundaries>>();

/** The district outlines at a level (the same object for the same boundaries and level), or as they are for null. */
export function boundariesAtLevel(boundaries: Boundaries, level: number | null): Boundaries {
  if (level === null) return boundaries;
  let levels = boundariesAt.get(boundaries);
  if (!levels) boundariesAt.set(boundaries, (levels = new Map()));
  let out = levels.get(level);
  if (!out) {
    const lat = latitudeOf(boundaries);
    const tolerance = toleranceDeg(level, lat);
    out = {
      ...boundaries,
      features: boundaries.features.map((f) => {
        const g = f.geometry as Geometry;
        const coordinates =
          g.type === 'Polygon'
            ? (g.coordinates as LonLat[][]).map((r) => simplifyRing(r, tolerance))
            : g.type === 'MultiPolygon'
              ? (g.coordinates as LonLat[][][]).map((p) => p.map((r) => simplifyRing(r, tolerance)))
              : g.coordinates;
        return { ...f, geometry: { ...g, coordinates } } as typeof f;
      }),
    };
    levels.set(level, out);
  }
  return out;
}

const linesAt = new WeakMap<readonly LonLat[][], Map<number, LonLat[][]>>();

/** Lines (the shore) at a level, the same array for the same lines and level; as they are for null. */
export function linesAtLevel(lines: readonly LonLat[][], level: number | null): readonly LonLat[][] {
  if (level === null || lines.length === 0) return lines;
  let levels = linesAt.get(lines);
  if (!levels) linesAt.set(lines, (levels = new Map()));
  let out = levels.get(level);
  if (!out) {
    const tolerance = toleranceDeg(level, lines[0]![0]?.[1] ?? 0);
    out = lines.map((l) => simplifyLine(l, tolerance));
    levels.set(level, out);
  }
  return out;
}

/** A latitude of the outlines (their first point): what scales longitudes and the tolerance. */
function latitudeOf(boundaries: Boundaries): number {
  for (const f of boundaries.features) {
    const g = f.geometry as Geometry;
    const first =
      g.type === 'Polygon' ? (g.coordinates as LonLat[][])[0]?.[0] : (g.coordinates as LonLat[][][])[0]?.[0]?.[0];
    if (first) return first[1];
  }
  return 0;
}
