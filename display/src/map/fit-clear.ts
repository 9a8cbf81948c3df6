import type { MapViewState } from '@deck.gl/core';
import type { LonLat } from '@egret/protocol';
import { fitCity, type Bbox } from './view.ts';
import { latOfMercatorY, lonOfMercatorX, mercatorX, mercatorY } from './mercator.ts';

/**
 * A box over the map canvas that the city should not be drawn under (the wall's legends), anchored to the canvas's
 * edges in CSS pixels: `right: 28, bottom: 28` is a box 28 px in from the bottom-right corner.
 */
export interface EdgeBox {
  width: number;
  height: number;
  left?: number;
  right?: number;
  top?: number;
  bottom?: number;
}

/** Offsets tried per axis at each scale: the city slides within the canvas to get out from under the boxes. */
const STEPS = 12;
/** Halvings of the scale range searched between "no box at all" and "as small as needed". */
const SEARCH = 18;
/** Cells per side of the city in which outline points are taken as one (≈ 2–3 px on the wall). */
const GRID = 600;
/** Never below this share of the plain fit: past it the boxes are laid over the city as before. */
const MIN_SHARE = 0.5;

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const rectOf = (b: EdgeBox, width: number, height: number, margin: number): Rect => {
  const x0 = b.left !== undefined ? b.left : width - (b.right ?? 0) - b.width;
  const y0 = b.top !== undefined ? b.top : height - (b.bottom ?? 0) - b.height;
  return { x0: x0 - margin, y0: y0 - margin, x1: x0 + b.width + margin, y1: y0 + b.height + margin };
};

/** The largest scale up to `kPlain` with a clear placement (none below MIN_SHARE of it: null), by halving. */
function largestClear(
  place: (k: number) => [number, number] | null,
  kPlain: number,
): { k: number; at: [number, number] } | null {
  const first = place(kPlain);
  if (first) return { k: kPlain, at: first };
  let [lo, hi] = [kPlain * MIN_SHARE, kPlain];
  const floor = place(lo);
  if (!floor) return null;
  let best = { k: lo, at: floor };
  for (let s = 0; s < SEARCH; s++) {
    const mid = (lo + hi) / 2;
    const at = place(mid);
    if (at) [lo, best] = [mid, { k: mid, at }];
    else hi = mid;
  }
  return best;
}

/**
 * The camera that shows the whole city (every point of `outline`, within `padding`) as large as it can while no
 * point falls under a box (plus `margin`): the city keeps its plain fit when it already clears them, else it
 * slides away from them (as near the middle as it can) and shrinks only as much as it must. Pure and deterministic;
 * if even half the plain fit cannot clear the boxes, the plain fit.
 */
export function fitClearOf(
  outline: readonly LonLat[],
  bbox: Bbox,
  width: number,
  height: number,
  padding: number,
  boxes: readonly EdgeBox[],
  margin = 16,
): MapViewState {
  const plain = fitCity(bbox, width, height, padding);
  if (boxes.length === 0 || outline.length === 0 || width < 2 || height < 2) return plain;
  const rects = boxes.filter((b) => b.width > 0 && b.height > 0).map((b) => rectOf(b, width, height, margin));
  if (rects.length === 0) return plain;

  const minX = mercatorX(bbox[0]),
    maxX = mercatorX(bbox[2]),
    minY = mercatorY(bbox[3]),
    maxY = mercatorY(bbox[1]);
  // Points closer than 1/GRID of the city's size stand for each other: a district border's thousands of vertices
  // shrink to the few hundred that can meet a box.
  const seen = new Set<number>();
  const [cellX, cellY] = [(maxX - minX) / GRID || 1, (maxY - minY) / GRID || 1];
  const xsAll: number[] = [],
    ysAll: number[] = [];
  for (const [lon, lat] of outline) {
    const x = mercatorX(lon) - minX,
      y = mercatorY(lat) - minY;
    const cell = Math.round(x / cellX) * (GRID + 1) + Math.round(y / cellY);
    if (seen.has(cell)) continue;
    seen.add(cell);
    xsAll.push(x);
    ysAll.push(y);
  }
  const n = xsAll.length;
  const xs = Float64Array.from(xsAll),
    ys = Float64Array.from(ysAll);
  const pad = Math.max(0, Math.min(padding, Math.floor(Math.min(width, height) / 2) - 1));
  const kPlain = 2 ** plain.zoom;

  /** Whether the city drawn at scale k with its bbox's top-left at (ox, oy) stays out from under every box. */
  const clear = (k: number, ox: number, oy: number): boolean => {
    for (const r of rects) {
      // The bbox misses this box altogether: no point can be under it.
      if (ox >= r.x1 || oy >= r.y1 || ox + (maxX - minX) * k <= r.x0 || oy + (maxY - minY) * k <= r.y0) continue;
      for (let i = 0; i < n; i++) {
        const x = ox + xs[i]! * k,
          y = oy + ys[i]! * k;
        if (x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1) return false;
      }
    }
    return true;
  };
  /** The clear placement nearest the middle at scale k, if any. */
  const place = (k: number): [number, number] | null => {
    const bw = (maxX - minX) * k,
      bh = (maxY - minY) * k;
    const [xLo, xHi] = [pad, Math.max(pad, width - pad - bw)];
    const [yLo, yHi] = [pad, Math.max(pad, height - pad - bh)];
    const [cx, cy] = [(width - bw) / 2, (height - bh) / 2];
    const tries: [number, number, number][] = [];
    for (let i = 0; i <= STEPS; i++)
      for (let j = 0; j <= STEPS; j++) {
        const ox = xLo + ((xHi - xLo) * i) / STEPS,
          oy = yLo + ((yHi - yLo) * j) / STEPS;
        tries.push([Math.hypot(ox - cx, oy - cy), ox, oy]);
      }
    tries.push([0, Math.min(xHi, Math.max(xLo, cx)), Math.min(yHi, Math.max(yLo, cy))]);
    tries.sort((a, b) => a[0] - b[0]);
    for (const [, ox, oy] of tries) if (clear(k, ox, oy)) return [ox, oy];
    return null;
  };

  const [bw0, bh0] = [(maxX - minX) * kPlain, (maxY - minY) * kPlain];
  if (clear(kPlain, (width - bw0) / 2, (height - bh0) / 2)) return plain;
  const best = largestClear(place, kPlain);
  if (!best) return plain;
  const { k, at } = best;
  // The canvas's centre, in world pixels, is where the camera looks.
  const centreX = minX + (width / 2 - at[0]) / k;
  const centreY = minY + (height / 2 - at[1]) / k;
  return {
    longitude: lonOfMercatorX(centreX),
    latitude: latOfMercatorY(centreY),
    zoom: Math.log2(k),
    pitch: 0,
    bearing: 0,
  };
}
