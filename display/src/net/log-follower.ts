import { applyEvent, SequenceGapError, type LogEvent, type WorldState } from '@egret/protocol';

/** The log range a screen must fetch before it can go on: events in (afterSeq, toSeq]. */
export interface LogRange {
  afterSeq: number;
  toSeq: number;
}

/** What happened when events were offered to the follower. */
export interface FollowOutcome {
  /** How many events changed the world (duplicates and buffered events do not count). */
  applied: number;
  /** Set when a gap was found: fetch this range, then call `receiveRange`. */
  fetch?: LogRange;
  /** Set when the follower cannot catch up from the log any more: reconnect and take a fresh snapshot. */
  resnapshot?: boolean;
}

/** Events buffered while a range is being fetched; past this the screen takes a snapshot instead of catching up. */
export const MAX_PENDING_EVENTS = 50_000;

/**
 * Keeps a screen's world in step with the hub's numbered log (snapshot on connect, numbered events after, resync
 * on a gap). Pure: it does no I/O, it says what to fetch. The world is mutated in place by the shared reducer.
 *
 * While a missing range is being fetched, newer batches are buffered and applied after the range, so the world
 * only ever moves forward through consecutive sequence numbers.
 */
export class LogFollower {
  private pending: LogEvent[] = [];
  private fetching: LogRange | null = null;

  constructor(public world: WorldState) {}

  /** The last sequence number applied: what the screen sends as `lastSeq` when it reconnects. */
  get seq(): number {
    return this.world.seq;
  }

  /** The range being fetched, if any. */
  get awaiting(): LogRange | null {
    return this.fetching;
  }

  /** Starts over from a snapshot: buffered events and an unanswered range request are forgotten. */
  reset(world: WorldState): void {
    this.world = world;
    this.pending = [];
    this.fetching = null;
  }

  /** Offers a live batch of events. */
  receive(events: readonly LogEvent[]): FollowOutcome {
    if (this.fetching) return this.buffer(events);
    return this.applyInOrder(events);
  }

  /** The answer to a range request: applies it, then whatever arrived meanwhile. */
  receiveRange(events: readonly LogEvent[]): FollowOutcome {
    const range = this.fetching;
    this.fetching = null;
    const pending = this.pending;
    this.pending = [];
    const first = this.applyInOrder(events);
    if (first.fetch || first.resnapshot) return { ...first, ...this.buffer(pending) };
    if (range && this.world.seq < range.toSeq) {
      // The hub answered with less than was asked: the log no longer holds that part.
      return { applied: first.applied, resnapshot: true };
    }
    const rest = this.applyInOrder(pending);
    return { ...rest, applied: first.applied + rest.applied };
  }

  /** The range request failed (trimmed log, timeout, hub error): only a snapshot can help now. */
  rangeFailed(): FollowOutcome {
    this.fetching = null;
    this.pending = [];
    return { applied: 0, resnapshot: true };
  }

  private applyInOrder(events: readonly LogEvent[]): FollowOutcome {
    let applied = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const before = this.world.seq;
      try {
        applyEvent(this.world, e);
      } catch (err) {
        if (!(err instanceof SequenceGapError)) throw err;
        this.fetching = { afterSeq: this.world.seq, toSeq: e.seq - 1 };
        const buffered = this.buffer(events.slice(i));
        return { applied, ...(buffered.resnapshot ? { resnapshot: true } : { fetch: this.fetching }) };
      }
      if (this.world.seq !== before) applied++;
    }
    return { applied };
  }

  private buffer(events: readonly LogEvent[]): FollowOutcome {
    for (const e of events) this.pending.push(e);
    if (this.pending.length > MAX_PENDING_EVENTS) return this.rangeFailed();
    return { applied: 0 };
  }
}
