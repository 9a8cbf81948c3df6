import type { Rgba } from '../theme.ts';

/**
 * Straight lines of a width in pixels as one triangle mesh (issue #19): what deck.gl's LineLayer draws, without its
 * instances. SwiftShader pays a draw's set-up per instance; at a typhoon's landfall ~2,300 dispatch lines cost a
 * software-GL draw ~0.6 s as a LineLayer. Pure; drawn by layers/segment-mesh-layer.ts.
 *
 * Line i is vertices 4i…4i+3, each holding both ends (high and low 32-bit parts, as deck.gl's 64-bit positions), its
 * corner — along the line (0 at the source, 1 at the target) and across it (−1, 1) — its width and its colour; the
 * shader turns the line's direction on the screen into the offset across, as the LineLayer does (butt ends, no
 * antialiasing). Triangles (4i, 4i+1, 4i+2) and (4i+1, 4i+3, 4i+2): the data's order, a later line over an earlier.
 */
export interface SegmentStyle<T> {
  getSourcePosition: (d: T) => readonly number[];
  getTargetPosition: (d: T) => readonly number[];
  /** Width in pixels (the layer scales it). Default 1, as the LineLayer's. */
  getWidth?: number | ((d: T) => number);
  /** Default black, as the LineLayer's. */
  getColor?: Rgba | ((d: T) => Rgba);
}

export interface SegmentMesh {
  count: number;
  /** Per vertex: the source's longitude, latitude and height, as 32-bit floats, and what they lost. */
  sources: Float32Array;
  sources64Low: Float32Array;
  /** Per vertex: the target's, likewise. */
  targets: Float32Array;
  targets64Low: Float32Array;
  /** Per vertex: along the line (0 source, 1 target) and across it (−1, 1). */
  corners: Float32Array;
  /** Per vertex: the line's width in pixels. */
  widths: Float32Array;
  /** Per vertex: colour, 0–255. */
  colors: Uint8ClampedArray;
  indices: Uint32Array;
}

const CORNERS = [0, -1, 0, 1, 1, -1, 1, 1] as const;
const TRIANGLES = [0, 1, 2, 1, 3, 2] as const;
const BLACK: Rgba = [0, 0, 0, 255];

/** The lines of `data` as one mesh. A line with an end that is not finite draws nothing and keeps its place. */
export function segmentMesh<T>(data: readonly T[], style: SegmentStyle<T>): SegmentMesh {
  const n = data.length;
  const sources = new Float32Array(n * 12);
  const sources64Low = new Float32Array(n * 12);
  const targets = new Float32Array(n * 12);
  const targets64Low = new Float32Array(n * 12);
  const corners = new Float32Array(n * 8);
  const widths = new Float32Array(n * 4);
  const colors = new Uint8ClampedArray(n * 16);
  const indices = new Uint32Array(n * 6);
  const width = typeof style.getWidth === 'function' ? style.getWidth : () => (style.getWidth as number) ?? 1;
  const color = typeof style.getColor === 'function' ? style.getColor : () => (style.getColor as Rgba) ?? BLACK;
  for (let i = 0; i < n; i++) {
    const d = data[i]!;
    const s = style.getSourcePosition(d),
      t = style.getTargetPosition(d);
    const drawn = [s[0], s[1], t[0], t[1]].every((v) => Number.isFinite(v));
    const w = drawn ? width(d) : 0;
    const c = color(d);
    for (let k = 0; k < 4; k++) {
      const v = i * 4 + k;
      for (let a = 0; a < 3; a++) {
        const sv = drawn ? (s[a] ?? 0) : 0,
          tv = drawn ? (t[a] ?? 0) : 0;
        sources[v * 3 + a] = sv;
        sources64Low[v * 3 + a] = sv - Math.fround(sv);
        targets[v * 3 + a] = tv;
        targets64Low[v * 3 + a] = tv - Math.fround(tv);
      }
      corners[v * 2] = CORNERS[k * 2]!;
      corners[v * 2 + 1] = CORNERS[k * 2 + 1]!;
      widths[v] = Number.isFinite(w) && w > 0 ? w : 0;
      for (let ch = 0; ch < 4; ch++) colors[v * 4 + ch] = c[ch] ?? 255;
    }
    for (let k = 0; k < 6; k++) indices[i * 6 + k] = i * 4 + TRIANGLES[k]!;
  }
  return { count: n, sources, sources64Low, targets, targets64Low, corners, widths, colors, indices };
}
