import type { Layer } from '@deck.gl/core';
import { LineLayer, TextLayer } from '@deck.gl/layers';
import type { LonLat } from '@egret/protocol';
import type { PlanMapPicture, PlanPoint, PlanTarget, PointState } from '../plan-picture.ts';
import { THEME, type Rgba } from '../../theme.ts';
import type { LivePositions } from './dispatch-lines.ts';

/**
 * Marker glyphs of the plan layer: a triangle for a round's point (点位), a star for a pre-position target — shapes
 * no case (ring), unit (dot) or sensor (◆ ■) has. Glyphs from the map's font, like the sensors': no icon atlas.
 */
export const PLAN_GLYPH = { point: '▲', target: '★' } as const;

/** A point's colour by its state: to check (cyan), overdue (red), passed (green), a problem found (amber). */
export const POINT_COLOR: Readonly<Record<PointState, Rgba>> = {
  open: [76, 195, 255, 255],
  overdue: [239, 68, 68, 255],
  passed: [34, 197, 94, 255],
  problem: [245, 158, 11, 255],
};
/** Pre-position targets: violet while waited for, red when late, green once the unit is in place. */
export const TARGET_COLOR: Readonly<Record<PlanTarget['state'], Rgba>> = {
  on_the_way: [192, 132, 252, 255],
  late: [239, 68, 68, 255],
  arrived: [34, 197, 94, 255],
};
const LINE_COLOR: Rgba = [192, 132, 252, 220];

export interface PlanLayersInput {
  /** Rebuilt when a plan's part of the world changes (or the judged minute), not per frame. */
  picture: PlanMapPicture;
  visible: boolean;
  /** Units' live positions and their paint version: the lines' moving ends follow them. */
  positions?: LivePositions;
  version?: number;
  scale?: number;
}

// Module-level accessors: an unchanged picture keeps every prop's identity, so deck.gl skips the layers.
const pointPosition = (p: PlanPoint) => p.position;
const pointColor = (p: PlanPoint) => POINT_COLOR[p.state];
const pointGlyph = () => PLAN_GLYPH.point;
const targetPosition = (t: PlanTarget) => t.to;
const targetColor = (t: PlanTarget) => TARGET_COLOR[t.state];
const targetGlyph = () => PLAN_GLYPH.target;
const GLYPHS = [PLAN_GLYPH.point, PLAN_GLYPH.target];
const FONT_SETTINGS = { sdf: true, fontSize: 96, buffer: 12, radius: 12 };

/** Where the unit of an order is: its live position, its last logged one, or the target (a line of no length). */
export function unitEnd(t: PlanTarget, positions: LivePositions | undefined): LonLat {
  if (t.slot !== null && positions?.has(t.slot)) return [positions.lon(t.slot), positions.lat(t.slot)];
  return t.from ?? t.to;
}

/**
 * The plan layer (`plan`), bottom to top: lines from each ordered unit to its point while it is on the way (or late),
 * the round's points coloured by state, the pre-position targets. Always in the stack; hidden when empty or off.
 */
export function planLayers({ picture, visible, positions, version = 0, scale = 1 }: PlanLayersInput): Layer[] {
  const travelling = picture.targets.filter((t) => t.state !== 'arrived' && t.slot !== null);
  return [
    new LineLayer<PlanTarget>({
      id: 'plan-lines',
      data: travelling,
      visible: visible && travelling.length > 0,
      getSourcePosition: (t) => unitEnd(t, positions),
      getTargetPosition: targetPosition,
      getColor: LINE_COLOR,
      getWidth: 3,
      widthUnits: 'pixels',
      widthScale: scale,
      widthMinPixels: 1,
      updateTriggers: { getSourcePosition: version },
      pickable: false,
    }),
    new TextLayer<PlanPoint>({
      id: 'plan-points',
      data: picture.points,
      visible: visible && picture.points.length > 0,
      getPosition: pointPosition,
      getText: pointGlyph,
      getSize: 34,
      sizeUnits: 'pixels',
      sizeScale: scale,
      getColor: pointColor,
      characterSet: GLYPHS,
      fontFamily: THEME.font,
      fontSettings: FONT_SETTINGS,
      outlineWidth: 4,
      outlineColor: THEME.map.labelHalo,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      pickable: false,
    }),
    new TextLayer<PlanTarget>({
      id: 'plan-targets',
      data: picture.targets,
      visible: visible && picture.targets.length > 0,
      getPosition: targetPosition,
      getText: targetGlyph,
      getSize: 52,
      sizeUnits: 'pixels',
      sizeScale: scale,
      getColor: targetColor,
      characterSet: GLYPHS,
      fontFamily: THEME.font,
      fontSettings: FONT_SETTINGS,
      outlineWidth: 4,
      outlineColor: THEME.map.labelHalo,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      pickable: false,
    }),
  ];
}
