import { describe, expect, it } from 'vitest';
import type { Boundaries } from '../boundaries.ts';
import { districtEdgeLayer, districtFillLayer } from './districts.ts';
import { coastLayer } from './outline.ts';
import { ZoomDetailLayer } from './zoom-detail-layer.ts';

const boundaries = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: 'A' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [118, 24.4],
            [118.1, 24.4],
            [118.1, 24.5],
            [118, 24.4],
          ],
        ],
      },
    },
  ],
} as unknown as Boundaries;

describe(ZoomDetailLayer.name, () => {
  it('keeps the outline layers’ ids and their rows countable (the debug hook counts data)', () => {
    const layers = [districtFillLayer({ boundaries }), districtEdgeLayer({ boundaries }), coastLayer({ boundaries })];
    expect(layers.map((l) => l.id)).toEqual(['district-fill', 'district-edge', 'coastline']);
    for (const l of layers) expect(l).toBeInstanceOf(ZoomDetailLayer);
    expect((layers[0]!.props.data as { features: unknown[] }).features).toHaveLength(1);
    expect((layers[1]!.props.data as { features: unknown[] }).features).toHaveLength(1);
    expect(Array.isArray(layers[2]!.props.data)).toBe(true);
  });

  it('draws through the factory it is given, for a level or full detail', () => {
    const layer = districtFillLayer({ boundaries }) as ZoomDetailLayer;
    expect(layer.props.draw(10.5).id).toBe('district-fill');
    expect(layer.props.draw(null).props.data).toBe(boundaries);
  });
});
