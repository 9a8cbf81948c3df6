import { describe, expect, it } from 'vitest';
import type { SquadCandidate, UnitCandidate } from '@egret/protocol';
import { unitsToTry } from './units-to-try.ts';

const unit = (unitId: string, status: UnitCandidate['status'], score: number | null): UnitCandidate => ({
  unitId,
  squadId: unitId.slice(0, 4),
  type: 'enforcement',
  status,
  etaMs: score,
  distanceM: score,
  score,
  reasons: [],
});
const squad = (squadId: string, units: UnitCandidate[]): SquadCandidate => ({
  squadId,
  district: '350203',
  status: units[0]!.status,
  etaMs: units[0]!.etaMs,
  distanceM: units[0]!.distanceM,
  score: units[0]!.score,
  reasons: [],
  units,
});

describe(unitsToTry.name, () => {
  const ranked = [
    squad('SQ-A', [
      unit('SQ-A-1', 'available', 100),
      unit('SQ-A-2', 'available', 400),
      unit('SQ-A-3', 'unavailable', null),
    ]),
    squad('SQ-B', [unit('SQ-B-1', 'available', 200), unit('SQ-B-2', 'unreachable', null)]),
    squad('SQ-C', [unit('SQ-C-1', 'unavailable', null)]),
  ];

  it('offers the case to available units by the hub’s score, across squads', () => {
    expect(unitsToTry(ranked, new Set())).toEqual(['SQ-A-1', 'SQ-B-1', 'SQ-A-2']);
  });

  it('never offers the case to a squad the jurisdiction rule holds back, however near', () => {
    const near = { ...squad('SQ-N', [unit('SQ-N-1', 'available', 10)]), held: { until: 123 } };
    const far = { ...squad('SQ-F', [unit('SQ-F-1', 'available', 5)]), held: { until: null } };
    expect(unitsToTry([near, ...ranked, far], new Set())).toEqual(['SQ-A-1', 'SQ-B-1', 'SQ-A-2']);
    expect(unitsToTry([near, far], new Set())).toEqual([]);
  });

  it('skips units that turned the case down, and stops at the limit', () => {
    expect(unitsToTry(ranked, new Set(['SQ-A-1']))).toEqual(['SQ-B-1', 'SQ-A-2']);
    expect(unitsToTry(ranked, new Set(), 1)).toEqual(['SQ-A-1']);
    expect(unitsToTry([], new Set())).toEqual([]);
  });
});
