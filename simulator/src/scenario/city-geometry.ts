import {
  buildRoadModel,
  districtShapes,
  GRID_CELL_M,
  gridCells,
  gridSpec,
  loadRoads,
  type DistrictShape,
  type EgretConfig,
  type GridCell,
  type GridSpec,
} from '@egret/config';
import { buildLattice, type Lattice } from './lattice.ts';
import { buildTravelGraph, type TravelGraph } from './travel-graph.ts';

/**
 * The city's shapes prepared once: district outlines, the ~500 m grid and its cells, the movement lattice patrols
 * walk, and the travel graph units on a task drive (the lattice across district borders and over the city's
 * bridges and tunnels from `roads.json`).
 */
export interface CityGeometry {
  shapes: DistrictShape[];
  spec: GridSpec;
  cells: GridCell[];
  lattice: Lattice;
  travel: TravelGraph;
}

/** Builds the geometry of a city (a few hundred ms for Xiamen; build it once and share it). */
export function cityGeometry(
  config: Pick<EgretConfig, 'city' | 'boundaries' | 'dir'>,
  cellM = GRID_CELL_M,
): CityGeometry {
  const shapes = districtShapes(config.boundaries);
  const spec = gridSpec(config.city.bbox, cellM);
  const lattice = buildLattice(shapes, spec);
  const roads = buildRoadModel(loadRoads({ dir: config.dir, city: config.city.id }), config.boundaries);
  const links = roads.islands.flatMap((i) => i.links.map((k) => ({ id: k.id, a: k.island, b: k.mainland })));
  return { shapes, spec, cells: gridCells(shapes, spec), lattice, travel: buildTravelGraph(lattice, shapes, links) };
}
