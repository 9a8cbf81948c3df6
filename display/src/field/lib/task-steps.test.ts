import { describe, expect, it } from 'vitest';
import { emptyOutbox, enqueue } from '../outbox/queue.ts';
import { effectiveStatus, hasPendingStep, nextSteps } from './task-steps.ts';

describe(effectiveStatus.name, () => {
  it('is the hub’s status, moved on by the steps waiting in the outbox for that task only', () => {
    let box = emptyOutbox();
    const task = { id: 'T-1', status: 'dispatched' as const };
    expect(effectiveStatus(task, box)).toBe('dispatched');
    box = enqueue(box, { key: 'a', name: 'task:progress', body: { taskId: 'T-1', status: 'accepted' } }, 0);
    box = enqueue(box, { key: 'b', name: 'task:progress', body: { taskId: 'T-2', status: 'declined' } }, 0);
    box = enqueue(box, { key: 'c', name: 'task:progress', body: { taskId: 'T-1', status: 'en_route' } }, 0);
    expect(effectiveStatus(task, box)).toBe('en_route');
    expect(hasPendingStep('T-1', box)).toBe(true);
    expect(hasPendingStep('T-3', box)).toBe(false);
  });
});

describe(nextSteps.name, () => {
  it('offers accept or decline, then each step of the way, and nothing once the task has ended', () => {
    expect(nextSteps('dispatched')).toEqual(['accepted', 'declined']);
    expect(nextSteps('accepted')).toEqual(['en_route']);
    expect(nextSteps('en_route')).toEqual(['on_scene']);
    expect(nextSteps('on_scene')).toEqual(['done']);
    for (const s of ['done', 'declined', 'recalled', 'timed_out'] as const) expect(nextSteps(s)).toEqual([]);
  });
});
