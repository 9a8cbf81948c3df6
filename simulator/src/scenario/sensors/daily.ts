import { Rng } from '../../rng.ts';
import { inWindow, parseHhMm } from '../local-time.ts';

const DAY_MS = 86_400_000;

/** What every sensor model reads besides its own site: the seed, the city's clock and whether the city is sheltering. */
export interface SensorContext {
  seed: number | string;
  /** UTC offset of the city, ms. */
  offsetMs: number;
  /**
   * Whether the city is sheltering at t — under a typhoon's orange or red signal sites stop work, kitchens close and
   * dogs stay in. An ordinary day never is.
   */
  sheltering: (t: number) => boolean;
}

/** A context for an ordinary day. */
export function ordinaryDay(seed: number | string, offsetMs: number): SensorContext {
  return { seed, offsetMs, sheltering: () => false };
}

/** Local day number (days since 1970-01-01 in the city's time). */
export function localDay(t: number, offsetMs: number): number {
  return Math.floor((t + offsetMs) / DAY_MS);
}

/** World time of local midnight starting day `day`. */
export function dayStartMs(day: number, offsetMs: number): number {
  return day * DAY_MS - offsetMs;
}

/** Minutes since local midnight (fractional). */
export function minuteOfDay(t: number, offsetMs: number): number {
  return (t + offsetMs - localDay(t, offsetMs) * DAY_MS) / 60_000;
}

/** Spans of local time as [from, to) minutes since midnight. */
export function parseSpans(spans: readonly (readonly [string, string])[]): [number, number][] {
  return spans.map(([from, to]) => [parseHhMm(from), parseHhMm(to)]);
}

/** Whether minute `m` of the day lies in one of the spans (each may wrap past midnight). */
export function inSpans(m: number, spans: readonly (readonly [number, number])[]): boolean {
  return spans.some(([from, to]) => inWindow(m, from, to));
}

/**
 * A stream of its own for one draw about one thing — a site's day plan, one reading — from the seed and labels
 * alone, so a value never depends on what was drawn before it (or on how the world's steps fall).
 */
export function drawFor(seed: number | string, ...labels: (string | number)[]): Rng {
  return new Rng(`${String(seed)}/sensors/${labels.join('/')}`);
}

/** Rounded to `digits` decimals (readings carry what a meter shows). */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
