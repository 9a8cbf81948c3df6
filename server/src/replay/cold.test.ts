import { describe, expect, it } from 'vitest';
import { applyEvent, applyKpiEvent, createKpiAccumulator, emptyWorld, type Case, type LogEvent } from '@egret/protocol';
import { ColdIndex, takeColdDelta } from './cold.ts';
import { takeReplaySnapshot } from './replay-snapshot.ts';

const T = 1_782_864_000_000;
const aCase = (id: string, status: Case['status'], version: number): Case => ({
  id,
  category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树' },
  source: 'hotline',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '思明南路',
  district: '350203',
  status,
  reportedAt: T,
  supervised: false,
  history: [{ to: 'reported', at: T, actor: { role: 'upstream', id: 'x' } }],
  version,
});
const reported = (seq: number, c: Case): LogEvent => ({ seq, at: T + seq, type: 'case.reported', case: c });
const moved = (seq: number, c: Case, from: Case['status']): LogEvent => ({
  seq,
  at: T + seq,
  type: 'case.transitioned',
  from,
  to: c.status,
  actor: { role: 'system', id: 'x' },
  case: c,
});

describe(takeColdDelta.name, () => {
  it('splits off final cases once, leaves them out of the hot snapshot, and the index gives them back by seq', () => {
    const world = emptyWorld();
    const kpi = createKpiAccumulator();
    const cold = new Set<string>();
    const index = new ColdIndex();
    const apply = (e: LogEvent) => {
      applyEvent(world, e);
      applyKpiEvent(kpi, e);
    };
    apply(reported(1, aCase('A', 'reported', 1)));
    apply(reported(2, aCase('B', 'reported', 1)));
    apply(moved(3, aCase('A', 'rejected', 2), 'reported'));
    const first = takeColdDelta(world, kpi, cold);
    index.add(3, first);
    const hot = takeReplaySnapshot(world, kpi, cold);
    expect(hot.world.cases.map((c) => c.id)).toEqual(['B']);
    expect(hot.kpi.cases.map(([id]) => id)).toEqual(['B']);
    expect(JSON.parse(index.at('cases', 'A', 3)!)).toEqual(aCase('A', 'rejected', 2));
    expect(index.at('kpi', 'A', 3)).toBeDefined();
    expect(index.at('cases', 'A', 2)).toBeUndefined(); // not cold under an earlier snapshot
    expect(takeColdDelta(world, kpi, cold)).toBe(''); // written once

    // A final case written again (touched after it became final): the later delta wins under later snapshots.
    cold.delete('c:A');
    world.cases.set('A', { ...aCase('A', 'rejected', 3), supervised: true });
    index.add(9, takeColdDelta(world, kpi, cold));
    const seen: Array<[string, boolean]> = [];
    index.each('cases', 9, (id, json) => seen.push([id, (JSON.parse(json) as Case).supervised]));
    expect(seen).toEqual([['A', true]]);
    const before: Array<[string, boolean]> = [];
    index.each('cases', 5, (id, json) => before.push([id, (JSON.parse(json) as Case).supervised]));
    expect(before).toEqual([['A', false]]);
  });
});
