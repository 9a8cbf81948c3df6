import { describe, expect, it } from 'vitest';
import { readWorld, worldTimeAt } from './world-clock.ts';

const REAL = Date.UTC(2026, 11, 7, 10, 0); // the hub's and the phone's today
const DRILL = Date.UTC(2016, 8, 14, 20, 0); // the typhoon drill's world time
const drill = { baseReal: REAL, baseWorld: DRILL, rate: 20, scenario: 'typhoon-meranti' };

describe(readWorld.name, () => {
  it('reads the world time at the hub’s `at`, held against the phone’s clock on arrival', () => {
    expect(readWorld({ at: REAL + 1_000, clock: drill }, REAL + 1_500)).toEqual({
      world: DRILL + 20_000,
      real: REAL + 1_500,
      rate: 20,
    });
  });

  it('reads nothing from a hub that sends no clock', () => {
    expect(readWorld({ at: REAL }, REAL)).toBeNull();
  });
});

describe(worldTimeAt.name, () => {
  it('advances the drill’s time at its rate by the phone’s elapsed time, whatever the phone’s clock says', () => {
    // A phone whose clock is an hour slow: only the time elapsed on it counts.
    const r = readWorld({ at: REAL, clock: drill }, REAL - 3_600_000)!;
    expect(worldTimeAt(r, REAL - 3_600_000)).toBe(DRILL);
    expect(worldTimeAt(r, REAL - 3_600_000 + 10_000)).toBe(DRILL + 200_000);
  });

  it('is the phone’s clock with no reading, and never runs back when the phone’s clock does', () => {
    expect(worldTimeAt(null, REAL)).toBe(REAL);
    const r = readWorld({ at: REAL, clock: drill }, REAL)!;
    expect(worldTimeAt(r, REAL - 5_000)).toBe(DRILL);
  });
});
