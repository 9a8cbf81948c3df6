import { REPLAY_SPEEDS } from '@egret/protocol';

export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
export { REPLAY_SPEEDS };

/** Minutes the step buttons move the replay clock by. */
export const STEP_MINUTES = [1, 5, 10] as const;

/**
 * The replay clock's one rule: world time advances by real time × speed, and stops at the end of what can be
 * replayed. Pure, so the same real-time gaps always give the same replay time.
 */
export function advanceReplay(
  t: number,
  realDeltaMs: number,
  speed: number,
  end: number,
): { t: number; ended: boolean } {
  const next = t + Math.max(0, realDeltaMs) * speed;
  return next >= end ? { t: end, ended: true } : { t: next, ended: false };
}

/** A time kept inside [from, to]. */
export function clampTime(t: number, from: number, to: number): number {
  return Math.min(to, Math.max(from, t));
}

/** How far ahead (world ms) to have events and tracks loaded at a speed: a few real seconds' worth, at least a minute. */
export function lookaheadMs(speed: number): number {
  return Math.max(60_000, speed * 8_000);
}

/** The stretch of track drawn behind each unit: longer at higher speeds, so trails stay visible. */
export function trailWindowMs(speed: number): number {
  return Math.min(3 * 3_600_000, Math.max(10 * 60_000, speed * 30_000));
}

/** Track sample spacing to ask for: finer than what a frame at this speed covers is wasted. */
export function trailStepMs(speed: number): number {
  return Math.max(10_000, Math.round((speed * 250) / 10_000) * 10_000);
}
