import { describe, expect, it } from 'vitest';
import { navigationUrl } from './navigate.ts';

describe(navigationUrl.name, () => {
  it('opens Amap navigation to the point converted from WGS-84 to GCJ-02', () => {
    // Xiamen city hall in WGS-84; in GCJ-02 it lies about 500 m to the east-north-east (the offset in Xiamen).
    const url = new URL(navigationUrl(118.0894, 24.4798, '思明区 湖滨北路'));
    expect(url.origin + url.pathname).toBe('https://uri.amap.com/navigation');
    const [lon, lat, name] = url.searchParams.get('to')!.split(',');
    expect(Number(lon) - 118.0894).toBeGreaterThan(0.003);
    expect(Number(lon) - 118.0894).toBeLessThan(0.007);
    expect(Number(lat) - 24.4798).toBeLessThan(0.0);
    expect(Math.abs(Number(lat) - 24.4798)).toBeLessThan(0.005);
    expect(name).toBe('思明区 湖滨北路');
    expect(url.searchParams.get('coordinate')).toBe('gaode');
    expect(url.searchParams.get('callnative')).toBe('1');
  });

  it('keeps commas out of the place name, which would break the `to` triple', () => {
    const to = new URL(navigationUrl(118, 24.5, 'a,b, c')).searchParams.get('to')!;
    expect(to.split(',')).toHaveLength(3);
  });
});
