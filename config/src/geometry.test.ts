import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';
import { districtShapes, locateDistrict } from './geometry.ts';

describe(locateDistrict.name, () => {
  const shapes = districtShapes(loadConfig().boundaries);

  it('puts each district’s own label point inside that district', () => {
    for (const f of loadConfig().boundaries.features) {
      expect(locateDistrict(shapes, f.properties.labelPoint as [number, number])).toBe(f.properties.code);
    }
  });

  it('finds Gulangyu in Siming and the open sea in no district', () => {
    expect(locateDistrict(shapes, [118.066, 24.447])).toBe('350203');
    expect(locateDistrict(shapes, [118.5, 24.3])).toBeUndefined();
  });
});
