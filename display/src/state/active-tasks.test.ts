import { describe, expect, it } from 'vitest';
import type { Task } from '@egret/protocol';
import { aCase, aUnit, T0 } from '../../test/fixtures.ts';
import { activeTasks, clockCountdown } from './active-tasks.ts';

function aTask(id: string, caseId: string, status: Task['status'] = 'en_route'): Task {
  return {
    id,
    caseId,
    unitId: 'U1',
    squadId: 'SQ-350203-01',
    status,
    createdAt: T0,
    updatedAt: T0,
    actor: { role: 'dispatcher', id: 'd1' },
    version: 0,
  };
}

describe(activeTasks.name, () => {
  const H = 3_600_000;
  const cases = new Map([
    ['soon', aCase({ id: 'soon', deadline: T0 + H })],
    ['late', aCase({ id: 'late', deadline: T0 - H })],
    ['later', aCase({ id: 'later', deadline: T0 + 5 * H })],
    ['none', aCase({ id: 'none' })],
  ]);
  const units = new Map([['U1', aUnit()]]);
  const tasks = [
    aTask('t1', 'later'),
    aTask('t2', 'none'),
    aTask('t3', 'late', 'on_scene'),
    aTask('t4', 'soon'),
    aTask('t5', 'soon', 'done'),
  ];

  it('lists active tasks with the nearest deadline first and those without one last', () => {
    const rows = activeTasks(tasks, cases, units, 10);
    expect(rows.map((r) => r.task.id)).toEqual(['t3', 't4', 't1', 't2']);
    expect(rows[0]!.unit?.name).toBe(aUnit().name);
    expect(rows[0]!.deadline).toBe(T0 - H);
  });

  it('keeps only the most pressing when there are more than fit', () => {
    expect(activeTasks(tasks, cases, units, 2).map((r) => r.task.id)).toEqual(['t3', 't4']);
  });
});

describe(clockCountdown.name, () => {
  it('counts down in minutes and seconds, with hours when there are any', () => {
    expect(clockCountdown(T0 + 5 * 60_000 + 9_000, T0)).toEqual({ text: '05:09', overdue: false });
    expect(clockCountdown(T0 + 3_909_000, T0)).toEqual({ text: '1:05:09', overdue: false });
  });

  it('turns negative and overdue once the deadline has passed, not at the deadline itself', () => {
    expect(clockCountdown(T0, T0)).toEqual({ text: '00:00', overdue: false });
    expect(clockCountdown(T0 - 309_000, T0)).toEqual({ text: '-05:09', overdue: true });
  });
});
