import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { CameraKind, CameraSpec } from '@egret/protocol';
import { THEME, type Rgba } from '../../theme.ts';
import { HALO_TEXT } from './halo-text.ts';

export interface CameraLayersInput {
  /** The registry in force (protocol `cameraRegistry`): the same array until a camera changes. */
  cameras: readonly CameraSpec[];
  /** Cameras to ring: on the walls, or open at the console (the same array until that changes). */
  marked: readonly CameraSpec[];
  visible: boolean;
}

/**
 * A camera is a play triangle (▶) — a shape no case (ring), unit (dot) or sensor (◆ ■) has — in the map's font, so no
 * icon atlas is fetched. Body-worn cameras and drones move with people: they are drawn in another colour.
 */
export const CAMERA_GLYPH = '▶';
export const CAMERA_COLOR: Readonly<Record<CameraKind, Rgba>> = {
  fixed: [56, 189, 248, 255],
  ptz: [56, 189, 248, 255],
  body_worn: [250, 204, 21, 255],
  drone: [250, 204, 21, 255],
};
const MARK_RING: Rgba = [255, 255, 255, 235];
const MARK_DISC: Rgba = [56, 189, 248, 70];

// Module-level accessors: unchanged layers keep every prop's identity, so deck.gl skips them.
const cameraPosition = (c: CameraSpec) => c.position;
const cameraGlyph = () => CAMERA_GLYPH;
const cameraColor = (c: CameraSpec) => CAMERA_COLOR[c.kind];
const GLYPHS = [CAMERA_GLYPH];

/** The cameras' layers, bottom to top: rings round the marked ones, the markers. Always in the stack; hidden when off. */
export function cameraLayers({ cameras, marked, visible }: CameraLayersInput, scale = 1): Layer[] {
  return [
    new ScatterplotLayer<CameraSpec>({
      id: 'camera-marks',
      data: marked,
      visible: visible && marked.length > 0,
      getPosition: cameraPosition,
      getRadius: 30,
      radiusUnits: 'pixels',
      radiusScale: scale,
      filled: true,
      stroked: true,
      getFillColor: MARK_DISC,
      getLineColor: MARK_RING,
      getLineWidth: 5,
      lineWidthUnits: 'pixels',
      lineWidthScale: scale,
      pickable: false,
    }),
    new TextLayer<CameraSpec>({
      ...HALO_TEXT,
      id: 'cameras',
      data: cameras,
      visible: visible && cameras.length > 0,
      getPosition: cameraPosition,
      getText: cameraGlyph,
      getSize: THEME.sensorSize.other,
      sizeScale: scale,
      getColor: cameraColor,
      characterSet: GLYPHS,
      outlineWidth: 4,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      pickable: true,
    }),
  ];
}
