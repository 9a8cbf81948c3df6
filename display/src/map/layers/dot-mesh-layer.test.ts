import { LineLayer, ScatterplotLayer } from '@deck.gl/layers';
import { describe, expect, it } from 'vitest';
import { aCase } from '../../../test/fixtures.ts';
import { casesLayer } from './cases.ts';
import { DotMeshLayer, dotsLayer } from './dot-mesh-layer.ts';
import { overdueLayer } from './overdue.ts';
import { pulseLayer } from './pulse.ts';
import { dispatchLinesLayer } from './dispatch-lines.ts';
import { SegmentMeshLayer } from './segment-mesh-layer.ts';

const props = {
  id: 'dots',
  data: [aCase()],
  getPosition: (c: ReturnType<typeof aCase>) => c.position,
  getRadius: 7,
  radiusScale: 0.5,
  stroked: true,
  pickable: true,
};

describe(dotsLayer.name, () => {
  it('draws the dots as one mesh by default, with the props as given', () => {
    const layer = dotsLayer(props, false);
    expect(layer).toBeInstanceOf(DotMeshLayer);
    expect(layer.props).toMatchObject({ id: 'dots', getRadius: 7, radiusScale: 0.5, stroked: true, pickable: true });
    expect(layer.props.data).toBe(props.data);
  });

  it("draws them with deck.gl's ScatterplotLayer, sized in pixels, when asked for the instanced baseline", () => {
    const layer = dotsLayer(props, true);
    expect(layer).toBeInstanceOf(ScatterplotLayer);
    expect(layer.props).toMatchObject({
      id: 'dots',
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      radiusScale: 0.5,
    });
    expect(layer.props.data).toBe(props.data);
  });

  it('is what the cases, their overdue rings and their pulse are drawn with (no ?dots=instanced in a test)', () => {
    const cases = [aCase()];
    const colorOf = () => [1, 2, 3, 255] as [number, number, number, number];
    expect(casesLayer({ cases, colorOf })).toBeInstanceOf(DotMeshLayer);
    expect(overdueLayer({ cases, visible: true })).toBeInstanceOf(DotMeshLayer);
    expect(pulseLayer({ cases, phase: 0.2, visible: true, colorOf })).toBeInstanceOf(DotMeshLayer);
    // The console picks cases from this layer by id.
    expect(casesLayer({ cases, colorOf }).props).toMatchObject({ id: 'cases', pickable: true });
  });

  it('draws the dispatch lines as one mesh too, and as a LineLayer with the baseline', () => {
    const positions = { has: () => false, lon: () => 0, lat: () => 0 };
    const input = { lines: [], positions, version: 1 };
    expect(dispatchLinesLayer(input)).toBeInstanceOf(SegmentMeshLayer);
    expect(dispatchLinesLayer(input, 1, true)).toBeInstanceOf(LineLayer);
    expect(dispatchLinesLayer(input, 0.5).props).toMatchObject({
      id: 'dispatch-lines',
      widthScale: 0.5,
      widthMinPixels: 1,
    });
  });
});
