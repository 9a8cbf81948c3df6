import { describe, expect, it } from 'vitest';
import { latOfMercatorY, lonOfMercatorX, mercatorX, mercatorY } from './mercator.ts';

describe('Web Mercator in the 512-unit world', () => {
  it('puts 0°, 0° in the middle, the antimeridian at the edges, and the north up (smaller y)', () => {
    expect(mercatorX(0)).toBe(256);
    expect(mercatorY(0)).toBeCloseTo(256, 12);
    expect(mercatorX(-180)).toBe(0);
    expect(mercatorX(180)).toBe(512);
    expect(mercatorY(24.5)).toBeLessThan(mercatorY(24.4));
  });

  it('goes back to the same longitude and latitude', () => {
    for (const [lon, lat] of [
      [118.1, 24.48],
      [-73.99, 40.73],
      [151.2, -33.87],
      [0, 84.9],
    ] as const) {
      expect(lonOfMercatorX(mercatorX(lon))).toBeCloseTo(lon, 10);
      expect(latOfMercatorY(mercatorY(lat))).toBeCloseTo(lat, 10);
    }
  });
});
