import { describe, expect, it } from 'vitest';
import type { Rgba } from '../theme.ts';
import { dotMesh, dotsInstanced, sameRows, type DotMesh, type DotStyle } from './dot-mesh.ts';

interface Dot {
  at: [number, number];
  r: number;
  colour: Rgba;
}

const style: DotStyle<Dot> = {
  getPosition: (d) => d.at,
  getRadius: (d) => d.r,
  getLineWidth: 3,
  getFillColor: (d) => [d.colour[0], d.colour[1], d.colour[2], 60],
  getLineColor: (d) => d.colour,
};

const dots: Dot[] = [
  { at: [118.0891234567, 24.4798765432], r: 10, colour: [255, 0, 0, 255] },
  { at: [118.12, 24.51], r: 14, colour: [0, 128, 255, 200] },
  { at: [118.2, 24.6], r: 6, colour: [1, 2, 3, 4] },
];

/** Vertex v's attribute of `size` components. */
const at = (a: ArrayLike<number>, size: number, v: number) => Array.from({ length: size }, (_, k) => a[v * size + k]);

/** Every array's length in vertices (or triangles' corners for indices): all must agree with `count`. */
function lengths(m: DotMesh) {
  return {
    positions: m.positions.length / 3,
    positions64Low: m.positions64Low.length / 3,
    corners: m.corners.length / 2,
    sizes: m.sizes.length / 2,
    fillColors: m.fillColors.length / 4,
    lineColors: m.lineColors.length / 4,
    rowIndexes: m.rowIndexes.length,
    indices: m.indices.length / 6,
  };
}

describe(dotMesh.name, () => {
  it('makes four vertices and two triangles a dot, in the order of the data', () => {
    const m = dotMesh(dots, style);
    expect(m.count).toBe(3);
    const n = lengths(m);
    expect(n).toEqual({
      positions: 12,
      positions64Low: 12,
      corners: 12,
      sizes: 12,
      fillColors: 12,
      lineColors: 12,
      rowIndexes: 12,
      indices: 3,
    });
    expect(Array.from(m.indices)).toEqual([0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7, 8, 9, 10, 8, 10, 11]);
    // Each dot's four vertices carry its index, which the shader turns into its picking colour.
    expect(Array.from(m.rowIndexes)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it("spans each dot's square with its corners, two triangles covering it once", () => {
    const m = dotMesh(dots, style);
    for (let i = 0; i < 3; i++) {
      const corners = [0, 1, 2, 3].map((k) => at(m.corners, 2, i * 4 + k));
      expect(corners).toEqual([
        [-1, -1],
        [1, -1],
        [1, 1],
        [-1, 1],
      ]);
      // Area of the two triangles in corner space: the square's 4, neither folded over the other.
      let area = 0;
      for (let t = 0; t < 2; t++) {
        const [a, b, c] = [0, 1, 2].map((k) => at(m.corners, 2, m.indices[i * 6 + t * 3 + k]!) as [number, number]);
        const cross = (b![0] - a![0]) * (c![1] - a![1]) - (c![0] - a![0]) * (b![1] - a![1]);
        expect(cross).toBeGreaterThan(0);
        area += cross / 2;
      }
      expect(area).toBe(4);
    }
  });

  it('keeps each point to 64 bits: high and low 32-bit parts add up to the longitude and latitude', () => {
    const m = dotMesh(dots, style);
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 4; k++) {
        const v = i * 4 + k;
        expect(m.positions[v * 3]! + m.positions64Low[v * 3]!).toBeCloseTo(dots[i]!.at[0], 12);
        expect(m.positions[v * 3 + 1]! + m.positions64Low[v * 3 + 1]!).toBeCloseTo(dots[i]!.at[1], 12);
        expect(m.positions[v * 3 + 2]).toBe(0);
      }
    }
    // The low part is not nothing: a 32-bit float alone is ~1 m off here.
    expect(Math.abs(m.positions64Low[0]!)).toBeGreaterThan(0);
  });

  it("gives every vertex its dot's radius, ring width and colours, from accessors or constants", () => {
    const m = dotMesh(dots, style);
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 4; k++) {
        const v = i * 4 + k;
        expect(at(m.sizes, 2, v)).toEqual([dots[i]!.r, 3]);
        expect(at(m.lineColors, 4, v)).toEqual(dots[i]!.colour);
        expect(at(m.fillColors, 4, v)).toEqual([...dots[i]!.colour.slice(0, 3), 60]);
      }
    }
  });

  it("falls back to deck.gl ScatterplotLayer's defaults: radius and ring 1, black, opaque", () => {
    const m = dotMesh([dots[0]!], { getPosition: (d) => d.at });
    expect(at(m.sizes, 2, 0)).toEqual([1, 1]);
    expect(at(m.fillColors, 4, 0)).toEqual([0, 0, 0, 255]);
    expect(at(m.lineColors, 4, 0)).toEqual([0, 0, 0, 255]);
    // A colour given without alpha is opaque, as deck.gl reads it.
    const rgb = dotMesh([dots[0]!], { getPosition: (d) => d.at, getLineColor: [9, 8, 7] as unknown as Rgba });
    expect(at(rgb.lineColors, 4, 0)).toEqual([9, 8, 7, 255]);
  });

  it('clamps colours outside 0–255 instead of wrapping them', () => {
    const m = dotMesh([dots[0]!], { getPosition: (d) => d.at, getFillColor: [300, -5, 128.4, 255] });
    expect(at(m.fillColors, 4, 0)).toEqual([255, 0, 128, 255]);
  });

  it('makes an empty mesh of nothing', () => {
    const m = dotMesh<Dot>([], style);
    expect(m.count).toBe(0);
    expect(Object.values(lengths(m))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('keeps a dot of radius 0 (its ring may still show, as in deck.gl) and treats a bad size as 0', () => {
    const m = dotMesh(
      [
        { ...dots[0]!, r: 0 },
        { ...dots[1]!, r: NaN },
        { ...dots[2]!, r: -4 },
      ],
      style,
    );
    expect(m.count).toBe(3);
    for (let v = 0; v < 12; v++) expect(at(m.sizes, 2, v)).toEqual([0, 3]);
    expect(at(m.corners, 2, 2)).toEqual([1, 1]);
  });

  it('collapses a dot without a finite point, keeping its place so later dots keep their indices', () => {
    const m = dotMesh([{ ...dots[0]!, at: [NaN, 24.5] }, dots[1]!, { ...dots[2]!, at: [Infinity, 24] }], style);
    expect(m.count).toBe(3);
    for (const i of [0, 2]) {
      for (let k = 0; k < 4; k++) {
        expect(at(m.corners, 2, i * 4 + k)).toEqual([0, 0]);
        expect(Number.isFinite(m.positions[(i * 4 + k) * 3]!)).toBe(true);
      }
    }
    expect(at(m.corners, 2, 6)).toEqual([1, 1]);
    expect(m.rowIndexes[4]).toBe(1);
  });
});

describe(sameRows.name, () => {
  it('holds for a new array of the same objects in the same order, so the mesh is kept', () => {
    expect(sameRows(dots, [...dots])).toBe(true);
    expect(sameRows(dots, dots)).toBe(true);
    expect(sameRows<Dot>([], [])).toBe(true);
  });

  it('fails for a changed object (even equal in value), another order, one more or one fewer, or no old rows', () => {
    expect(sameRows(dots, [dots[0]!, { ...dots[1]! }, dots[2]!])).toBe(false);
    expect(sameRows(dots, [dots[1]!, dots[0]!, dots[2]!])).toBe(false);
    expect(sameRows(dots, [...dots, dots[0]!])).toBe(false);
    expect(sameRows(dots, dots.slice(1))).toBe(false);
    expect(sameRows(undefined, dots)).toBe(false);
  });
});

describe(dotsInstanced.name, () => {
  it('is on with ?dots=instanced, whatever its letter case, spaces or percent-encoding, and alongside others', () => {
    for (const search of [
      '?dots=instanced',
      '?dots=INSTANCED',
      '?dots=%20Instanced%20',
      '?dots=%69nstanced',
      '?dots=mesh,instanced',
      '?outline=paths&dots=instanced',
    ]) {
      expect(dotsInstanced(search), search).toBe(true);
    }
  });

  it('is off otherwise: no flag, another value, another key, a look-alike', () => {
    for (const search of ['', '?', '?dots=', '?dots=mesh', '?dots=instance', '?dot=instanced', '?x=instanced']) {
      expect(dotsInstanced(search), search).toBe(false);
    }
  });
});
