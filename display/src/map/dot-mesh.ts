import type { Rgba } from '../theme.ts';

/**
 * Dots as one triangle mesh (issue #19). deck.gl's ScatterplotLayer draws each dot as an instance of a quad, and
 * SwiftShader (the wall's software GL) pays a draw's set-up per instance: ~50–60 µs a ringed dot, ~0.6 s for the
 * typhoon's 11,000 open cases. The same dots as one non-instanced, indexed mesh are one draw
 * (layers/dot-mesh-layer.ts), drawn with ScatterplotLayer's own edge. Pure.
 *
 * Dot i is vertices 4i…4i+3, the corners of its square (x, y in −1…1) around its point, and triangles
 * (4i, 4i+1, 4i+2) and (4i, 4i+2, 4i+3): the mesh's order is the data's, so a later dot is drawn over an earlier
 * one as with instances, and a vertex's dot is `rowIndexes`, which the shader turns into its picking colour (deck.gl
 * then hands `info.index` and `info.object` as for a ScatterplotLayer). A dot whose point is not finite keeps its
 * four vertices, collapsed (it draws nothing and the indices stay in step).
 */

/** What a dot looks like: a value for every dot, or one worked out per dot. */
export type PerDot<T, V> = V | ((d: T) => V);

/** As deck.gl's ScatterplotLayer takes them, with its defaults: radius and ring width 1, both colours black. */
export interface DotStyle<T> {
  getPosition: (d: T) => readonly number[];
  /** Radius in pixels (the layer scales it). */
  getRadius?: PerDot<T, number>;
  /** Ring width in pixels (the layer scales it). */
  getLineWidth?: PerDot<T, number>;
  getFillColor?: PerDot<T, Rgba>;
  getLineColor?: PerDot<T, Rgba>;
}

export interface DotMesh {
  /** Dots, as given (four vertices each). */
  count: number;
  /** Per vertex: longitude, latitude and 0, as 32-bit floats… */
  positions: Float32Array;
  /** …and what those floats lost (deck.gl's `positions64Low`). */
  positions64Low: Float32Array;
  /** Per vertex: its corner of the dot's square, x and y in −1…1 (0, 0 for a dot that draws nothing). */
  corners: Float32Array;
  /** Per vertex: the dot's radius and ring width, in pixels. */
  sizes: Float32Array;
  /** Per vertex: fill colour, 0–255. */
  fillColors: Uint8ClampedArray;
  /** Per vertex: ring colour, 0–255. */
  lineColors: Uint8ClampedArray;
  /** Per vertex: the dot's index in the data (its picking colour). */
  rowIndexes: Float32Array;
  /** Six per dot: two triangles. */
  indices: Uint32Array;
}

const CORNERS = [-1, -1, 1, -1, 1, 1, -1, 1] as const;
const TRIANGLES = [0, 1, 2, 0, 2, 3] as const;
const BLACK: Rgba = [0, 0, 0, 255];

/** The dots of `data` as one mesh. */
export function dotMesh<T>(data: readonly T[], style: DotStyle<T>): DotMesh {
  const n = data.length;
  const positions = new Float32Array(n * 12);
  const positions64Low = new Float32Array(n * 12);
  const corners = new Float32Array(n * 8);
  const sizes = new Float32Array(n * 8);
  const fillColors = new Uint8ClampedArray(n * 16);
  const lineColors = new Uint8ClampedArray(n * 16);
  const rowIndexes = new Float32Array(n * 4);
  const indices = new Uint32Array(n * 6);
  const radius = perDot(style.getRadius ?? 1);
  const lineWidth = perDot(style.getLineWidth ?? 1);
  const fill = perDot(style.getFillColor ?? BLACK);
  const line = perDot(style.getLineColor ?? BLACK);
  for (let i = 0; i < n; i++) {
    const d = data[i]!;
    const p = style.getPosition(d);
    const lon = p[0] ?? NaN,
      lat = p[1] ?? NaN;
    const drawn = Number.isFinite(lon) && Number.isFinite(lat);
    const x = drawn ? lon : 0,
      y = drawn ? lat : 0;
    const xHigh = Math.fround(x),
      yHigh = Math.fround(y);
    const r = finiteOr0(radius(d)),
      w = finiteOr0(lineWidth(d));
    const f = fill(d),
      l = line(d);
    for (let k = 0; k < 4; k++) {
      const v = i * 4 + k;
      positions[v * 3] = xHigh;
      positions[v * 3 + 1] = yHigh;
      positions64Low[v * 3] = x - xHigh;
      positions64Low[v * 3 + 1] = y - yHigh;
      corners[v * 2] = drawn ? CORNERS[k * 2]! : 0;
      corners[v * 2 + 1] = drawn ? CORNERS[k * 2 + 1]! : 0;
      sizes[v * 2] = r;
      sizes[v * 2 + 1] = w;
      for (let c = 0; c < 4; c++) {
        fillColors[v * 4 + c] = f[c] ?? 255;
        lineColors[v * 4 + c] = l[c] ?? 255;
      }
      rowIndexes[v] = i;
    }
    for (let t = 0; t < 6; t++) indices[i * 6 + t] = i * 4 + TRIANGLES[t]!;
  }
  return { count: n, positions, positions64Low, corners, sizes, fillColors, lineColors, rowIndexes, indices };
}

/**
 * Whether two arrays hold the same objects in the same order. The wall hands the layer a new array of open cases
 * whenever its derivation runs again, often with every case the same object (cases are immutable: a changed case is
 * a new object); then the mesh built from the old array is the new one's too, and nothing is built or uploaded.
 */
export function sameRows<T>(a: readonly T[] | undefined, b: readonly T[]): boolean {
  if (a === b) return true;
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function perDot<T, V>(value: PerDot<T, V>): (d: T) => V {
  return typeof value === 'function' ? (value as (d: T) => V) : () => value;
}

function finiteOr0(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * `?dots=instanced`: the cases' dots drawn by deck.gl's ScatterplotLayer as before the mesh — the benches' baseline.
 * Letter case and spaces do not matter; other values of `dots` are ignored.
 */
export function dotsInstanced(search: string = typeof location === 'undefined' ? '' : location.search): boolean {
  return (new URLSearchParams(search).get('dots') ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .includes('instanced');
}
