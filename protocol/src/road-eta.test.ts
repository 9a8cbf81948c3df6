import { describe, expect, it } from 'vitest';
import type { LonLat } from './geo.ts';
import { kmh, roadTrip, straightTrip, type RoadIsland, type RoadModel } from './road-eta.ts';

/**
 * A tiny city on the equator, where a hundredth of a degree of longitude is R·π/180/100 ≈ 1,111.95 m and short
 * distances are Euclidean in degrees. The island is the box lon 0.10–0.20, lat −0.05–0.05; a bridge lands at its
 * north-west corner, a tunnel (2 minutes of queue) at its south-west corner.
 */
const DEG_M = (6_371_008.8 * Math.PI) / 180;
const box =
  (x0: number, x1: number, y0: number, y1: number) =>
  ([x, y]: LonLat) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const ISLAND: RoadIsland = {
  id: 'island',
  contains: box(0.1, 0.2, -0.05, 0.05),
  links: [
    { id: 'bridge', island: [0.1, 0.04], mainland: [0.09, 0.04] },
    { id: 'tunnel', island: [0.1, -0.04], mainland: [0.09, -0.04], delayMs: 120_000 },
  ],
};
const CITY: RoadModel = { detourFactor: 1.3, islands: [ISLAND] };
const SPEED = 10; // m/s

describe(roadTrip.name, () => {
  it('drives the detour factor times the straight line on one side of the water', () => {
    const trip = roadTrip(CITY, [0.01, 0], [0.05, 0], SPEED)!;
    expect(trip.distanceM).toBeCloseTo(1.3 * 0.04 * DEG_M, 3);
    expect(trip.etaMs).toBeCloseTo(((1.3 * 0.04 * DEG_M) / SPEED) * 1000, 3);
    expect(trip.via).toEqual([]);
    expect(roadTrip(CITY, [0.12, 0], [0.18, 0], SPEED)).toMatchObject({ via: [] });
  });

  it('crosses to the island by the nearest link, far longer than the straight line', () => {
    // From the mainland at (0.08, 0.04) to the island at (0.12, 0.04): streets 0.01°, bridge 0.01°, streets 0.02°.
    const trip = roadTrip(CITY, [0.08, 0.04], [0.12, 0.04], SPEED)!;
    expect(trip.via).toEqual(['bridge']);
    expect(trip.distanceM).toBeCloseTo((1.3 * 0.01 + 0.01 + 1.3 * 0.02) * DEG_M, 1); // cos(0.04°) costs a millimetre

    // Straight across the middle there is no road: up to the bridge and back down.
    const across = roadTrip(CITY, [0.05, 0], [0.15, 0], SPEED)!;
    const viaBridge = 1.3 * Math.hypot(0.04, 0.04) + 0.01 + 1.3 * Math.hypot(0.05, 0.04);
    expect(across.via).toEqual(['bridge']);
    expect(across.distanceM).toBeCloseTo(viaBridge * DEG_M, 0);
    expect(across.distanceM).toBeGreaterThan(1.3 * 0.1 * DEG_M);
  });

  it('weighs a link’s delay: the tunnel only wins when it saves more than its queue', () => {
    // Near the south-west corner the tunnel is the short way, 2 minutes of queue or not.
    expect(roadTrip(CITY, [0.08, -0.04], [0.12, -0.04], SPEED)).toMatchObject({ via: ['tunnel'] });
    // From just south of the middle the two are nearly the same length; the queue sends us over the bridge.
    const trip = roadTrip(CITY, [0.05, -0.001], [0.15, -0.001], SPEED)!;
    expect(trip.via).toEqual(['bridge']);
    // Without the queue the tunnel is shorter.
    const noQueue: RoadModel = {
      ...CITY,
      islands: [{ ...ISLAND, links: ISLAND.links.map(({ delayMs: _, ...l }) => l) }],
    };
    expect(roadTrip(noQueue, [0.05, -0.001], [0.15, -0.001], SPEED)).toMatchObject({ via: ['tunnel'] });
  });

  it('leaves the island the same way, and adds the queue to the time, not the distance', () => {
    const trip = roadTrip(CITY, [0.12, -0.04], [0.08, -0.04], SPEED)!;
    expect(trip.via).toEqual(['tunnel']);
    expect(trip.etaMs).toBeCloseTo((trip.distanceM / SPEED) * 1000 + 120_000, 3);
  });

  it('goes from one island to another over both their links', () => {
    const east: RoadIsland = {
      id: 'east',
      contains: box(0.3, 0.4, -0.05, 0.05),
      links: [{ id: 'east-bridge', island: [0.3, 0], mainland: [0.28, 0], lengthM: 3000 }],
    };
    const model: RoadModel = { detourFactor: 1.3, islands: [ISLAND, east] };
    const trip = roadTrip(model, [0.11, 0.04], [0.31, 0], SPEED)!;
    expect(trip.via).toEqual(['bridge', 'east-bridge']);
    const expected = 1.3 * 0.01 + 0.01 + 1.3 * Math.hypot(0.19, 0.04);
    expect(trip.distanceM).toBeCloseTo(expected * DEG_M + 3000 + 1.3 * 0.01 * DEG_M, 0);
  });

  it('finds no road to an island without links', () => {
    const rock: RoadIsland = { id: 'rock', contains: box(-0.1, -0.05, -0.01, 0.01), links: [] };
    const model: RoadModel = { ...CITY, islands: [ISLAND, rock] };
    expect(roadTrip(model, [0.01, 0], [-0.07, 0], SPEED)).toBeNull();
    expect(roadTrip(model, [-0.06, 0], [-0.08, 0], SPEED)).not.toBeNull();
  });
});

describe(straightTrip.name, () => {
  it('flies the great circle, water or not', () => {
    const trip = straightTrip([0.05, 0], [0.15, 0], kmh(36));
    expect(trip.distanceM).toBeCloseTo(0.1 * DEG_M, 3);
    expect(trip.etaMs).toBeCloseTo(0.1 * DEG_M * 100, 3); // 10 m/s
  });
});
