import type { PathLayer } from '@deck.gl/layers';
import { describe, expect, it } from 'vitest';
import { LineMeshLayer } from './line-mesh-layer.ts';
import { replayTrailsLayer, type ReplayTrailsInput } from './replay-trails.ts';
import { ZoomDetailLayer } from './zoom-detail-layer.ts';

/** 40 tracks of 100 samples along straight streets: all but the ends lie on the line at any zoom. */
function tracks(): ReplayTrailsInput {
  const coords: number[] = [];
  const starts: number[] = [];
  for (let u = 0; u < 40; u++) {
    starts.push(coords.length / 2);
    for (let i = 0; i < 100; i++) coords.push(118 + u * 0.001 + i * 0.0002, 24.5 + i * 0.0001);
  }
  return {
    length: 40,
    startIndices: Uint32Array.from(starts),
    positions: Float32Array.from(coords),
    version: 3,
  };
}

const points = (l: PathLayer) =>
  (l.props.data as unknown as { attributes: { getPath: { value: Float32Array } } }).attributes.getPath.value.length / 2;

describe('replayTrailsLayer', () => {
  it('keeps its id and its rows countable, drawn at the zoom’s detail', () => {
    const input = tracks();
    const layer = replayTrailsLayer(input, 1, false, true) as ZoomDetailLayer;
    expect(layer).toBeInstanceOf(ZoomDetailLayer);
    expect(layer.id).toBe('replay-trails');
    expect((layer.props.data as { length: number }).length).toBe(40);
    const full = layer.props.draw(null) as PathLayer;
    const city = layer.props.draw(10.5) as PathLayer;
    expect(points(full)).toBe(4000);
    expect(points(city)).toBe(80);
    // The same data for the same tracks and level: deck.gl uploads nothing again.
    expect((layer.props.draw(10.5) as PathLayer).props.data).toBe(city.props.data);
    expect(city.props.updateTriggers).not.toEqual(full.props.updateTriggers);
  });

  it('draws every sample at every zoom when forced full (?tracks=full), and hides as it is told', () => {
    const layer = replayTrailsLayer({ ...tracks(), visible: false }, 1, true, true) as ZoomDetailLayer;
    expect(points(layer.props.draw(10.5) as PathLayer)).toBe(4000);
    expect(layer.props.visible).toBe(false);
  });

  it('draws the tracks as one mesh by default, the same mesh for the same tracks and level, more for more points', () => {
    const input = tracks();
    const layer = replayTrailsLayer(input, 0.5, false) as ZoomDetailLayer;
    const city = layer.props.draw(10.5) as LineMeshLayer;
    const full = layer.props.draw(null) as LineMeshLayer;
    expect(city).toBeInstanceOf(LineMeshLayer);
    expect(city.id).toBe('replay-trails');
    expect(city.props.widthScale).toBe(0.5);
    // 40 two-point lines at city view (each a segment with two round caps) against 40 lines of 100 points.
    expect(city.props.mesh.vertexCount).toBeGreaterThan(0);
    expect(full.props.mesh.vertexCount).toBeGreaterThan(city.props.mesh.vertexCount);
    expect((layer.props.draw(10.5) as LineMeshLayer).props.mesh).toBe(city.props.mesh);
    // A new picture of the tracks is a new mesh.
    const next = replayTrailsLayer({ ...tracks(), version: 4 }) as ZoomDetailLayer;
    expect((next.props.draw(10.5) as LineMeshLayer).props.mesh).not.toBe(city.props.mesh);
  });
});
