import type { Viewport } from '@deck.gl/core';
import { TextLayer } from '@deck.gl/layers';
import type { DistrictLabel } from '../boundaries.ts';
import { declutter, textBox, type LabelBox } from '../declutter.ts';
import type { SensorLabel } from '../sensor-picture.ts';
import { THEME } from '../../theme.ts';
import { glyphsOf } from './text-glyphs.ts';
import { DeclutteredLabelsLayer } from './decluttered-labels.ts';
import { HALO_TEXT } from './halo-text.ts';

/** Pixels from a sensor's marker to the start of its reading, at the wall's scale 1. */
export const SENSOR_LABEL_OFFSET_PX = 50;

export interface SensorLabelsProps {
  /** In the order they are kept when they crowd: alarms first, then the furthest over threshold (sensor-picture.ts). */
  data: SensorLabel[];
  scale: number;
  /** The district names over the map and their size: a reading gives way to them. */
  districts: readonly DistrictLabel[];
  districtSize: number;
}

const labelPosition = (l: SensorLabel) => l.position;
const labelText = (l: SensorLabel) => l.text;
const labelColor = (l: SensorLabel) => (l.level === 'normal' ? THEME.map.label : THEME.sensorLevel[l.level]);
const labelOffsets = new Map<number, [number, number]>();
const labelOffset = (scale: number) => {
  let o = labelOffsets.get(scale);
  if (!o) labelOffsets.set(scale, (o = [SENSOR_LABEL_OFFSET_PX * scale, 0]));
  return o;
};

/**
 * The box of a reading drawn from `offset` px right of its sensor at (x, y): the layer anchors it at its start, the
 * declutter boxes are centred.
 */
export function readingBox(text: string, x: number, y: number, size: number, offset: number): LabelBox {
  const box = textBox(text, x, y, size);
  return { ...box, x: x + offset + box.width / 2 };
}

/**
 * The sensors' readings where they fit (issue: "0 cm" and "65.3 dB(A)" drawn over 翔安区 and over each other at
 * city view): laid out again when the view or the readings change, the district names and then the readings in
 * their order keep their place, the others wait for a closer view (../declutter.ts). The markers stay: a sensor is
 * always seen, its number when there is room.
 */
export class SensorLabelsLayer extends DeclutteredLabelsLayer<SensorLabel, SensorLabelsProps> {
  static override layerName = 'SensorLabelsLayer';

  override renderLayers(): TextLayer<SensorLabel> {
    const { scale } = this.props;
    return new TextLayer<SensorLabel>(
      this.getSubLayerProps({
        ...HALO_TEXT,
        id: 'text',
        data: this.state.shown,
        getPosition: labelPosition,
        getText: labelText,
        getSize: THEME.sensorLabelSize,
        sizeScale: scale,
        getColor: labelColor,
        getTextAnchor: 'start',
        getAlignmentBaseline: 'center',
        getPixelOffset: labelOffset(scale),
        characterSet: glyphsOf(this.props.data),
        fontWeight: 700,
        pickable: false,
      }),
    );
  }

  protected override fit(viewport: Viewport): SensorLabel[] {
    const { data, scale, districts, districtSize } = this.props;
    return readingsThatFit(data, districts, (p) => viewport.project([p[0], p[1]]), scale, districtSize);
  }
}

/**
 * The readings that fit on the screen (pure): `project` puts a map position on the screen in pixels. A reading in
 * alarm is always shown (the flooded gauge's 46 cm is what the room reads, even over a district's name); the district
 * names (drawn at `districtSize`) are always kept; then each other reading in order if it overlaps nothing kept.
 */
export function readingsThatFit(
  labels: readonly SensorLabel[],
  districts: readonly DistrictLabel[],
  project: (p: readonly [number, number]) => number[],
  scale: number,
  districtSize: number,
): SensorLabel[] {
  const at = (p: readonly [number, number]) => {
    const [x = Number.NaN, y = Number.NaN] = project(p);
    return [x, y] as const;
  };
  const size = THEME.sensorLabelSize * scale;
  const box = (l: SensorLabel) => readingBox(l.text, ...at(l.position), size, SENSOR_LABEL_OFFSET_PX * scale);
  const alarms = labels.filter((l) => l.level === 'alarm');
  const others = labels.filter((l) => l.level !== 'alarm');
  const fits = declutter(others.map(box), [
    ...districts.map((d) => textBox(d.text, ...at(d.position), districtSize)),
    ...alarms.map(box),
  ]);
  const shown = new Set([...alarms, ...others.filter((_, i) => fits[i])]);
  return labels.filter((l) => shown.has(l));
}
