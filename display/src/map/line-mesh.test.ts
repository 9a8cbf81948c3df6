import type { LonLat } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { arcStep, lineMesh, NO_LIMIT, roundFrom, type LineMesh, type MeshLine } from './line-mesh.ts';

const RAD = Math.PI / 180;
const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2)) / RAD;
/** Pixels per degree of longitude at zoom `z` (512-px world). */
const pxPerDeg = (z: number) => (512 * 2 ** z) / 360;

/** The mesh's vertices on a screen at zoom `z` (x east, y north, pixels), as the shader places them. */
function screen(mesh: LineMesh, z: number): [number, number][] {
  const k = pxPerDeg(z);
  const out: [number, number][] = [];
  for (let v = 0; v < mesh.vertexCount; v++) {
    const lon = mesh.positions[v * 3]! + mesh.positions64Low[v * 3]!;
    const lat = mesh.positions[v * 3 + 1]! + mesh.positions64Low[v * 3 + 1]!;
    let ox = mesh.offsets[v * 2]! * (mesh.widths[v]! / 2);
    let oy = mesh.offsets[v * 2 + 1]! * (mesh.widths[v]! / 2);
    const limitPx = mesh.limits[v]! * (k * (360 / 512));
    const reach = Math.hypot(ox, oy);
    if (reach > limitPx) [ox, oy] = [(ox * limitPx) / reach, (oy * limitPx) / reach];
    out.push([lon * k + ox, mercY(lat) * k + oy]);
  }
  return out;
}

/** The area the mesh's triangles cover, counting overlaps as often as they overlap (pixels²). */
function triangleArea(mesh: LineMesh, z: number): number {
  const p = screen(mesh, z);
  let sum = 0;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const [a, b, c] = [p[mesh.indices[t]!]!, p[mesh.indices[t + 1]!]!, p[mesh.indices[t + 2]!]!];
    sum += Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2;
  }
  return sum;
}

/** A square ring `side` pixels wide at zoom `z`, around (118.1, 24.5), closed. */
function square(side: number, z: number): LonLat[] {
  const d = side / pxPerDeg(z);
  const lat0 = 24.5;
  // Mercator y back to latitude, so that the square is square on screen.
  const latOf = (y: number) => (2 * Math.atan(Math.exp(y * RAD)) - Math.PI / 2) / RAD;
  const y0 = mercY(lat0);
  return [
    [118.1, lat0],
    [118.1 + d, lat0],
    [118.1 + d, latOf(y0 + d)],
    [118.1, latOf(y0 + d)],
    [118.1, lat0],
  ];
}

const line = (path: LonLat[], width: number): MeshLine => ({ path, color: [255, 0, 0, 128], width });

describe(lineMesh.name, () => {
  it('draws a segment one width wide, its normal to the left of its direction, with round caps', () => {
    const mesh = lineMesh([
      line(
        [
          [118, 24.5],
          [118.01, 24.5],
        ],
        4,
      ),
    ]);
    // East-going: the first two vertices (the start's pair) are offset north and south by one half width.
    expect(Array.from(mesh.offsets.slice(0, 4))).toEqual([-0, 1, 0, -1]);
    const p = screen(mesh, 12);
    const xs = p.map(([x]) => x);
    const ys = p.map(([, y]) => y);
    const length = 0.01 * pxPerDeg(12);
    // Caps reach half a width past each end; the line is one width tall.
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(length + 4, 3);
    expect(Math.max(...ys) - Math.min(...ys)).toBeCloseTo(4, 3);
    // A rectangle plus two half discs (as chords), every index a vertex, colour per vertex 0–1.
    expect(triangleArea(mesh, 12)).toBeGreaterThan(length * 4 + Math.PI * 4 * 0.9);
    expect(triangleArea(mesh, 12)).toBeLessThanOrEqual(length * 4 + Math.PI * 4 + 1e-6);
    expect(Math.max(...mesh.indices)).toBe(mesh.vertexCount - 1);
    expect(Array.from(mesh.colors.slice(0, 4))).toEqual(Array.from(new Float32Array([1, 0, 0, 128 / 255])));
  });

  it('covers a stroked ring exactly once: round outer corners, mitred inner ones, no overlap to blend twice', () => {
    for (const width of [3, 12]) {
      const z = 11;
      const side = 200;
      const mesh = lineMesh([line(square(side, z), width)]);
      const r = width / 2;
      // Outer: the square grown by r with round corners; inner: the square shrunk by r.
      const exact = (side + 2 * r) ** 2 - (4 - Math.PI) * r * r - (side - 2 * r) ** 2;
      const area = triangleArea(mesh, z);
      expect(area).toBeLessThanOrEqual(exact * 1.001);
      expect(area).toBeGreaterThan(exact - 4 * 0.25 * r * Math.PI); // chords miss the arc by < 0.25 px
    }
  });

  it('closes a ring without caps and joins its last segment to its first', () => {
    const open = lineMesh([line(square(200, 11).slice(0, 4), 12)]);
    const ring = lineMesh([line(square(200, 11), 12)]);
    // Four corners round on the ring; the open line has two corners and two caps of half a disc each.
    expect(ring.indices.length / 3).toBeGreaterThan(0);
    expect(triangleArea(ring, 11)).toBeGreaterThan(triangleArea(open, 11));
  });

  it('keeps an inner miter point within the segments it joins however wide the line', () => {
    // A zigzag of short segments: at a low zoom they are shorter than the line is wide.
    const zig: LonLat[] = [];
    for (let i = 0; i < 10; i++) zig.push([118 + i * 0.0005, 24.5 + (i % 2) * 0.0005]);
    const mesh = lineMesh([line(zig, 12)]);
    const limited = Array.from(mesh.limits).filter((l) => l < NO_LIMIT);
    expect(limited.length).toBe(8); // one inner point per joint
    const seg = Math.hypot(0.0005, mercY(24.5005) - mercY(24.5)) * (512 / 360);
    for (const l of limited) expect(l).toBeCloseTo(seg, 6);
    // At zoom 9 a segment is ~0.9 px: every vertex stays within a half width (plus the miter cap) of its point.
    const p = screen(mesh, 9);
    const k = pxPerDeg(9);
    for (let v = 0; v < mesh.vertexCount; v++) {
      const lon = mesh.positions[v * 3]! + mesh.positions64Low[v * 3]!;
      const lat = mesh.positions[v * 3 + 1]! + mesh.positions64Low[v * 3 + 1]!;
      expect(Math.hypot(p[v]![0] - lon * k, p[v]![1] - mercY(lat) * k)).toBeLessThanOrEqual(6 + 1e-6);
    }
  });

  it('turns back on itself (a hairpin) without NaN, and mitres a gentle bend with two vertices', () => {
    const hairpin = lineMesh([
      line(
        [
          [118, 24.5],
          [118.01, 24.5],
          [118, 24.5],
        ],
        12,
      ),
    ]);
    expect(Array.from(hairpin.offsets).every(Number.isFinite)).toBe(true);
    const bend = lineMesh([
      line(
        [
          [118, 24.5],
          [118.01, 24.5],
          [118.02, 24.5001],
        ],
        3,
      ),
    ]);
    // Two caps (a pair and a fan each) and one mitred joint: a pair, no centre, no fan.
    const capVertices = 2 + 1 + (Math.ceil(Math.PI / arcStep(1.5)) - 1);
    expect(bend.vertexCount).toBe(2 * capVertices + 2);
    expect(roundFrom(1.5)).toBeGreaterThan(roundFrom(6));
  });

  it('drops repeated and non-finite points and lines with fewer than two points', () => {
    const mesh = lineMesh([
      line([[118, 24.5]], 3),
      line(
        [
          [118, 24.5],
          [118, 24.5],
          [Number.NaN, 24.5],
          [118.01, 24.5],
        ],
        3,
      ),
    ]);
    expect(mesh.vertexCount).toBe(
      lineMesh([
        line(
          [
            [118, 24.5],
            [118.01, 24.5],
          ],
          3,
        ),
      ]).vertexCount,
    );
    expect(lineMesh([]).indices).toHaveLength(0);
  });

  it('splits positions into 32-bit floats and what they lost', () => {
    const mesh = lineMesh([
      line(
        [
          [118.123456789, 24.987654321],
          [118.2, 24.9],
        ],
        3,
      ),
    ]);
    expect(mesh.positions[0]! + mesh.positions64Low[0]!).toBeCloseTo(118.123456789, 12);
    expect(Math.abs(mesh.positions64Low[0]!)).toBeLessThan(1e-5);
    expect(mesh.positions[2]).toBe(0);
  });
});

describe('lineMesh past its builder’s first arrays', () => {
  it('grows every array together: lengths agree with the vertex count, every index names a vertex', () => {
    // A sharp zigzag of 3,000 points drawn wide: round joints, more vertices than the builder makes room for at
    // first (two a point and sixteen a line).
    const path: [number, number][] = [];
    for (let i = 0; i < 3_000; i++) path.push([118 + i * 1e-4, 24.5 + (i % 2) * 1e-3]);
    const mesh = lineMesh([
      { path, color: [10, 20, 30, 255], width: 12 },
      { path: path.slice(0, 40), color: [255, 0, 0, 128], width: 3 },
    ]);
    const n = mesh.vertexCount;
    expect(n).toBeGreaterThan(2 * (2 * 3_040 + 2 * 16));
    expect(mesh.positions.length).toBe(3 * n);
    expect(mesh.positions64Low.length).toBe(3 * n);
    expect(mesh.offsets.length).toBe(2 * n);
    expect(mesh.widths.length).toBe(n);
    expect(mesh.limits.length).toBe(n);
    expect(mesh.colors.length).toBe(4 * n);
    expect(mesh.indices.length % 3).toBe(0);
    expect(Math.max(...mesh.indices)).toBe(n - 1);
    // Each line's colour on its own vertices: the first line's first vertex, the second line's last.
    expect([...mesh.colors.slice(0, 4)].map((c) => Math.round(c * 255))).toEqual([10, 20, 30, 255]);
    expect([...mesh.colors.slice(4 * (n - 1))].map((c) => Math.round(c * 255))).toEqual([255, 0, 0, 128]);
    // The positions as deck.gl's 64-bit pairs: high + low is the double given.
    expect(mesh.positions[0]! + mesh.positions64Low[0]!).toBeCloseTo(118, 12);
    expect(mesh.positions[3 * (n - 1) + 2]).toBe(0);
  });
});
