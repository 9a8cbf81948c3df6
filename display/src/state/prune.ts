import { isCaseOpen, type Case, type Task, type WorldState } from '@egret/protocol';

/** Tasks that can change no more. */
const FINAL_TASK = new Set<Task['status']>(['done', 'declined', 'timed_out', 'recalled']);

/** When a finished case finished: closed, or the last step of its history (a rejection). */
function finishedAt(c: Case): number {
  return c.closedAt ?? c.history.at(-1)?.at ?? c.reportedAt;
}

/**
 * Drops from a screen's world what can no longer change and is no longer shown: cases closed or rejected before
 * `before`, and finished tasks last updated before it whose case is gone or finished too. A wall runs for weeks
 * and the log only grows; without this its heap grows with every case of every day. Today's counts, the feed, the
 * heat of today's cases and the case cards need only what finished since `before` (the hub's KPI report carries
 * the rest). A later event about a pruned entity carries the whole entity, so nothing is lost if one comes.
 * Mutates `world`, as the shared reducer does; returns how many entities it dropped.
 */
export function pruneFinished(world: WorldState, before: number): number {
  let dropped = 0;
  for (const [id, c] of world.cases) {
    if (!isCaseOpen(c) && finishedAt(c) < before) {
      world.cases.delete(id);
      dropped++;
    }
  }
  for (const [id, t] of world.tasks) {
    if (!FINAL_TASK.has(t.status) || t.updatedAt >= before) continue;
    const c = world.cases.get(t.caseId);
    if (c && c.taskId === t.id) continue;
    world.tasks.delete(id);
    dropped++;
  }
  return dropped;
}
