import { describe, expect, it } from 'vitest';
import { partitionCells } from './duty-areas.ts';
import { geometry } from '../../test/city.ts';

describe(partitionCells.name, () => {
  const siming = geometry.cells.filter((c) => c.district === '350203');
  const areas = partitionCells(siming, 4);

  it('puts every cell in one of k non-empty areas', () => {
    expect(areas).toHaveLength(siming.length);
    for (let k = 0; k < 4; k++) expect(areas.filter((a) => a === k).length).toBeGreaterThan(siming.length / 12);
  });

  it('makes compact areas: each cell is nearer its own area’s centre than most others', () => {
    const centre = [0, 1, 2, 3].map((k) => {
      const own = siming.filter((_, i) => areas[i] === k);
      return [
        own.reduce((s, c) => s + c.center[0], 0) / own.length,
        own.reduce((s, c) => s + c.center[1], 0) / own.length,
      ];
    });
    const nearestOwn = siming.filter((c, i) => {
      const d = centre.map(([x, y]) => (c.center[0] - x!) ** 2 + (c.center[1] - y!) ** 2);
      return d.indexOf(Math.min(...d)) === areas[i];
    });
    expect(nearestOwn.length / siming.length).toBeGreaterThan(0.9);
  });

  it('is the same every time (no randomness)', () => {
    expect(partitionCells(siming, 4)).toEqual(areas);
  });
});
