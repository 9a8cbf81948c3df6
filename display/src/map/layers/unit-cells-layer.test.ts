import { describe, expect, it } from 'vitest';
import { mercatorX, mercatorY } from '../mercator.ts';
import { GATHER_FROM, unitsLayer } from './units.ts';
import { UnitCellsLayer, viewInWorldPixels } from './unit-cells-layer.ts';

function picture(length: number) {
  return {
    length,
    positions: new Float32Array(length * 2),
    colors: new Uint8Array(length * 4),
    lineColors: new Uint8Array(length * 4),
    radii: new Float32Array(length),
    version: 1,
  };
}

describe(viewInWorldPixels.name, () => {
  it('turns west, south, east, north into world pixels with y growing southwards, margin added', () => {
    const [minX, minY, maxX, maxY] = viewInWorldPixels([118, 24.4, 118.2, 24.6], 4096, 10);
    expect(minX).toBeCloseTo(mercatorX(118) * 4096 - 10, 6);
    expect(maxX).toBeCloseTo(mercatorX(118.2) * 4096 + 10, 6);
    expect(minY).toBeCloseTo(mercatorY(24.6) * 4096 - 10, 6);
    expect(maxY).toBeCloseTo(mercatorY(24.4) * 4096 + 10, 6);
    expect(minY).toBeLessThan(maxY);
  });
});

describe(unitsLayer.name, () => {
  it('draws every unit as its own dot below the gathering threshold, and with ?units=full', () => {
    expect(unitsLayer(picture(GATHER_FROM - 1)).constructor.name).toBe('ScatterplotLayer');
    expect(unitsLayer(picture(50_000), 1, true).constructor.name).toBe('ScatterplotLayer');
  });

  it('gathers units into screen cells from the threshold on, under the same id and row count', () => {
    const layer = unitsLayer(picture(50_000), 0.5, false);
    expect(layer).toBeInstanceOf(UnitCellsLayer);
    expect(layer.id).toBe('units');
    expect((layer.props.data as { length: number }).length).toBe(50_000);
    expect(layer.props.pickable).toBe(true);
  });
});
