import type { Actor, Case, CaseAction, CaseStatus, CaseStep, Task, TaskStatus, Unit, UnitStatus } from './entities.ts';
import { refuse, type Refusal, type Result } from './result.ts';

/*
 * The vocabulary of the loop, declared once for every package: the case loop's transition table and what each
 * step is called, which case, task and unit statuses count as open, held, active, finished or busy, and why a
 * dispatch or a task update is refused (the hub's error codes). The hub decides with these; the wall, the console,
 * the KPI fold, replay and the simulator read the same definitions.
 */

/**
 * The case loop as a pure state machine (domain.md, "The case loop"):
 * reported → accepted → filed (立案) → dispatched (派遣) → in_progress (处置) → handled (处理反馈) → verifying (核查)
 * → closed (结案). Side branches are transitions too:
 * - 不予立案: reported/accepted → rejected (reason required);
 * - 退回: dispatched/in_progress → filed, a squad hands the case back with a reason, and it is dispatched again;
 * - 挂账: filed/dispatched/in_progress → parked (reason required), resumed by parked → filed;
 * - 返工: verifying → filed, verification failed (reason required), and it is dispatched again.
 * A handled case is always verified before it is closed: closing straight from `handled` would skip 核查.
 * 延期 (`extendDeadline`) and 督办 (`superviseCase`) change no status.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  reported: ['accepted', 'rejected'],
  accepted: ['filed', 'rejected'],
  filed: ['dispatched', 'parked'],
  dispatched: ['in_progress', 'filed', 'parked'],
  in_progress: ['handled', 'filed', 'parked'],
  handled: ['verifying'],
  verifying: ['closed', 'filed'],
  parked: ['filed'],
  closed: [],
  rejected: [],
};

/** Statuses a case never leaves. */
export const TERMINAL_CASE_STATUSES: readonly CaseStatus[] = ['closed', 'rejected'];

/** Case statuses in which a squad holds the case (派遣 to 处理反馈): it has a task, and a unit on it. */
export const HELD_CASE_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['dispatched', 'in_progress']);

/** Whether a squad holds the case now (dispatched or in progress). */
export function isCaseHeld(c: Pick<Case, 'status'>): boolean {
  return HELD_CASE_STATUSES.has(c.status);
}

/** Whether the table allows `from → to`. */
export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** The named step a legal transition is (→ filed is a filing, a return, a rework or a resumption); undefined if illegal. */
export function transitionAction(from: CaseStatus, to: CaseStatus): CaseAction | undefined {
  return canTransition(from, to) ? loggedCaseAction(from, to) : undefined;
}

/**
 * The named step a *logged* transition is, whether or not today's table allows it: what folds of the log (the KPI
 * table, the replay summary) use, so that a log written under an older or looser table still counts its returns and
 * reworks. For every legal transition it is `transitionAction`. Otherwise a step is named by its target, and → filed
 * by where it came from: from handled or verifying a rework (返工), from a squad's hands a return (退回), from
 * parked a resumption, from anywhere else a filing. Undefined only for → reported.
 */
export function loggedCaseAction(from: CaseStatus, to: CaseStatus): CaseAction | undefined {
  switch (to) {
    case 'accepted':
      return 'accept';
    case 'rejected':
      return 'reject';
    case 'dispatched':
      return 'dispatch';
    case 'in_progress':
      return 'start';
    case 'handled':
      return 'handle';
    case 'verifying':
      return 'verify';
    case 'closed':
      return 'close';
    case 'parked':
      return 'park';
    case 'filed':
      if (from === 'verifying' || from === 'handled') return 'rework';
      if (HELD_CASE_STATUSES.has(from)) return 'return';
      if (from === 'parked') return 'resume';
      return 'file';
    case 'reported':
      return undefined;
  }
}

/** Whether a case is still in the loop: neither closed nor rejected. */
export function isCaseOpen(c: Pick<Case, 'status'>): boolean {
  return !TERMINAL_CASE_STATUSES.includes(c.status);
}

/**
 * Whether a case is past its deadline at `now` and still open. Parked (挂账) cases are not overdue: parking exists
 * for cases that cannot be solved within the normal time limit, and their clock does not count against anyone.
 * A case due exactly at `now` is not yet overdue.
 */
export function isCaseOverdue(c: Pick<Case, 'status' | 'deadline'>, now: number): boolean {
  return isCaseOpen(c) && c.status !== 'parked' && c.deadline !== undefined && now > c.deadline;
}

/**
 * Task statuses of a unit still working on its case (dispatched → accepted → en route → on scene). A case a squad
 * holds has exactly one active task.
 */
export const ACTIVE_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set<TaskStatus>([
  'dispatched',
  'accepted',
  'en_route',
  'on_scene',
]);
/** How a task can end: done, or undone (declined or timed out in the field, recalled by a commander). It never moves again. */
export const FINISHED_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set<TaskStatus>([
  'done',
  'declined',
  'timed_out',
  'recalled',
]);

/** Whether a unit is still working on the task. */
export function isTaskActive(t: Pick<Task, 'status'>): boolean {
  return ACTIVE_TASK_STATUSES.has(t.status);
}

/** Whether the task has ended and can change no more. */
export function isTaskFinished(t: Pick<Task, 'status'>): boolean {
  return FINISHED_TASK_STATUSES.has(t.status);
}

/** Whether `task` is the active task holding case `c`: the case points at it, a squad holds the case, the task is active. */
export function taskHoldsCase(task: Task | undefined, c: Case | undefined): task is Task {
  return task !== undefined && c !== undefined && c.taskId === task.id && isCaseHeld(c) && isTaskActive(task);
}

/**
 * Why task `t` cannot move to `to`, with the hub's codes, or undefined when it can. The field reports milestones in
 * any order (a unit may skip en route, or report on scene twice), so any active task may go to any status but one:
 * a finished task moves no more (`task_finished`), and no task goes back to dispatched (`illegal_transition`).
 */
export function taskTransitionRefusal(t: Pick<Task, 'id' | 'status'>, to: TaskStatus): Refusal | undefined {
  if (isTaskFinished(t)) return refuse('task_finished', `task ${t.id} is already ${t.status}`);
  if (to === 'dispatched')
    return refuse('illegal_transition', `task ${t.id} is ${t.status}: a task cannot go back to dispatched`);
  return undefined;
}

/** Unit statuses of a unit on a task (it becomes available again when the task ends). */
export const BUSY_UNIT_STATUSES: ReadonlySet<UnitStatus> = new Set<UnitStatus>(['dispatched', 'en_route', 'on_scene']);

/** Whether the unit reports itself busy on a task. */
export function isUnitBusy(u: Pick<Unit, 'status'>): boolean {
  return BUSY_UNIT_STATUSES.has(u.status);
}

/**
 * Why unit `u` cannot take a task now, or undefined when it can: `unit_busy` while it is on a task or reports a
 * busy status (`current`: the task it is on, named in the message), `unit_unavailable` when off duty or offline.
 */
export function unitRefusal(u: Unit, current: Pick<Task, 'id' | 'caseId'> | undefined): Refusal | undefined {
  if (u.taskId !== undefined || isUnitBusy(u)) {
    const where = current
      ? `case ${current.caseId} (task ${current.id})`
      : u.taskId !== undefined
        ? `task ${u.taskId}`
        : `another job (it reports ${u.status})`;
    return refuse('unit_busy', `squad ${u.squadId} unit ${u.id} is already dispatched to ${where}`);
  }
  if (u.status === 'off_duty' || u.status === 'offline') {
    return refuse(
      'unit_unavailable',
      `squad ${u.squadId} unit ${u.id} is ${u.status === 'off_duty' ? 'off duty' : 'offline'}`,
    );
  }
  return undefined;
}

/**
 * Why case `c` cannot be dispatched now, or undefined when it can: only a filed case can be
 * (`case_already_dispatched` while a squad holds it, `illegal_transition` otherwise).
 */
export function dispatchRefusal(c: Pick<Case, 'id' | 'status' | 'squadId' | 'taskId'>): Refusal | undefined {
  if (isCaseHeld(c)) {
    const whom =
      c.squadId !== undefined ? ` to squad ${c.squadId}${c.taskId !== undefined ? ` (task ${c.taskId})` : ''}` : '';
    return refuse(
      'case_already_dispatched',
      `case ${c.id} is already ${c.status === 'dispatched' ? 'dispatched' : 'in progress'}${whom}`,
    );
  }
  if (c.status !== 'filed')
    return refuse('illegal_transition', `case ${c.id} is ${c.status}: only a filed case can be dispatched`);
  return undefined;
}

export interface TransitionContext {
  actor: Actor;
  at: number;
  reason?: string;
  /** Time from filing to deadline (city policy for the case's category and urgency); required by the first filing. */
  deadlineMs?: number;
  /** On dispatch: the squad that receives the case (recorded as `Case.squadId`). */
  squadId?: string;
  /** On dispatch: the task created for it (recorded as `Case.taskId`). */
  taskId?: string;
}

/** Actions that need a reason on record: rejection, return, parking, rework — and extensions (see extendDeadline). */
const NEEDS_REASON: ReadonlySet<CaseAction> = new Set<CaseAction>(['reject', 'return', 'park', 'rework', 'extend']);

function step(to: CaseStatus, action: CaseAction, ctx: TransitionContext): CaseStep {
  const reason = ctx.reason?.trim();
  return { to, at: ctx.at, actor: ctx.actor, ...(reason ? { reason } : {}), action };
}

/**
 * The case after moving to `to`, or a refusal naming the case, from and to. Never mutates `c`.
 * - The first filing sets `filedAt` and the deadline (`at + deadlineMs`, which it then requires); a case filed
 *   again after a return, rework or resumption keeps both.
 * - A return or rework counts itself (`returns`, `reworks`) and takes the case off its squad and task.
 * - Dispatch stamps `dispatchedAt` and records `ctx.squadId`/`ctx.taskId`; handling stamps `handledAt`;
 *   closing stamps `closedAt`.
 * - Every step is appended to the history with its action; `version` goes up by one.
 */
export function transitionCase(c: Case, to: CaseStatus, ctx: TransitionContext): Result<Case> {
  const action = transitionAction(c.status, to);
  if (!action) {
    return refuse('illegal_transition', `case ${c.id} cannot go from ${c.status} to ${to}`);
  }
  if (NEEDS_REASON.has(action) && !ctx.reason?.trim()) {
    return refuse('reason_required', `case ${c.id}: going from ${c.status} to ${to} (${action}) needs a reason`);
  }
  const firstFiling = action === 'file' && c.deadline === undefined;
  if (firstFiling && !(ctx.deadlineMs !== undefined && Number.isFinite(ctx.deadlineMs) && ctx.deadlineMs > 0)) {
    return refuse(
      'deadline_required',
      `case ${c.id}: going from ${c.status} to ${to} sets the deadline and needs a positive deadlineMs (got ${ctx.deadlineMs})`,
    );
  }

  const next: Case = { ...c, status: to, history: [...c.history, step(to, action, ctx)], version: c.version + 1 };
  switch (action) {
    case 'file':
      if (firstFiling) next.deadline = ctx.at + Math.round(ctx.deadlineMs!);
      if (next.filedAt === undefined) next.filedAt = ctx.at;
      break;
    case 'return':
      next.returns = (c.returns ?? 0) + 1;
      break;
    case 'rework':
      next.reworks = (c.reworks ?? 0) + 1;
      break;
    case 'dispatch':
      next.dispatchedAt = ctx.at;
      if (ctx.squadId !== undefined) next.squadId = ctx.squadId;
      if (ctx.taskId !== undefined) next.taskId = ctx.taskId;
      break;
    case 'handle':
      next.handledAt = ctx.at;
      break;
    case 'close':
      next.closedAt = ctx.at;
      break;
    default:
      break;
  }
  // Off the squad's hands: whoever dispatches it next picks a squad afresh.
  if (to === 'filed' || to === 'parked' || to === 'rejected') {
    delete next.taskId;
    delete next.squadId;
  }
  if (to === 'closed') delete next.taskId;
  return { ok: true, data: next };
}

/** Statuses in which a deadline may be extended: filed and not yet reported handled. */
const EXTENDABLE: readonly CaseStatus[] = ['filed', 'dispatched', 'in_progress', 'parked'];

/**
 * 延期: the case with its deadline moved `byMs` later, or a refusal. A reason is required; the extension is counted
 * (`extensions`) and recorded in the history. Only a filed case that is not yet handled may be extended, and only
 * before its deadline has passed: an extension cannot rescue a case that is already overdue (that would erase it
 * from 超期未处置 and 按期结案率 after the fact). Never mutates `c`.
 */
export function extendDeadline(c: Case, byMs: number, ctx: TransitionContext): Result<Case> {
  const what = `case ${c.id} (${c.status})`;
  if (!EXTENDABLE.includes(c.status)) {
    return refuse('not_extendable', `${what}: the deadline can be extended only while ${EXTENDABLE.join(', ')}`);
  }
  if (c.deadline === undefined) return refuse('no_deadline', `${what} has no deadline to extend`);
  if (!Number.isInteger(byMs) || byMs <= 0) {
    return refuse('invalid_extension', `${what}: an extension must be a positive whole number of ms (got ${byMs})`);
  }
  if (!ctx.reason?.trim()) return refuse('reason_required', `${what}: extending the deadline needs a reason`);
  if (ctx.at > c.deadline) {
    return refuse('already_overdue', `${what}: deadline ${new Date(c.deadline).toISOString()} has already passed`);
  }
  return {
    ok: true,
    data: {
      ...c,
      deadline: c.deadline + byMs,
      extensions: (c.extensions ?? 0) + 1,
      history: [...c.history, step(c.status, 'extend', ctx)],
      version: c.version + 1,
    },
  };
}

/**
 * 督办: the case with the supervision flag raised, or a refusal when it is already raised (so a second leader's
 * click is a clear no-op, not a second count) or the case is finished. A flag, not a state. Never mutates `c`.
 */
export function superviseCase(c: Case, ctx: TransitionContext): Result<Case> {
  if (c.supervised) return refuse('already_supervised', `case ${c.id} (${c.status}) is already under supervision`);
  if (!isCaseOpen(c)) return refuse('case_finished', `case ${c.id} is ${c.status}: there is nothing left to supervise`);
  return {
    ok: true,
    data: {
      ...c,
      supervised: true,
      supervisedAt: ctx.at,
      history: [...c.history, step(c.status, 'supervise', ctx)],
      version: c.version + 1,
    },
  };
}
