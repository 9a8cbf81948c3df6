import { describe, expect, it } from 'vitest';
import { advanceReplay, clampTime, lookaheadMs, trailStepMs, trailWindowMs } from './replay-clock.ts';

describe(advanceReplay.name, () => {
  it('moves world time by real time times the speed', () => {
    expect(advanceReplay(1_000, 500, 60, 1e12)).toEqual({ t: 31_000, ended: false });
    expect(advanceReplay(1_000, 1_000, 3_600, 1e12).t).toBe(3_601_000);
  });

  it('stops at the end of the replayed period and says so', () => {
    expect(advanceReplay(1_000, 10_000, 600, 2_000_000)).toEqual({ t: 2_000_000, ended: true });
  });

  it('never goes backwards', () => {
    expect(advanceReplay(5_000, -100, 60, 1e12).t).toBe(5_000);
  });
});

describe('replay loading windows', () => {
  it('loads more ahead and draws longer trails as the speed rises', () => {
    expect(lookaheadMs(1)).toBe(60_000);
    expect(lookaheadMs(3_600)).toBeGreaterThan(lookaheadMs(600));
    expect(trailWindowMs(1)).toBe(600_000);
    expect(trailWindowMs(3_600)).toBeLessThanOrEqual(3 * 3_600_000);
    expect(trailStepMs(1)).toBe(10_000);
    expect(trailStepMs(3_600) % 10_000).toBe(0);
    expect(clampTime(5, 10, 20)).toBe(10);
  });
});
