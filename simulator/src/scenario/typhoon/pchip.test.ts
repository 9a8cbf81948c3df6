import { describe, expect, it } from 'vitest';
import { pchip, pchipAt, pchipSlopeAt } from './pchip.ts';

describe(pchip.name, () => {
  const xs = [0, 18, 28, 33, 37.1, 42];
  const ys = [890, 905, 925, 931, 945, 975];
  const curve = pchip(xs, ys);

  it('passes through every keyframe', () => {
    xs.forEach((x, i) => expect(pchipAt(curve, x)).toBeCloseTo(ys[i]!, 9));
  });

  it('never overshoots monotone data between keyframes', () => {
    for (let x = 0; x <= 42; x += 0.1) {
      const i = xs.findIndex((k, j) => x >= k && x <= (xs[j + 1] ?? Infinity));
      expect(pchipAt(curve, x)).toBeGreaterThanOrEqual(ys[i]! - 1e-9);
      expect(pchipAt(curve, x)).toBeLessThanOrEqual(ys[i + 1]! + 1e-9);
      expect(pchipSlopeAt(curve, x)).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('is flat at a local extremum and holds its end values outside', () => {
    const bump = pchip([0, 1, 2], [0, 1, 0]);
    expect(pchipSlopeAt(bump, 1)).toBe(0);
    expect(pchipAt(curve, -5)).toBe(890);
    expect(pchipAt(curve, 99)).toBe(975);
  });

  it('has a slope that matches a finite difference of its values', () => {
    for (const x of [3, 20.5, 30, 35, 40]) {
      const fd = (pchipAt(curve, x + 1e-4) - pchipAt(curve, x - 1e-4)) / 2e-4;
      expect(pchipSlopeAt(curve, x)).toBeCloseTo(fd, 4);
    }
  });

  it('refuses unordered or too few points', () => {
    expect(() => pchip([0], [1])).toThrow(RangeError);
    expect(() => pchip([0, 0], [1, 2])).toThrow(RangeError);
  });
});
