import type { LonLat, Sensor, SensorLevel } from '@egret/protocol';

/**
 * What the wall shows of the IoT sensors (物联感知): every fixed sensor as a marker coloured by its level, a ring on
 * those in alarm, and their readings as labels where they matter — the ones at warning or alarm, and in a typhoon
 * every water-level gauge. Dog tags are drawn only while they report a violation: a city has thousands of tagged
 * dogs (Quzhou 3,000+), and a dog walked within the rules is nobody's business on the wall. Pure: the words of a
 * reading are passed in (state/sensors.ts `readingText`).
 */

/** Reading labels on the map at most: beyond this they would cover each other and the cases. */
export const SENSOR_LABELS_MAX = 40;

export interface SensorLabel {
  position: LonLat;
  text: string;
  level: SensorLevel;
}

export interface SensorPicture {
  /** The sensors drawn: fixed sensors always, dog tags while raised. */
  markers: Sensor[];
  alarms: Sensor[];
  labels: SensorLabel[];
}

export interface SensorPictureOptions {
  /** Label every water-level gauge with a reading, not only the raised ones (typhoon mode). */
  labelAllGauges: boolean;
  /** The words of a reading: `86 cm`, `72 dB(A)`; a dog tag's in words. */
  readingOf: (s: Sensor) => string;
}

const SEVERITY: Record<SensorLevel, number> = { alarm: 2, warning: 1, normal: 0 };

/** Sensors to draw, their alarms and their labels (alarms first, then the highest readings over threshold). */
export function sensorPicture(
  sensors: readonly Sensor[],
  { labelAllGauges, readingOf }: SensorPictureOptions,
): SensorPicture {
  const markers = sensors.filter((s) => s.kind !== 'dog_tag' || s.level !== 'normal');
  const alarms = markers.filter((s) => s.level === 'alarm');
  const labelled = sensors
    .filter((s) => s.value !== undefined && (s.level !== 'normal' || (labelAllGauges && s.kind === 'water_level')))
    .sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level] || overAlarm(b) - overAlarm(a) || a.id.localeCompare(b.id))
    .slice(0, SENSOR_LABELS_MAX);
  return {
    markers,
    alarms,
    labels: labelled.map((s) => ({ position: s.position, text: readingOf(s), level: s.level })),
  };
}

/** How far over its alarm threshold a reading is, relative to the threshold (what to label first). */
function overAlarm(s: Sensor): number {
  return s.value === undefined ? -Infinity : (s.value - s.alarm) / Math.max(1e-9, Math.abs(s.alarm));
}
