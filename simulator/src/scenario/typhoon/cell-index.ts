import { pointInRing, type LonLat } from '@egret/protocol';
import type { TyphoonCell } from './assets.ts';

/**
 * Finds the grid cell holding a point quickly: cells are bucketed by their bounding boxes on a 0.01° raster, and a
 * point is tested only against the cells of its bucket (even-odd rule on the clipped outlines).
 */
export interface CellIndex {
  cells: readonly TyphoonCell[];
  /** [minLon, minLat, maxLon, maxLat] per cell. */
  boxes: Float64Array;
  buckets: Map<number, number[]>;
}

const BUCKET_DEG = 0.01;

function bucketKey(ix: number, iy: number): number {
  return ix * 100_000 + iy;
}

export function buildCellIndex(cells: readonly TyphoonCell[]): CellIndex {
  const boxes = new Float64Array(cells.length * 4);
  const buckets = new Map<number, number[]>();
  cells.forEach((cell, i) => {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const poly of cell.polygons)
      for (const [lon, lat] of poly[0] ?? []) {
        x0 = Math.min(x0, lon);
        x1 = Math.max(x1, lon);
        y0 = Math.min(y0, lat);
        y1 = Math.max(y1, lat);
      }
    if (!(x1 >= x0)) [x0, y0, x1, y1] = [cell.center[0], cell.center[1], cell.center[0], cell.center[1]];
    boxes.set([x0, y0, x1, y1], i * 4);
    for (let ix = Math.floor(x0 / BUCKET_DEG); ix <= Math.floor(x1 / BUCKET_DEG); ix++) {
      for (let iy = Math.floor(y0 / BUCKET_DEG); iy <= Math.floor(y1 / BUCKET_DEG); iy++) {
        const key = bucketKey(ix, iy);
        const list = buckets.get(key);
        if (list) list.push(i);
        else buckets.set(key, [i]);
      }
    }
  });
  return { cells, boxes, buckets };
}

/** Whether a point lies inside a cell's clipped outline. */
export function inCell(cell: TyphoonCell, p: LonLat): boolean {
  return cell.polygons.some((poly) => pointInRing(poly[0] ?? [], p) && !poly.slice(1).some((h) => pointInRing(h, p)));
}

/**
 * Index of the cell holding the point; failing that (a pier, a point in a coastal seam) the cell whose centre is
 * nearest among the neighbouring buckets; -1 when the point is off the grid.
 */
export function cellIndexAt(index: CellIndex, point: LonLat): number {
  const ix = Math.floor(point[0] / BUCKET_DEG),
    iy = Math.floor(point[1] / BUCKET_DEG);
  for (const i of index.buckets.get(bucketKey(ix, iy)) ?? []) {
    const b = i * 4;
    if (
      point[0] < index.boxes[b]! ||
      point[0] > index.boxes[b + 2]! ||
      point[1] < index.boxes[b + 1]! ||
      point[1] > index.boxes[b + 3]!
    )
      continue;
    if (inCell(index.cells[i]!, point)) return i;
  }
  let best = -1,
    bestD = Infinity;
  for (let dx = -1; dx <= 1; dx++)
    for (let dy = -1; dy <= 1; dy++) {
      for (const i of index.buckets.get(bucketKey(ix + dx, iy + dy)) ?? []) {
        const c = index.cells[i]!.center;
        const d = (c[0] - point[0]) ** 2 + (c[1] - point[1]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
    }
  return best;
}

/** A uniformly random point inside a cell's outline (its centre if 30 tries all miss, e.g. a sliver). */
export function randomPointInCell(index: CellIndex, i: number, float: () => number): LonLat {
  const cell = index.cells[i]!;
  const b = i * 4;
  const [x0, y0, x1, y1] = [index.boxes[b]!, index.boxes[b + 1]!, index.boxes[b + 2]!, index.boxes[b + 3]!];
  for (let attempt = 0; attempt < 30; attempt++) {
    const p: LonLat = [round6(x0 + (x1 - x0) * float()), round6(y0 + (y1 - y0) * float())];
    if (inCell(cell, p)) return p;
  }
  return [round6(cell.center[0]), round6(cell.center[1])];
}

/** Six decimals (~0.1 m), as a message carries it. */
function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
