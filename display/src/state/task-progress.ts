import type { Case, CaseAction, Task, TaskStatus } from '@egret/protocol';

/** The steps of a dispatched case as the step bar shows them: the field's milestones, then 核查 and 结案. */
export const PROGRESS_STEPS = [
  'dispatched',
  'accepted',
  'en_route',
  'on_scene',
  'done',
  'verifying',
  'closed',
] as const;
export type ProgressStep = (typeof PROGRESS_STEPS)[number];

export type StepState = 'done' | 'current' | 'todo';

export interface ProgressItem {
  step: ProgressStep;
  state: StepState;
  /** World time the step was reached, when the screen knows it. */
  at?: number;
}

const TASK_STEP: Partial<Record<TaskStatus, number>> = {
  dispatched: 0,
  accepted: 1,
  en_route: 2,
  on_scene: 3,
  done: 4,
};

/**
 * How far the case's current dispatch has gone: the last step reached, or -1 when no squad is working on it
 * (not yet dispatched, returned, reworked or parked — the bar then starts again at the next dispatch).
 */
export function reachedStep(c: Pick<Case, 'status'>, task: Pick<Task, 'status'> | undefined): number {
  switch (c.status) {
    case 'closed':
      return 6;
    case 'verifying':
      return 5;
    case 'handled':
      return 4;
    case 'dispatched':
    case 'in_progress':
      return task ? (TASK_STEP[task.status] ?? 0) : 0;
    default:
      return -1;
  }
}

/** The latest time the case's history records `action` (the step bar's times come from the case loop). */
function lastStepAt(c: Case, action: CaseAction): number | undefined {
  for (let i = c.history.length - 1; i >= 0; i--) if (c.history[i]!.action === action) return c.history[i]!.at;
  return undefined;
}

/**
 * The step bar of a case and its task: the step reached is current (where the case is now), the steps before it
 * done, the rest to do; a closed case has every step done. Times come from the case's history (dispatch,
 * handling, verification, closing) and the task's last update for the field step it is at.
 */
export function taskProgress(c: Case, task: Task | undefined): ProgressItem[] {
  const reached = reachedStep(c, task);
  const times: Partial<Record<ProgressStep, number>> = {};
  if (reached >= 0) {
    times.dispatched = lastStepAt(c, 'dispatch') ?? task?.createdAt;
    const taskStep = task ? TASK_STEP[task.status] : undefined;
    if (task && taskStep !== undefined && taskStep > 0 && taskStep < 4)
      times[PROGRESS_STEPS[taskStep]!] = task.updatedAt;
    if (reached >= 4) times.done = c.handledAt ?? lastStepAt(c, 'handle');
    if (reached >= 5) times.verifying = lastStepAt(c, 'verify');
    if (reached >= 6) times.closed = c.closedAt ?? lastStepAt(c, 'close');
  }
  const last = PROGRESS_STEPS.length - 1;
  return PROGRESS_STEPS.map((step, i) => {
    const state: StepState = i < reached || (i === reached && i === last) ? 'done' : i === reached ? 'current' : 'todo';
    const at = times[step];
    return at === undefined ? { step, state } : { step, state, at };
  });
}

/**
 * The task the card shows for a case: its current one, or after it ended (closed, returned) the latest one
 * created for it. One pass over the tasks, run only when the world changes while a case is selected.
 */
export function caseTask(c: Pick<Case, 'id' | 'taskId'>, tasks: ReadonlyMap<string, Task>): Task | undefined {
  if (c.taskId) {
    const current = tasks.get(c.taskId);
    if (current) return current;
  }
  let latest: Task | undefined;
  for (const t of tasks.values()) {
    if (
      t.caseId === c.id &&
      (!latest || t.createdAt > latest.createdAt || (t.createdAt === latest.createdAt && t.id > latest.id))
    )
      latest = t;
  }
  return latest;
}
