import { describe, expect, it } from 'vitest';
import { UnitStatus, UnitType, type Unit } from '@egret/protocol';
import { aUnit } from '../../test/fixtures.ts';
import { THEME } from '../theme.ts';
import { UnitPaint } from './unit-paint.ts';
import { UnitPositions } from './unit-positions.ts';

const clock = { worldNow: 100_000, rate: 1, staleAfterMs: 5000 };
const rgba = (paint: UnitPaint, slot: number) => [...paint.colors.subarray(slot * 4, slot * 4 + 4)];

/**
 * The live source hands the paint the world's units as an iterator (`world.units.values()`), read once: the paint
 * must not read it twice (building its slot table, then painting unit by unit when two units share a slot).
 */
describe('UnitPaint given the units as an iterator, as the live source does', () => {
  it('two units in one slot: painted and counted on the version that builds the table, not greyed and lost', () => {
    const pos = new UnitPositions();
    pos.set(0, 118, 24.5, 99_000);
    pos.set(1, 118.01, 24.5, 99_000);
    const units = new Map<string, Unit>([
      ['a', aUnit({ id: 'a', slot: 0, status: 'available' })],
      ['b', aUnit({ id: 'b', slot: 0, status: 'on_scene' })],
      ['c', aUnit({ id: 'c', slot: 1, status: 'dispatched', type: 'vehicle' })],
    ]);
    const paint = new UnitPaint();
    for (const version of [1, 1, 2]) {
      const summary = paint.paint(units.values(), pos, clock, version);
      expect(summary, `version ${version}`).toEqual({ total: 3, available: 1, busy: 2, stale: 0, positioned: 2 });
      expect(rgba(paint, 0)).toEqual(THEME.unitStatus.on_scene);
      expect(rgba(paint, 1)).toEqual(THEME.unitStatus.dispatched);
      expect(paint.radii[1]).toBe(THEME.unitRadius.vehicle);
    }
  });

  it('one unit a slot: the same paint from an iterator as from an array, across versions', () => {
    const pos = new UnitPositions();
    for (let slot = 0; slot < 6; slot++) pos.set(slot, 118 + slot / 100, 24.5, slot === 5 ? 10_000 : 99_000);
    const list = [
      aUnit({ id: 'a', slot: 0, status: 'available' }),
      aUnit({ id: 'b', slot: 2, status: 'offline' }),
      aUnit({ id: 'c', slot: 5, status: 'en_route' }),
    ];
    const fromIterator = new UnitPaint();
    const fromArray = new UnitPaint();
    for (const version of [1, 1, 2]) {
      expect(fromIterator.paint(new Map(list.map((u) => [u.id, u])).values(), pos, clock, version)).toEqual(
        fromArray.paint(list, pos, clock, version),
      );
      expect([...fromIterator.colors.subarray(0, 24)]).toEqual([...fromArray.colors.subarray(0, 24)]);
    }
  });
});

const STATUSES = UnitStatus.options;
const TYPES = UnitType.options;

function rnd(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Units registered and changed (statuses, terminals, slots shared), fixes and time moving, in random order. */
describe('UnitPaint kept per slot against a fresh unit-by-unit paint, random sequences', () => {
  it('the same summary, colours, rings and radii at every step (units as an iterator)', () => {
    for (let seed = 1; seed < 40; seed++) {
      const r = rnd(seed);
      const pos = new UnitPositions();
      const units = new Map<string, Unit>();
      const kept = new UnitPaint();
      let version = 0;
      let now = 100_000;
      for (let step = 0; step < 60; step++) {
        const op = r();
        if (op < 0.3) {
          const id = `u${Math.floor(r() * 30)}`;
          const u = aUnit({
            id,
            slot: Math.floor(r() * 40),
            status: STATUSES[Math.floor(r() * STATUSES.length)]!,
            type: TYPES[Math.floor(r() * TYPES.length)]!,
            ...(r() < 0.5
              ? {
                  terminal: {
                    state: r() < 0.5 ? ('online' as const) : ('offline' as const),
                    lastSeenAt: now,
                    pending: 0,
                  },
                }
              : {}),
          });
          units.set(id, u);
          version++;
        } else if (op < 0.7) {
          pos.set(Math.floor(r() * 50), 118 + r(), 24 + r(), now - Math.floor(r() * 12_000));
        } else now += Math.floor(r() * 3000);
        const clock = { worldNow: now, rate: r() < 0.2 ? 30 : 1, staleAfterMs: 5000 };
        const a = kept.paint(units.values(), pos, clock, version);
        const fresh = new UnitPaint();
        const b = fresh.paint(units.values(), pos, clock);
        expect({ seed, step, ...a }).toEqual({ seed, step, ...b });
        const n = pos.length;
        expect([...kept.colors.subarray(0, n * 4)]).toEqual([...fresh.colors.subarray(0, n * 4)]);
        expect([...kept.lineColors.subarray(0, n * 4)]).toEqual([...fresh.lineColors.subarray(0, n * 4)]);
        expect([...kept.radii.subarray(0, n)]).toEqual([...fresh.radii.subarray(0, n)]);
      }
    }
  });
});
