import type { LonLat, SignalLevel } from '@egret/protocol';
import { forceMinMs } from './beaufort.ts';
import type { Track } from './track.ts';
import { windAt } from './wind-field.ts';

const HOUR_MS = 3_600_000;

/**
 * China's typhoon warning signals (气象灾害预警信号发布与传播办法, CMA 2007, 台风预警信号), by the mean wind
 * criterion: a level is up when, within its look-ahead, the place is or will be under mean winds of at least the
 * given force. (The gust alternatives — force 8/10/12/14 gusts — are left out: the model has no gusts.)
 *   blue   24 h, force 6 (≥ 10.8 m/s)      yellow 24 h, force 8 (≥ 17.2 m/s)
 *   orange 12 h, force 10 (≥ 24.5 m/s)     red     6 h, force 12 (≥ 32.7 m/s)
 * Forecasts are perfect here (the scenario's own track). Lowering waits `holdHours` after the wind has dropped
 * below a level's threshold, as bureaus do before standing the city down.
 */
export const SIGNAL_RULES: readonly { level: Exclude<SignalLevel, 'none'>; withinHours: number; minForce: number }[] = [
  { level: 'red', withinHours: 6, minForce: 12 },
  { level: 'orange', withinHours: 12, minForce: 10 },
  { level: 'yellow', withinHours: 24, minForce: 8 },
  { level: 'blue', withinHours: 24, minForce: 6 },
];

export interface SignalOptions {
  /** Hours the signal stays up after the wind dropped below its threshold (default 2). */
  holdHours?: number;
  /** Sampling step of the look-ahead, ms (default 10 minutes). */
  stepMs?: number;
}

/** The typhoon warning signal in force at a place at time t. */
export function signalAt(track: Track, t: number, point: LonLat, options: SignalOptions = {}): SignalLevel {
  const hold = (options.holdHours ?? 2) * HOUR_MS;
  const step = options.stepMs ?? 10 * 60_000;
  // Peak wind in [t − hold, t + h] for each rule's h: one pass over the longest window.
  const longest = Math.max(...SIGNAL_RULES.map((r) => r.withinHours)) * HOUR_MS;
  const peakWithin = new Map<number, number>();
  for (const r of SIGNAL_RULES) peakWithin.set(r.withinHours, 0);
  for (let s = t - hold; s <= t + longest; s += step) {
    const v = windAt(track, s, point);
    for (const r of SIGNAL_RULES) {
      if (s <= t + r.withinHours * HOUR_MS && v > peakWithin.get(r.withinHours)!) peakWithin.set(r.withinHours, v);
    }
  }
  for (const r of SIGNAL_RULES) if (peakWithin.get(r.withinHours)! >= forceMinMs(r.minForce)) return r.level;
  return 'none';
}

/** A change of signal: the level in force from `at`. */
export interface SignalChange {
  at: number;
  level: SignalLevel;
}

/** Every change of signal at a place between `from` and `to`, checked every `stepMs` (default 10 minutes). */
export function signalChanges(
  track: Track,
  point: LonLat,
  from: number,
  to: number,
  options: SignalOptions = {},
): SignalChange[] {
  const step = options.stepMs ?? 10 * 60_000;
  const changes: SignalChange[] = [];
  let current: SignalLevel | undefined;
  for (let t = from; t <= to; t += step) {
    const level = signalAt(track, t, point, options);
    if (level !== current) changes.push({ at: t, level });
    current = level;
  }
  return changes;
}
