import { describe, expect, it } from 'vitest';
import { pointInRing } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import { distanceToRingM, EventPoints } from './event-points.ts';
import { forum, onLand } from '../../../test/major-event.ts';

const { event } = forum;
const location = forum.file.cases.location;

describe(distanceToRingM.name, () => {
  it('measures metres to the nearest edge, from inside or out', () => {
    const ring: [number, number][] = [
      [118, 24],
      [118.01, 24],
      [118.01, 24.01],
      [118, 24.01],
    ];
    expect(distanceToRingM(ring, [118.005, 24])).toBeCloseTo(0, 6);
    expect(distanceToRingM(ring, [118.005, 24.005])).toBeCloseTo(
      0.005 * 111_320 * Math.cos((24.005 * Math.PI) / 180),
      3,
    ); // to the east or west edge
    expect(distanceToRingM(ring, [118.005, 23.99])).toBeCloseTo(1108, -1);
    expect(distanceToRingM(ring, [117.99, 23.99])).toBeCloseTo(
      Math.hypot(1108, 0.01 * 111_320 * Math.cos((23.99 * Math.PI) / 180)),
      -1,
    );
  });
});

describe(EventPoints.name, () => {
  const points = new EventPoints(event, location, onLand);
  const drawn = Array.from({ length: 3000 }, (_, i) => points.point(new Rng(1).fork(`p/${i}`)));

  it('puts insideShare of the points inside a perimeter, by its weight, and the rest within aroundM outside', () => {
    expect(drawn.every((p) => p !== undefined)).toBe(true);
    const inside = drawn.filter((p) => p!.inside);
    expect(inside.length / drawn.length).toBeGreaterThan(location.insideShare - 0.03);
    expect(inside.length / drawn.length).toBeLessThan(location.insideShare + 0.03);
    for (const p of drawn) {
      const { position, perimeter } = p!;
      expect(onLand(position)).toBe(true);
      if (p!.inside) expect(pointInRing(perimeter.ring, position)).toBe(true);
      else {
        expect(event.perimeters.some((x) => pointInRing(x.ring, position))).toBe(false);
        expect(distanceToRingM(perimeter.ring, position)).toBeLessThanOrEqual(location.aroundM);
      }
    }
    const core = drawn.filter((p) => p!.perimeter.id === 'venue-core').length / drawn.length;
    expect(core).toBeGreaterThan(0.7); // weights 3 : 1
    expect(core).toBeLessThan(0.8);
  });

  it('crowds the inside points towards the venues', () => {
    const venue = event.venues.find((v) => v.id === 'xicec')!.position;
    const near = (p: [number, number]) => Math.hypot((p[0] - venue[0]) * 101_000, (p[1] - venue[1]) * 110_800) < 300;
    const inCore = drawn.filter((p) => p!.inside && p!.perimeter.id === 'venue-core');
    // A 300 m disc is ≈ 5 % of the core zone's area: with a share near the venues it holds far more than that.
    expect(inCore.filter((p) => near(p!.position)).length / inCore.length).toBeGreaterThan(0.1);
  });

  it('draws the same point from the same stream', () => {
    expect(points.point(new Rng(1).fork('p/7'))).toEqual(drawn[7]);
  });
});
