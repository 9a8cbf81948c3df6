import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Sensor } from '@egret/protocol';
import type { DistrictLabel } from '../boundaries.ts';
import type { SensorPicture } from '../sensor-picture.ts';
import { THEME, type Rgba } from '../../theme.ts';
import { HALO_TEXT } from './halo-text.ts';
import { SensorLabelsLayer } from './sensor-labels.ts';

export interface SensorLayersInput {
  /** Rebuilt when a sensor changes, not per frame. */
  picture: SensorPicture;
  visible: boolean;
  scale?: number;
  /** The district names drawn over the map and their size: a reading gives way to them (none: it gives way to none). */
  districts?: readonly DistrictLabel[];
  districtSize?: number;
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

/** The sensors' layers, bottom to top: alarm rings, markers, readings. Always in the stack; hidden when empty or off. */
export function sensorLayers({
  picture: p,
  visible,
  scale = 1,
  districts = [],
  districtSize,
}: SensorLayersInput): Layer[] {
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
    new SensorLabelsLayer({
      id: 'sensor-labels',
      data: p.labels,
      visible: on(p.labels),
      scale,
      districts,
      districtSize: districtSize ?? THEME.labelSize * scale,
    }),
  ];
}
