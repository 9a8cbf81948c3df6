import type { LogEvent } from './events.ts';

/**
 * Events per page of the log (`GET /api/replay/events?page=N`): page N holds the seqs (N·size, (N+1)·size]. Fixed,
 * so a page is the same bytes for every screen that asks, and the hub keeps it compressed once.
 */
export const EVENT_PAGE_SIZE = 4_096;

/** The page holding the event after `seq` (the one a screen at the state of `seq` needs next). */
export function eventPageAfter(seq: number, size = EVENT_PAGE_SIZE): number {
  return Math.floor(seq / size);
}

/**
 * `GET /api/replay/events?page=N`: the log's events with seq in (N·size, (N+1)·size], as kept — for playing
 * forward, where the screen applies them by the replay time rule itself (`applyEventsUntil`).
 */
export interface ReplayEventPage {
  page: number;
  /** The seq before the page's first: N·size. */
  afterSeq: number;
  /** The last seq `events` holds (`afterSeq` when none). */
  toSeq: number;
  /**
   * Every seq of the page is in `events` and the history writer has folded them all: the page never changes (it is
   * sent with a strong ETag and kept compressed by the hub). False for the live tail and for a page the log's trim
   * cut into: ask `/events?from=&to=&afterSeq=` there.
   */
  complete: boolean;
  events: LogEvent[];
}
