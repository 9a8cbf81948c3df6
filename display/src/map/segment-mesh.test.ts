import { describe, expect, it } from 'vitest';
import type { Rgba } from '../theme.ts';
import { segmentMesh, type SegmentStyle } from './segment-mesh.ts';

interface Line {
  from: [number, number];
  to: [number, number];
  width: number;
  colour: Rgba;
}

const style: SegmentStyle<Line> = {
  getSourcePosition: (l) => l.from,
  getTargetPosition: (l) => l.to,
  getWidth: (l) => l.width,
  getColor: (l) => l.colour,
};

const lines: Line[] = [
  { from: [118.0812345678, 24.4712345678], to: [118.1, 24.5], width: 3, colour: [250, 204, 21, 230] },
  { from: [118.2, 24.6], to: [118.15, 24.62], width: 10, colour: [236, 72, 153, 110] },
];

const at = (a: ArrayLike<number>, size: number, v: number) => Array.from({ length: size }, (_, k) => a[v * size + k]);

describe(segmentMesh.name, () => {
  it('makes four vertices and two triangles a line, in the order of the data', () => {
    const m = segmentMesh(lines, style);
    expect(m.count).toBe(2);
    for (const a of [m.sources, m.sources64Low, m.targets, m.targets64Low]) expect(a.length).toBe(8 * 3);
    expect(m.corners.length).toBe(8 * 2);
    expect(m.widths.length).toBe(8);
    expect(m.colors.length).toBe(8 * 4);
    expect(Array.from(m.indices)).toEqual([0, 1, 2, 1, 3, 2, 4, 5, 6, 5, 7, 6]);
  });

  it('spans each line from source (0) to target (1), one half width to either side, as the LineLayer quad', () => {
    const m = segmentMesh(lines, style);
    expect([0, 1, 2, 3].map((v) => at(m.corners, 2, v))).toEqual([
      [0, -1],
      [0, 1],
      [1, -1],
      [1, 1],
    ]);
  });

  it('keeps both ends to 64 bits on every vertex, with the width and colour of its line', () => {
    const m = segmentMesh(lines, style);
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 4; k++) {
        const v = i * 4 + k;
        for (let a = 0; a < 2; a++) {
          expect(m.sources[v * 3 + a]! + m.sources64Low[v * 3 + a]!).toBeCloseTo(lines[i]!.from[a]!, 12);
          expect(m.targets[v * 3 + a]! + m.targets64Low[v * 3 + a]!).toBeCloseTo(lines[i]!.to[a]!, 12);
        }
        expect(m.widths[v]).toBe(lines[i]!.width);
        expect(at(m.colors, 4, v)).toEqual(lines[i]!.colour);
      }
    }
  });

  it("takes constants and falls back to the LineLayer's defaults: width 1, black", () => {
    const m = segmentMesh(lines, { getSourcePosition: (l) => l.from, getTargetPosition: (l) => l.to });
    expect(m.widths[0]).toBe(1);
    expect(at(m.colors, 4, 0)).toEqual([0, 0, 0, 255]);
    const c = segmentMesh(lines, { ...style, getWidth: 4, getColor: [1, 2, 3, 4] });
    expect(m.widths.length).toBe(8);
    expect([c.widths[7], at(c.colors, 4, 7)]).toEqual([4, [1, 2, 3, 4]]);
  });

  it('makes an empty mesh of nothing', () => {
    const m = segmentMesh<Line>([], style);
    expect(m.count).toBe(0);
    expect([m.sources.length, m.corners.length, m.widths.length, m.colors.length, m.indices.length]).toEqual([
      0, 0, 0, 0, 0,
    ]);
  });

  it('gives a line with an end that is not finite, or a bad width, no width, keeping its place', () => {
    const m = segmentMesh(
      [
        { ...lines[0]!, from: [NaN, 24.5] },
        { ...lines[1]!, width: -3 },
        { ...lines[1]!, to: [118.1, Infinity] },
        lines[0]!,
      ],
      style,
    );
    expect(Array.from(m.widths)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3]);
    expect(Array.from(m.sources).every(Number.isFinite)).toBe(true);
    expect(Array.from(m.targets).every(Number.isFinite)).toBe(true);
  });
});
