import {
  districtShapes, gridCells, gridSpec, type DistrictShape, type EgretConfig, type GridCell, type GridSpec,
} from '@egret/config';
import { buildLattice, type Lattice } from './lattice.ts';

/** The city's shapes prepared once: district outlines, the ~500 m grid and its cells, and the movement lattice. */
export interface CityGeometry {
  shapes: DistrictShape[];
  spec: GridSpec;
  cells: GridCell[];
  lattice: Lattice;
}

/** Builds the geometry of a city (a few hundred ms for Xiamen; build it once and share it). */
export function cityGeometry(config: Pick<EgretConfig, 'city' | 'boundaries'>, cellM = 500): CityGeometry {
  const shapes = districtShapes(config.boundaries);
  const spec = gridSpec(config.city.bbox, cellM);
  return { shapes, spec, cells: gridCells(shapes, spec), lattice: buildLattice(shapes, spec) };
}
