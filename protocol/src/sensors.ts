import { z } from 'zod';
import { Id } from './entities.ts';
import { EpochMs, LonLat } from './geo.ts';

/**
 * IoT sensing (物联感知): construction-noise monitors at building sites, fume monitors at large restaurants, water-level
 * gauges at flood points, shared-bike counters at congestion points, and smart dog tags (whose platform reports 1
 * when a dog is in a no-go zone or out of walking hours, 0 otherwise). Every kind reads "higher is worse": a reading
 * at or over `alarm` is an alarm, at or over `warning` a warning.
 */
export const SensorKind = z.enum(['water_level', 'noise', 'fume', 'dust', 'bike_count', 'dog_tag']);
export type SensorKind = z.infer<typeof SensorKind>;

export const SensorLevel = z.enum(['normal', 'warning', 'alarm']);
export type SensorLevel = z.infer<typeof SensorLevel>;

export const Sensor = z.object({
  id: Id,
  kind: SensorKind,
  name: z.string().min(1).max(64),
  /** GB/T 2260 district code. */
  district: z.string().regex(/^\d{6}$/),
  /** Where it is (a dog tag: where the dog was at its last reading). */
  position: LonLat,
  /** Unit of the readings as shown: cm, dB(A), mg/m³, bikes, or empty for a dog tag. */
  unit: z.string().max(16),
  warning: z.number().finite(),
  alarm: z.number().finite(),
  value: z.number().finite().optional(),
  readAt: EpochMs.optional(),
  level: SensorLevel,
  /** Since when the readings have stayed at alarm level (absent when not in alarm). */
  alarmSince: EpochMs.optional(),
  /** When each recent alarm began (within the repeat window), oldest first: a sensor that keeps re-alarming. */
  alarmOnsets: z.array(EpochMs).max(64),
  /** The case the alarms became, while that case is open; a further case waits until it is closed. */
  caseId: Id.optional(),
  /** How many cases this sensor's alarms have become (numbers the next one). */
  casesRaised: z.number().int().nonnegative(),
  /** World time of the last reading written to the log (readings between are kept in Redis only). */
  loggedAt: EpochMs.optional(),
  version: z.number().int().nonnegative(),
});
export type Sensor = z.infer<typeof Sensor>;

/** The level a value reaches against a sensor's thresholds. */
export function sensorLevel(s: Pick<Sensor, 'warning' | 'alarm'>, value: number): SensorLevel {
  if (value >= s.alarm) return 'alarm';
  if (value >= s.warning) return 'warning';
  return 'normal';
}
