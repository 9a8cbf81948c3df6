/**
 * What the squad member can do next on a task, from its status as the phone knows it: the hub's status, or the
 * last step waiting in the outbox (so a person offline can go on: accept, set off, arrive, handle — all queued).
 */
import type { FieldTaskStep, TaskStatus } from '@egret/protocol';
import type { Outbox } from '../outbox/queue.ts';

/** The task's status counting the steps still in the outbox. */
export function effectiveStatus(task: { id: string; status: TaskStatus }, box: Outbox): TaskStatus {
  let status = task.status;
  for (const item of box.items)
    if (item.name === 'task:progress' && item.body.taskId === task.id) status = item.body.status as TaskStatus;
  return status;
}

/** Whether a step of this task is waiting in the outbox. */
export function hasPendingStep(taskId: string, box: Outbox): boolean {
  return box.items.some((i) => i.name === 'task:progress' && i.body.taskId === taskId);
}

/** The steps offered from a status, in the order of the buttons. */
export function nextSteps(status: TaskStatus): FieldTaskStep[] {
  switch (status) {
    case 'dispatched':
      return ['accepted', 'declined'];
    case 'accepted':
      return ['en_route'];
    case 'en_route':
      return ['on_scene'];
    case 'on_scene':
      return ['done'];
    default:
      return [];
  }
}
