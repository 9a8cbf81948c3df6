import { caseFinishedBefore, SCREEN_KEEPS_FINISHED_MS, taskFinishedBefore, type WorldState } from '@egret/protocol';

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

/** How often (world time) a screen drops what finished before its horizon: a scan of the world each time. */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * A screen's pruning clock: at most once a world hour, drops what finished more than `SCREEN_KEEPS_FINISHED_MS`
 * before the world's latest event — the live wall and replay alike, so replay holds what the wall held.
 */
export class HourlyPrune {
  private prunedAt = 0;
  /** Entities dropped so far (for diagnostics and the soak). */
  dropped = 0;

  /** A new world (a snapshot, a seek): prune it at the next call. */
  reset(): void {
    this.prunedAt = 0;
  }

  run(world: WorldState): void {
    if (world.at - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = world.at;
    this.dropped += pruneFinished(world, world.at - SCREEN_KEEPS_FINISHED_MS);
  }
}
