/**
 * The map's drawing-buffer resolution, lowered while draws are slow (issue #19). On a wall PC without a GPU one draw
 * of the map at 1080p takes seconds on software GL, and the page handles nothing meanwhile: a mode switch or 推屏
 * waits behind it. Fewer pixels draw faster, so after draws that cost more than `SLOW_DRAW_MS` the map draws at a
 * fraction of its device pixels (the DOM panels are not touched: their text stays crisp; the map's own labels get
 * softer), and back at full resolution once draws would be fast again there. Pure: the map feeds it each draw's cost
 * and the time.
 */

/** Fractions of the device pixels the map may draw at, full first. */
export const RESOLUTION_LEVELS = [1, 0.7, 0.5] as const;
/** A draw that costs more than this (ms, until the page is free again) is slow. */
export const SLOW_DRAW_MS = 1_000;
/** This many slow draws in a row lower the resolution one level: one slow draw may be a shader's first compile. */
export const SLOW_DRAWS_TO_LOWER = 2;
/**
 * Back up one level only when a draw there would cost less than this share of `SLOW_DRAW_MS` — its cost here scaled
 * by the pixels it would add, an overestimate (part of a draw does not grow with pixels) — ...
 */
export const RAISE_BELOW_SHARE = 0.5;
/** ... for this long (ms) without a slow draw: a wall does not flicker between resolutions. */
export const RAISE_AFTER_MS = 10_000;

export interface ResolutionState {
  /** Index into `RESOLUTION_LEVELS`. */
  readonly level: number;
  /** Slow draws in a row at this level. */
  readonly slowInRow: number;
  /** Since when (ms) draws have been fast enough to go back up, or null. */
  readonly fastSince: number | null;
}

export const FULL_RESOLUTION: ResolutionState = { level: 0, slowInRow: 0, fastSince: null };

/** The fraction of the device pixels to draw at. */
export function resolutionScale(state: ResolutionState): number {
  return RESOLUTION_LEVELS[state.level] ?? 1;
}

/** The resolution after a draw that cost `costMs` (at the state's resolution) and finished at `now` (ms). */
export function nextResolution(state: ResolutionState, costMs: number, now: number): ResolutionState {
  const last = RESOLUTION_LEVELS.length - 1;
  if (costMs > SLOW_DRAW_MS) {
    const slowInRow = state.slowInRow + 1;
    if (slowInRow >= SLOW_DRAWS_TO_LOWER && state.level < last) {
      return { level: state.level + 1, slowInRow: 0, fastSince: null };
    }
    return { level: state.level, slowInRow, fastSince: null };
  }
  if (state.level === 0) return state.slowInRow === 0 && state.fastSince === null ? state : FULL_RESOLUTION;
  const here = RESOLUTION_LEVELS[state.level]!;
  const above = RESOLUTION_LEVELS[state.level - 1]!;
  const costAbove = costMs * (above / here) ** 2;
  if (costAbove >= SLOW_DRAW_MS * RAISE_BELOW_SHARE) return { level: state.level, slowInRow: 0, fastSince: null };
  const fastSince = state.fastSince ?? now;
  if (now - fastSince >= RAISE_AFTER_MS) return { level: state.level - 1, slowInRow: 0, fastSince: null };
  return { level: state.level, slowInRow: 0, fastSince };
}

/** `?resolution=full` (any letter case): the map always draws at full resolution, as before (a baseline, a test). */
export function resolutionForcedFull(search: string): boolean {
  return new URLSearchParams(search).get('resolution')?.trim().toLowerCase() === 'full';
}
