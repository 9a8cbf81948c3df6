import { describe, expect, it } from 'vitest';
import type { KpiFigures } from '@egret/protocol';
import { headAndTail, ON_TIME_TARGET, rankSlices } from './ranking.ts';

function figures(f: Partial<KpiFigures>): KpiFigures {
  return {
    reported: 0,
    filed: 10,
    dispatched: 0,
    inProgress: 0,
    parked: 0,
    closed: 0,
    closedOnTime: 0,
    onTimeOpen: 0,
    overdueOpen: 0,
    due: 0,
    reworked: 0,
    returned: 0,
    supervised: 0,
    supervisedOpen: 0,
    closureRate: null,
    onTimeClosureRate: null,
    reworkRate: null,
    accurateDispatchRate: null,
    avgHandlingMs: null,
    score: null,
    tasks: 0,
    crossDistrictTasks: 0,
    crossDistrictRate: null,
    ...f,
  };
}

const slices = {
  '350203': figures({ onTimeClosureRate: 0.95, closed: 40, overdueOpen: 0 }),
  '350205': figures({ onTimeClosureRate: 0.8, closed: 55, overdueOpen: 3 }),
  '350206': figures({ onTimeClosureRate: null, closed: 0, overdueOpen: 0 }),
  '350211': figures({ onTimeClosureRate: 0.95, closed: 30, overdueOpen: 1 }),
  '350212': figures({ filed: 0 }),
};

describe(rankSlices.name, () => {
  it('ranks by 按期结案率, best first, breaking ties on fewer overdue, and puts "nothing due yet" last', () => {
    const rows = rankSlices(slices, 'onTimeRate');
    expect(rows.map((r) => [r.rank, r.key])).toEqual([
      [1, '350203'],
      [2, '350211'],
      [3, '350205'],
      [4, '350206'],
    ]);
  });

  it('ranks by cases closed, or by fewest overdue, when the mode asks', () => {
    expect(rankSlices(slices, 'closed').map((r) => r.key)).toEqual(['350205', '350203', '350211', '350206']);
    expect(rankSlices(slices, 'overdue').map((r) => r.key)).toEqual(['350203', '350206', '350211', '350205']);
  });

  it('leaves out slices with nothing filed: they have nothing to be judged on', () => {
    expect(rankSlices(slices, 'onTimeRate').map((r) => r.key)).not.toContain('350212');
  });

  it('flags slices with overdue cases or an on-time rate under the target', () => {
    const flagged = Object.fromEntries(rankSlices(slices, 'onTimeRate').map((r) => [r.key, r.flagged]));
    expect(flagged).toEqual({ '350203': false, '350211': true, '350205': true, '350206': false });
    expect(ON_TIME_TARGET).toBeGreaterThan(0.8);
  });

  it('gives equal figures the same rank', () => {
    const rows = rankSlices(
      {
        a: figures({ onTimeClosureRate: 1, closed: 5 }),
        b: figures({ onTimeClosureRate: 1, closed: 5 }),
        c: figures({ onTimeClosureRate: 0.5 }),
      },
      'onTimeRate',
    );
    expect(rows.map((r) => r.rank)).toEqual([1, 1, 3]);
  });
});

describe(headAndTail.name, () => {
  const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9];

  it('keeps a short table whole', () => {
    expect(headAndTail(rows, 9)).toEqual({ rows, gapAfter: null });
  });

  it('keeps the top and the bottom of a long one, so the worst are never cut off', () => {
    expect(headAndTail(rows, 5)).toEqual({ rows: [1, 2, 3, 8, 9], gapAfter: 2 });
    expect(headAndTail(rows, 1)).toEqual({ rows: [1], gapAfter: 0 });
  });
});
