import type { GridCell } from './grids.ts';
import type { District } from './schema.ts';
import { citySquads } from './plans.ts';

/**
 * Splits a district's grid cells into `k` compact duty areas (责任区), one per squad: k-means on the cell centres
 * weighted by clipped area, started from spread-out cells (farthest-point) so the result needs no randomness and
 * the same city always gets the same areas. Returns the area index of each cell, in the order given.
 */
export function partitionCells(cells: readonly GridCell[], k: number): number[] {
  const n = cells.length;
  if (n === 0) return [];
  k = Math.max(1, Math.min(k, n));
  const lat0 = cells.reduce((s, c) => s + c.center[1], 0) / n;
  const kx = Math.cos((lat0 * Math.PI) / 180); // so that a degree east counts like a degree north
  const xs = cells.map((c) => c.center[0] * kx),
    ys = cells.map((c) => c.center[1]);
  const w = cells.map((c) => Math.max(1, c.areaM2));

  // Farthest-point start: the cell farthest from the area-weighted centre, then the cell farthest from all chosen.
  const cx = weightedMean(xs, w),
    cy = weightedMean(ys, w);
  const seeds: number[] = [argMax(n, (i) => (xs[i]! - cx) ** 2 + (ys[i]! - cy) ** 2)];
  const nearest = xs.map((x, i) => (x - xs[seeds[0]!]!) ** 2 + (ys[i]! - ys[seeds[0]!]!) ** 2);
  while (seeds.length < k) {
    const s = argMax(n, (i) => nearest[i]!);
    seeds.push(s);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, (xs[i]! - xs[s]!) ** 2 + (ys[i]! - ys[s]!) ** 2);
  }
  const mx = seeds.map((s) => xs[s]!),
    my = seeds.map((s) => ys[s]!);
  const assign = new Array<number>(n).fill(0);
  for (let iter = 0; iter < 20; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const a = argMin(k, (j) => (xs[i]! - mx[j]!) ** 2 + (ys[i]! - my[j]!) ** 2);
      if (a !== assign[i]) {
        assign[i] = a;
        changed = true;
      }
    }
    const sx = new Array<number>(k).fill(0),
      sy = new Array<number>(k).fill(0),
      sw = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const a = assign[i]!;
      sx[a]! += xs[i]! * w[i]!;
      sy[a]! += ys[i]! * w[i]!;
      sw[a]! += w[i]!;
    }
    for (let j = 0; j < k; j++)
      if (sw[j]! > 0) {
        mx[j] = sx[j]! / sw[j]!;
        my[j] = sy[j]! / sw[j]!;
      }
    if (!changed && iter > 0) break;
  }
  return assign;
}

function weightedMean(v: readonly number[], w: readonly number[]): number {
  let s = 0,
    t = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i]! * w[i]!;
    t += w[i]!;
  }
  return s / t;
}

function argMax(n: number, f: (i: number) => number): number {
  let best = 0,
    bestV = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}

function argMin(n: number, f: (i: number) => number): number {
  let best = 0,
    bestV = Infinity;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    if (v < bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}

/**
 * Which squad holds each grid cell (责任网格): a district's cells split by `partitionCells` into one duty area per
 * squad, area k to the district's k-th squad (`SQ-<district>-<k+1>`, `citySquads`) — the areas the simulator's roster
 * gives its squads and the hub sends a round's inspections by. `cells`: `gridCells` of the city, in its order.
 */
export function gridSquads(
  cells: readonly GridCell[],
  districts: readonly Pick<District, 'code' | 'squads'>[],
): Map<string, string> {
  const squads = citySquads({ districts });
  const out = new Map<string, string>();
  for (const d of districts) {
    const own = cells.filter((c) => c.district === d.code);
    const area = partitionCells(own, d.squads);
    own.forEach((c, i) => out.set(c.id, squads.get(d.code)![area[i]!]!));
  }
  return out;
}
