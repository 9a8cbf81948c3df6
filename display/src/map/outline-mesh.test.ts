import type { LonLat } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import type { Boundaries } from './boundaries.ts';
import { boundariesAtLevel } from './outline-detail.ts';
import { linesMesh, outlinePathsForced, ringsMesh, type LineStyle } from './outline-mesh.ts';

const ring: LonLat[] = [
  [118, 24.4],
  [118.1, 24.4],
  [118.1, 24.5],
  [118, 24.4],
];
const boundaries = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Polygon', coordinates: [ring] } },
    {
      type: 'Feature',
      properties: { code: 'B' },
      geometry: { type: 'MultiPolygon', coordinates: [[ring.map(([x, y]) => [x + 0.2, y])], [ring]] },
    },
  ],
} as unknown as Boundaries;
const EDGE: LineStyle = { color: [120, 210, 255, 255], width: 3 };
const GLOW: LineStyle = { color: [76, 195, 255, 70], width: 12 };

describe(ringsMesh.name, () => {
  it('makes one mesh per boundaries and style, and hands the same one out again (nothing re-uploaded)', () => {
    const edge = ringsMesh(boundaries, EDGE);
    expect(ringsMesh(boundaries, EDGE)).toBe(edge);
    expect(ringsMesh(boundaries, GLOW)).not.toBe(edge);
    // Another detail level is another object, so another mesh; the same level is the same mesh.
    const level = boundariesAtLevel(boundaries, 10);
    expect(ringsMesh(level, EDGE)).not.toBe(edge);
    expect(ringsMesh(boundariesAtLevel(boundaries, 10), EDGE)).toBe(ringsMesh(level, EDGE));
  });

  it('draws every ring of polygons and multipolygons, in the style given', () => {
    const one = ringsMesh({ ...boundaries, features: [boundaries.features[0]!] } as Boundaries, EDGE).vertexCount;
    expect(ringsMesh(boundaries, EDGE).vertexCount).toBe(3 * one);
    const glow = ringsMesh(boundaries, GLOW);
    expect(glow.widths.every((w) => w === 12)).toBe(true);
    expect(glow.colors[3]).toBeCloseTo(70 / 255, 6);
  });
});

describe(linesMesh.name, () => {
  it('keys the shore by its array of lines', () => {
    const lines = [ring.slice(0, 3)];
    expect(linesMesh(lines, GLOW)).toBe(linesMesh(lines, GLOW));
    expect(linesMesh([ring.slice(0, 3)], GLOW)).not.toBe(linesMesh(lines, GLOW));
  });
});

describe(outlinePathsForced.name, () => {
  it('reads paths from ?outline=, alone or in a list, in any case', () => {
    expect(outlinePathsForced('?outline=paths')).toBe(true);
    expect(outlinePathsForced('?units=full&outline=full,PATHS')).toBe(true);
    expect(outlinePathsForced('?outline=full')).toBe(false);
    expect(outlinePathsForced('?paths=1')).toBe(false);
    expect(outlinePathsForced('')).toBe(false);
  });
});
