import { describe, expect, it } from 'vitest';
import { aUnit } from '../../test/fixtures.ts';
import { unitsOnDuty } from './units-on-duty.ts';

describe(unitsOnDuty.name, () => {
  it('counts on-duty units by type and status, leaving off-duty units and empty types out', () => {
    const rows = unitsOnDuty([
      aUnit({ id: 'a', type: 'vehicle', status: 'available' }),
      aUnit({ id: 'b', type: 'enforcement', status: 'en_route' }),
      aUnit({ id: 'c', type: 'enforcement', status: 'dispatched' }),
      aUnit({ id: 'd', type: 'enforcement', status: 'on_scene' }),
      aUnit({ id: 'e', type: 'enforcement', status: 'offline' }),
      aUnit({ id: 'f', type: 'enforcement', status: 'off_duty' }),
      aUnit({ id: 'g', type: 'drone', status: 'off_duty' }),
    ]);
    expect(rows).toEqual([
      { type: 'enforcement', onDuty: 4, counts: { available: 0, moving: 2, on_scene: 1, offline: 1 } },
      { type: 'vehicle', onDuty: 1, counts: { available: 1, moving: 0, on_scene: 0, offline: 0 } },
    ]);
  });
});
