import { keptPoints, toleranceDeg } from './outline-detail.ts';

/**
 * The replay's unit tracks at the detail the zoom can show (issue #19). A late seek in the typhoon draws up to 3,000
 * tracks of 30 world-minutes at 10-s samples — hundreds of thousands of path segments, and on software GL a draw's
 * cost follows the vertices drawn. At city view a pixel is 50–70 m and most samples lie within a pixel of the line
 * through their neighbours: the outline's simplifier (./outline-detail.ts, Douglas–Peucker under 0.75 px at each half
 * zoom level, every point from zoom 15) leaves out those, and the tracks look the same. Pure.
 */

/** Tracks as the replay hands them to the map: flat [lon, lat] pairs, one path after another. */
export interface FlatPaths {
  length: number;
  startIndices: Uint32Array;
  positions: Float32Array;
}

/** The `?tracks=` flags, comma-separated: `full`, `paths` (the baselines `bench:replay` compares against). */
function trackFlags(search: string): string[] {
  return (new URLSearchParams(search).get('tracks') ?? '').split(',').map((v) => v.trim().toLowerCase());
}

/** `?tracks=full`: every sample at every zoom. */
export function tracksForcedFull(search: string): boolean {
  return trackFlags(search).includes('full');
}

/** `?tracks=paths`: the tracks drawn by deck.gl's PathLayer, as before they were a mesh (../map/line-mesh.ts). */
export function tracksForcedPaths(search: string): boolean {
  return trackFlags(search).includes('paths');
}

/**
 * The paths with the samples within `tolerance` (degrees of latitude; longitudes are scaled by the cosine of the
 * first point's latitude) of each simplified path left out. Every path keeps its ends, so none is dropped or cut.
 */
export function simplifyPaths<T extends FlatPaths>(paths: T, tolerance: number): T {
  const { length, startIndices, positions } = paths;
  const points = positions.length / 2;
  if (length === 0) return paths;
  const k = Math.cos((positions[1]! * Math.PI) / 180);
  const out = new Float32Array(positions.length);
  const starts = new Uint32Array(length);
  let n = 0;
  for (let p = 0; p < length; p++) {
    const a = startIndices[p]!;
    const b = p + 1 < length ? startIndices[p + 1]! : points;
    starts[p] = n;
    const keep = keptPoints(
      b - a,
      (i) => positions[2 * (a + i)]! * k,
      (i) => positions[2 * (a + i) + 1]!,
      tolerance,
    );
    for (let i = 0; i < b - a; i++)
      if (keep[i]) {
        out[2 * n] = positions[2 * (a + i)]!;
        out[2 * n + 1] = positions[2 * (a + i) + 1]!;
        n++;
      }
  }
  return { ...paths, startIndices: starts, positions: out.slice(0, 2 * n) };
}

const atLevel = new WeakMap<FlatPaths, Map<number, FlatPaths>>();

/**
 * The tracks at a detail level (./outline-detail.ts `detailLevel`): the same object for the same tracks and level
 * (a new picture of the tracks is a new object), as they are for null.
 */
export function tracksAtLevel<T extends FlatPaths>(tracks: T, level: number | null): T {
  if (level === null || tracks.length === 0) return tracks;
  let levels = atLevel.get(tracks);
  if (!levels) atLevel.set(tracks, (levels = new Map()));
  let out = levels.get(level) as T | undefined;
  if (!out) {
    out = simplifyPaths(tracks, toleranceDeg(level, tracks.positions[1]!));
    levels.set(level, out);
  }
  return out;
}

/** Points of all paths (what a draw's cost follows). */
export function pointCount(paths: FlatPaths): number {
  return paths.positions.length / 2;
}
