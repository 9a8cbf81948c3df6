import { describe, expect, it } from 'vitest';
import { CaseBrief, caseBrief, isCaseBrief, screenCase } from './case-brief.ts';
import type { Case } from './entities.ts';
import { caseFinishedAt, caseFinishedBefore } from './screen-view.ts';

const T = Date.UTC(2016, 8, 15, 6, 0, 0);
const actor = { role: 'dispatcher', id: 'D-1' } as const;
const closed: Case = {
  id: 'C-1',
  category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
  source: 'patrol',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '中山路 1 号',
  district: '350203',
  grid: '350203001001001',
  description: '路边堆放的垃圾，约两立方米',
  status: 'closed',
  reportedAt: T,
  deadline: T + 4 * 3_600_000,
  filedAt: T + 60_000,
  dispatchedAt: T + 120_000,
  handledAt: T + 3_600_000,
  closedAt: T + 7_200_000,
  taskId: 'K-1',
  squadId: 'SQ-1',
  supervised: true,
  supervisedAt: T + 600_000,
  extensions: 1,
  returns: 2,
  reworks: 1,
  history: [
    { to: 'reported', at: T, actor: { role: 'upstream', id: '12345' } },
    { to: 'filed', at: T + 60_000, actor, action: 'file' },
    { to: 'dispatched', at: T + 120_000, actor, action: 'dispatch', reason: '就近派遣' },
    { to: 'closed', at: T + 7_200_000, actor, action: 'close' },
  ],
  photos: [{ id: 'P-1', role: 'after', at: T + 3_600_000 }],
  version: 9,
};
const rejected: Case = {
  ...closed,
  id: 'C-2',
  status: 'rejected',
  closedAt: undefined,
  history: [
    { to: 'reported', at: T, actor: { role: 'upstream', id: '12345' } },
    { to: 'rejected', at: T + 300_000, actor, action: 'reject', reason: '重复上报' },
  ],
};

describe('caseBrief', () => {
  it('keeps every field the screen draws and leaves out the steps, photos, description, dispatch and handling', () => {
    const b = caseBrief(closed);
    const { history: _h, photos: _p, description: _d, dispatchedAt: _s, handledAt: _a, ...drawn } = closed;
    expect(b).toEqual({ ...drawn, history: [], steps: 4 }); // closedAt says when it finished
    for (const left of ['photos', 'description', 'dispatchedAt', 'handledAt'])
      expect(Object.keys(b)).not.toContain(left);
    expect(caseFinishedAt(b)).toBe(caseFinishedAt(closed));
    expect(CaseBrief.parse(b)).toEqual(b);
    expect(JSON.stringify(b).length).toBeLessThan(JSON.stringify(closed).length / 1.5);
    expect(closed.history).toHaveLength(4); // the case itself is not changed
  });

  it('keeps when and why a rejected case finished: the screen horizon judges the brief as the whole case', () => {
    const b = caseBrief(rejected);
    expect(b.history).toEqual([rejected.history[1]]);
    expect(caseFinishedAt(b)).toBe(caseFinishedAt(rejected));
    for (const before of [T, T + 300_000, T + 300_001, T + 7_200_001])
      expect(caseFinishedBefore(b, before)).toBe(caseFinishedBefore(rejected, before));
  });

  it('screenCase: an open case whole, a finished one as its brief', () => {
    const open: Case = { ...closed, id: 'C-3', status: 'dispatched', closedAt: undefined };
    expect(screenCase(open)).toBe(open);
    expect(isCaseBrief(screenCase(open))).toBe(false);
    expect(screenCase(closed)).toEqual(caseBrief(closed));
    expect(isCaseBrief(screenCase(closed))).toBe(true);
    expect(isCaseBrief(screenCase(rejected))).toBe(true);
  });

  it('the schema refuses a brief that carries more than its last step', () => {
    expect(CaseBrief.safeParse({ ...caseBrief(rejected), history: rejected.history }).success).toBe(false);
    expect(CaseBrief.safeParse({ ...caseBrief(closed), steps: -1 }).success).toBe(false);
  });
});
