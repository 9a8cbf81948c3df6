import { describe, expect, it } from 'vitest';
import { districtShapes, loadConfig, locateDistrict } from '@egret/config';
import { nearestShelters, shelterCapacity, sheltersByDistrict } from './shelters.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const { shelters } = typhoonScenario(loadTyphoonScenario());
const config = loadConfig();

describe(sheltersByDistrict.name, () => {
  it('gives every district of the city a few shelters, a few dozen in all', () => {
    const groups = sheltersByDistrict(shelters);
    expect(shelters.length).toBeGreaterThanOrEqual(24);
    for (const d of config.city.districts) expect(groups.get(d.code)?.length ?? 0, d.code).toBeGreaterThanOrEqual(3);
  });

  it('places each shelter on land inside its own district', () => {
    const shapes = districtShapes(config.boundaries);
    for (const s of shelters) expect(locateDistrict(shapes, s.position), s.id).toBe(s.district);
  });
});

describe(nearestShelters.name, () => {
  it('finds the island’s shelters nearest a point on the island, nearest first', () => {
    const near = nearestShelters(shelters, [118.095, 24.46], 3);
    expect(near).toHaveLength(3);
    expect(near[0]!.shelter.district).toBe('350203');
    expect(near[0]!.km).toBeLessThanOrEqual(near[1]!.km);
    expect(near[1]!.km).toBeLessThanOrEqual(near[2]!.km);
  });
});

describe(shelterCapacity.name, () => {
  it('adds up the capacity per district', () => {
    const total = [...shelterCapacity(shelters).values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(shelters.reduce((a, s) => a + s.capacity, 0));
  });
});
