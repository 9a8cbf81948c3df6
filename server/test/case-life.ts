import type { Actor, Case, LogEvent, Task } from '@egret/protocol';

const HOUR = 3_600_000;

/** A log event before the log numbers it. */
export type DraftEvent = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq'> : never) : never;

/** How far a case's life goes in {@link caseLife}. */
export type CaseEnd = 'rejected' | 'under way' | 'declined' | 'closed';

/**
 * One case's life as the hub logs it, from its report at `at` (the case as given, status `reported`): rejected a
 * minute later; or dispatched after 5 minutes to unit U1 of squad S1 (task `taskId`) and then left under way, its
 * task declined after 10 minutes, or its task done after an hour and the case closed after two. Each step carries
 * the whole entity with its history grown by one, as the hub's events do. The replay tests build their histories
 * from it.
 */
export function caseLife(c: Case, at: number, actor: Actor, taskId: string, end: CaseEnd): DraftEvent[] {
  const out: DraftEvent[] = [{ at, type: 'case.reported', case: c }];
  if (end === 'rejected') {
    const rejected: Case = {
      ...c,
      status: 'rejected',
      history: [...c.history, { to: 'rejected', at: at + 60_000, actor, action: 'reject', reason: '重复上报' }],
      version: 2,
    };
    out.push({ at: at + 60_000, type: 'case.transitioned', from: 'reported', to: 'rejected', actor, case: rejected });
    return out;
  }
  const task: Task = {
    id: taskId,
    caseId: c.id,
    unitId: 'U1',
    squadId: 'S1',
    status: 'dispatched',
    createdAt: at + 300_000,
    updatedAt: at + 300_000,
    actor,
    version: 1,
  };
  const dispatched: Case = {
    ...c,
    status: 'dispatched',
    taskId: task.id,
    history: [...c.history, { to: 'dispatched', at: at + 300_000, actor, action: 'dispatch' }],
    version: 2,
  };
  out.push({
    at: at + 300_000,
    type: 'case.transitioned',
    from: 'reported',
    to: 'dispatched',
    actor,
    case: dispatched,
  });
  out.push({ at: at + 300_000, type: 'task.created', actor, task });
  if (end === 'under way') return out;
  if (end === 'declined') {
    const declined = { ...task, status: 'declined' as const, updatedAt: at + 600_000, version: 2 };
    out.push({ at: at + 600_000, type: 'task.updated', from: 'dispatched', to: 'declined', actor, task: declined });
    return out;
  }
  const done = { ...task, status: 'done' as const, updatedAt: at + HOUR, version: 2 };
  out.push({ at: at + HOUR, type: 'task.updated', from: 'dispatched', to: 'done', actor, task: done });
  const closed: Case = {
    ...dispatched,
    status: 'closed',
    closedAt: at + 2 * HOUR,
    history: [...dispatched.history, { to: 'closed', at: at + 2 * HOUR, actor, action: 'close' }],
    version: 3,
  };
  out.push({ at: at + 2 * HOUR, type: 'case.transitioned', from: 'dispatched', to: 'closed', actor, case: closed });
  return out;
}

/** Drafts in time order (stable for equal times), numbered from 1 as the log numbers them. */
export function numbered(drafts: DraftEvent[]): LogEvent[] {
  return drafts.sort((a, b) => a.at - b.at).map((e, i) => ({ ...e, seq: i + 1 }) as LogEvent);
}
