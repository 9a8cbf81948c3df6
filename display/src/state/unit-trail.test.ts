import { describe, expect, it } from 'vitest';
import { TRAIL_MAX_POINTS, TRAIL_WINDOW_MS, UnitTrail } from './unit-trail.ts';

describe(UnitTrail.name, () => {
  it('records the followed unit, oldest first, skipping repeats of the same spot', () => {
    const t = new UnitTrail();
    t.follow('U1');
    t.record(118.1, 24.5, 1_000);
    t.record(118.1, 24.5, 2_000);
    t.record(118.2, 24.5, 3_000);
    expect(t.path()).toEqual([
      [118.1, 24.5],
      [118.2, 24.5],
    ]);
  });

  it('records nothing while no unit is followed, and starts over for another unit', () => {
    const t = new UnitTrail();
    t.record(118.1, 24.5, 1_000);
    expect(t.length).toBe(0);
    t.follow('U1');
    t.record(118.1, 24.5, 1_000);
    t.follow('U2');
    expect(t.length).toBe(0);
  });

  it('drops points older than thirty minutes of world time', () => {
    const t = new UnitTrail();
    t.follow('U1');
    t.record(118.1, 24.5, 0);
    t.record(118.2, 24.5, TRAIL_WINDOW_MS / 2);
    t.record(118.3, 24.5, TRAIL_WINDOW_MS + 1);
    expect(t.path()).toEqual([
      [118.2, 24.5],
      [118.3, 24.5],
    ]);
  });

  it('holds at most a fixed number of points however long it records', () => {
    const t = new UnitTrail(Number.POSITIVE_INFINITY);
    t.follow('U1');
    for (let i = 0; i < TRAIL_MAX_POINTS + 500; i++) t.record(118 + i * 1e-5, 24.5, i);
    expect(t.length).toBe(TRAIL_MAX_POINTS);
    const path = t.path();
    expect(path[0]![0]).toBeCloseTo(118 + 500 * 1e-5, 8);
    expect(path.at(-1)![0]).toBeCloseTo(118 + (TRAIL_MAX_POINTS + 499) * 1e-5, 8);
  });

  it('ignores a fix older than the last one', () => {
    const t = new UnitTrail();
    t.follow('U1');
    t.record(118.1, 24.5, 5_000);
    t.record(118.2, 24.5, 4_000);
    expect(t.length).toBe(1);
  });
});
