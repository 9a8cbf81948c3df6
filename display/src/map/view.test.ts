import { describe, expect, it } from 'vitest';
import { fitCity } from './view.ts';

describe(fitCity.name, () => {
  it('centres the city and zooms so it fills the canvas', () => {
    const v = fitCity([117.85, 24.38, 118.46, 24.92], 2760, 2000, 40);
    expect(v.longitude).toBeCloseTo(118.155, 2);
    expect(v.latitude).toBeGreaterThan(24.6);
    expect(v.latitude).toBeLessThan(24.7);
    expect(v.zoom).toBeGreaterThan(11);
    expect(v.zoom).toBeLessThan(12.5);
  });

  it('zooms out for a smaller canvas', () => {
    const big = fitCity([117.85, 24.38, 118.46, 24.92], 2760, 2000, 40);
    const small = fitCity([117.85, 24.38, 118.46, 24.92], 1380, 1000, 20);
    expect(small.zoom).toBeCloseTo(big.zoom - 1, 1);
  });

  it('survives a canvas not laid out yet', () => {
    expect(Number.isFinite(fitCity([117.85, 24.38, 118.46, 24.92], 0, 0, 40).zoom)).toBe(true);
  });
});
