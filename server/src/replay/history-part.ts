import type { LogEvent } from '@egret/protocol';
import type { PositionSegment } from './position-segment.ts';
import type { LazySnapshot } from './replay-snapshot.ts';

/** Where a replay snapshot sits: its seq and the running maximum of event time at it. */
export interface SnapshotRef {
  seq: number;
  at: number;
}

/**
 * One place history is kept: Redis (recent) or the exported files on disk (older). A replay reads through both,
 * preferring whichever holds what it asks for, so a seek across the boundary between them just works.
 */
export interface HistoryPart {
  /** The snapshot with the greatest seq among those whose `at` is ≤ t. */
  snapshotAtOrBefore(t: number): Promise<SnapshotRef | undefined>;
  /** The snapshot with the smallest `at` (the oldest state this part can start a fold from). */
  oldestSnapshot(): Promise<SnapshotRef | undefined>;
  loadSnapshot(seq: number): Promise<LazySnapshot | undefined>;
  /** Up to `count` consecutive log events starting at `fromSeq`; may start later when this part lacks `fromSeq`. */
  readEvents(fromSeq: number, count: number): Promise<LogEvent[]>;
  /** The newest position segment of a minute in [notBefore, minute]. */
  segmentAtOrBefore(minute: number, notBefore: number): Promise<PositionSegment | undefined>;
  /** The segments of the minutes [from, to], oldest first. */
  segments(fromMinute: number, toMinute: number): Promise<PositionSegment[]>;
  /** Case reports per minute for the minutes [from, to]. */
  reports(fromMinute: number, toMinute: number): Promise<Map<number, number>>;
}
