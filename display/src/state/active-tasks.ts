import { isTaskActive, type Case, type Task, type Unit } from '@egret/protocol';

/** A line of the active-tasks panel: the task, its case (for the deadline) and its unit (for the name). */
export interface TaskRow {
  task: Task;
  case: Case | undefined;
  unit: Unit | undefined;
  /** The case's deadline (world ms), or undefined when it has none. */
  deadline: number | undefined;
}

/**
 * Active tasks, the nearest deadline first (overdue ones, being the nearest, lead), tasks without a deadline last,
 * at most `max`: one pass with a capped sorted list, since a typhoon day may hold thousands of tasks.
 */
export function activeTasks(
  tasks: Iterable<Task>,
  cases: ReadonlyMap<string, Case>,
  units: ReadonlyMap<string, Unit>,
  max: number,
): TaskRow[] {
  const out: TaskRow[] = [];
  for (const task of tasks) {
    if (!isTaskActive(task)) continue;
    const c = cases.get(task.caseId);
    const row: TaskRow = { task, case: c, unit: units.get(task.unitId), deadline: c?.deadline };
    if (out.length === max && !earlier(row, out[max - 1]!)) continue;
    let i = out.length;
    while (i > 0 && earlier(row, out[i - 1]!)) i--;
    out.splice(i, 0, row);
    if (out.length > max) out.pop();
  }
  return out;
}

function earlier(a: TaskRow, b: TaskRow): boolean {
  const da = a.deadline ?? Infinity;
  const db = b.deadline ?? Infinity;
  return da < db || (da === db && a.task.id < b.task.id);
}

/**
 * A digital countdown to `deadline` at `now`, both world ms — `1:05:09` or `05:09` left, `-05:09` past it — for the
 * wall, where a clock face reads from five metres better than words (the console's `countdown.ts` uses words).
 * A case due exactly now is not yet overdue, as in `isCaseOverdue`.
 */
export function clockCountdown(deadline: number, now: number): { text: string; overdue: boolean } {
  const left = deadline - now;
  const overdue = left < 0;
  const total = Math.floor(Math.abs(left) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return { text: `${overdue ? '-' : ''}${h > 0 ? `${h}:${mmss}` : mmss}`, overdue };
}
