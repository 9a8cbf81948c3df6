import { applyEventsUntil, eventPageAfter, type LogEvent, type WorldState } from '@egret/protocol';
import type { ReplayApi } from './replay-api.ts';
import { lookaheadMs, type ReplaySpeed } from './replay-clock.ts';

/** Events applied past which the queue drops them (so it does not grow over a long playback). */
const QUEUE_KEEP_APPLIED = 5_000;

const NONE: readonly LogEvent[] = [];

/**
 * The log read ahead of the replay clock, from a seek's state on: its events queued in order and applied to the
 * world as the clock passes them (the shared reducer, the rule the hub seeks by). They come in the log's fixed pages
 * (the hub keeps them compressed) until a page is not final — the live tail, a trimmed stretch — then by window of
 * world time. One feed per session; a seek starts it again.
 */
export class EventFeed {
  private queue: LogEvent[] = [];
  private next = 0;
  /** World time up to which the events are in the queue: the clock plays no further. */
  loadedTo = 0;
  private lastSeq = 0;
  /** Pages until one is not final; `queuedAt`: the running maximum of the queued events' times. */
  private paging = true;
  private queuedAt = 0;
  /** An ask on its way; answers of an earlier generation (before a seek) are dropped. */
  private fetching = false;
  private generation = 0;

  constructor(
    private readonly api: Pick<ReplayApi, 'events' | 'eventPage'>,
    private readonly fail: (err: unknown) => void,
  ) {}

  /** A seek begins: whatever is on its way is of the old place in the log, and is dropped when it comes. */
  stop(): void {
    this.generation++;
    this.fetching = false;
  }

  /** The seek's state is in (at world time t, the log's `seq`, its running time `at`): the feed goes on after it. */
  restart(t: number, seq: number, at: number): void {
    this.stop();
    this.queue = [];
    this.next = 0;
    this.loadedTo = t;
    this.lastSeq = seq;
    this.queuedAt = at;
    this.paging = true;
  }

  /** Applies the queued events up to t to `world`; answers those applied, oldest first. */
  applyUpTo(world: WorldState, t: number): readonly LogEvent[] {
    const from = this.next;
    this.next = applyEventsUntil(world, this.queue, t, this.next);
    const applied = this.next > from ? this.queue.slice(from, this.next) : NONE;
    if (this.next > QUEUE_KEEP_APPLIED) {
      this.queue = this.queue.slice(this.next);
      this.next = 0;
    }
    return applied;
  }

  /** Keeps the events loaded a look-ahead beyond the clock `t` at `speed`, up to `end` (one ask at a time). */
  load(t: number, speed: ReplaySpeed, end: number): void {
    if (this.fetching || this.loadedTo >= end) return;
    const ahead = lookaheadMs(speed);
    if (this.loadedTo >= t + ahead) return;
    const from = this.loadedTo;
    const to = Math.min(end, Math.max(t, from) + 2 * ahead);
    if (to <= from) return;
    const gen = this.generation;
    this.fetching = true;
    const asked = this.paging ? this.loadPage(gen, end) : this.loadWindow(gen, from, to);
    void asked
      .catch((err: unknown) => {
        if (gen === this.generation) this.fail(err);
      })
      .finally(() => {
        if (gen === this.generation) this.fetching = false;
      });
  }

  /** The events of [from, to] after the last one queued (a window may come truncated: the rest asked next). */
  private async loadWindow(gen: number, from: number, to: number): Promise<void> {
    const res = await this.api.events(from, to, this.lastSeq);
    if (gen !== this.generation) return;
    if (res.events.length) {
      this.queue.push(...res.events);
      this.lastSeq = res.events.at(-1)!.seq;
    }
    if (!res.truncated) this.loadedTo = to;
  }

  /**
   * The page of the log after the last event queued. Its events settle the state at every T before their running
   * maximum of time (protocol replay.ts), so the clock may run to just before it. A page that is not final is dropped:
   * the events are asked by window from there.
   */
  private async loadPage(gen: number, end: number): Promise<void> {
    const page = await this.api.eventPage(eventPageAfter(this.lastSeq));
    if (gen !== this.generation) return;
    if (!page.complete) {
      this.paging = false;
      return;
    }
    for (const e of page.events) {
      if (e.seq <= this.lastSeq) continue;
      this.queue.push(e);
      this.queuedAt = Math.max(this.queuedAt, e.at);
    }
    this.lastSeq = Math.max(this.lastSeq, page.toSeq);
    this.loadedTo = Math.max(this.loadedTo, Math.min(end, this.queuedAt - 1));
  }
}
