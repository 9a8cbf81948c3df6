import { describe, expect, it } from 'vitest';
import { districtShapes, gridCells, gridSpec, loadConfig } from '@egret/config';
import { Rng } from '../../rng.ts';
import { buildCellIndex, cellIndexAt, inCell, randomPointInCell } from './cell-index.ts';

const config = loadConfig();
const cells = gridCells(districtShapes(config.boundaries), gridSpec(config.city.bbox, 1000));
const index = buildCellIndex(cells);

describe(cellIndexAt.name, () => {
  it('finds the cell that holds a point inside it', () => {
    const rng = new Rng('cells');
    for (let n = 0; n < 300; n++) {
      const i = rng.int(0, cells.length - 1);
      const p = randomPointInCell(index, i, () => rng.float());
      if (!inCell(cells[i]!, p)) continue; // a sliver fell back to its (outside) centre
      expect(cells[cellIndexAt(index, p)]!.id).toBe(cells[i]!.id);
    }
  });

  it('answers -1 far off the grid', () => {
    expect(cellIndexAt(index, [120.5, 22.0])).toBe(-1);
  });
});

describe(randomPointInCell.name, () => {
  it('puts points inside the cell’s outline', () => {
    const rng = new Rng('points');
    let inside = 0;
    for (let i = 0; i < cells.length; i += 7)
      if (
        inCell(
          cells[i]!,
          randomPointInCell(index, i, () => rng.float()),
        )
      )
        inside++;
    expect(inside / Math.ceil(cells.length / 7)).toBeGreaterThan(0.97);
  });
});
