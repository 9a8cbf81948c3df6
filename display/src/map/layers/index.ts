import type { Layer } from '@deck.gl/core';
import type { Case } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import type { Boundaries, DistrictLabel } from '../boundaries.ts';
import { casesLayer } from './cases.ts';
import { districtLabelsLayer } from './district-labels.ts';
import { dispatchLinesLayer, type DispatchLinesInput } from './dispatch-lines.ts';
import { districtEdgeLayer, districtFillLayer } from './districts.ts';
import { selectedCaseLayer } from './selected-case.ts';
import { unitsLayer, type UnitsInput } from './units.ts';
import { wallOverlays, type WallOverlaysInput } from './wall-overlays.ts';

export interface MapLayersInput {
  boundaries: Boundaries;
  labels: DistrictLabel[];
  cases: readonly Case[];
  caseColor: (c: Case) => Rgba;
  units: UnitsInput;
  /** Size of dots, lines and labels relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
  /** The wall's overlays (heat, overdue rings, pulses, a unit's trail) and its layer switches; absent elsewhere. */
  overlays?: WallOverlaysInput;
  /** Lines from dispatched units to their cases (wall and console); no layer when absent. */
  dispatch?: DispatchLinesInput;
  /** The case selected at the console, ringed; `undefined` (the wall) leaves the ring layer out. */
  selectedCase?: Case | null;
}

/** Every layer of the map, bottom to top. Pure: the same input gives layers with the same ids and props. */
export function mapLayers(input: MapLayersInput): Layer[] {
  const scale = input.scale ?? 1;
  const o = input.overlays && wallOverlays(input.overlays, input.caseColor, scale);
  // Switched-off layers stay in the stack, hidden: deck.gl keeps their buffers and showing them again is free.
  const shown = (layer: Layer, on: boolean | undefined) => (on === false ? layer.clone({ visible: false }) : layer);
  const visible = input.overlays?.visible;
  return [
    districtFillLayer({ boundaries: input.boundaries, scale }),
    districtEdgeLayer({ boundaries: input.boundaries, scale }),
    ...(o?.belowCases ?? []),
    shown(casesLayer({ cases: input.cases, colorOf: input.caseColor }, scale), visible?.cases),
    ...(o?.aboveCases ?? []),
    ...(o?.belowUnits ?? []),
    ...(input.dispatch ? [dispatchLinesLayer(input.dispatch, scale)] : []),
    shown(unitsLayer(input.units, scale), visible?.units),
    ...(input.selectedCase !== undefined ? [selectedCaseLayer(input.selectedCase, scale)] : []),
    shown(districtLabelsLayer({ labels: input.labels, size: THEME.labelSize * scale }), visible?.labels),
  ];
}
