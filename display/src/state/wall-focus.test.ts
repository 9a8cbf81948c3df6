import { describe, expect, it } from 'vitest';
import type { Unit } from '@egret/protocol';
import { aCase, T0 } from '../../test/fixtures.ts';
import { focusTarget, squareAround } from './wall-focus.ts';

const by = { role: 'dispatcher' as const, id: 'd-1' };
const unit: Unit = {
  id: 'U-1',
  name: '执法01',
  type: 'enforcement',
  squadId: 'SQ-1',
  district: '350203',
  status: 'available',
  slot: 3,
  version: 0,
};

describe(focusTarget.name, () => {
  const c = aCase({ id: 'C-1', position: [118.09, 24.46] });
  const world = {
    cases: new Map([[c.id, c]]),
    units: new Map([[unit.id, { ...unit, position: [118.1, 24.47] as [number, number] }]]),
  };

  it('looks at a focused case, in a square of a few streets around it', () => {
    const t = focusTarget({ caseId: 'C-1', by, at: T0 }, world, () => undefined)!;
    expect(t).toMatchObject({ kind: 'case', id: 'C-1', position: [118.09, 24.46] });
    const [w, s, e, n] = t.bbox;
    expect([w < 118.09 && e > 118.09, s < 24.46 && n > 24.46]).toEqual([true, true]);
    // 2.4 km a side: about 0.0216° of latitude.
    expect(n - s).toBeCloseTo(0.0216, 3);
  });

  it('follows a focused unit by its live position, or its last known one', () => {
    expect(focusTarget({ unitId: 'U-1', by, at: T0 }, world, () => [118.2, 24.5])!.position).toEqual([118.2, 24.5]);
    expect(focusTarget({ unitId: 'U-1', by, at: T0 }, world, () => undefined)!.position).toEqual([118.1, 24.47]);
  });

  it('frames the whole view a console put on the wall, centred on its middle', () => {
    const t = focusTarget({ extent: [118.07, 24.45, 118.1, 24.47], by, at: T0 }, world, () => undefined)!;
    expect(t).toMatchObject({ kind: 'view', bbox: [118.07, 24.45, 118.1, 24.47] });
    expect(t.position[0]).toBeCloseTo(118.085, 9);
    expect(t.position[1]).toBeCloseTo(24.46, 9);
  });

  it('shows the overview when nothing is focused, or what is focused cannot be placed', () => {
    expect(focusTarget(null, world, () => undefined)).toBeNull();
    expect(focusTarget({ caseId: 'GONE', by, at: T0 }, world, () => undefined)).toBeNull();
    expect(
      focusTarget({ unitId: 'U-1', by, at: T0 }, { ...world, units: new Map([[unit.id, unit]]) }, () => undefined),
    ).toBeNull();
  });
});

describe(squareAround.name, () => {
  it('is wider in degrees of longitude than of latitude away from the equator', () => {
    const [w, s, e, n] = squareAround([118.09, 24.46], 1000);
    expect(e - w).toBeGreaterThan(n - s);
  });
});
