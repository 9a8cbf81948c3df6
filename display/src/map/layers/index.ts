import type { Layer } from '@deck.gl/core';
import type { Case } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import type { Boundaries, DistrictLabel } from '../boundaries.ts';
import { casesLayer } from './cases.ts';
import { districtLabelsLayer } from './district-labels.ts';
import { districtEdgeLayer, districtFillLayer } from './districts.ts';
import { unitsLayer, type UnitsInput } from './units.ts';

export interface MapLayersInput {
  boundaries: Boundaries;
  labels: DistrictLabel[];
  cases: readonly Case[];
  caseColor: (c: Case) => Rgba;
  units: UnitsInput;
  /** Size of dots, lines and labels relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
}

/** Every layer of the map, bottom to top. Pure: the same input gives layers with the same ids and props. */
export function mapLayers(input: MapLayersInput): Layer[] {
  const scale = input.scale ?? 1;
  return [
    districtFillLayer({ boundaries: input.boundaries, scale }),
    districtEdgeLayer({ boundaries: input.boundaries, scale }),
    casesLayer({ cases: input.cases, colorOf: input.caseColor }, scale),
    unitsLayer(input.units, scale),
    districtLabelsLayer({ labels: input.labels, size: THEME.labelSize * scale }),
  ];
}
