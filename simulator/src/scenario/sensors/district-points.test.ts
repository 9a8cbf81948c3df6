import { describe, expect, it } from 'vitest';
import { inShape } from '@egret/config';
import { Rng } from '../../rng.ts';
import { DistrictPoints, metresBetween, offsetM } from './district-points.ts';
import { config, geometry, places } from '../../../test/city.ts';

const points = new DistrictPoints({
  districts: config.city.districts,
  shapes: geometry.shapes,
  places: places.districts,
  lattice: geometry.lattice,
});
const shape = (code: string) => geometry.shapes.find((s) => s.code === code)!;

describe(DistrictPoints.name, () => {
  it('picks points inside the district, near its named places when asked, with the nearest place’s name', () => {
    const rng = new Rng(1);
    for (const d of config.city.districts) {
      for (let i = 0; i < 50; i++) {
        const near = points.point(d.code, rng, { nearPlaceShare: 1, spreadM: 300 });
        expect(inShape(shape(d.code), near.position)).toBe(true);
        expect(places.districts[d.code]!.map((p) => p.name)).toContain(near.place);
        const anywhere = points.point(d.code, rng, { nearPlaceShare: 0, spreadM: 300 });
        expect(points.locate(anywhere.position)).toBe(d.code);
      }
    }
  });

  it('weighs districts by population unless told otherwise', () => {
    expect(points.weights().weights).toEqual(config.city.districts.map((d) => d.population));
    expect(points.weights({ '350203': 2 }).weights).toEqual(
      config.city.districts.map((d) => (d.code === '350203' ? 2 : 0)),
    );
  });

  it('finds points within a radius of a centre', () => {
    const center = places.districts['350203']![0]!.at;
    const p = points.near('350203', center, 500, new Rng(2))!;
    expect(metresBetween(center, p.position)).toBeLessThanOrEqual(500.1);
    expect(metresBetween(center, offsetM(center, 300, 400))).toBeCloseTo(500, 0);
  });
});
