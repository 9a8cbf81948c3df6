import { describe, expect, it } from 'vitest';
import { DEFAULT_DOGS, type NoGoZone } from '@egret/config';
import type { LonLat } from '@egret/protocol';
import { dayStartMs, localDay, ordinaryDay } from './daily.ts';
import { offsetM } from './district-points.ts';
import { dogPosition, dogTagAt, dogTagValue, dogWalks, inNoGoZone, zoneWithinReach, type Dog } from './dog-walks.ts';
import { MIDNIGHT } from '../../../test/city.ts';

const ctx = ordinaryDay(11, 8 * 3_600_000);
const DAY = localDay(MIDNIGHT, ctx.offsetMs);
const park: NoGoZone = { name: '白鹭洲公园', kind: 'park', center: [118.089, 24.48], radiusM: 350 };
const zones = [park];
const HOURS = [6 * 60, 22 * 60] as const;
const everywhere = () => true;

describe(dogTagValue.name, () => {
  it('reports 1 inside a no-go zone, whatever the hour', () => {
    const inside = offsetM(park.center, 100, -50);
    expect(inNoGoZone(zones, inside)).toBe(true);
    expect(dogTagValue(zones, HOURS, inside, 10 * 60, true)).toBe(1);
    expect(dogTagValue(zones, HOURS, inside, 3 * 60, true)).toBe(1);
  });

  it('reports 1 for a dog out of doors outside walking hours, 0 for one at home or out within them', () => {
    const street = offsetM(park.center, 1000, 0);
    expect(dogTagValue(zones, HOURS, street, 23 * 60, true)).toBe(1);
    expect(dogTagValue(zones, HOURS, street, 5.5 * 60, true)).toBe(1);
    expect(dogTagValue(zones, HOURS, street, 23 * 60, false)).toBe(0);
    expect(dogTagValue(zones, HOURS, street, 12 * 60, true)).toBe(0);
  });
});

describe(zoneWithinReach.name, () => {
  it('finds the zone whose edge is within reach of home', () => {
    expect(zoneWithinReach(zones, offsetM(park.center, 1500, 0), 1500)).toBe(0);
    expect(zoneWithinReach(zones, offsetM(park.center, 2500, 0), 1500)).toBe(-1);
  });
});

describe(dogWalks.name, () => {
  const near: Dog = { id: 'DOG-350203-0001', home: offsetM(park.center, 700, 300), zone: 0 };

  it('walks every day within the walking hours (bar a few), back home by midnight, the same walks for the same seed', () => {
    let walks = 0,
      outOfHours = 0;
    for (let d = DAY; d < DAY + 60; d++) {
      const list = dogWalks(near, DEFAULT_DOGS, zones, ctx, d, everywhere);
      expect(list).toEqual(dogWalks(near, DEFAULT_DOGS, zones, ordinaryDay(11, ctx.offsetMs), d, everywhere));
      expect(list.length).toBeGreaterThanOrEqual(DEFAULT_DOGS.walksPerDay[0]);
      expect(list.length).toBeLessThanOrEqual(DEFAULT_DOGS.walksPerDay[1]);
      for (const w of list) {
        walks++;
        const startMin = (w.start - dayStartMs(d, ctx.offsetMs)) / 60_000;
        const endMin = (w.end - dayStartMs(d, ctx.offsetMs)) / 60_000;
        if (startMin < HOURS[0] || endMin > HOURS[1]) outOfHours++;
        expect(w.end).toBeLessThan(dayStartMs(d + 1, ctx.offsetMs));
        expect(w.start < w.outUntil && w.outUntil <= w.lingerUntil && w.lingerUntil <= w.end).toBe(true);
      }
    }
    expect(outOfHours / walks).toBeLessThan(0.1);
  });

  it('sometimes takes a dog living near a park into it, to linger long enough for the hub to raise a case; the tag says 1 there', () => {
    let trespasses = 0;
    for (let d = DAY; d < DAY + 60; d++) {
      for (const w of dogWalks(near, DEFAULT_DOGS, zones, ctx, d, everywhere).filter((x) => x.trespass)) {
        trespasses++;
        expect(inNoGoZone(zones, w.target)).toBe(true);
        expect(w.lingerUntil - w.outUntil).toBeGreaterThanOrEqual(12 * 60_000);
        const walksOf = (day: number) => dogWalks(near, DEFAULT_DOGS, zones, ctx, day, everywhere);
        for (let t = w.outUntil; t < w.lingerUntil; t += 60_000)
          expect(dogTagAt(near, DEFAULT_DOGS, zones, ctx, t, walksOf).value).toBe(1);
      }
    }
    expect(trespasses).toBeGreaterThan(0);
  });

  it('keeps ordinary walks out of the zones, and a dog with no zone in reach never trespasses', () => {
    const far: Dog = { id: 'DOG-far', home: offsetM(park.center, 5000, 0), zone: -1 };
    for (let d = DAY; d < DAY + 30; d++) {
      for (const w of dogWalks(far, DEFAULT_DOGS, zones, ctx, d, everywhere)) expect(w.trespass).toBe(false);
      for (const w of dogWalks(near, DEFAULT_DOGS, zones, ctx, d, everywhere))
        if (!w.trespass) expect(inNoGoZone(zones, w.target)).toBe(false);
    }
  });

  it('takes no walk that would start while the city shelters', () => {
    const sheltering = { ...ctx, sheltering: () => true };
    expect(dogWalks(near, DEFAULT_DOGS, zones, sheltering, DAY, everywhere)).toEqual([]);
  });
});

describe(dogPosition.name, () => {
  it('is at home off a walk, and at the walk’s far point while lingering', () => {
    const home: LonLat = [118.1, 24.47];
    const dog: Dog = { id: 'd', home, zone: -1 };
    const walk = {
      start: 1000,
      outUntil: 2000,
      lingerUntil: 3000,
      end: 4000,
      target: [118.101, 24.471] as LonLat,
      trespass: false,
    };
    expect(dogPosition(dog, [walk], 500)).toEqual({ position: home, outdoors: false });
    expect(dogPosition(dog, [walk], 2500)).toEqual({ position: walk.target, outdoors: true });
    const mid = dogPosition(dog, [walk], 1500).position;
    expect(mid[0]).toBeCloseTo(118.1005, 6);
  });
});
