import type { Actor, Case, CaseStatus } from './entities.ts';
import type { Result } from './socket.ts';

/**
 * The case loop as a pure state machine. Which status may follow which; side branches are transitions too:
 * 不予立案 (→ rejected), 退回 (dispatched/in_progress → filed, with a reason), 返工 (verifying → filed),
 * 挂账 (→ parked) and its resumption (parked → filed).
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  reported: ['accepted', 'rejected'],
  accepted: ['filed', 'rejected'],
  filed: ['dispatched', 'parked'],
  dispatched: ['in_progress', 'filed', 'parked'],
  in_progress: ['handled', 'filed'],
  handled: ['verifying', 'closed'],
  verifying: ['closed', 'filed'],
  parked: ['filed'],
  closed: [],
  rejected: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

export interface TransitionContext {
  actor: Actor;
  at: number;
  reason?: string;
  /** Time from filing to deadline (city policy for the case's category and urgency); used when filing. */
  deadlineMs?: number;
}

/** Transitions that need a reason on record: returns, rework, rejection and parking. */
function needsReason(from: CaseStatus, to: CaseStatus): boolean {
  return to === 'rejected' || to === 'parked' || (to === 'filed' && from !== 'accepted' && from !== 'parked');
}

/**
 * The case after moving to `to`, or a refusal that names the rule. Never mutates `c`.
 * Filing sets the deadline (once: a case re-filed after a return keeps its original deadline); closing stamps
 * closedAt; every step is appended to the history.
 */
export function transitionCase(c: Case, to: CaseStatus, ctx: TransitionContext): Result<Case> {
  if (!canTransition(c.status, to)) {
    return { ok: false, error: 'illegal_transition', message: `case ${c.id} cannot go from ${c.status} to ${to}` };
  }
  if (needsReason(c.status, to) && !ctx.reason?.trim()) {
    return { ok: false, error: 'reason_required', message: `case ${c.id}: going from ${c.status} to ${to} needs a reason` };
  }
  const next: Case = {
    ...c,
    status: to,
    history: [...c.history, { to, at: ctx.at, actor: ctx.actor, ...(ctx.reason ? { reason: ctx.reason } : {}) }],
    version: c.version + 1,
  };
  if (to === 'filed' && next.deadline === undefined && ctx.deadlineMs !== undefined) next.deadline = ctx.at + ctx.deadlineMs;
  if (to === 'closed') next.closedAt = ctx.at;
  if (to === 'filed' || to === 'parked' || to === 'closed' || to === 'rejected') delete next.taskId;
  return { ok: true, data: next };
}
