import { describe, expect, it } from 'vitest';
import { ClearLayer } from './clear-layer.ts';
import { PathLayer } from '@deck.gl/layers';
import { fixedLinksLayer, OUTLINE, seaLayer } from './outline.ts';

describe(seaLayer.name, () => {
  it('is a clear of the map in the sea’s colour, first in its view and never picked', () => {
    const sea = seaLayer();
    expect(sea).toBeInstanceOf(ClearLayer);
    expect(sea.id).toBe('sea');
    expect(sea.props.pickable).toBe(false);
    expect((sea as ClearLayer).props.color).toEqual(OUTLINE.sea);
    expect(OUTLINE.sea[3]).toBe(255); // a clear has no blending: the sea must be opaque
  });
});

describe(fixedLinksLayer.name, () => {
  const boundaries = { type: 'FeatureCollection', features: [] } as never;
  const crossings = [
    {
      id: 'a',
      kind: 'bridge',
      ends: [
        [118.0, 24.5],
        [118.05, 24.52],
      ],
    },
    {
      id: 'b',
      kind: 'tunnel',
      ends: [
        [118.1, 24.5],
        [118.12, 24.47],
      ],
    },
    { id: 'c', kind: 'bridge' },
  ] as never;

  it('stays a PathLayer of the links with ends (the path pipeline compiled from the first frame), rows kept', () => {
    const layer = fixedLinksLayer({ boundaries, crossings });
    expect(layer).toBeInstanceOf(PathLayer);
    expect(layer.id).toBe('fixed-links');
    expect(layer.props.data).toHaveLength(2);
    // The same crossings give the same rows: nothing is uploaded again on the next picture.
    expect(fixedLinksLayer({ boundaries, crossings }).props.data).toBe(layer.props.data);
  });
});
