import { ScatterplotLayer } from '@deck.gl/layers';
import { describe, expect, it } from 'vitest';
import { hiddenLayerIds, withHidden } from './hidden-layers.ts';

describe(hiddenLayerIds.name, () => {
  it('reads the ids of ?hide, trimmed and in lower case, and nothing when absent or empty', () => {
    expect([...hiddenLayerIds('?hide=units, District-Edge,,')]).toEqual(['units', 'district-edge']);
    expect(hiddenLayerIds('?hide=').size).toBe(0);
    expect(hiddenLayerIds('?units=full').size).toBe(0);
    expect(hiddenLayerIds('').size).toBe(0);
  });
});

describe(withHidden.name, () => {
  it('switches off the named layers and leaves the others as they are', () => {
    const a = new ScatterplotLayer({ id: 'units', data: [] });
    const b = new ScatterplotLayer({ id: 'cases', data: [] });
    const out = withHidden([a, b], new Set(['units']));
    expect(out.map((l) => [l.id, l.props.visible])).toEqual([
      ['units', false],
      ['cases', true],
    ]);
    expect(out[1]).toBe(b);
    expect(withHidden([a, b], new Set())).toEqual([a, b]);
  });
});
