import { describe, expect, it } from 'vitest';
import type { LonLat } from '@egret/protocol';
import type { Boundaries } from './boundaries.ts';
import {
  circleRing,
  distanceKm,
  districtsInCircle,
  edgePointer,
  forecastCone,
  inRing,
  LocalPlane,
  type GroundCircle,
} from './storm-geometry.ts';

const XIAMEN: LonLat = [118.1, 24.5];
const plane = new LocalPlane(XIAMEN);
/** A point `x` km east and `y` km north of Xiamen. */
const km = (x: number, y: number): LonLat => plane.toLonLat([x, y]);

/** Points on a circle at `f` of its radius, in 24 directions. */
function around({ center, radiusKm }: GroundCircle, f: number): LonLat[] {
  const p = new LocalPlane(center);
  return Array.from({ length: 24 }, (_, i) =>
    p.toLonLat([radiusKm * f * Math.cos((i * Math.PI) / 12), radiusKm * f * Math.sin((i * Math.PI) / 12)]),
  );
}

/** Signed area in km² (positive: counter-clockwise). */
function areaKm2(ring: LonLat[]): number {
  const xy = ring.map((p) => plane.toXy(p));
  let a = 0;
  for (let i = 0; i < xy.length - 1; i++) a += xy[i]![0] * xy[i + 1]![1] - xy[i + 1]![0] * xy[i]![1];
  return a / 2;
}

/** Pairs of non-adjacent edges that cross: none in a simple ring. */
function selfCrossings(ring: LonLat[]): number {
  const xy = ring.map((p) => plane.toXy(p));
  const n = xy.length - 1;
  const side = (a: number[], b: number[], c: number[]) =>
    Math.sign((b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!));
  let crossings = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const [a, b, c, d] = [xy[i]!, xy[i + 1]!, xy[j]!, xy[j + 1]!];
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) crossings++;
    }
  }
  return crossings;
}

describe(circleRing.name, () => {
  it('rings the centre at the radius, closed', () => {
    const ring = circleRing({ center: XIAMEN, radiusKm: 50 }, 32);
    expect(ring).toHaveLength(33);
    expect(ring[32]).toEqual(ring[0]);
    for (const p of ring) expect(distanceKm(XIAMEN, p)).toBeCloseTo(50, 0);
  });
});

describe(forecastCone.name, () => {
  it('is empty without points, and a circle for one', () => {
    expect(forecastCone([])).toEqual([]);
    const one = forecastCone([{ center: XIAMEN, radiusKm: 30 }]);
    expect(distanceKm(XIAMEN, one[5]!)).toBeCloseTo(30, 0);
  });

  it('covers a straight track as a stadium: every circle inside, nothing beyond, one even fill', () => {
    const circles = [0, 100, 200].map((x) => ({ center: km(x, 0), radiusKm: 40 }));
    const cone = forecastCone(circles, 5);
    for (const c of circles) for (const p of around(c, 0.97)) expect(inRing(cone, p)).toBe(true);
    expect(inRing(cone, km(50, 45))).toBe(false);
    expect(inRing(cone, km(-45, 0))).toBe(false);
    // 2rL + πr², within the arcs' chords.
    expect(areaKm2(cone)).toBeCloseTo(2 * 40 * 200 + Math.PI * 40 * 40, -2);
    expect(selfCrossings(cone)).toBe(0);
  });

  it('widens with the lead time and follows a recurving track without folding over itself', () => {
    // North-west, then north, then north-east: a typhoon recurving, its cone growing from nothing at the centre.
    const circles: GroundCircle[] = [
      { center: km(0, 0), radiusKm: 0 },
      { center: km(-60, 60), radiusKm: 20 },
      { center: km(-90, 150), radiusKm: 45 },
      { center: km(-60, 250), radiusKm: 80 },
      { center: km(20, 330), radiusKm: 120 },
    ];
    const cone = forecastCone(circles);
    expect(areaKm2(cone)).toBeGreaterThan(0);
    expect(selfCrossings(cone)).toBe(0);
    for (const c of circles.slice(1))
      for (const p of around(c, 0.96)) expect(inRing(cone, p), `${c.center}`).toBe(true);
    // Between two forecast points too: the midpoint of a leg is inside.
    expect(inRing(cone, km(-75, 105))).toBe(true);
    expect(inRing(cone, km(150, 0))).toBe(false);
  });

  it('turns a sharp corner on both sides', () => {
    const circles = [km(0, 0), km(100, 0), km(100, 100)].map((center) => ({ center, radiusKm: 30 }));
    const cone = forecastCone(circles);
    expect(selfCrossings(cone)).toBe(0);
    expect(inRing(cone, km(120, -20))).toBe(true); // the outer corner follows the circle
    expect(inRing(cone, km(125, -25))).toBe(false);
    expect(inRing(cone, km(50, 50))).toBe(false); // the inner corner stays tight
  });

  it('drops a circle its neighbour contains', () => {
    const cone = forecastCone([
      { center: km(0, 0), radiusKm: 0 },
      { center: km(5, 0), radiusKm: 60 },
    ]);
    for (const p of cone) expect(distanceKm(km(5, 0), p)).toBeCloseTo(60, 0);
  });
});

describe(districtsInCircle.name, () => {
  const square = (code: string, x: number, y: number, size: number) => ({
    type: 'Feature' as const,
    properties: { code },
    geometry: {
      type: 'Polygon',
      coordinates: [[km(x, y), km(x + size, y), km(x + size, y + size), km(x, y + size), km(x, y)]],
    },
  });
  const districts: Boundaries = {
    type: 'FeatureCollection',
    features: [square('A', -10, -10, 20), square('B', 40, -10, 20), square('C', 100, 100, 20)],
  };

  it('finds the district under the centre and those whose border the circle reaches, not the others', () => {
    expect([...districtsInCircle(districts, { center: XIAMEN, radiusKm: 5 })]).toEqual(['A']);
    expect([...districtsInCircle(districts, { center: XIAMEN, radiusKm: 41 })].sort()).toEqual(['A', 'B']);
    expect([...districtsInCircle(districts, { center: km(200, 200), radiusKm: 50 })]).toEqual([]);
  });

  it('finds nothing for a radius of zero (the storm has no force-10 winds)', () => {
    expect(districtsInCircle(districts, { center: XIAMEN, radiusKm: 0 }).size).toBe(0);
  });
});

describe(edgePointer.name, () => {
  const extent = [118, 24.4, 118.4, 24.8] as const;

  it('is null for a target in view', () => {
    expect(edgePointer(extent, [118.2, 24.6])).toBeNull();
  });

  it('sits just inside the edge facing the target, pointing at it', () => {
    const east = edgePointer(extent, [120, 24.6])!;
    expect(east.angleDeg).toBeCloseTo(0, 5);
    expect(east.position[0]).toBeCloseTo(118.2 + 0.2 * 0.92, 5);
    expect(east.position[1]).toBeCloseTo(24.6, 5);
    const southEast = edgePointer(extent, [119.5, 23.2])!;
    expect(southEast.angleDeg).toBeLessThan(0);
    expect(southEast.angleDeg).toBeGreaterThan(-90);
    const [lon, lat] = southEast.position;
    expect(lon >= 118 && lon <= 118.4 && lat >= 24.4 && lat <= 24.8).toBe(true);
  });

  it('slides along the edge into the range it is given, still pointing at the target', () => {
    // Far to the south-east, nearly at the corner: kept to the middle of the bottom edge.
    const p = edgePointer(extent, [118.45, 24.2], 0, { horizontal: [0.3, 0.7], vertical: [0, 1] })!;
    expect(p.position[1]).toBeCloseTo(24.4, 5);
    expect(p.position[0]).toBeCloseTo(118 + 0.4 * 0.7, 5);
    // From where it sits, slid west: still south-east, but flatter than from where the ray crossed the edge.
    const unslid = edgePointer(extent, [118.45, 24.2], 0)!.angleDeg;
    expect(p.angleDeg).toBeLessThan(0);
    expect(p.angleDeg).toBeGreaterThan(unslid);
    // Due east, low on the side: lifted into the side's range.
    const east = edgePointer(extent, [119, 24.42], 0, { horizontal: [0, 1], vertical: [0.5, 0.8] })!;
    expect(east.position).toEqual([118.4, expect.closeTo(24.6, 5)]);
    expect(east.angleDeg).toBeLessThan(0);
  });
});
