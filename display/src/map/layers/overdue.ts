import type { Case } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import { dotsLayer, type DotsLayer } from './dot-mesh-layer.ts';

export interface OverdueInput {
  /** Open cases past their deadline: a new array only when the set changed. */
  cases: readonly Case[];
  visible: boolean;
  scale?: number;
}

/** The overdue ring: red, wider than any case ring, so it reads from across the room. */
export const OVERDUE_RING: Rgba = [239, 68, 68, 255];

/** A red ring around every case past its deadline, drawn over the cases' own rings. */
export function overdueLayer({ cases, visible, scale = 1 }: OverdueInput): DotsLayer<Case> {
  return dotsLayer<Case>({
    id: 'case-overdue',
    data: cases,
    visible,
    getPosition: (c) => c.position,
    getRadius: (c) => THEME.caseRadius[c.urgency] + 9,
    radiusScale: scale,
    filled: false,
    stroked: true,
    getLineColor: OVERDUE_RING,
    getLineWidth: 4,
    lineWidthScale: scale,
    pickable: false,
  });
}
