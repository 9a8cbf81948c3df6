import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Sensor } from '@egret/protocol';
import type { SensorLabel, SensorPicture } from '../sensor-picture.ts';
import { THEME, type Rgba } from '../../theme.ts';
import { glyphsOf } from './text-glyphs.ts';
import { HALO_TEXT } from './halo-text.ts';

export interface SensorLayersInput {
  /** Rebuilt when a sensor changes, not per frame. */
  picture: SensorPicture;
  visible: boolean;
  scale?: number;
}

/**
 * Marker glyphs: a diamond for a water-level gauge, a square for every other sensor — shapes no case (ring) or unit
 * (dot) has. Glyphs from the map's font, so no icon atlas is loaded (the wall may sit on a closed network).
 */
export const SENSOR_GLYPH = { water_level: '◆', other: '■' } as const;
export const glyphOf = (s: Sensor): string =>
  s.kind === 'water_level' ? SENSOR_GLYPH.water_level : SENSOR_GLYPH.other;

/** The alarm ring: red, wider than any marker, on a faint red disc. */
export const SENSOR_ALARM_RING: Rgba = [239, 68, 68, 255];
const ALARM_DISC: Rgba = [239, 68, 68, 60];

// Module-level accessors and constants: unchanged layers keep every prop's identity, so deck.gl skips them.
const sensorPosition = (s: Sensor) => s.position;
const alarmRadius = (s: Sensor) => (s.kind === 'water_level' ? 38 : 32);
const markerSize = (s: Sensor) => (s.kind === 'water_level' ? THEME.sensorSize.water_level : THEME.sensorSize.other);
const markerColor = (s: Sensor) => THEME.sensorLevel[s.level];
const MARKER_GLYPHS = [SENSOR_GLYPH.water_level, SENSOR_GLYPH.other];
const labelPosition = (l: SensorLabel) => l.position;
const labelText = (l: SensorLabel) => l.text;
const labelColor = (l: SensorLabel) => (l.level === 'normal' ? THEME.map.label : THEME.sensorLevel[l.level]);
const labelOffsets = new Map<number, [number, number]>();
const labelOffset = (scale: number) => {
  let o = labelOffsets.get(scale);
  if (!o) labelOffsets.set(scale, (o = [50 * scale, 0]));
  return o;
};

/** The sensors' layers, bottom to top: alarm rings, markers, readings. Always in the stack; hidden when empty or off. */
export function sensorLayers({ picture: p, visible, scale = 1 }: SensorLayersInput): Layer[] {
  const on = (rows: { length: number }) => visible && rows.length > 0;
  return [
    new ScatterplotLayer<Sensor>({
      id: 'sensor-alarms',
      data: p.alarms,
      visible: on(p.alarms),
      getPosition: sensorPosition,
      getRadius: alarmRadius,
      radiusUnits: 'pixels',
      radiusScale: scale,
      filled: true,
      stroked: true,
      getFillColor: ALARM_DISC,
      getLineColor: SENSOR_ALARM_RING,
      getLineWidth: 7,
      lineWidthUnits: 'pixels',
      lineWidthScale: scale,
      pickable: false,
    }),
    new TextLayer<Sensor>({
      ...HALO_TEXT,
      id: 'sensors',
      data: p.markers,
      visible: on(p.markers),
      getPosition: sensorPosition,
      getText: glyphOf,
      getSize: markerSize,
      sizeScale: scale,
      getColor: markerColor,
      characterSet: MARKER_GLYPHS,
      outlineWidth: 4,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      pickable: false,
    }),
    new TextLayer<SensorLabel>({
      ...HALO_TEXT,
      id: 'sensor-labels',
      data: p.labels,
      visible: on(p.labels),
      getPosition: labelPosition,
      getText: labelText,
      getSize: THEME.sensorLabelSize,
      sizeScale: scale,
      getColor: labelColor,
      getTextAnchor: 'start',
      getAlignmentBaseline: 'center',
      getPixelOffset: labelOffset(scale),
      characterSet: glyphsOf(p.labels),
      fontWeight: 700,
      pickable: false,
    }),
  ];
}
