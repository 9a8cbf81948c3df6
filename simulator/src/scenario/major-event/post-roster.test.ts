import { describe, expect, it } from 'vitest';
import { cellAt, gridId, locateDistrict } from '@egret/config';
import { Rng } from '../../rng.ts';
import { buildRoster } from '../roster.ts';
import { postUnits, type PostRosterInput } from './post-roster.ts';
import { config, geometry, normalDay } from '../../../test/city.ts';
import { forum } from '../../../test/major-event.ts';

const { squads } = buildRoster({
  districts: config.city.districts,
  lattice: geometry.lattice,
  cells: geometry.cells,
  types: normalDay.units.types,
  speedJitter: 0,
  shifts: normalDay.units.shifts,
  shiftJitterMinutes: 0,
  totalUnits: 240,
  rng: new Rng(1),
});

function units(seed: number, over: Partial<PostRosterInput> = {}) {
  return postUnits({
    event: forum.event,
    unitType: 'enforcement',
    unitsPerPost: [1, 2],
    squads,
    shapes: geometry.shapes,
    spec: geometry.spec,
    rng: new Rng(seed).fork('major-event/roster'),
    ...over,
  });
}

describe(postUnits.name, () => {
  it('gives every post one or two enforcement units, the same ones for the same seed', () => {
    const a = units(1);
    expect(units(1)).toEqual(a);
    for (const p of forum.event.posts) {
      const held = a.filter((u) => u.post.id === p.id);
      expect(held.length).toBeGreaterThanOrEqual(1);
      expect(held.length).toBeLessThanOrEqual(2);
      expect(held.map((u) => u.k)).toEqual(held.map((_, k) => k));
    }
    expect(new Set(a.map((u) => u.type))).toEqual(new Set(['enforcement']));
    expect(new Set(a.map((u) => u.id)).size).toBe(a.length);
    // Across seeds the counts vary: both one and two occur somewhere.
    const counts = new Set(
      [1, 2, 3, 4, 5].flatMap((s) => forum.event.posts.map((p) => units(s).filter((u) => u.post.id === p.id).length)),
    );
    expect(counts).toEqual(new Set([1, 2]));
  });

  it('takes them from the squad whose duty area holds the post, in the district the hub finds for it', () => {
    for (const u of units(2)) {
      const district = locateDistrict(geometry.shapes, u.post.position);
      expect(u.district).toBe(district);
      expect(u.post.district).toBe(district);
      const cell = cellAt(geometry.spec, u.post.position)!;
      const squad = squads.find((s) => s.id === u.squadId)!;
      expect(squad.district).toBe(district);
      expect(squad.cells).toContain(gridId(district!, cell.row, cell.col));
    }
    expect(units(2).find((u) => u.post.id === 'post-hotel')?.district).toBe('350206');
  });

  it('names them like the roster, with G serials per squad that never meet its numeric ones', () => {
    const a = units(3);
    for (const u of a) {
      expect(u.id).toMatch(/^U-\d{6}-\d{2}-G\d{2}$/);
      expect(u.id.startsWith(`U-${u.district}-${u.squadId.slice(-2)}-G`)).toBe(true);
      expect(u.name).toBe(
        `${squads.find((s) => s.id === u.squadId)!.name.replace('区第', '')} ${u.post.name}${u.k + 1}`,
      );
    }
    expect(a[0]!.name).toMatch(/^思明.中队 会展北路岗1$/);
  });

  it('refuses a post outside every district', () => {
    const event = {
      ...forum.event,
      posts: [{ ...forum.event.posts[0]!, id: 'post-at-sea', position: [118.3, 24.3] as [number, number] }],
    };
    expect(() => units(1, { event })).toThrow(/post post-at-sea at 118\.3, 24\.3 lies outside every district/);
  });
});
