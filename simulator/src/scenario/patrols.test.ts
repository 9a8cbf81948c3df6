import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { Patrols } from './patrols.ts';
import { buildRoster, UNIT_TYPES } from './roster.ts';
import { config, geometry, MIDNIGHT, normalDay } from '../../test/city.ts';

const roster = buildRoster({
  districts: config.city.districts, lattice: geometry.lattice, cells: geometry.cells, types: normalDay.units.types,
  speedJitter: 0, shifts: normalDay.units.shifts, shiftJitterMinutes: 0, totalUnits: 40, rng: new Rng(1),
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
    const elsewhere = Array.from({ length: l.nodeCount }, (_, n) => n).find((n) => l.component[n] !== l.component[p.node[i]!])!;
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
    while (!(p.path[i] && p.stepDone[i]! > 0)) { t += 1000; p.move(i, t, 1000, new Rng(t)); }
    const here: [number, number] = [p.lon[i]!, p.lat[i]!];
    expect(p.goTo(i, roster.beat[i]![0]!)).toBe(true);
    p.move(i, t + 1, 1, new Rng(1)); // one millisecond later the unit is still where it was
    expect(Math.abs(p.lon[i]! - here[0]) + Math.abs(p.lat[i]! - here[1])).toBeLessThan(1e-6);
  });
});
