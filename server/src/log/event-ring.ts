import type { LogEvent } from '@egret/protocol';

/**
 * The last `capacity` log events in memory, so a screen that reconnects after a short outage is caught up from
 * here synchronously — without a Redis round trip and without a window in which live events could slip between
 * its catch-up and its joining the live fan-out. Events are consecutive by seq (the log has no gaps).
 */
export class EventRing {
  private readonly buf: (LogEvent | undefined)[];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.buf = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Seq of the oldest event held, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.size ? this.buf[this.start]!.seq : undefined;
  }

  get lastSeq(): number | undefined {
    return this.size ? this.buf[(this.start + this.size - 1) % this.capacity]!.seq : undefined;
  }

  push(e: LogEvent): void {
    const last = this.lastSeq;
    if (last !== undefined && e.seq !== last + 1) this.clear(); // a jump (resync): keep only what is consecutive
    if (this.size < this.capacity) {
      this.buf[(this.start + this.size) % this.capacity] = e;
      this.size++;
    } else {
      this.buf[this.start] = e;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  clear(): void {
    this.buf.fill(undefined);
    this.start = 0;
    this.size = 0;
  }

  /** Whether the events (afterSeq, lastSeq] are all held (trivially so when nothing came after afterSeq). */
  covers(afterSeq: number): boolean {
    const first = this.firstSeq;
    const last = this.lastSeq;
    if (first === undefined || last === undefined) return false;
    return afterSeq >= first - 1 && afterSeq <= last;
  }

  /** The events with seq in (afterSeq, toSeq], or undefined when the ring does not hold all of them. */
  range(afterSeq: number, toSeq = Infinity): LogEvent[] | undefined {
    if (!this.covers(afterSeq)) return undefined;
    const first = this.firstSeq!;
    const end = Math.min(toSeq, this.lastSeq!);
    const out: LogEvent[] = [];
    for (let seq = afterSeq + 1; seq <= end; seq++) out.push(this.buf[(this.start + seq - first) % this.capacity]!);
    return out;
  }
}
