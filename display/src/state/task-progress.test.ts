import { describe, expect, it } from 'vitest';
import type { Case, Task } from '@egret/protocol';
import { aCase, T0 } from '../../test/fixtures.ts';
import { caseTask, reachedStep, taskProgress } from './task-progress.ts';

const M = 60_000;

function aTask(o: Partial<Task> = {}): Task {
  return {
    id: 'T1',
    caseId: 'C1',
    unitId: 'U1',
    squadId: 'S1',
    status: 'dispatched',
    createdAt: T0,
    updatedAt: T0,
    actor: { role: 'commander', id: 'c' },
    version: 0,
    ...o,
  };
}

function dispatched(o: Partial<Case> = {}): Case {
  return aCase({
    status: 'dispatched',
    taskId: 'T1',
    history: [
      { to: 'reported', at: T0 - 10 * M, actor: { role: 'upstream', id: 'gw' } },
      { to: 'dispatched', at: T0, actor: { role: 'commander', id: 'c' }, action: 'dispatch' },
    ],
    ...o,
  });
}

const states = (c: Case, t?: Task) => taskProgress(c, t).map((p) => `${p.step}:${p.state}`);

describe(taskProgress.name, () => {
  it('shows nothing reached before a dispatch', () => {
    expect(taskProgress(aCase({ status: 'filed' }), undefined).every((p) => p.state === 'todo')).toBe(true);
  });

  it('marks the field milestone the task is at as current, with the time it got there', () => {
    const items = taskProgress(dispatched(), aTask({ status: 'en_route', updatedAt: T0 + 3 * M }));
    expect(items.map((p) => p.state)).toEqual(['done', 'done', 'current', 'todo', 'todo', 'todo', 'todo']);
    expect(items[0]).toMatchObject({ step: 'dispatched', at: T0 });
    expect(items[2]).toMatchObject({ step: 'en_route', at: T0 + 3 * M });
  });

  it('follows the case after the field: handled is done, then verifying, then closed', () => {
    const t = aTask({ status: 'done' });
    expect(states(dispatched({ status: 'handled', handledAt: T0 + 20 * M }), t)).toContain('done:current');
    expect(states(dispatched({ status: 'verifying' }), t)).toContain('verifying:current');
    expect(
      taskProgress(dispatched({ status: 'closed', closedAt: T0 + 40 * M }), t).every((p) => p.state === 'done'),
    ).toBe(true);
  });

  it('starts again after a return (the case is filed, waiting for a new dispatch)', () => {
    expect(reachedStep({ status: 'filed' }, aTask({ status: 'recalled' }))).toBe(-1);
  });
});

describe(caseTask.name, () => {
  it('finds the case’s current task, or the latest one once the case no longer names one', () => {
    const old = aTask({ id: 'T1', status: 'recalled', createdAt: T0 });
    const last = aTask({ id: 'T2', status: 'done', createdAt: T0 + M });
    const other = aTask({ id: 'T3', caseId: 'C9', createdAt: T0 + 2 * M });
    const tasks = new Map([old, last, other].map((t) => [t.id, t]));
    expect(caseTask({ id: 'C1', taskId: 'T1' }, tasks)).toBe(old);
    expect(caseTask({ id: 'C1' }, tasks)).toBe(last);
    expect(caseTask({ id: 'C5' }, tasks)).toBeUndefined();
  });
});
