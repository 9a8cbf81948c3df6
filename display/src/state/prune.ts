import { caseFinishedBefore, taskFinishedBefore, type WorldState } from '@egret/protocol';

/**
 * Drops from a screen's world what can no longer change and is no longer shown: cases closed or rejected before
 * `before`, and finished tasks last updated before it that their case no longer points at (protocol
 * screen-view.ts, the same rule the hub's snapshots for screens follow). A later event about a dropped entity
 * carries the whole entity, so nothing is lost if one comes. Mutates `world`, as the shared reducer does; returns
 * how many entities it dropped.
 */
export function pruneFinished(world: WorldState, before: number): number {
  let dropped = 0;
  for (const [id, c] of world.cases) {
    if (caseFinishedBefore(c, before)) {
      world.cases.delete(id);
      dropped++;
    }
  }
  for (const [id, t] of world.tasks) {
    if (taskFinishedBefore(t, before, (caseId) => world.cases.get(caseId))) {
      world.tasks.delete(id);
      dropped++;
    }
  }
  return dropped;
}
