import { TITLE_HEIGHT, WALL_GAP, WALL_HEIGHT } from './wall-layout.ts';

/**
 * Where the walls' video windows go: over the map, in its right half, below the 推屏 banner and above the legend, as
 * large as the count allows, 16:9 with a title bar, never overlapping. Pure: the same map size and count give the
 * same boxes on every wall of the same width.
 */

export interface VideoRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VideoLayoutOptions {
  /** Share of the map's width the windows may take (the city stays readable on the left). */
  share?: number;
  /** Kept clear at the top: the 推屏 banner. */
  top?: number;
  /** Kept clear at the bottom: the map legend in the bottom-right corner. */
  bottom?: number;
  /** Gap between windows and from the map's edge. */
  gap?: number;
  /** The window's title bar (camera name and state) above the picture. */
  titleHeight?: number;
}

export const VIDEO_LAYOUT: Required<VideoLayoutOptions> = {
  share: 0.5,
  top: 124,
  bottom: 510,
  gap: 24,
  titleHeight: 56,
};

/** The map's box on a wall: the centre column under the alert rail (Wall.svelte's grid; the rail grows in wartime). */
export function wallMapBox(mapWidth: number, alertsLead: boolean): { width: number; height: number } {
  const rail = alertsLead ? 372 : 236;
  return { width: mapWidth, height: WALL_HEIGHT - TITLE_HEIGHT - 2 * WALL_GAP - rail - WALL_GAP };
}

/** Picture aspect: what GB/T 28181 cameras stream (1080p, 720p, D1 scaled). */
const ASPECT = 9 / 16;

/**
 * Boxes for `n` windows in a map `width` × `height` pixels (relative to the map's top-left), oldest first, filling the
 * region's rows right to left from the top. The grid (columns × rows) is the one that gives the widest picture.
 */
export function videoWindowRects(
  map: { width: number; height: number },
  n: number,
  options: VideoLayoutOptions = {},
): VideoRect[] {
  const o = { ...VIDEO_LAYOUT, ...options };
  if (n <= 0) return [];
  const regionW = Math.floor(map.width * o.share) - o.gap;
  const regionH = map.height - o.top - o.bottom;
  let best = { cols: 1, rows: n, w: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const byWidth = (regionW - (cols - 1) * o.gap) / cols;
    const byHeight = ((regionH - (rows - 1) * o.gap) / rows - o.titleHeight) / ASPECT;
    const w = Math.floor(Math.min(byWidth, byHeight));
    if (w > best.w) best = { cols, rows, w };
  }
  let w = Math.max(0, best.w);
  // Rounding the picture's height may add a pixel per row: shrink until the rows fit.
  while (w > 0 && best.rows * (Math.round(w * ASPECT) + o.titleHeight) + (best.rows - 1) * o.gap > regionH) w--;
  const h = Math.round(w * ASPECT) + o.titleHeight;
  const right = map.width - o.gap;
  return Array.from({ length: n }, (_, i) => {
    const row = Math.floor(i / best.cols);
    const col = i % best.cols;
    return { x: right - (col + 1) * w - col * o.gap, y: o.top + row * (h + o.gap), width: w, height: h };
  });
}
