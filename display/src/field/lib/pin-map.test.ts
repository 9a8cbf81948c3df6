import { describe, expect, it } from 'vitest';
import { outlinePath, project, unproject, type PinView } from './pin-map.ts';

const view: PinView = { center: [118.09, 24.48], halfSpanLat: 0.01, width: 360, height: 240 };

describe(project.name, () => {
  it('puts the centre in the middle and north up, and a tap maps back to where it was drawn', () => {
    expect(project(view, 118.09, 24.48)).toEqual([180, 120]);
    const [, yNorth] = project(view, 118.09, 24.485);
    expect(yNorth).toBeLessThan(120);
    const [lon, lat] = unproject(view, 300, 40);
    const [x, y] = project(view, lon, lat);
    expect(x).toBeCloseTo(300, 6);
    expect(y).toBeCloseTo(40, 6);
  });
});

describe(outlinePath.name, () => {
  it('draws polygons and multipolygons as closed paths', () => {
    const square: Array<[number, number]> = [
      [118.08, 24.47],
      [118.1, 24.47],
      [118.1, 24.49],
      [118.08, 24.47],
    ];
    const d = outlinePath(view, [
      { geometry: { type: 'Polygon', coordinates: [square] } },
      { geometry: { type: 'MultiPolygon', coordinates: [[square]] } },
      { geometry: { type: 'Point', coordinates: [118, 24] } },
    ]);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/Z/g)).toHaveLength(2);
  });
});
