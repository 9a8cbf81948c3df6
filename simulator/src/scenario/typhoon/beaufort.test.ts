import { describe, expect, it } from 'vitest';
import { beaufortForce, forceMinMs } from './beaufort.ts';

describe(beaufortForce.name, () => {
  it('puts the typhoon thresholds on the right side of force 7, 10 and 12', () => {
    expect(beaufortForce(13.8)).toBe(6);
    expect(beaufortForce(13.9)).toBe(7);
    expect(beaufortForce(24.4)).toBe(9);
    expect(beaufortForce(24.5)).toBe(10);
    expect(beaufortForce(32.6)).toBe(11);
    expect(beaufortForce(32.7)).toBe(12);
  });

  it('calls Meranti at landfall (48 m/s) force 15 and at its peak (70 m/s) force 17', () => {
    expect(beaufortForce(48)).toBe(15);
    expect(beaufortForce(70)).toBe(17);
    expect(beaufortForce(0)).toBe(0);
  });

  it('gives back each force’s lower bound and refuses forces off the scale', () => {
    for (let f = 0; f <= 17; f++) expect(beaufortForce(forceMinMs(f))).toBe(f);
    expect(() => forceMinMs(18)).toThrow(RangeError);
  });
});
