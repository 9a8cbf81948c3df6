import {
  COMMAND_ACTION_TARGET,
  CommandCaseAction,
  dispatchRefusal,
  extendDeadline,
  isCaseHeld,
  isTaskActive,
  superviseCase,
  transitionAction,
  type Case,
  type Task,
} from '@egret/protocol';

/** What the console can offer on a case besides dispatching: the commander's steps, 延期, 督办 and 撤回. */
export type ConsoleAction = CommandCaseAction | 'extend' | 'supervise' | 'recall';

/** Steps that go on record with a reason (the hub refuses them without one): the console asks for it first. */
export const REASONED_ACTIONS = ['reject', 'park', 'rework', 'extend', 'recall', 'reassign'] as const;
export type ReasonedAction = (typeof REASONED_ACTIONS)[number];

export function needsReason(a: ConsoleAction | 'reassign'): a is ReasonedAction {
  return (REASONED_ACTIONS as readonly string[]).includes(a);
}

/** Commander steps in the order the buttons appear. */
const STEP_ORDER: readonly CommandCaseAction[] = [
  'accept',
  'file',
  'verify',
  'close',
  'rework',
  'reject',
  'park',
  'resume',
];

/** A stand-in actor: the checks below only ask whether the workflow would allow a step, never record one. */
const PROBE = { actor: { role: 'commander' as const, id: 'console' }, reason: 'probe' };
const HOUR_MS = 3_600_000;

/**
 * The actions the workflow allows on `c` at `now`, by the protocol's own rules (`transitionAction`,
 * `extendDeadline`, `superviseCase`), so a button shows only when the hub would accept the step:
 * - a commander step when the case loop goes from the case's status to the step's target *as that step* (→ filed
 *   from verifying is a rework, from parked a resumption);
 * - 延期 while the deadline can still be moved; 督办 while the case is open and not yet supervised;
 * - 撤回 while the case's task is active.
 * Dispatching (filed) and reassigning (an active task) are offered through the candidate list instead.
 */
export function caseActions(c: Case, task: Task | undefined, now: number): ConsoleAction[] {
  const out: ConsoleAction[] = [];
  for (const action of STEP_ORDER) {
    if (transitionAction(c.status, COMMAND_ACTION_TARGET[action]) === action) out.push(action);
  }
  if (task && task.caseId === c.id && isTaskActive(task)) out.push('recall');
  if (extendDeadline(c, HOUR_MS, { ...PROBE, at: now }).ok) out.push('extend');
  if (superviseCase(c, { ...PROBE, at: now }).ok) out.push('supervise');
  return out;
}

/** Whether the case waits for a squad: the hub's own dispatch rule (only a filed case can be dispatched). */
export function canDispatch(c: Pick<Case, 'id' | 'status' | 'squadId' | 'taskId'>): boolean {
  return dispatchRefusal(c) === undefined;
}

/** Whether the case's task can be handed to another unit (改派): a squad holds it and its task is active. */
export function canReassign(c: Case, task: Task | undefined): boolean {
  return isCaseHeld(c) && !!task && task.caseId === c.id && isTaskActive(task);
}

/** Case steps as the console names them in a refusal: the command that was refused → its `caseAction.*` key. */
const STEP_OF_COMMAND: ReadonlyMap<string, ConsoleAction | 'dispatch' | 'reassign'> = new Map([
  ['case:dispatch', 'dispatch'],
  ['case:reassign', 'reassign'],
  ['task:recall', 'recall'],
  ['case:extend', 'extend'],
  ['case:supervise', 'supervise'],
]);

/**
 * The i18n key naming the step a refused command asked for (`caseAction.accept`, `caseAction.dispatch` …), or
 * null when the command is not a case step (the refusal then names the command itself).
 */
export function refusedStepKey(
  name: string,
  payload: Record<string, unknown>,
): `caseAction.${ConsoleAction | 'dispatch' | 'reassign'}` | null {
  const step = STEP_OF_COMMAND.get(name);
  if (step) return `caseAction.${step}`;
  if (name !== 'case:transition') return null;
  const action = CommandCaseAction.safeParse(payload.action);
  return action.success ? `caseAction.${action.data}` : null;
}
