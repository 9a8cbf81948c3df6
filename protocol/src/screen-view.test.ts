import { describe, expect, it } from 'vitest';
import type { Case, Task } from './entities.ts';
import { screenSnapshot, SCREEN_KEEPS_FINISHED_MS } from './screen-view.ts';
import { emptyWorld } from './state.ts';

const H = 3_600_000;
const T = Date.UTC(2026, 6, 3, 0, 0, 0);
const kase = (id: string, over: Partial<Case> = {}): Case => ({
  id,
  category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
  source: 'patrol',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '中山路',
  district: '350203',
  status: 'filed',
  reportedAt: T - 60 * H,
  supervised: false,
  history: [{ to: 'reported', at: T - 60 * H, actor: { role: 'upstream', id: 'u' } }],
  version: 0,
  ...over,
});
const task = (id: string, caseId: string, over: Partial<Task> = {}): Task => ({
  id,
  caseId,
  unitId: 'U-1',
  squadId: 'SQ-1',
  status: 'done',
  createdAt: T - 59 * H,
  updatedAt: T - 58 * H,
  actor: { role: 'dispatcher', id: 'd' },
  version: 0,
  ...over,
});

describe(screenSnapshot.name, () => {
  it('leaves out what finished more than a day and a half before the world’s latest event, and keeps the rest', () => {
    const w = emptyWorld();
    w.at = T;
    for (const c of [
      kase('old-closed', { status: 'closed', closedAt: T - SCREEN_KEEPS_FINISHED_MS - H }),
      kase('new-closed', { status: 'closed', closedAt: T - H }),
      kase('old-open', { status: 'dispatched', taskId: 'T-2' }),
    ])
      w.cases.set(c.id, c);
    for (const t of [
      task('T-1', 'old-closed'),
      task('T-2', 'old-open', { status: 'on_scene' }),
      task('T-3', 'old-open', { status: 'declined' }),
    ]) {
      w.tasks.set(t.id, t);
    }
    const s = screenSnapshot(w);
    expect(s.cases.map((c) => c.id)).toEqual(['new-closed', 'old-open']);
    expect(s.tasks.map((t) => t.id)).toEqual(['T-2']);
    expect(w.cases.size).toBe(3); // the world itself is untouched
  });
});
