import { describe, expect, it } from 'vitest';
import { emptyWorld, type Case, type Task } from '@egret/protocol';
import { HourlyPrune, pruneFinished } from './prune.ts';

const H = 3_600_000;
const T = Date.UTC(2026, 6, 2, 0, 0, 0);
const kase = (id: string, over: Partial<Case>): Case => ({
  id,
  category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
  source: 'patrol',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '中山路',
  district: '350203',
  status: 'filed',
  reportedAt: T - 50 * H,
  supervised: false,
  history: [{ to: 'reported', at: T - 50 * H, actor: { role: 'upstream', id: 'u' } }],
  version: 0,
  ...over,
});
const task = (id: string, caseId: string, over: Partial<Task>): Task => ({
  id,
  caseId,
  unitId: 'U-1',
  squadId: 'SQ-1',
  status: 'done',
  createdAt: T - 49 * H,
  updatedAt: T - 48 * H,
  actor: { role: 'dispatcher', id: 'd' },
  version: 0,
  ...over,
});

describe(pruneFinished.name, () => {
  it('drops cases closed or rejected before the cut and their finished tasks, and keeps everything else', () => {
    const w = emptyWorld();
    const entries: Case[] = [
      kase('closed-old', { status: 'closed', closedAt: T - 40 * H }),
      kase('rejected-old', {
        status: 'rejected',
        history: [{ to: 'rejected', at: T - 45 * H, actor: { role: 'upstream', id: 'u' } }],
      }),
      kase('closed-recent', { status: 'closed', closedAt: T - 2 * H }),
      kase('open-old', { status: 'dispatched', taskId: 'T-open' }),
      kase('parked-old', { status: 'parked' }),
    ];
    for (const c of entries) w.cases.set(c.id, c);
    for (const t of [
      task('T-closed', 'closed-old', {}),
      task('T-open', 'open-old', { status: 'en_route' }),
      task('T-declined', 'open-old', { status: 'declined' }),
      task('T-recent', 'closed-recent', { updatedAt: T - 3 * H }),
    ])
      w.tasks.set(t.id, t);

    expect(pruneFinished(w, T - 24 * H)).toBe(4);
    expect([...w.cases.keys()]).toEqual(['closed-recent', 'open-old', 'parked-old']);
    expect([...w.tasks.keys()]).toEqual(['T-open', 'T-recent']);
  });
});

describe(HourlyPrune.name, () => {
  it('prunes at most once a world hour, and again at once after a reset (a new world)', () => {
    const w = emptyWorld();
    const p = new HourlyPrune();
    w.at = T;
    w.cases.set('OLD', kase('OLD', { status: 'closed', closedAt: T - 40 * H }));
    p.run(w);
    expect(p.dropped).toBe(1);
    // Finished 36 h before the world's time a minute later: due, but the hour since the last pruning is not over.
    w.cases.set('EDGE', kase('EDGE', { status: 'closed', closedAt: T - 36 * H }));
    w.at = T + 60_000;
    p.run(w);
    expect(w.cases.has('EDGE')).toBe(true);
    w.at = T + H;
    p.run(w);
    expect(w.cases.has('EDGE')).toBe(false);
    expect(p.dropped).toBe(2);
    w.cases.set('AGAIN', kase('AGAIN', { status: 'rejected', closedAt: T - 40 * H }));
    p.reset();
    p.run(w);
    expect(p.dropped).toBe(3);
  });
});
