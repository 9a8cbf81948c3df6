import type { Case } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import { dotsLayer, type DotsLayer } from './dot-mesh-layer.ts';

export interface CasesInput {
  /** Open cases: a new array only when the world changed. */
  cases: readonly Case[];
  /** The case's category-group colour. */
  colorOf: (c: Case) => Rgba;
}

/**
 * Open cases as rings in their category group's colour (a translucent fill, a solid edge), sized by urgency.
 * Rings, where units are solid dots with a white edge: the two read apart from across the room even where a
 * group colour is close to a unit-status colour.
 */
export function casesLayer({ cases, colorOf }: CasesInput, scale = 1): DotsLayer<Case> {
  return dotsLayer<Case>({
    id: 'cases',
    data: cases,
    getPosition: (c) => c.position,
    getFillColor: (c) => withAlpha(colorOf(c), THEME.caseFillAlpha),
    getLineColor: colorOf,
    getRadius: (c) => THEME.caseRadius[c.urgency],
    getLineWidth: (c) => THEME.caseRing[c.urgency],
    radiusScale: scale,
    stroked: true,
    lineWidthScale: scale,
    pickable: true,
  });
}

function withAlpha([r, g, b]: Rgba, a: number): Rgba {
  return [r, g, b, a];
}
