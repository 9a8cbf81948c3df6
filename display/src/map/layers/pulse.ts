import type { Case } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import { dotsLayer, type DotsLayer } from './dot-mesh-layer.ts';

export interface PulseInput {
  /** Cases that just arrived: a new array only when one arrives or one's pulse ends. */
  cases: readonly Case[];
  /** Where the pulse is in its cycle, 0–1: the only thing that changes while it animates. */
  phase: number;
  visible: boolean;
  colorOf: (c: Case) => Rgba;
  scale?: number;
}

/** How far the ring grows over one cycle, relative to its start. */
export const PULSE_GROWTH = 3;

/**
 * New cases announce themselves with an expanding, fading ring. The animation is one number: `phase` sets the
 * layer's radius scale and opacity (uniforms), so a frame of animation re-uploads no data and calls no accessor.
 */
export function pulseLayer({ cases, phase, visible, colorOf, scale = 1 }: PulseInput): DotsLayer<Case> {
  const p = Math.min(1, Math.max(0, phase));
  return dotsLayer<Case>({
    id: 'case-pulse',
    data: cases,
    visible: visible && cases.length > 0,
    getPosition: (c) => c.position,
    getRadius: (c) => THEME.caseRadius[c.urgency] + 4,
    getLineColor: colorOf,
    radiusScale: scale * (1 + PULSE_GROWTH * p),
    filled: false,
    stroked: true,
    getLineWidth: 5,
    lineWidthScale: scale,
    opacity: 1 - p * 0.9,
    pickable: false,
  });
}
