import { ScatterplotLayer } from '@deck.gl/layers';
import type { Case } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';

/** The selection ring: white on a dark map, wide enough to find at a glance among the case rings. */
export const SELECTED_RING: Rgba = [255, 255, 255, 255];
const SELECTED_HALO: Rgba = [76, 195, 255, 70];

/** Radius of the ring around the selected case, in pixels at the wall's scale. */
export const SELECTED_RADIUS = 30;

/**
 * The selected case ringed in white over a soft halo, drawn above everything but the labels. Always in the stack
 * (hidden when nothing is selected), so selecting changes one small layer's data and nothing else.
 */
export function selectedCaseLayer(selected: Case | null | undefined, scale = 1): ScatterplotLayer<Case> {
  return new ScatterplotLayer<Case>({
    id: 'selected-case',
    data: selected ? [selected] : [],
    visible: !!selected,
    getPosition: (c) => c.position,
    getRadius: (c) => SELECTED_RADIUS + THEME.caseRadius[c.urgency] - THEME.caseRadius.normal,
    getFillColor: SELECTED_HALO,
    getLineColor: SELECTED_RING,
    getLineWidth: 5,
    radiusUnits: 'pixels',
    radiusScale: scale,
    lineWidthUnits: 'pixels',
    lineWidthScale: scale,
    lineWidthMinPixels: 2,
    stroked: true,
    filled: true,
    pickable: false,
  });
}
