import { describe, expect, it } from 'vitest';
import type { GridMap } from '@egret/protocol';
import { SMALL_GRID } from '../../test/grid.ts';
import { gridLines } from './grid-lines.ts';

describe(gridLines.name, () => {
  it('draws each lattice line once, as one run across whole squares and the lattice edges of cut ones', () => {
    expect(gridLines(SMALL_GRID)).toEqual([
      { from: [118, 24.4], to: [118.015, 24.4] },
      { from: [118, 24.4045], to: [118.015, 24.4045] },
      { from: [118, 24.4], to: [118, 24.4045] },
      { from: [118.005, 24.4], to: [118.005, 24.4045] },
      { from: [118.01, 24.4], to: [118.01, 24.4045] },
      // The district border at 118.012 is not a lattice line: the district layers draw it.
      { from: [118.015, 24.4], to: [118.015, 24.4045] },
    ]);
  });

  it('breaks a line where no cell lies on either side of it (the sea between island and mainland)', () => {
    const map: GridMap = {
      ...SMALL_GRID,
      cells: [SMALL_GRID.cells[0]!, { id: '350203000005001', district: '350203', row: 0, col: 5 }],
    };
    const south = gridLines(map).filter((l) => l.from[1] === 24.4 && l.to[1] === 24.4);
    expect(south).toEqual([
      { from: [118, 24.4], to: [118.005, 24.4] },
      { from: [118.025, 24.4], to: [118.03, 24.4] },
    ]);
  });

  it('keeps only the part of a coast cell’s edge that runs along the lattice', () => {
    // Row 1, column 0 with the sea cutting off its north-east corner.
    const coast = {
      id: '350203001000001',
      district: '350203',
      row: 1,
      col: 0,
      rings: [
        [
          [118, 24.4045],
          [118.005, 24.4045],
          [118.005, 24.406],
          [118.002, 24.409],
          [118, 24.409],
          [118, 24.4045],
        ],
      ] as [number, number][][],
    };
    const lines = gridLines({ ...SMALL_GRID, cells: [coast] });
    expect(lines).toEqual([
      { from: [118, 24.4045], to: [118.005, 24.4045] },
      { from: [118, 24.409], to: [118.002, 24.409] },
      { from: [118, 24.4045], to: [118, 24.409] },
      { from: [118.005, 24.4045], to: [118.005, 24.406] },
    ]);
  });
});
