import type { LonLat, Sensor, SensorLevel } from '@egret/protocol';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { MessageKey } from '../i18n/zh.ts';

/**
 * What the wall shows of the IoT sensors (物联感知): every fixed sensor as a marker coloured by its level, a ring on
 * those in alarm, and their readings as labels where they matter — the ones at warning or alarm, and in a typhoon
 * every water-level gauge. Dog tags are drawn only while they report a violation: a city has thousands of tagged
 * dogs (Quzhou 3,000+), and a dog walked within the rules is nobody's business on the wall.
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
export function sensorPicture(sensors: readonly Sensor[], { labelAllGauges, readingOf }: SensorPictureOptions): SensorPicture {
  const markers = sensors.filter((s) => s.kind !== 'dog_tag' || s.level !== 'normal');
  const alarms = markers.filter((s) => s.level === 'alarm');
  const labelled = sensors
    .filter((s) => s.value !== undefined && (s.level !== 'normal' || (labelAllGauges && s.kind === 'water_level')))
    .sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level] || overAlarm(b) - overAlarm(a) || a.id.localeCompare(b.id))
    .slice(0, SENSOR_LABELS_MAX);
  return { markers, alarms, labels: labelled.map((s) => ({ position: s.position, text: readingOf(s), level: s.level })) };
}

/** How far over its alarm threshold a reading is, relative to the threshold (what to label first). */
function overAlarm(s: Sensor): number {
  return s.value === undefined ? -Infinity : (s.value - s.alarm) / Math.max(1e-9, Math.abs(s.alarm));
}

/** A reading as a number: whole above 100 (`128 cm`), one decimal below (`0.8 mg/m³`), no trailing zero. */
export function formatReading(value: number, unit: string): string {
  const n = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return unit ? `${n} ${unit}` : String(n);
}

/**
 * Units sensors send as words, translated by the catalogues (`sensor.unit.*`): a count of shared bikes reads
 * `46 辆` on a Chinese wall. Symbols (cm, dB(A), mg/m³) read the same in both languages and are shown as sent.
 */
const WORD_UNITS = { bikes: 'sensor.unit.bikes' } as const satisfies Record<string, MessageKey>;
const isWordUnit = (unit: string): unit is keyof typeof WORD_UNITS => Object.hasOwn(WORD_UNITS, unit);

/** A sensor's reading in words, as the map's labels and the alert rail show it (a dog tag's is what it saw). */
export function readingText(s: Sensor, i18n: Pick<I18n, 't'>): string {
  if (s.kind === 'dog_tag') return i18n.t('sensor.dogAlarm');
  if (s.value === undefined) return '—';
  return formatReading(s.value, isWordUnit(s.unit) ? i18n.t(WORD_UNITS[s.unit]) : s.unit);
}

/** When a sensor's alarm began (its last reading when the hub did not say). */
export function alarmAt(s: Sensor): number {
  return s.alarmSince ?? s.readAt ?? 0;
}
