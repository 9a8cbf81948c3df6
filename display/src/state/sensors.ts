import type { Sensor } from '@egret/protocol';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { MessageKey } from '../i18n/zh.ts';

/** Sensor readings in words, and when an alarm began (what the map's labels and the alert rail say of a sensor). */

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
