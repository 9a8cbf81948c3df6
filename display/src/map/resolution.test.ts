import { describe, expect, it } from 'vitest';
import {
  FULL_RESOLUTION,
  nextResolution,
  RAISE_AFTER_MS,
  resolutionForcedFull,
  resolutionScale,
  SLOW_DRAW_MS,
  type ResolutionState,
} from './resolution.ts';

/** Feeds draws of the given costs, one every `everyMs`, from `start`. */
function run(costs: number[], from: ResolutionState = FULL_RESOLUTION, start = 0, everyMs = 1_000) {
  let s = from;
  costs.forEach((cost, i) => (s = nextResolution(s, cost, start + i * everyMs)));
  return s;
}

describe('map resolution while draws are slow', () => {
  it('stays full while draws are fast, and after one slow draw (a first shader compile)', () => {
    expect(resolutionScale(run([30, 40, 900, 20]))).toBe(1);
    expect(resolutionScale(run([3_000]))).toBe(1);
    expect(resolutionScale(run([3_000, 200, 3_000]))).toBe(1);
  });

  it('lowers one level after two slow draws in a row, down to half and no lower', () => {
    expect(resolutionScale(run([SLOW_DRAW_MS + 1, SLOW_DRAW_MS + 1]))).toBe(0.7);
    expect(resolutionScale(run([2_000, 2_000, 2_000, 2_000]))).toBe(0.5);
    expect(resolutionScale(run(Array.from({ length: 20 }, () => 5_000)))).toBe(0.5);
    // Exactly the bound is not slow.
    expect(resolutionScale(run([SLOW_DRAW_MS, SLOW_DRAW_MS]))).toBe(1);
  });

  it('goes back up only after draws that would be fast one level up, for RAISE_AFTER_MS', () => {
    const half = run([2_000, 2_000, 2_000, 2_000]);
    expect(resolutionScale(half)).toBe(0.5);
    // 400 ms at half would be ~784 ms at 0.7: not fast enough to go up, however long.
    expect(
      resolutionScale(
        run(
          Array.from({ length: 60 }, () => 400),
          half,
          10_000,
        ),
      ),
    ).toBe(0.5);
    // 200 ms at half would be ~392 ms at 0.7: up, but not before RAISE_AFTER_MS.
    const early = run(
      Array.from({ length: 5 }, () => 200),
      half,
      10_000,
      1_000,
    );
    expect(resolutionScale(early)).toBe(0.5);
    const later = run(
      Array.from({ length: RAISE_AFTER_MS / 1_000 + 1 }, () => 200),
      half,
      10_000,
      1_000,
    );
    expect(resolutionScale(later)).toBe(0.7);
    // And on to full when draws stay fast.
    const full = run(
      Array.from({ length: 30 }, () => 100),
      later,
      30_000,
      1_000,
    );
    expect(resolutionScale(full)).toBe(1);
  });

  it('a slow draw while waiting to go up starts the wait again (hysteresis)', () => {
    const half = run([2_000, 2_000, 2_000, 2_000]);
    let s = run(
      Array.from({ length: 9 }, () => 100),
      half,
      0,
      1_000,
    );
    s = nextResolution(s, 600, 9_500); // too slow to go up from here
    expect(s.fastSince).toBeNull();
    s = run(
      Array.from({ length: 9 }, () => 100),
      s,
      10_000,
      1_000,
    );
    expect(resolutionScale(s)).toBe(0.5);
    s = run([100, 100], s, 19_000, 1_000);
    expect(resolutionScale(s)).toBe(0.7);
  });

  it('flips no faster than draws come: a burst of fast draws within RAISE_AFTER_MS does not go up', () => {
    const half = run([2_000, 2_000, 2_000, 2_000]);
    const burst = run(
      Array.from({ length: 500 }, () => 10),
      half,
      0,
      10,
    );
    expect(resolutionScale(burst)).toBe(0.5);
  });

  it('reads ?resolution=full in any letter case, and nothing else as full', () => {
    expect(resolutionForcedFull('?resolution=full')).toBe(true);
    expect(resolutionForcedFull('?mode=x&resolution=FULL')).toBe(true);
    expect(resolutionForcedFull('?resolution=%46ull')).toBe(true);
    expect(resolutionForcedFull('')).toBe(false);
    expect(resolutionForcedFull('?resolution=half')).toBe(false);
    expect(resolutionForcedFull('?resolutionfull')).toBe(false);
  });
});
