import { describe, expect, it } from 'vitest';
import { aUnit } from '../../test/fixtures.ts';
import { THEME } from '../theme.ts';
import { isFixStale, UnitPaint } from './unit-paint.ts';
import { UnitPositions } from './unit-positions.ts';

const clock = { worldNow: 100_000, rate: 1, staleAfterMs: 5000 };

function rgba(paint: UnitPaint, slot: number) {
  return [...paint.colors.subarray(slot * 4, slot * 4 + 4)];
}

describe(isFixStale.name, () => {
  it('measures the age of a fix in real time, so fast simulated time does not grey every unit', () => {
    expect(isFixStale(94_000, clock)).toBe(true);
    expect(isFixStale(96_000, clock)).toBe(false);
    expect(isFixStale(40_000, { ...clock, rate: 30 })).toBe(false);
    expect(isFixStale(Number.NaN, clock)).toBe(true);
  });
});

describe(UnitPaint.name, () => {
  it('colours each unit by status and sizes it by type', () => {
    const pos = new UnitPositions();
    pos.set(1, 118.1, 24.5, 99_000);
    pos.set(2, 118.2, 24.5, 99_000);
    const paint = new UnitPaint();
    const summary = paint.paint(
      [
        aUnit({ id: 'a', slot: 1, status: 'available', type: 'enforcement' }),
        aUnit({ id: 'b', slot: 2, status: 'on_scene', type: 'vehicle' }),
      ],
      pos,
      clock,
    );
    expect(rgba(paint, 1)).toEqual(THEME.unitStatus.available);
    expect(rgba(paint, 2)).toEqual(THEME.unitStatus.on_scene);
    expect(paint.radii[2]).toBe(THEME.unitRadius.vehicle);
    expect(summary).toEqual({ total: 2, available: 1, busy: 1, stale: 0, positioned: 2 });
  });

  it('rings units on a live field terminal in cyan, others in white, silent ones in grey', () => {
    const pos = new UnitPositions();
    for (const slot of [1, 2, 3, 4]) pos.set(slot, 118.1, 24.5, slot === 4 ? 10_000 : 99_000);
    const paint = new UnitPaint();
    const online = { state: 'online' as const, lastSeenAt: 99_000, pending: 0 };
    paint.paint(
      [
        aUnit({ id: 'phone', slot: 1, terminal: online }),
        aUnit({ id: 'gateway', slot: 2 }),
        aUnit({ id: 'phone-off', slot: 3, terminal: { ...online, state: 'offline' } }),
        aUnit({ id: 'phone-silent', slot: 4, terminal: online }),
      ],
      pos,
      clock,
    );
    const edge = (slot: number) => [...paint.lineColors.subarray(slot * 4, slot * 4 + 4)];
    expect(edge(1)).toEqual(THEME.map.unitTerminalEdge);
    expect(edge(2)).toEqual(THEME.map.unitEdge);
    expect(edge(3)).toEqual(THEME.map.unitEdge);
    expect(edge(4)).toEqual(THEME.map.unitStaleEdge);
  });

  it('greys units with an old fix and offline units', () => {
    const pos = new UnitPositions();
    pos.set(1, 118.1, 24.5, 10_000);
    pos.set(2, 118.2, 24.5, 99_000);
    const paint = new UnitPaint();
    const summary = paint.paint(
      [aUnit({ id: 'a', slot: 1 }), aUnit({ id: 'b', slot: 2, status: 'offline' })],
      pos,
      clock,
    );
    expect(rgba(paint, 1)).toEqual(THEME.unitStale);
    expect(rgba(paint, 2)).toEqual(THEME.unitStale);
    expect([...paint.lineColors.subarray(4, 8)]).toEqual(THEME.map.unitStaleEdge);
    expect(summary.stale).toBe(2);
  });

  it('draws off-duty units small and dim, and never counts them as lost', () => {
    const pos = new UnitPositions();
    pos.set(1, 118.1, 24.5, 10_000);
    const paint = new UnitPaint();
    const summary = paint.paint(
      [aUnit({ id: 'a', slot: 1, status: 'off_duty' }), aUnit({ id: 'b', slot: 2, status: 'off_duty' })],
      pos,
      clock,
    );
    expect(rgba(paint, 1)).toEqual(THEME.unitStatus.off_duty);
    expect(paint.radii[1]).toBe(THEME.unitStaleRadius);
    expect(summary).toMatchObject({ total: 2, stale: 0, available: 0, busy: 0 });
  });

  it('hides slots without a fix and draws unknown slots grey', () => {
    const pos = new UnitPositions();
    pos.set(3, 118.1, 24.5, 99_000);
    const paint = new UnitPaint();
    const summary = paint.paint([aUnit({ id: 'a', slot: 1 })], pos, clock);
    expect(rgba(paint, 1)[3]).toBe(0);
    expect(paint.radii[1]).toBe(0);
    expect(rgba(paint, 3)).toEqual(THEME.unitStale);
    expect(summary).toMatchObject({ total: 1, stale: 1, positioned: 1 });
  });

  it('paints as a unit-by-unit reading of the theme does, at and around the stale edge, at any rate', () => {
    const statuses = ['available', 'dispatched', 'en_route', 'on_scene', 'off_duty', 'offline'] as const;
    const types = ['enforcement', 'inspector', 'sanitation', 'emergency', 'vehicle', 'drone'] as const;
    for (const c of [clock, { ...clock, rate: 60 }, { ...clock, rate: 0.5, worldNow: 100_000.5 }]) {
      const pos = new UnitPositions();
      const units = [];
      // Fixes from well inside to well past the edge, in half milliseconds: some exactly on it.
      for (let slot = 0; slot < 300; slot++) {
        const edge = c.worldNow - c.staleAfterMs * c.rate;
        if (slot % 7 !== 3) pos.set(slot, 118 + slot * 1e-4, 24.5, edge + ((slot % 41) - 20) * 0.5);
        units.push(
          aUnit({
            id: `u${slot}`,
            slot,
            status: statuses[slot % 6]!,
            type: types[slot % 5]!,
            ...(slot % 4 === 0 ? { terminal: { state: 'online' as const, lastSeenAt: 99_000, pending: 0 } } : {}),
          }),
        );
      }
      for (const version of [undefined, 1]) {
        const paint = new UnitPaint();
        const summary = paint.paint(units, pos, c, version);
        expect(summary).toEqual(reference(units, pos, c));
        expectPainted(paint, units, pos, c);
      }
    }
  });

  it('keeps the units’ colours per slot for a version, and reads the units again when it changes', () => {
    const pos = new UnitPositions();
    for (const slot of [0, 1, 2, 3]) pos.set(slot, 118 + slot * 1e-3, 24.5, 99_000);
    // Slot 5: a unit with no fix yet, and a slot past the positions' length.
    const units = [0, 1, 2, 3, 5].map((slot) => aUnit({ id: `u${slot}`, slot, status: 'available' }));
    const paint = new UnitPaint();
    expect(paint.paint(units, pos, clock, 7)).toEqual(reference(units, pos, clock));
    expectPainted(paint, units, pos, clock);
    // Time passes, nothing else: the same version paints the fixes' age (slot 2 grows old).
    pos.set(2, 118.002, 24.5, 90_000);
    const later = { ...clock, worldNow: 100_500 };
    expect(paint.paint(units, pos, later, 7)).toEqual(reference(units, pos, later));
    expectPainted(paint, units, pos, later);
    // A unit dispatched, another's phone online, one gone off duty, one new: a new version reads them.
    const changed = [
      aUnit({ id: 'u0', slot: 0, status: 'en_route' }),
      aUnit({ id: 'u1', slot: 1, terminal: { state: 'online', lastSeenAt: 99_000, pending: 0 } }),
      aUnit({ id: 'u2', slot: 2, status: 'off_duty' }),
      aUnit({ id: 'u3', slot: 3, type: 'vehicle' }),
      aUnit({ id: 'u4', slot: 4 }),
    ];
    pos.set(4, 118.004, 24.5, 99_900);
    expect(paint.paint(changed, pos, later, 8)).toEqual(reference(changed, pos, later));
    expectPainted(paint, changed, pos, later);
  });

  it('paints two units given one slot as unit by unit does: the later one’s colours, both counted', () => {
    const pos = new UnitPositions();
    pos.set(0, 118, 24.5, 99_000);
    const units = [aUnit({ id: 'a', slot: 0, status: 'available' }), aUnit({ id: 'b', slot: 0, status: 'on_scene' })];
    const paint = new UnitPaint();
    expect(paint.paint(units, pos, clock, 1)).toEqual(reference(units, pos, clock));
    expect(rgba(paint, 0)).toEqual(THEME.unitStatus.on_scene);
  });
});

/** The summary as a unit-by-unit reading gives it. */
function reference(units: readonly ReturnType<typeof aUnit>[], pos: UnitPositions, c: typeof clock) {
  const summary = { total: 0, available: 0, busy: 0, stale: 0, positioned: pos.positioned };
  for (const u of units) {
    summary.total++;
    const stale =
      u.status !== 'off_duty' &&
      (u.status === 'offline' || isFixStale(pos.has(u.slot) ? pos.fixAt[u.slot]! : Number.NaN, c));
    if (stale) summary.stale++;
    else if (u.status === 'available') summary.available++;
    else if (['dispatched', 'en_route', 'on_scene'].includes(u.status)) summary.busy++;
  }
  return summary;
}

/** Every unit's slot painted as a unit-by-unit reading of the theme gives it. */
function expectPainted(
  paint: UnitPaint,
  units: readonly ReturnType<typeof aUnit>[],
  pos: UnitPositions,
  c: typeof clock,
) {
  for (const u of units) {
    if (u.slot >= pos.length) continue;
    const has = pos.has(u.slot);
    const offDuty = u.status === 'off_duty';
    const stale = !offDuty && (u.status === 'offline' || isFixStale(has ? pos.fixAt[u.slot]! : Number.NaN, c));
    const fill = !has ? [0, 0, 0, 0] : stale ? THEME.unitStale : THEME.unitStatus[u.status];
    const ring = !has
      ? [0, 0, 0, 0]
      : stale || offDuty
        ? THEME.map.unitStaleEdge
        : u.terminal?.state === 'online'
          ? THEME.map.unitTerminalEdge
          : THEME.map.unitEdge;
    expect(rgba(paint, u.slot), u.id).toEqual([...fill]);
    expect([...paint.lineColors.subarray(u.slot * 4, u.slot * 4 + 4)], u.id).toEqual([...ring]);
    expect(paint.radii[u.slot], u.id).toBe(
      !has ? 0 : stale || offDuty ? THEME.unitStaleRadius : THEME.unitRadius[u.type],
    );
  }
}
