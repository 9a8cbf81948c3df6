import {
  dispatchRefusal,
  isUnitBusy,
  taskHoldsCase,
  taskTransitionRefusal,
  transitionCase,
  unitRefusal,
  type Actor,
  type Case,
  type CaseStatus,
  type Result,
  type Task,
  type TaskStatus,
  type Unit,
  type UnitStatus,
} from '@egret/protocol';
import type { ChangeSet } from './change-set.ts';

/**
 * The steps of the closed loop that touch more than one entity — a case, its task and the unit on it — shared by
 * the commander's commands and the field's task updates. Each step stages its writes and log events on a
 * `ChangeSet` (pure: the caller commits the set atomically, or drops it when a later step refuses) and answers a
 * tagged Result. Whatever ends a task also frees its unit and, when the task held the case, moves the case on:
 * done → handled (处理反馈); recalled, declined or timed out → back to filed (退回), with the reason.
 * Which statuses count as held, active or busy, and why a dispatch or a task update is refused, is the protocol's
 * (workflow.ts), shared with the console and the simulator.
 */

export interface StepContext {
  actor: Actor;
  /** World time of the change. */
  at: number;
}

/** The protocol's `taskHoldsCase`, under the name apply-input.ts still imports it by. */
export const holds = taskHoldsCase;

/** Moves a case one step (`transitionCase`) and logs `case.transitioned`. */
export function moveCase(
  ch: ChangeSet,
  c: Case,
  to: CaseStatus,
  ctx: StepContext & { reason?: string | undefined; deadlineMs?: number; squadId?: string; taskId?: string },
): Result<Case> {
  const reason = ctx.reason?.trim() || undefined;
  const r = transitionCase(c, to, {
    actor: ctx.actor,
    at: ctx.at,
    ...(reason !== undefined ? { reason } : {}),
    ...(ctx.deadlineMs !== undefined ? { deadlineMs: ctx.deadlineMs } : {}),
    ...(ctx.squadId !== undefined ? { squadId: ctx.squadId } : {}),
    ...(ctx.taskId !== undefined ? { taskId: ctx.taskId } : {}),
  });
  if (!r.ok) return r;
  ch.put('case', c, r.data);
  ch.log({
    type: 'case.transitioned',
    at: ctx.at,
    from: c.status,
    to,
    actor: ctx.actor,
    ...(reason !== undefined ? { reason } : {}),
    case: r.data,
  });
  return r;
}

export interface Dispatched {
  case: Case;
  task: Task;
  unit: Unit;
}

/**
 * 派遣: a new task `taskId` for unit `u` on filed case `c`; the case and the unit become dispatched. Logs
 * `task.created`, `case.transitioned`, `unit.status_changed`. `unitTask` is the task the unit is on, if any (named
 * in the refusal). The unit is checked before the case, so two dispatches of one unit always end in `unit_busy`.
 */
export function dispatchCase(
  ch: ChangeSet,
  c: Case,
  u: Unit,
  unitTask: Task | undefined,
  ctx: StepContext & { taskId: string; note?: string | undefined },
): Result<Dispatched> {
  const refusal = unitRefusal(u, unitTask) ?? dispatchRefusal(c);
  if (refusal) return refusal;
  const note = ctx.note?.trim() || undefined;
  const task: Task = {
    id: ctx.taskId,
    caseId: c.id,
    unitId: u.id,
    squadId: u.squadId,
    status: 'dispatched',
    createdAt: ctx.at,
    updatedAt: ctx.at,
    actor: ctx.actor,
    ...(note !== undefined ? { note } : {}),
    version: 0,
  };
  ch.put('task', undefined, task);
  ch.log({ type: 'task.created', at: ctx.at, actor: ctx.actor, task });
  const moved = moveCase(ch, c, 'dispatched', { ...ctx, reason: note, squadId: u.squadId, taskId: task.id });
  if (!moved.ok) return moved;
  const unit: Unit = { ...u, status: 'dispatched', taskId: task.id, version: u.version + 1 };
  ch.put('unit', u, unit);
  ch.log({ type: 'unit.status_changed', at: ctx.at, from: u.status, to: 'dispatched', unit });
  return { ok: true, data: { case: moved.data, task, unit } };
}

/** Moves a task to another status and logs `task.updated`; refuses a task that has already ended. */
export function updateTask(
  ch: ChangeSet,
  t: Task,
  to: TaskStatus,
  ctx: StepContext & { reason?: string | undefined },
): Result<Task> {
  const refusal = taskTransitionRefusal(t, to);
  if (refusal) return refusal;
  const reason = ctx.reason?.trim() || undefined;
  const task: Task = {
    ...t,
    status: to,
    updatedAt: ctx.at,
    actor: ctx.actor,
    ...(reason !== undefined ? { reason } : {}),
    version: t.version + 1,
  };
  ch.put('task', t, task);
  ch.log({ type: 'task.updated', at: ctx.at, from: t.status, to, actor: ctx.actor, task });
  return { ok: true, data: task };
}

/** Frees the unit of a task that ended: it leaves the task and, if it was busy on it, becomes available. */
export function releaseUnit(ch: ChangeSet, u: Unit | undefined, t: Task, ctx: StepContext): Unit | undefined {
  if (!u || u.taskId !== t.id) return u;
  const { taskId: _left, ...rest } = u;
  const status: UnitStatus = isUnitBusy(u) ? 'available' : u.status;
  const unit: Unit = { ...rest, status, version: u.version + 1 };
  ch.put('unit', u, unit);
  // Logged even when the status stays (an offline unit leaving its task): screens must see the task cleared.
  ch.log({ type: 'unit.status_changed', at: ctx.at, from: u.status, to: status, unit });
  return unit;
}

/** The unit on its way or on scene, as its task reports. */
function moveUnit(ch: ChangeSet, u: Unit | undefined, t: Task, to: UnitStatus, ctx: StepContext): void {
  if (!u || u.taskId !== t.id || u.status === to) return;
  const unit: Unit = { ...u, status: to, version: u.version + 1 };
  ch.put('unit', u, unit);
  ch.log({ type: 'unit.status_changed', at: ctx.at, from: u.status, to, unit });
}

export interface TaskParties {
  task: Task;
  /** The task's case and unit, as read. */
  case?: Case | undefined;
  unit?: Unit | undefined;
}

/**
 * Ends an active task that did not get done — recalled by a commander, declined or timed out in the field: the
 * task ends with the reason, the case it held goes back to filed (退回, counted as a return) and the unit is free.
 * Logs `task.updated`, `case.transitioned`, `unit.status_changed`.
 */
export function endTaskUndone(
  ch: ChangeSet,
  p: TaskParties,
  to: 'recalled' | 'declined' | 'timed_out',
  ctx: StepContext & { reason: string },
): Result<{ task: Task; case: Case | undefined; unit: Unit | undefined }> {
  const task = updateTask(ch, p.task, to, ctx);
  if (!task.ok) return task;
  let c = p.case;
  if (taskHoldsCase(p.task, p.case)) {
    const moved = moveCase(ch, p.case!, 'filed', ctx);
    if (!moved.ok) return moved;
    c = moved.data;
  }
  const unit = releaseUnit(ch, p.unit, p.task, ctx);
  return { ok: true, data: { task: task.data, case: c, unit } };
}

/**
 * The unit reports progress on its task. accepted → the case is in progress (处置; the unit stays dispatched);
 * en_route / on_scene → the unit too; done → the case is handled (处理反馈) and the unit free; declined or timed
 * out → the case goes back to filed with the reason (退回) and the unit is free. A finished task does not move,
 * and none goes back to dispatched.
 */
export function fieldUpdate(
  ch: ChangeSet,
  p: TaskParties,
  to: TaskStatus,
  ctx: StepContext & { reason?: string | undefined },
): Result<Task> {
  const t = p.task;
  const refusal = taskTransitionRefusal(t, to);
  if (refusal) return refusal;
  switch (to) {
    case 'dispatched':
      throw new Error('unreachable: taskTransitionRefusal refuses every move back to dispatched');
    case 'accepted':
    case 'en_route':
    case 'on_scene': {
      const task = updateTask(ch, t, to, ctx);
      if (!task.ok) return task;
      if (taskHoldsCase(t, p.case) && p.case!.status === 'dispatched') {
        const started = moveCase(ch, p.case!, 'in_progress', ctx);
        if (!started.ok) return started;
      }
      if (to !== 'accepted') moveUnit(ch, p.unit, t, to, ctx);
      return task;
    }
    case 'done': {
      const task = updateTask(ch, t, 'done', ctx);
      if (!task.ok) return task;
      if (taskHoldsCase(t, p.case)) {
        let c = p.case!;
        if (c.status === 'dispatched') {
          const started = moveCase(ch, c, 'in_progress', ctx);
          if (!started.ok) return started;
          c = started.data;
        }
        const handled = moveCase(ch, c, 'handled', ctx);
        if (!handled.ok) return handled;
      }
      releaseUnit(ch, p.unit, t, ctx);
      return task;
    }
    case 'declined':
    case 'timed_out':
    case 'recalled': {
      const reason =
        ctx.reason?.trim() ||
        `task ${t.id} ${to === 'timed_out' ? 'timed out' : to} by unit ${t.unitId}, no reason given`;
      const ended = endTaskUndone(ch, p, to, { ...ctx, reason });
      return ended.ok ? { ok: true, data: ended.data.task } : ended;
    }
  }
}
