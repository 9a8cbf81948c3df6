import { describe, expect, it } from 'vitest';
import type { Boundaries } from './boundaries.ts';
import { coastlines } from './coastline.ts';

const square = (x: number, y: number, code: string) => ({
  type: 'Feature' as const,
  properties: { code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + 1, y],
        [x + 1, y + 1],
        [x, y + 1],
        [x, y],
      ],
    ],
  },
});

describe(coastlines.name, () => {
  it('leaves out the border two districts share and keeps the rest of their outline as coast', () => {
    const b = { type: 'FeatureCollection', features: [square(0, 0, 'a'), square(1, 0, 'b')] } as unknown as Boundaries;
    const lines = coastlines(b);
    const edges = lines.flatMap((l) => l.slice(1).map((p, i) => [l[i], p]));
    // 2 squares: 8 edges, 1 shared (x = 1) → 6 coast edges, and the shared one is not among them.
    expect(edges).toHaveLength(6);
    expect(edges.some(([p, q]) => p![0] === 1 && q![0] === 1)).toBe(false);
    expect(lines).toHaveLength(2);
  });

  it('keeps an island with no neighbour whole', () => {
    const b = { type: 'FeatureCollection', features: [square(5, 5, 'c')] } as unknown as Boundaries;
    expect(coastlines(b)).toEqual([square(5, 5, 'c').geometry.coordinates[0]]);
  });
});
