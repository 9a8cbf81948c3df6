import { describe, expect, it } from 'vitest';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, MapViewState } from '@deck.gl/core';
import type { LonLat } from '@egret/protocol';
import { namesClearOfOverview } from './names-clear-of-overview.ts';
import type { OverviewInset } from './overview.ts';

const size = { width: 1000, height: 800 };
const view: MapViewState = { longitude: 118, latitude: 24.5, zoom: 10 };
/** The overview in the bottom-left corner: 300 × 200 px, 20 px from the edges. */
const inset: OverviewInset = { left: 20, bottom: 20, width: 300, height: 200, city: [117.5, 24, 118.5, 25] };
const hides = { layerId: 'names', reach: [40, 10] as const };
// At zoom 10 a degree of longitude is ~1,456 px (of latitude here ~1,600): the first name at the centre, the second
// ~330 px left of it and ~280 px below — under the inset.
const names: { position: LonLat; name: string }[] = [
  { position: [118, 24.5], name: '中心' },
  { position: [117.773, 24.325], name: '角落' },
];
const layersOf = (data: readonly { position: LonLat }[]): Layer[] => [
  new ScatterplotLayer({ id: 'names', data }) as Layer,
  new ScatterplotLayer({ id: 'units', data: [] }) as Layer,
];

describe(namesClearOfOverview.name, () => {
  it('leaves out the names under the overview, and leaves the other layers as they are', () => {
    const clear = namesClearOfOverview();
    const layers = layersOf(names);
    const out = clear(layers, hides, inset, view, size);
    expect((out[0]!.props.data as typeof names).map((n) => n.name)).toEqual(['中心']);
    expect(out[1]).toBe(layers[1]);
  });

  it('hands the same array while nothing it depends on changed — new layers of the same names included', () => {
    const clear = namesClearOfOverview();
    const first = clear(layersOf(names), hides, inset, view, size)[0]!.props.data;
    expect(clear(layersOf(names), hides, inset, view, size)[0]!.props.data).toBe(first);
    // Another view, canvas, inset or set of names: worked out again.
    expect(clear(layersOf(names), hides, inset, { ...view }, size)[0]!.props.data).not.toBe(first);
    const again = clear(layersOf(names), hides, inset, view, size)[0]!.props.data;
    expect(clear(layersOf(names), hides, inset, view, { ...size, height: 900 })[0]!.props.data).not.toBe(again);
    expect(clear(layersOf([...names]), hides, inset, view, size)[0]!.props.data).not.toBe(again);
  });
});
