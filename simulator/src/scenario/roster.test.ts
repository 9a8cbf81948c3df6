import { describe, expect, it } from 'vitest';
import { Id, UnitRegister } from '@egret/protocol';
import { inShape } from '@egret/config';
import { Rng } from '../rng.ts';
import { apportion, buildRoster, chineseNumber, UNIT_TYPES } from './roster.ts';
import { config, geometry, normalDay } from '../../test/city.ts';

function roster(totalUnits: number, seed = 1) {
  return buildRoster({
    districts: config.city.districts,
    lattice: geometry.lattice,
    cells: geometry.cells,
    types: normalDay.units.types,
    speedJitter: normalDay.units.speedJitter,
    shifts: normalDay.units.shifts,
    shiftJitterMinutes: normalDay.units.shiftJitterMinutes,
    totalUnits,
    rng: new Rng(seed),
  });
}

describe(buildRoster.name, () => {
  const r = roster(240);

  it('gives each district its squads, named 思明区第一中队 …, with ids that say district and number', () => {
    expect(r.squads).toHaveLength(config.city.districts.reduce((s, d) => s + d.squads, 0));
    expect(r.squads[0]).toMatchObject({ id: 'SQ-350203-01', name: '思明区第一中队', district: '350203' });
    expect(r.squads.map((s) => s.name)).toContain('湖里区第四中队');
    for (const s of r.squads) {
      expect(s.cells.length).toBeGreaterThan(5);
      expect(s.cells.every((c) => c.startsWith(s.district))).toBe(true);
    }
  });

  it('spreads units evenly over squads with readable, valid ids and Chinese names', () => {
    expect(r.count).toBe(240);
    expect(r.squads.every((s) => s.unitCount === 12)).toBe(true);
    expect(r.id[0]).toBe('U-350203-01-001');
    expect(r.name[0]).toBe('思明一中队 执法01');
    expect(new Set(r.id).size).toBe(240);
    for (let i = 0; i < r.count; i++) {
      Id.parse(r.id[i]);
      UnitRegister.parse({
        kind: 'unit.register',
        unitId: r.id[i],
        name: r.name[i],
        type: UNIT_TYPES[r.type[i]!],
        squadId: r.squads[r.squad[i]!]!.id,
        district: r.district[i],
        at: 0,
      });
    }
  });

  it('gives every squad the scenario’s type mix', () => {
    const first = r.squads[0]!;
    const types = Array.from({ length: first.unitCount }, (_, j) => UNIT_TYPES[r.type[first.firstUnit + j]!]);
    expect(types.filter((t) => t === 'enforcement')).toHaveLength(4);
    expect(types.filter((t) => t === 'inspector')).toHaveLength(3);
    expect(types.filter((t) => t === 'drone')).toHaveLength(1);
  });

  it('gives units patrol beats inside their squad’s district, in one piece of land', () => {
    const l = geometry.lattice;
    for (let i = 0; i < r.count; i++) {
      const beat = r.beat[i]!;
      expect(beat.length).toBeGreaterThanOrEqual(3);
      const shape = geometry.shapes.find((s) => s.code === r.district[i])!;
      for (const n of beat) {
        expect(inShape(shape, [l.lon[n]!, l.lat[n]!])).toBe(true);
        expect(l.component[n]).toBe(l.component[beat[0]!]);
      }
    }
  });

  it('reaches tens of thousands of units with wider serials, exactly the number asked', () => {
    const big = roster(50_003);
    expect(big.count).toBe(50_003);
    expect(big.id.length).toBe(50_003);
    expect(new Set(big.id).size).toBe(50_003);
    expect(big.id[0]).toBe('U-350203-01-0001');
  });

  it('is the same for the same seed', () => {
    const again = roster(240);
    expect(again.beat.map((b) => [...b])).toEqual(r.beat.map((b) => [...b]));
    expect([...again.speed]).toEqual([...r.speed]);
  });
});

describe(apportion.name, () => {
  it('splits a total by shares, summing exactly', () => {
    expect(apportion([4, 3, 2, 1, 1, 1], 12)).toEqual([4, 3, 2, 1, 1, 1]);
    expect(apportion([4, 3, 2, 1, 1, 1], 5).reduce((a, b) => a + b)).toBe(5);
    expect(apportion([1, 1], 3)).toEqual([2, 1]);
  });
});

describe(chineseNumber.name, () => {
  it('writes squad numbers the Chinese way', () => {
    expect([1, 4, 10, 12, 20, 35].map(chineseNumber)).toEqual(['一', '四', '十', '十二', '二十', '三十五']);
  });
});
