import type { GridMap } from '@egret/protocol';

/** One straight stretch of grid line, from west to east or south to north. */
export interface GridLine {
  from: [number, number];
  to: [number, number];
}

/** Within this fraction of a cell, two stretches of one lattice line touch (≈ 0.5 m at 500 m). */
const TOUCH = 1e-3;
/** A ring vertex lies on a lattice line when within this many degrees of it (the hub rounds to 1e-5°). */
const ON_LINE_DEG = 1.5e-5;
const round = (v: number) => Math.round(v * 1e5) / 1e5;

/**
 * What the grid layer draws: the lattice lines wherever a cell lies on either side, each merged into long straight
 * runs. Drawing every cell's ring instead draws each inner edge twice and cuts every line at every corner — 40,000
 * segments for Xiamen against 403 runs here, which software GL (a wall PC without a GPU) redraws with every
 * frame. A cut cell's other edges are district borders and coast, which the district layers draw already.
 */
export function gridLines(map: GridMap): GridLine[] {
  const { origin, cellLon, cellLat } = map.lattice;
  // Per lattice line (row line k: key 2k, column line k: 2k + 1): stretches along it, in cells from the origin.
  const stretches = new Map<number, [number, number][]>();
  const add = (key: number, a: number, b: number) => {
    if (Math.abs(b - a) < TOUCH) return;
    const list = stretches.get(key);
    const s: [number, number] = a < b ? [a, b] : [b, a];
    if (list) list.push(s);
    else stretches.set(key, [s]);
  };
  for (const c of map.cells) {
    if (!c.rings) {
      add(2 * c.row, c.col, c.col + 1);
      add(2 * (c.row + 1), c.col, c.col + 1);
      add(2 * c.col + 1, c.row, c.row + 1);
      add(2 * (c.col + 1) + 1, c.row, c.row + 1);
      continue;
    }
    for (const ring of c.rings) {
      for (let i = 1; i < ring.length; i++) {
        const [x0, y0] = ring[i - 1]!,
          [x1, y1] = ring[i]!;
        const row = Math.round((y0 - origin[1]) / cellLat);
        if (Math.abs(y0 - y1) < ON_LINE_DEG && Math.abs(y0 - (origin[1] + row * cellLat)) < ON_LINE_DEG) {
          add(2 * row, (x0 - origin[0]) / cellLon, (x1 - origin[0]) / cellLon);
        }
        const col = Math.round((x0 - origin[0]) / cellLon);
        if (Math.abs(x0 - x1) < ON_LINE_DEG && Math.abs(x0 - (origin[0] + col * cellLon)) < ON_LINE_DEG) {
          add(2 * col + 1, (y0 - origin[1]) / cellLat, (y1 - origin[1]) / cellLat);
        }
      }
    }
  }
  const lines: GridLine[] = [];
  // Row lines south to north, then column lines west to east: a stable order, so the same map gives the same rows.
  for (const [key, list] of [...stretches].sort(([a], [b]) => (a % 2) - (b % 2) || a - b)) {
    const k = key >> 1;
    const at = (t: number): [number, number] =>
      key % 2 === 0
        ? [round(origin[0] + t * cellLon), round(origin[1] + k * cellLat)]
        : [round(origin[0] + k * cellLon), round(origin[1] + t * cellLat)];
    list.sort((p, q) => p[0] - q[0]);
    let [a, b] = list[0]!;
    for (const [s, e] of list.slice(1)) {
      if (s <= b + TOUCH) b = Math.max(b, e);
      else {
        lines.push({ from: at(a), to: at(b) });
        [a, b] = [s, e];
      }
    }
    lines.push({ from: at(a), to: at(b) });
  }
  return lines;
}
