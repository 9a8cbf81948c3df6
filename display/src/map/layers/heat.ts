import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { Case, Urgency } from '@egret/protocol';

export interface HeatInput {
  /** Today's cases: a new array only when a case was added (the layer re-aggregates on every new array). */
  cases: readonly Case[];
  visible: boolean;
  /** Size relative to the 4K wall (the console draws at 0.5). */
  scale?: number;
}

/** Heat per case by urgency: one critical case weighs like a handful of ordinary ones. */
export const HEAT_WEIGHT: Readonly<Record<Urgency, number>> = { normal: 1, urgent: 3, critical: 6 };

/** Cold to hot, transparent at the cold end so the districts stay readable under it. */
export const HEAT_COLOURS: [number, number, number, number][] = [
  [30, 64, 175, 0],
  [37, 99, 235, 90],
  [16, 185, 129, 140],
  [250, 204, 21, 170],
  [249, 115, 22, 200],
  [239, 68, 68, 220],
];

/**
 * Where today's cases are, as heat (aggregated on the GPU). Hidden rather than dropped when switched off, so
 * switching it back on costs nothing. A 1024² weights texture is plenty for a blur this wide and keeps the
 * aggregation pass cheap on software GL.
 */
export function heatLayer({ cases, visible, scale = 1 }: HeatInput): HeatmapLayer<Case> {
  return new HeatmapLayer<Case>({
    id: 'case-heat',
    data: cases,
    visible,
    getPosition: (c) => c.position,
    getWeight: (c) => HEAT_WEIGHT[c.urgency],
    // Wide enough that neighbouring cases merge into areas: the heat says where, the dots say what.
    radiusPixels: Math.max(16, Math.round(150 * scale)),
    intensity: 1.5,
    threshold: 0.03,
    colorRange: HEAT_COLOURS,
    weightsTextureSize: 1024,
    pickable: false,
  });
}
