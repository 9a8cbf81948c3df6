import { describe, expect, it } from 'vitest';
import { aCase } from '../../test/fixtures.ts';
import { SMALL_GRID } from '../../test/grid.ts';
import { caseCellRings, EMPTY_GRID_PICTURE, gridPicture } from './grid-picture.ts';

describe(gridPicture.name, () => {
  it('spells out whole squares from the lattice, rounded as the hub rounds cut rings, and keeps cut rings as sent', () => {
    const p = gridPicture(SMALL_GRID);
    expect([...p.rings.keys()]).toEqual(SMALL_GRID.cells.map((c) => c.id));
    expect(p.rings.get('350203000001001')).toEqual([
      [
        [118.005, 24.4],
        [118.01, 24.4],
        [118.01, 24.4045],
        [118.005, 24.4045],
        [118.005, 24.4],
      ],
    ]);
    expect(p.rings.get('350206000002001')).toBe(SMALL_GRID.cells[3]!.rings);
    expect(p.lines).toHaveLength(6);
  });

  it('is the empty picture until the grid map arrives', () => {
    expect(gridPicture(null)).toBe(EMPTY_GRID_PICTURE);
    expect(EMPTY_GRID_PICTURE.lines).toEqual([]);
  });
});

describe(caseCellRings.name, () => {
  const picture = gridPicture(SMALL_GRID);

  it('finds a case’s cell by its grid id', () => {
    expect(caseCellRings(picture, aCase({ grid: '350203000001001', position: [118.0001, 24.4001] }))[0]![0]).toEqual([
      118.005, 24.4,
    ]);
  });

  it('finds the cell a case without a grid lies in, the right piece of a square cut by a border', () => {
    expect(caseCellRings(picture, aCase({ position: [118.0025, 24.402] }))[0]![0]).toEqual([118, 24.4]);
    expect(caseCellRings(picture, aCase({ position: [118.014, 24.402], district: '350203' }))).toBe(
      SMALL_GRID.cells[3]!.rings,
    );
    expect(caseCellRings(picture, aCase({ position: [118.011, 24.402], district: '350206' }))).toBe(
      SMALL_GRID.cells[2]!.rings,
    );
  });

  it('outlines nothing without a case, off the grid, or before the grid map arrives', () => {
    expect(caseCellRings(picture, null)).toEqual([]);
    expect(caseCellRings(picture, aCase({ position: [117.9, 24.3] }))).toEqual([]);
    expect(caseCellRings(picture, aCase({ position: [118.02, 24.402] }))).toEqual([]);
    expect(caseCellRings(EMPTY_GRID_PICTURE, aCase({ grid: '350203000000001' }))).toEqual([]);
  });
});
