import { mercatorX, mercatorY } from './mercator.ts';

/**
 * The heat's cases gathered into small cells of the screen before the GPU spreads them (issue #19). deck.gl's
 * HeatmapLayer draws every point it is given into its weights texture as a sprite as wide as the blur, on every
 * re-count and zoom: on a wall PC without a GPU (SwiftShader) that is fill work per case — on a typhoon's landfall
 * night, with 15,000 cases reported today, seconds a draw. Cases that fall in the same cell, a small fraction of the
 * blur's radius across, are one point at their weighted centre with their summed weight: the blur cannot tell them
 * apart (each moves less than a sixteenth of the radius), and the sprites drawn fall from one a case to one an
 * occupied cell (~2,000 over the whole city at city view, however many cases).
 *
 * Pure: points and weights in, binned points out. The cells are anchored to the world (Web Mercator), not to the
 * viewport, so a pan changes nothing, and sized at whole zoom levels, so a zoom re-bins at most once a level.
 */

/** A cell's side as a fraction of the heat's blur radius (at the whole zoom level below the view's). */
export const HEAT_CELL_FRACTION = 1 / 8;

/** Binned heat: one row per occupied cell, as typed columns the layer draws as binary attributes. */
export interface HeatBins {
  length: number;
  /** [lon, lat] per cell: its points' weighted centre. */
  positions: Float32Array;
  /** The summed weight of its points. */
  weights: Float32Array;
  /** Points gathered (those with a weight above 0). */
  points: number;
}

/**
 * The world scale (screen pixels per unit of the 512-unit Mercator world) the cells are sized at: the view's, rounded
 * down to a whole zoom level (never below zoom 0 nor above 18: closer in, a street's cases are few and the cells of
 * zoom 18 are still a fraction of the blur), so cells change only when the zoom crosses a level.
 */
export function heatBinScale(worldScale: number): number {
  const zoom = Math.min(18, Math.max(0, Math.floor(Math.log2(Math.max(1, worldScale)) + 1e-9)));
  return 2 ** zoom;
}

/** The smallest cell side (screen pixels) `heatBins` takes: with zoom ≤ 18, cell indices stay below 2^26. */
export const MIN_HEAT_CELL_PX = 2;

/**
 * `points` gathered into square world cells of `cellPx` screen pixels at `binScale` (`heatBinScale`): each cell's
 * weight is the sum of its points' weights, its position their weighted mean. Points of weight 0 or less are left
 * out, as the heat leaves them. Cells come in the order their first point came, so the same points give the same bins.
 */
export function heatBins<T>(
  points: readonly T[],
  positionOf: (p: T) => readonly [number, number] | readonly number[],
  weightOf: (p: T) => number,
  cellPx: number,
  binScale: number,
): HeatBins {
  const cellWorld = Math.max(MIN_HEAT_CELL_PX, cellPx) / Math.min(binScale, 2 ** 18);
  const index = new Map<number, number>();
  // Columns grown as cells appear: at most one per point.
  const lon = new Float64Array(points.length);
  const lat = new Float64Array(points.length);
  const weight = new Float64Array(points.length);
  let length = 0;
  let gathered = 0;
  for (const p of points) {
    const w = weightOf(p);
    if (!(w > 0)) continue;
    const [x, y] = positionOf(p) as readonly [number, number];
    // Cell indices stay below 2^26 (512 · 2^18 / 2), so one number keys a cell exactly.
    const key = Math.floor(mercatorX(x) / cellWorld) * 67_108_864 + Math.floor(mercatorY(y) / cellWorld);
    let cell = index.get(key);
    if (cell === undefined) index.set(key, (cell = length++));
    lon[cell]! += x * w;
    lat[cell]! += y * w;
    weight[cell]! += w;
    gathered++;
  }
  const positions = new Float32Array(length * 2);
  const weights = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    positions[2 * i] = lon[i]! / weight[i]!;
    positions[2 * i + 1] = lat[i]! / weight[i]!;
    weights[i] = weight[i]!;
  }
  return { length, positions, weights, points: gathered };
}

/** The page's `?heat=` options (comma-separated, any letter case): the benches' baselines. */
export function heatOptions(search: string = typeof location === 'undefined' ? '' : location.search): Set<string> {
  return new Set((new URLSearchParams(search).get('heat') ?? '').toLowerCase().split(','));
}

/** `?heat=points`: every case its own point in deck.gl's heat, as before the cells — a baseline. */
export function heatFromPoints(search?: string): boolean {
  return heatOptions(search).has('points');
}
