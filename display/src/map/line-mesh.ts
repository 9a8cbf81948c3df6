import type { LonLat } from '@egret/protocol';
import type { Rgba } from '../theme.ts';

/**
 * Lines of a fixed width in screen pixels as one triangle mesh (issue #19). deck.gl's PathLayer draws each segment
 * as an instance, and SwiftShader (the wall's software GL) pays a draw's set-up per instance: the outline map's few
 * thousand segments cost ~0.1–0.4 s a layer whatever their width or length. The same lines as one non-instanced
 * mesh are one draw (layers/line-mesh-layer.ts). Pure.
 *
 * A vertex holds its point (longitude, latitude; high and low parts, as deck.gl's 64-bit positions) and an offset
 * in half widths: x east and y north in Web Mercator, which is deck.gl's common space up to a scale (and Mercator
 * keeps angles), so the shader only turns half widths into pixels. Each segment is a quad one width wide. Joints
 * are round on the outer side of a turn (a fan around the point) and meet at the miter point on the inner side, so
 * no pixel is covered twice and a translucent line blends as deck.gl's PathLayer with rounded joints does; ends
 * are round. The inner miter point is kept within both segments it joins (`limits`, applied by the shader at the
 * width drawn). A turn whose inner miter would reach past `MITER_LIMIT` half widths (a hairpin) lets the two segments
 * overlap on the inner side instead.
 */

export interface MeshLine {
  /** Longitude, latitude. A line whose last point is its first is a ring: no caps, its start joined to its end. */
  path: readonly LonLat[];
  color: Rgba;
  /** Width in pixels (the layer may scale it). */
  width: number;
}

export interface LineMesh {
  vertexCount: number;
  /** Per vertex: longitude, latitude and 0, as 32-bit floats… */
  positions: Float32Array;
  /** …and what those floats lost (deck.gl's `positions64Low`). */
  positions64Low: Float32Array;
  /** Per vertex: the offset from the point in half widths, x east and y north in Mercator. */
  offsets: Float32Array;
  /** Per vertex: the line's width in pixels. */
  widths: Float32Array;
  /**
   * Per vertex: the longest its offset may reach, in deck.gl's common units (512 to the world's width): an inner
   * miter point never past the end of either segment it joins, however wide the line is drawn. `NO_LIMIT` elsewhere.
   */
  limits: Float32Array;
  /** Per vertex: the line's colour, 0–1. */
  colors: Float32Array;
  /** Three vertices per triangle. */
  indices: Uint32Array;
}

/** Past this the inner miter (in half widths) is not used: a turn of more than ~150°. */
export const MITER_LIMIT = 4;
/**
 * How far (pixels, at the width given) a joint or a cap may stray from a true round one: a turn the miter would
 * overshoot by less is mitred on both sides, and arcs are cut into chords that miss the circle by less. A 3-px
 * line is then nearly all miters (two vertices a point) and a 12-px glow round wherever it turns more than ~30°.
 */
export const ROUND_TOLERANCE_PX = 0.25;

/** The turn (radians) from which a line of half width `r` pixels gets a round joint. */
export const roundFrom = (r: number): number => 2 * Math.acos(r / (r + ROUND_TOLERANCE_PX));
/** The largest step (radians) of an arc of radius `r` pixels. */
export const arcStep = (r: number): number =>
  r <= ROUND_TOLERANCE_PX ? Math.PI : 2 * Math.acos(1 - ROUND_TOLERANCE_PX / r);

/** An offset with no limit (`LineMesh.limits`). */
export const NO_LIMIT = 1e9;
const RAD = Math.PI / 180;
/** deck.gl's common units per degree of longitude (and of Mercator y in degrees). */
const COMMON_PER_DEGREE = 512 / 360;
/** Web-Mercator y of a latitude, in degrees of longitude (deck.gl's common space up to a scale). */
const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2)) / RAD;

/** A typed array twice as long, with what `a` held. */
function grown<T extends Float64Array | Float32Array | Uint32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(2 * a.length);
  b.set(a);
  return b;
}

/**
 * Grows as vertices and triangles are added; `mesh()` hands out arrays of the right length. Written into typed arrays
 * that double as they fill, not pushed onto arrays of numbers (a late replay seek's tracks are ~10^5 vertices: the
 * page's profile had `vertex` at 43–82 ms a seek). Positions are kept as doubles until `mesh()` splits them into
 * deck.gl's high and low floats; everything else is a 32-bit float from the start, as it was at the end before.
 */
class MeshBuilder {
  private n = 0;
  private t = 0;
  private positions: Float64Array;
  private offsets: Float32Array;
  private widths: Float32Array;
  private limits: Float32Array;
  private colors: Float32Array;
  private indices: Uint32Array;
  /** The last line's colour, 0–1 (a line's vertices come together). */
  private colorOf: { line: MeshLine | null; rgba: [number, number, number, number] } = {
    line: null,
    rgba: [0, 0, 0, 0],
  };

  /** `vertices`: how many to make room for at first (they grow past it). */
  constructor(vertices: number) {
    const n = Math.max(1024, vertices);
    this.positions = new Float64Array(3 * n);
    this.offsets = new Float32Array(2 * n);
    this.widths = new Float32Array(n);
    this.limits = new Float32Array(n);
    this.colors = new Float32Array(4 * n);
    // Two triangles a segment (a quad), a few more at joints and caps.
    this.indices = new Uint32Array(6 * n);
  }

  vertex(lon: number, lat: number, ox: number, oy: number, line: MeshLine, limit = NO_LIMIT): number {
    const i = this.n;
    if (i === this.widths.length) {
      this.positions = grown(this.positions);
      this.offsets = grown(this.offsets);
      this.widths = grown(this.widths);
      this.limits = grown(this.limits);
      this.colors = grown(this.colors);
    }
    this.positions[3 * i] = lon;
    this.positions[3 * i + 1] = lat;
    this.offsets[2 * i] = ox;
    this.offsets[2 * i + 1] = oy;
    this.widths[i] = line.width;
    this.limits[i] = limit;
    if (this.colorOf.line !== line) {
      const [r, g, b, a = 255] = line.color;
      this.colorOf = { line, rgba: [r / 255, g / 255, b / 255, a / 255] };
    }
    this.colors.set(this.colorOf.rgba, 4 * i);
    return this.n++;
  }

  triangle(a: number, b: number, c: number): void {
    if (this.t + 3 > this.indices.length) this.indices = grown(this.indices);
    this.indices[this.t++] = a;
    this.indices[this.t++] = b;
    this.indices[this.t++] = c;
  }

  mesh(): LineMesh {
    const n = this.n;
    const doubles = this.positions.subarray(0, 3 * n);
    const positions = new Float32Array(doubles);
    const positions64Low = new Float32Array(3 * n);
    for (let i = 0; i < 3 * n; i++) positions64Low[i] = doubles[i]! - positions[i]!;
    return {
      vertexCount: n,
      positions,
      positions64Low,
      offsets: this.offsets.slice(0, 2 * n),
      widths: this.widths.slice(0, n),
      limits: this.limits.slice(0, n),
      colors: this.colors.slice(0, 4 * n),
      indices: this.indices.slice(0, this.t),
    };
  }
}

/** The two vertex pairs a point offers: `end` closes the segment coming in, `start` opens the one going out. */
interface Joint {
  end: [left: number, right: number];
  start: [left: number, right: number];
}

/** The lines as one mesh, in the order given (a later line is drawn over an earlier one). */
export function lineMesh(lines: readonly MeshLine[]): LineMesh {
  // Two vertices a point where it is mitred, more at round joints and caps: room for most lines at once.
  let points = 0;
  for (const line of lines) points += line.path.length;
  const out = new MeshBuilder(2 * points + 16 * lines.length);
  for (const line of lines) addLine(out, line);
  return out.mesh();
}

function addLine(out: MeshBuilder, line: MeshLine): void {
  // Points in Mercator, repeated points dropped (they have no direction).
  const lon: number[] = [];
  const lat: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (const p of line.path) {
    const px = p[0],
      py = mercatorY(p[1]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    const last = x.length - 1;
    if (last >= 0 && x[last] === px && y[last] === py) continue;
    lon.push(p[0]);
    lat.push(p[1]);
    x.push(px);
    y.push(py);
  }
  let n = x.length;
  const closed = n >= 4 && x[0] === x[n - 1] && y[0] === y[n - 1];
  if (closed) n -= 1; // the ring's last point is its first
  if (n < 2) return;
  const segments = closed ? n : n - 1;
  // Unit direction of each segment.
  const dx = new Float64Array(segments);
  const dy = new Float64Array(segments);
  const length = new Float64Array(segments);
  for (let s = 0; s < segments; s++) {
    const b = (s + 1) % n;
    const ex = x[b]! - x[s]!,
      ey = y[b]! - y[s]!;
    const len = Math.hypot(ex, ey);
    length[s] = len * COMMON_PER_DEGREE;
    dx[s] = ex / len;
    dy[s] = ey / len;
  }
  const at = (i: number, ox: number, oy: number) => out.vertex(lon[i]!, lat[i]!, ox, oy, line);
  const r = line.width / 2;
  const step = arcStep(r);
  const mitredBelow = roundFrom(r);
  /** A fan around point i from offset (ax, ay) to (bx, by), both of length 1, turning `sweep` radians. */
  const fan = (i: number, centre: number, from: number, to: number, angle: number, sweep: number) => {
    const steps = Math.max(1, Math.ceil(Math.abs(sweep) / step));
    let prev = from;
    for (let j = 1; j <= steps; j++) {
      const next =
        j === steps ? to : at(i, Math.cos(angle + (sweep * j) / steps), Math.sin(angle + (sweep * j) / steps));
      out.triangle(centre, prev, next);
      prev = next;
    }
  };
  const joints: Joint[] = [];
  for (let i = 0; i < n; i++) {
    const into = closed ? (i + segments - 1) % segments : i - 1;
    const from = closed || i < segments ? i : -1;
    if (into < 0 || from < 0) {
      // An open end: a half disc past the point.
      const s = into < 0 ? from : into;
      const nx = -dy[s]!,
        ny = dx[s]!;
      const ends: [number, number] = [at(i, nx, ny), at(i, -nx, -ny)];
      // At the start the cap turns from the right side back to the left, at the end from the left on to the right.
      const angle = Math.atan2(ny, nx);
      if (into < 0) fan(i, at(i, 0, 0), ends[0], ends[1], angle, Math.PI);
      else fan(i, at(i, 0, 0), ends[0], ends[1], angle, -Math.PI);
      joints.push({ end: ends, start: ends });
      continue;
    }
    // Left normals of the two segments, and how far the line turns (left > 0).
    const ax = -dy[into]!,
      ay = dx[into]!;
    const bx = -dy[from]!,
      by = dx[from]!;
    const turn = Math.atan2(
      dx[into]! * dy[from]! - dy[into]! * dx[from]!,
      dx[into]! * dx[from]! + dy[into]! * dy[from]!,
    );
    const mx = ax + bx,
      my = ay + by;
    const mlen = Math.hypot(mx, my);
    const k = mlen > 1e-9 ? 1 / ((mx / mlen) * ax + (my / mlen) * ay) : Infinity;
    if (Math.abs(turn) < mitredBelow) {
      const both = at2(at, i, (mx / mlen) * k, (my / mlen) * k);
      joints.push({ end: both, start: both });
      continue;
    }
    // Outer side: the right one on a left turn. Its offsets are the normals on that side.
    const o = turn > 0 ? -1 : 1;
    const centre = at(i, 0, 0);
    const outIn = at(i, o * ax, o * ay);
    const outOut = at(i, o * bx, o * by);
    fan(i, centre, outIn, outOut, Math.atan2(o * ay, o * ax), turn);
    let innerIn: number, innerOut: number;
    if (k <= MITER_LIMIT) {
      // Both segments end at the inner miter point; two triangles through the point close the gap to the fan.
      const limit = Math.min(length[into]!, length[from]!);
      innerIn = innerOut = out.vertex(lon[i]!, lat[i]!, (-o * mx * k) / mlen, (-o * my * k) / mlen, line, limit);
      out.triangle(outIn, centre, innerIn);
      out.triangle(outOut, centre, innerIn);
    } else {
      innerIn = at(i, -o * ax, -o * ay);
      innerOut = at(i, -o * bx, -o * by);
    }
    joints.push(
      o < 0
        ? { end: [innerIn, outIn], start: [innerOut, outOut] }
        : { end: [outIn, innerIn], start: [outOut, innerOut] },
    );
  }
  for (let s = 0; s < segments; s++) {
    const a = joints[s]!.start;
    const b = joints[(s + 1) % n]!.end;
    out.triangle(a[0], a[1], b[0]);
    out.triangle(a[1], b[1], b[0]);
  }
}

/** A point's left and right vertex at ± the offset. */
function at2(at: (i: number, ox: number, oy: number) => number, i: number, ox: number, oy: number): [number, number] {
  return [at(i, ox, oy), at(i, -ox, -oy)];
}
