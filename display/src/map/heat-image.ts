import { heatOptions, type HeatBins } from './heat-bins.ts';
import { latOfMercatorY, lonOfMercatorX, mercatorX, mercatorY } from './mercator.ts';

/**
 * The heat as a picture worked out on the CPU (issue #19), drawn as one textured rectangle. deck.gl's HeatmapLayer
 * spreads its points on the GPU: a sprite as wide as the blur per point into a float texture, then a pass that draws
 * one point per texel to find the highest weight, then the colours — on a wall PC without a GPU (SwiftShader) about
 * half of a replay seek's draw (measured: 320–370 ms a late seek's draw with the heat, 130–210 without). Here the same
 * kernel is summed into a grid of texels over the view, the highest weight found and the same colour ramp applied, in a
 * few milliseconds of script for the ~2,000 cells the cases are gathered into (./heat-bins.ts); the map only draws the
 * picture.
 *
 * Pure: the frame (which part of the world, how fine) from the view, the picture from the frame and the cells. The
 * grid's texels are square in Web Mercator (the 512-unit world of ./mercator.ts, y growing southwards), row 0 north.
 */

/** `?heat=gpu`: the cells spread by deck.gl's HeatmapLayer on the GPU, as before the picture — a baseline. */
export function heatOnGpu(search?: string): boolean {
  return heatOptions(search).has('gpu');
}

/** The view's longer side is this many texels: the blur (its radius) is then ~20 texels across on every screen. */
export const HEAT_TEXELS_ACROSS = 512;

/** What the picture covers beyond the view, as a fraction of the view's longer side (a small pan needs no new one). */
export const HEAT_FRAME_MARGIN = 0.05;

/** Where the heat's picture lies: its north-west corner and texel side in the Mercator world, its size in texels. */
export interface HeatFrame {
  x0: number;
  y0: number;
  /** A texel's side, Mercator world units. */
  texel: number;
  width: number;
  height: number;
  /** The world scale (pixels per world unit) it was made for: the blur's radius is in screen pixels. */
  scale: number;
  /** [west, south, east, north], degrees: the picture's corners for the map. */
  bounds: [number, number, number, number];
}

/** The view as the heat needs it: its Mercator box and the world scale (deck.gl's `viewport.scale`). */
export interface HeatView {
  /** [west, north, east, south] of the view, Mercator world units. */
  box: [number, number, number, number];
  scale: number;
}

/** The frame for a view: the view and a margin of its own (and of the blur) around it, `HEAT_TEXELS_ACROSS` across. */
export function heatFrame(view: HeatView, radiusPixels: number): HeatFrame {
  const [west, north, east, south] = view.box;
  const longer = Math.max(east - west, south - north, 1e-9);
  const texel = longer / HEAT_TEXELS_ACROSS;
  const margin = longer * HEAT_FRAME_MARGIN + radiusPixels / view.scale;
  const x0 = west - margin;
  const y0 = north - margin;
  const width = Math.ceil((east - west + 2 * margin) / texel);
  const height = Math.ceil((south - north + 2 * margin) / texel);
  const x1 = x0 + width * texel;
  const y1 = y0 + height * texel;
  return {
    x0,
    y0,
    texel,
    width,
    height,
    scale: view.scale,
    bounds: [lonOfMercatorX(x0), latOfMercatorY(y1), lonOfMercatorX(x1), latOfMercatorY(y0)],
  };
}

/**
 * Whether a frame still serves a view: it covers the view, and the view's scale is the frame's (the blur is so many
 * screen pixels wide: a zoom changes it in the world, so the picture is worked out again).
 */
export function frameServes(frame: HeatFrame, view: HeatView): boolean {
  if (Math.abs(Math.log2(view.scale / frame.scale)) > 1e-6) return false;
  const [west, north, east, south] = view.box;
  return (
    west >= frame.x0 &&
    north >= frame.y0 &&
    east <= frame.x0 + frame.width * frame.texel &&
    south <= frame.y0 + frame.height * frame.texel
  );
}

/**
 * How far a cell's weight is spread, as a fraction of the radius: deck.gl's kernel goes to the radius, but beyond
 * three quarters of it is below 5·10⁻⁵ of its peak — under the colour ramp's transparent end however many overlap —
 * and leaving it out is almost half of the work.
 */
export const HEAT_KERNEL_REACH = 0.75;

/** deck.gl's kernel (heatmap-layer weights-fs `gaussianKDE`): exp(-u² / KDE_WIDTH) · KDE_NORM. */
const KDE_WIDTH = 0.05555;
const KDE_NORM = 1 / (1.77245385 * 0.166666);

/** deck.gl's kernel: a point's weight at u = distance / radius; 0 beyond the reach. */
export function heatKernel(u: number): number {
  return u > HEAT_KERNEL_REACH ? 0 : Math.exp((-u * u) / KDE_WIDTH) * KDE_NORM;
}

/** The cells' weights summed over the frame's texels, each spread by `heatKernel` (`radiusPixels` its u = 1). */
export function heatWeights(bins: HeatBins, frame: HeatFrame, radiusPixels: number): Float32Array {
  const { width, height, texel, x0, y0 } = frame;
  const grid = new Float32Array(width * height);
  const radius = radiusPixels / frame.scale / texel; // in texels
  const r = radius * HEAT_KERNEL_REACH; // how far a cell reaches, in texels
  const span = 2 * Math.ceil(r) + 2;
  const ex = new Float64Array(span);
  const ey = new Float64Array(span);
  const r2 = r * r;
  const radius2 = radius * radius;
  for (let i = 0; i < bins.length; i++) {
    const w = bins.weights[i]!;
    // The cell's position in texels; a texel's centre is at its index + 0.5.
    const fx = (mercatorX(bins.positions[2 * i]!) - x0) / texel;
    const fy = (mercatorY(bins.positions[2 * i + 1]!) - y0) / texel;
    const left = Math.max(0, Math.floor(fx - r));
    const right = Math.min(width - 1, Math.ceil(fx + r));
    const top = Math.max(0, Math.floor(fy - r));
    const bottom = Math.min(height - 1, Math.ceil(fy + r));
    if (left > right || top > bottom) continue;
    // exp(-(dx² + dy²)/c) = exp(-dx²/c) · exp(-dy²/c): one row and one column of factors a cell; each row's run of
    // texels within the disc worked out once (a texel counts when its centre is within reach, as on the GPU within the radius).
    for (let x = left; x <= right; x++) ex[x - left] = Math.exp(-((x + 0.5 - fx) ** 2) / (radius2 * KDE_WIDTH));
    for (let y = top; y <= bottom; y++) ey[y - top] = Math.exp(-((y + 0.5 - fy) ** 2) / (radius2 * KDE_WIDTH));
    for (let y = top; y <= bottom; y++) {
      const dy2 = (y + 0.5 - fy) ** 2;
      if (dy2 > r2) continue;
      const half = Math.sqrt(r2 - dy2);
      const from = Math.max(left, Math.ceil(fx - half - 0.5));
      const to = Math.min(right, Math.floor(fx + half - 0.5));
      const wy = w * KDE_NORM * ey[y - top]!;
      const row = y * width;
      for (let x = from; x <= to; x++) grid[row + x]! += wy * ex[x - left]!;
    }
  }
  return grid;
}

/** How the weights become colours: deck.gl's HeatmapLayer's (`intensity`, `threshold`, `colorRange`). */
export interface HeatLook {
  intensity: number;
  threshold: number;
  /** RGBA 0–255, cold to hot: sampled as deck.gl samples its colour texture (linear, clamped to the ends). */
  colours: readonly (readonly [number, number, number, number])[];
}

/** The colour ramp at `factor` (0–1) as a 1×n texture sampled linearly with its edges clamped. */
export function rampAt(colours: HeatLook['colours'], factor: number): [number, number, number, number] {
  const n = colours.length;
  const p = Math.min(1, Math.max(0, factor)) * n - 0.5;
  const i0 = Math.min(n - 1, Math.max(0, Math.floor(p)));
  const i1 = Math.min(n - 1, i0 + 1);
  const t = Math.min(1, Math.max(0, p - Math.floor(p)));
  const a = colours[p < 0 ? 0 : i0]!;
  const b = colours[p < 0 ? 0 : i1]!;
  return [0, 1, 2, 3].map((k) => a[k]! + (b[k]! - a[k]!) * t) as [number, number, number, number];
}

/** Steps of the ramp precomputed: finer than a byte's colour steps between the ramp's six colours. */
const RAMP_STEPS = 1024;

/** Whether this machine stores a Uint32 with its lowest byte first (every browser the wall runs on does). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An RGBA pixel as the Uint32 whose bytes in memory are r, g, b, a. */
function packed(r: number, g: number, b: number, a: number): number {
  const [c0, c1, c2, c3] = [r, g, b, a].map((v) => Math.min(255, Math.max(0, Math.round(v))) >>> 0) as [
    number,
    number,
    number,
    number,
  ];
  return LITTLE_ENDIAN
    ? ((c3 << 24) | (c2 << 16) | (c1 << 8) | c0) >>> 0
    : ((c0 << 24) | (c1 << 16) | (c2 << 8) | c3) >>> 0;
}

/**
 * The weights as RGBA pixels, row 0 north — what deck.gl's heat shader gives a texel (heatmap-layer
 * triangle-layer-fragment): `factor = weight · intensity / max`, the ramp's colour there, its alpha times
 * `min(weight · intensity / (max · threshold), 1)`; no weight, transparent (in the cold colour, so the map's smoothing
 * between texels does not darken the heat's edge). Also the highest weight (0: nothing to show).
 */
export function heatPixels(
  grid: Float32Array,
  look: HeatLook,
): { pixels: Uint8ClampedArray<ArrayBuffer>; max: number } {
  let max = 0;
  for (let i = 0; i < grid.length; i++) if (grid[i]! > max) max = grid[i]!;
  const pixels = new Uint8ClampedArray(grid.length * 4);
  const words = new Uint32Array(pixels.buffer);
  const cold = look.colours[0]!;
  // Each step of the ramp as a whole pixel (above the threshold: most texels are one store) and as its parts.
  const ramp = new Float32Array((RAMP_STEPS + 1) * 4);
  const rampWords = new Uint32Array(RAMP_STEPS + 1);
  for (let s = 0; s <= RAMP_STEPS; s++) {
    const c = rampAt(look.colours, s / RAMP_STEPS);
    ramp.set(c, s * 4);
    rampWords[s] = packed(c[0], c[1], c[2], c[3]);
  }
  words.fill(packed(cold[0], cold[1], cold[2], 0));
  const toFactor = max > 0 ? look.intensity / max : 0;
  const toAlpha = max > 0 && look.threshold > 0 ? look.intensity / (max * look.threshold) : Infinity;
  for (let i = 0; i < grid.length; i++) {
    const w = grid[i]!;
    if (!(w > 0)) continue;
    const s = Math.round(Math.min(1, w * toFactor) * RAMP_STEPS);
    const fade = w * toAlpha;
    if (fade >= 1) {
      words[i] = rampWords[s]!;
      continue;
    }
    const o = i * 4;
    pixels[o] = ramp[s * 4]!;
    pixels[o + 1] = ramp[s * 4 + 1]!;
    pixels[o + 2] = ramp[s * 4 + 2]!;
    pixels[o + 3] = ramp[s * 4 + 3]! * fade;
  }
  return { pixels, max };
}
