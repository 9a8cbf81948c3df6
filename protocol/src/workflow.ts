import type { Actor, Case, CaseAction, CaseStatus, CaseStep } from './entities.ts';
import type { Result } from './socket.ts';

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

/** Whether the table allows `from → to`. */
export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** The named step a legal transition is (→ filed is a filing, a return, a rework or a resumption); undefined if illegal. */
export function transitionAction(from: CaseStatus, to: CaseStatus): CaseAction | undefined {
  if (!canTransition(from, to)) return undefined;
  switch (to) {
    case 'accepted': return 'accept';
    case 'rejected': return 'reject';
    case 'dispatched': return 'dispatch';
    case 'in_progress': return 'start';
    case 'handled': return 'handle';
    case 'verifying': return 'verify';
    case 'closed': return 'close';
    case 'parked': return 'park';
    case 'filed':
      if (from === 'accepted') return 'file';
      if (from === 'parked') return 'resume';
      if (from === 'verifying') return 'rework';
      return 'return';
    case 'reported': return undefined;
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

function refuse(error: string, message: string): Result<never> {
  return { ok: false, error, message };
}

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
