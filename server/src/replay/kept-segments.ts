import type { PositionSegment } from './position-segment.ts';

/** Default bound of the decoded segments a reader keeps: ~2 windows of tracks at 3,000 units (~50 KB a minute). */
export const SEGMENTS_KEPT_BYTES = 24 << 20;

/** What a decoded segment holds in its typed arrays (12 bytes a unit and sample). */
export function segmentBytes(s: PositionSegment): number {
  let n = s.key.slots.length;
  for (const step of s.steps) n += step.slots.length;
  return n * 12 + 64;
}

/**
 * Decoded position segments by minute, least recently used let go past a bound in bytes: a seek near an earlier one
 * reads only the minutes its window adds. A minute's segment never changes once written, so a kept one is never
 * stale; a minute without a segment (the hub was down) is never kept, so it is asked each time.
 */
export class KeptSegments {
  /** Least recently used first. */
  private readonly byMinute = new Map<number, PositionSegment>();
  private keptBytes = 0;

  constructor(private readonly bound: number) {}

  /** Bytes of decoded segments kept now (tests, metrics). */
  get bytes(): number {
    return this.keptBytes;
  }

  /**
   * The segments of the minutes [from, to], oldest first: those kept, and the rest from `read`, asked once for the
   * span from the first minute not kept to the last.
   */
  async between(
    fromMinute: number,
    toMinute: number,
    read: (from: number, to: number) => Promise<PositionSegment[]>,
  ): Promise<PositionSegment[]> {
    if (this.bound <= 0) return read(fromMinute, toMinute);
    let lo: number | undefined;
    let hi: number | undefined;
    for (let m = fromMinute; m <= toMinute; m++)
      if (!this.byMinute.has(m)) {
        lo ??= m;
        hi = m;
      }
    const fresh = new Map<number, PositionSegment>();
    if (lo !== undefined) for (const s of await read(lo, hi!)) fresh.set(s.minute, s);
    const out: PositionSegment[] = [];
    for (let m = fromMinute; m <= toMinute; m++) {
      const s = fresh.get(m) ?? this.byMinute.get(m);
      if (!s) continue;
      out.push(s);
      // Most recently used last; the least recently used let go past the bound.
      const was = this.byMinute.get(m);
      if (was) {
        this.byMinute.delete(m);
        this.keptBytes -= segmentBytes(was);
      }
      this.byMinute.set(m, s);
      this.keptBytes += segmentBytes(s);
    }
    for (const [m, s] of this.byMinute) {
      if (this.keptBytes <= this.bound) break;
      this.byMinute.delete(m);
      this.keptBytes -= segmentBytes(s);
    }
    return out;
  }
}
