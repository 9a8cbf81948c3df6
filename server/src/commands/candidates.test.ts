import { describe, expect, it } from 'vitest';
import type { Unit } from '@egret/protocol';
import { parseStoredPosition, squadDuties, withPositions } from './candidates.ts';

const unit = (id: string, squadId: string, district: string): Unit => ({
  id,
  name: id,
  type: 'enforcement',
  squadId,
  district,
  status: 'available',
  slot: 0,
  version: 0,
});

describe(squadDuties.name, () => {
  it('gives each squad the district most of its units belong to, the smaller code on a tie', () => {
    const duties = squadDuties([
      unit('a', 'SQ-1', '350206'),
      unit('b', 'SQ-1', '350203'),
      unit('c', 'SQ-1', '350206'),
      unit('d', 'SQ-2', '350211'),
      unit('e', 'SQ-2', '350205'),
    ]);
    expect(duties).toEqual([
      { id: 'SQ-1', district: '350206' },
      { id: 'SQ-2', district: '350205' },
    ]);
  });
});

describe(parseStoredPosition.name, () => {
  it('reads lon,lat,at and ignores what it cannot read', () => {
    expect(parseStoredPosition('118.1,24.5,1782871200000')).toEqual([118.1, 24.5]);
    expect(parseStoredPosition(null)).toBeUndefined();
    expect(parseStoredPosition('x,y,z')).toBeUndefined();
  });

  it('puts the latest fix on each unit and keeps the log’s last position where there is none', () => {
    const kept = { ...unit('b', 'SQ', '350203'), position: [118.0, 24.4] as [number, number] };
    expect(withPositions([unit('a', 'SQ', '350203'), kept], ['118.1,24.5,1', null]).map((u) => u.position)).toEqual([
      [118.1, 24.5],
      [118.0, 24.4],
    ]);
  });
});
