import { describe, expect, it } from 'vitest';
import { haversineM, type LonLat } from '@egret/protocol';
import { Rng } from '../rng.ts';
import { Patrols } from './patrols.ts';
import { buildRoster, UNIT_TYPES } from './roster.ts';
import { config, geometry, MIDNIGHT, normalDay } from '../../test/city.ts';

const roster = buildRoster({
  districts: config.city.districts,
  lattice: geometry.lattice,
  cells: geometry.cells,
  types: normalDay.units.types,
  speedJitter: 0,
  shifts: normalDay.units.shifts,
  shiftJitterMinutes: 0,
  totalUnits: 40,
  rng: new Rng(1),
});
const pauses = UNIT_TYPES.map(() => [60_000, 60_000] as const);

describe(Patrols.name, () => {
  it('walks a unit to the next waypoint of its beat, pauses there, then goes on', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const rng = new Rng(3);
    const i = 0;
    const beat = roster.beat[i]!;
    const visited: number[] = [];
    let t = MIDNIGHT;
    for (let k = 0; k < 4 * 3600; k++) {
      t += 1000;
      const before = p.path[i];
      p.move(i, t, 1000, rng);
      if (before && !p.path[i]) visited.push(p.node[i]!);
    }
    expect(visited.length).toBeGreaterThanOrEqual(3);
    for (const n of visited) expect(beat).toContain(n);
  });

  it('stands still while pausing', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const i = 1;
    p.pauseUntil[i] = MIDNIGHT + 10_000;
    const at = [p.lon[i], p.lat[i]];
    p.move(i, MIDNIGHT + 5_000, 5_000, new Rng(1));
    expect([p.lon[i], p.lat[i]]).toEqual(at);
  });

  it('sends a unit anywhere on its own piece of land, and refuses a target across the water', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const l = geometry.lattice;
    const i = 0;
    const sameLand = roster.beat[i]![1]!;
    expect(p.goTo(i, sameLand)).toBe(true);
    const elsewhere = Array.from({ length: l.nodeCount }, (_, n) => n).find(
      (n) => l.component[n] !== l.component[p.node[i]!],
    )!;
    expect(p.goTo(i, elsewhere)).toBe(false);
  });
});

describe('Patrols.goTo', () => {
  it('lets a unit in the middle of a step finish it instead of jumping back', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const i = 2;
    p.pauseUntil[i] = MIDNIGHT;
    let t = MIDNIGHT;
    while (!(p.path[i] && p.stepDone[i]! > 0)) {
      t += 1000;
      p.move(i, t, 1000, new Rng(t));
    }
    const here: [number, number] = [p.lon[i]!, p.lat[i]!];
    expect(p.goTo(i, roster.beat[i]![0]!)).toBe(true);
    p.move(i, t + 1, 1, new Rng(1)); // one millisecond later the unit is still where it was
    expect(Math.abs(p.lon[i]! - here[0]) + Math.abs(p.lat[i]! - here[1])).toBeLessThan(1e-6);
  });
});

describe('Patrols.goToPoint', () => {
  const here = (p: Patrols, i: number): LonLat => [p.lon[i]!, p.lat[i]!];

  /** A point ~600 m from unit i's node, off the lattice, on its own land. */
  function caseNear(p: Patrols, i: number): LonLat {
    const l = geometry.lattice;
    const beat = roster.beat[i]!;
    const n = beat.find((b) => haversineM([l.lon[b]!, l.lat[b]!], here(p, i)) > 500) ?? beat[1]!;
    return [l.lon[n]! + 0.0004, l.lat[n]! + 0.0003];
  }

  it('takes a unit along the lattice and then straight to the point, and keeps it there', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const i = 0;
    const target = caseNear(p, i);
    expect(p.goToPoint(i, target[0], target[1], { maxOffM: 1000 })).toBe(true);
    const distances: number[] = [];
    let t = MIDNIGHT;
    for (let k = 0; k < 3600 && !p.arrived(i); k++) {
      t += 1000;
      p.move(i, t, 1000, new Rng(k));
      distances.push(haversineM(here(p, i), target));
    }
    expect(p.arrived(i)).toBe(true);
    expect(here(p, i)).toEqual(target);
    expect(distances.length).toBeGreaterThan(10);
    // Paths run along rows and columns, so the straight-line distance may stall, but it never grows much.
    for (let k = 1; k < distances.length; k++)
      expect(distances[k]!).toBeLessThanOrEqual(distances[k - 1]! + 1e-6 + roster.speed[i]!);
    for (let k = 0; k < 600; k++) p.move(i, (t += 1000), 1000, new Rng(k)); // pauses end, the beat does not resume
    expect(here(p, i)).toEqual(target);
  });

  it('flies a drone straight there', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const i = 3;
    const target = caseNear(p, i);
    const start = here(p, i);
    p.goToPoint(i, target[0], target[1], { maxOffM: 1000, straight: true });
    p.move(i, MIDNIGHT + 10_000, 10_000, new Rng(1));
    const moved = haversineM(start, here(p, i));
    expect(moved).toBeCloseTo(roster.speed[i]! * 10, 0);
    expect(haversineM(here(p, i), target)).toBeCloseTo(haversineM(start, target) - moved, 0);
  });

  it('refuses a point no node of the unit’s land comes near', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    expect(p.goToPoint(0, 118.3, 24.7, { maxOffM: 500 })).toBe(false);
    expect(p.held[0]).toBe(0);
  });

  it('walks a released unit back onto the lattice and on with its beat', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const i = 0;
    const target = caseNear(p, i);
    p.goToPoint(i, target[0], target[1], { maxOffM: 1000 });
    let t = MIDNIGHT;
    while (!p.arrived(i)) p.move(i, (t += 1000), 1000, new Rng(t));
    const node: LonLat = [geometry.lattice.lon[p.node[i]!]!, geometry.lattice.lat[p.node[i]!]!];
    p.release(i, t);
    expect(p.arrived(i)).toBe(false);
    p.move(i, (t += 1000), 1000, new Rng(t));
    // One second later: a little closer to the node, not jumped onto it.
    expect(haversineM(here(p, i), node)).toBeLessThan(haversineM(target, node));
    expect(haversineM(here(p, i), target)).toBeCloseTo(Math.min(roster.speed[i]!, haversineM(target, node)), 0);
    const seen = new Set<string>();
    for (let k = 0; k < 3600; k++) {
      p.move(i, (t += 1000), 1000, new Rng(t));
      seen.add(here(p, i).join());
    }
    expect(seen.size).toBeGreaterThan(100); // on the move again
  });

  it('sends a unit still at its last case straight to the next one by way of the lattice', () => {
    const p = new Patrols(roster, geometry.lattice, pauses);
    p.place(new Rng(2), MIDNIGHT);
    const i = 0;
    const first = caseNear(p, i);
    p.goToPoint(i, first[0], first[1], { maxOffM: 1000 });
    let t = MIDNIGHT;
    while (!p.arrived(i)) p.move(i, (t += 1000), 1000, new Rng(t));
    p.release(i, t);
    const l = geometry.lattice;
    const home = roster.beat[i]![0]!;
    const second: LonLat = [l.lon[home]! + 0.0002, l.lat[home]! - 0.0002];
    expect(p.goToPoint(i, second[0], second[1], { maxOffM: 1000 })).toBe(true);
    let last = here(p, i);
    let maxStep = 0;
    for (let k = 0; k < 7200 && !p.arrived(i); k++) {
      p.move(i, (t += 1000), 1000, new Rng(t));
      maxStep = Math.max(maxStep, haversineM(last, here(p, i)));
      last = here(p, i);
    }
    expect(p.arrived(i)).toBe(true);
    expect(here(p, i)).toEqual(second);
    expect(maxStep).toBeLessThanOrEqual(roster.speed[i]! + 0.5); // never a jump
  });
});

describe('Patrols.goToPoint across the city', () => {
  it('drives a unit from the island over a bridge to a case on the mainland, and home again after', () => {
    const p = new Patrols(roster, geometry.lattice, pauses, geometry.travel);
    p.place(new Rng(2), MIDNIGHT);
    const i = roster.district.indexOf('350203'); // 思明, on the island
    const scene: LonLat = [118.1, 24.6]; // 集美, on the mainland
    expect(p.offLatticeM(i, scene[0], scene[1], 500)).toBeLessThan(200);
    expect(p.goToPoint(i, scene[0], scene[1], { maxOffM: 500, speedMps: 9 })).toBe(true);
    let t = MIDNIGHT,
      last: LonLat = [p.lon[i]!, p.lat[i]!],
      maxStep = 0,
      k = 0;
    const step = () => {
      p.move(i, (t += 1000), 1000, new Rng(t));
      maxStep = Math.max(maxStep, haversineM(last, [p.lon[i]!, p.lat[i]!]));
      last = [p.lon[i]!, p.lat[i]!];
    };
    for (; k < 20_000 && !p.arrived(i); k++) step();
    expect(p.arrived(i)).toBe(true);
    expect([p.lon[i], p.lat[i]]).toEqual(scene);
    expect(maxStep).toBeGreaterThan(8.5); // at the task's speed
    expect(maxStep).toBeLessThanOrEqual(9.5); // and no jumps, the bridge included

    p.release(i, t);
    for (k = 0; k < 20_000 && p.path[i]; k++) step(); // the way home
    expect(geometry.lattice.districts[geometry.lattice.district[p.node[i]!]!]).toBe('350203');
    expect(maxStep).toBeLessThanOrEqual(9.5);
    maxStep = 0;
    for (k = 0; k < 3_600; k++) step(); // and on with its beat, at home, at its beat speed
    expect(maxStep).toBeLessThanOrEqual(roster.speed[i]! + 0.5);
    expect(geometry.lattice.districts[geometry.lattice.district[p.node[i]!]!]).toBe('350203');
  });

  it('will not take a ground unit to Gulangyu, which no road reaches', () => {
    const p = new Patrols(roster, geometry.lattice, pauses, geometry.travel);
    p.place(new Rng(2), MIDNIGHT);
    const i = roster.district.indexOf('350203');
    expect(p.offLatticeM(i, 118.067, 24.447, 500)).toBeUndefined();
    expect(p.goToPoint(i, 118.067, 24.447, { maxOffM: 500 })).toBe(false);
    expect(p.goToPoint(i, 118.067, 24.447, { maxOffM: 500, straight: true })).toBe(true); // a drone flies
  });
});
