import type { Case, Task } from './entities.ts';
import { toSnapshot, type WorldSnapshot, type WorldState } from './state.ts';
import { isCaseOpen, isTaskFinished } from './workflow.ts';

/**
 * What a screen holds of the world: everything open, and what finished within the last 36 world hours — all of
 * today and the end of yesterday, which is all a panel shows (the KPI report carries older days' figures). A wall
 * runs for weeks while the log only grows; a screen holding every case of every day would grow without bound, and
 * the snapshot a screen gets when it connects with it.
 */
export const SCREEN_KEEPS_FINISHED_MS = 36 * 3_600_000;

/** When a finished case finished: closed, or the last step of its history (a rejection). */
export function caseFinishedAt(c: Case): number {
  return c.closedAt ?? c.history.at(-1)?.at ?? c.reportedAt;
}

/** A case closed or rejected before `before`: no panel shows it any more. */
export function caseFinishedBefore(c: Case, before: number): boolean {
  return !isCaseOpen(c) && caseFinishedAt(c) < before;
}

/** A finished task last updated before `before` that its case no longer points at. */
export function taskFinishedBefore(
  t: Task,
  before: number,
  caseOf: (id: string) => Pick<Case, 'taskId'> | undefined,
): boolean {
  if (!isTaskFinished(t) || t.updatedAt >= before) return false;
  return caseOf(t.caseId)?.taskId !== t.id;
}

/** The snapshot a screen gets: the world less what finished more than `keepMs` before the world's latest event. */
export function screenSnapshot(world: WorldState, keepMs = SCREEN_KEEPS_FINISHED_MS): WorldSnapshot {
  const s = toSnapshot(world);
  const before = world.at - keepMs;
  const cases = s.cases.filter((c) => !caseFinishedBefore(c, before));
  const kept = new Map(cases.map((c) => [c.id, c]));
  return { ...s, cases, tasks: s.tasks.filter((t) => !taskFinishedBefore(t, before, (id) => kept.get(id))) };
}
