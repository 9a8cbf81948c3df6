/** When the history writer takes a snapshot (settings.replay). */
export interface SnapshotPolicy {
  everyEvents: number;
  everyMs: number;
}

/**
 * A snapshot is due once `everyEvents` events have passed since the last one, or `everyMs` of world time (the
 * running maximum) has — whichever comes first. Both bound a seek: the events folded after a snapshot, and the
 * stretch of world time one snapshot stands for. With no events, nothing changes and nothing is due.
 *
 * The event count grows with the world: a snapshot of `hot` entities (what it carries: every unit, every case and
 * task not yet cold) is due after at least `hot / 2` events. A snapshot costs its whole world, so spacing them by
 * a fixed count made each event cost more as the city grew — 100,000 units registering meant 50 snapshots of up to
 * 100,000 units. Spaced by half the world, snapshots cost at most two entities' encoding per event, whatever the
 * size; a seek still folds at most half as many events as the snapshot it starts from holds entities.
 */
export function snapshotDue(
  last: { seq: number; at: number },
  now: { seq: number; at: number; hot: number },
  p: SnapshotPolicy,
): boolean {
  if (now.seq <= last.seq) return false;
  return now.seq - last.seq >= Math.max(p.everyEvents, Math.ceil(now.hot / 2)) || now.at - last.at >= p.everyMs;
}
