import { describe, expect, it } from 'vitest';
import { boundsOf, districtAt, districtLabels, type Boundaries } from './boundaries.ts';

const siming: Boundaries = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: '350203', labelPoint: [118.08, 24.45] },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [118, 24.4],
            [118.1, 24.4],
            [118.1, 24.5],
            [118, 24.5],
            [118, 24.4],
          ],
        ],
      },
    },
  ],
};

describe(districtLabels.name, () => {
  it('places a label at the centre of the largest polygon', () => {
    const [label] = districtLabels(siming, () => '思明区');
    expect(label!.text).toBe('思明区');
    expect(label!.position[0]).toBeCloseTo(118.05);
    expect(label!.position[1]).toBeCloseTo(24.45);
  });

  it('falls back to the label point when the centre lies outside a concave outline', () => {
    // A "U": its centroid falls in the notch.
    const u: Boundaries = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '350203', labelPoint: [118.01, 24.45] },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [118, 24.4],
                [118.1, 24.4],
                [118.1, 24.5],
                [118.08, 24.5],
                [118.08, 24.42],
                [118.02, 24.42],
                [118.02, 24.5],
                [118, 24.5],
                [118, 24.4],
              ],
            ],
          },
        },
      ],
    };
    expect(districtLabels(u, () => 'U')[0]!.position).toEqual([118.01, 24.45]);
  });

  it('skips districts it has no name for', () => {
    expect(districtLabels(siming, () => undefined)).toEqual([]);
  });
});

describe(boundsOf.name, () => {
  it('spans every outline', () => {
    expect(boundsOf(siming)).toEqual([118, 24.4, 118.1, 24.5]);
  });

  it('has no bounds without outlines', () => {
    expect(boundsOf({ type: 'FeatureCollection', features: [] })).toBeUndefined();
  });
});

describe(districtAt.name, () => {
  const withLake: Boundaries = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: '350206' },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [118.2, 24.4],
                [118.3, 24.4],
                [118.3, 24.5],
                [118.2, 24.5],
                [118.2, 24.4],
              ],
              [
                [118.24, 24.44],
                [118.26, 24.44],
                [118.26, 24.46],
                [118.24, 24.46],
                [118.24, 24.44],
              ],
            ],
          ],
        },
      },
      ...siming.features,
    ],
  };

  it('names the district a point lies in, and none at sea or in a hole', () => {
    expect(districtAt(withLake, [118.05, 24.45])).toBe('350203');
    expect(districtAt(withLake, [118.21, 24.41])).toBe('350206');
    expect(districtAt(withLake, [118.25, 24.45])).toBeUndefined();
    expect(districtAt(withLake, [118.15, 24.45])).toBeUndefined();
  });
});
