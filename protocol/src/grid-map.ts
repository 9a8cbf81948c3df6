import { z } from 'zod';
import { LonLat } from './geo.ts';

/**
 * The city's unit grids (单元网格) as `GET /api/map/grids` serves them, for the display's grid layer.
 *
 * Compact on purpose: most cells are whole squares of one lattice and travel as their row and column; only a cell
 * cut by a district border or the coast carries its outline. Coordinates are rounded to 1e-5° (about 1 m).
 * Xiamen at 500 m: 7,771 cells, 6,351 of them whole squares — 837 kB of JSON, 90 kB gzipped (the naive form, every
 * cell with its rings, is 1.43 MB and 120 kB).
 */
export const GridLattice = z.object({
  /** South-west corner of the cell at row 0, column 0. */
  origin: LonLat,
  /** Cell size in degrees: the square at (row, col) spans origin + col·cellLon … + cellLon, likewise in latitude. */
  cellLon: z.number().positive(),
  cellLat: z.number().positive(),
});
export type GridLattice = z.infer<typeof GridLattice>;

export const GridMapCell = z.object({
  /** The grid id cases carry (`Case.grid`), 15 characters for a generated grid. */
  id: z.string().min(1).max(32),
  /** District code (6 digits). */
  district: z.string().min(1),
  /** Lattice row and column of the square this cell is (part of). */
  row: z.number().int().nonnegative(),
  col: z.number().int().nonnegative(),
  /** The clipped outline as closed rings (outer rings and holes alike: the map draws lines); absent: the whole square. */
  rings: z.array(z.array(LonLat).min(2)).min(1).optional(),
});
export type GridMapCell = z.infer<typeof GridMapCell>;

export const GridMap = z.object({
  /** Nominal cell size in metres. */
  cellM: z.number().positive(),
  lattice: GridLattice,
  /** By district, then row, then column. */
  cells: z.array(GridMapCell),
});
export type GridMap = z.infer<typeof GridMap>;
