/** When the history writer takes a snapshot (settings.replay). */
export interface SnapshotPolicy {
  everyEvents: number;
  everyMs: number;
}

/**
 * A snapshot is due once `everyEvents` events have passed since the last one, or `everyMs` of world time (the
 * running maximum) has — whichever comes first. Both bound a seek: the events folded after a snapshot, and the
 * stretch of world time one snapshot stands for. With no events, nothing changes and nothing is due.
 */
export function snapshotDue(
  last: { seq: number; at: number },
  now: { seq: number; at: number },
  p: SnapshotPolicy,
): boolean {
  if (now.seq <= last.seq) return false;
  return now.seq - last.seq >= p.everyEvents || now.at - last.at >= p.everyMs;
}
