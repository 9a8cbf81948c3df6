import { RESP_TYPES } from 'redis';
import type { LogEvent, RedisKeys } from '@egret/protocol';
import { parseLogEntry } from '../log/log-reader.ts';
import type { Redis } from '../redis/connect.ts';
import { packBytes, packText, unpackBytes, unpackText, unpackTextBytes } from './compress.ts';
import { decodeSegment, encodeSegment, type PositionSegment } from './position-segment.ts';
import type { HistoryPart, SnapshotRef } from './history-part.ts';
import { decodeSnapshotBytes, type LazySnapshot } from './replay-snapshot.ts';

export type { SnapshotRef };

/** A scenario run's start, as the history writer recorded it. */
export interface PeriodStart {
  seq: number;
  at: number;
  /** Empty when the clock change named no scenario (it still ends the run before it). */
  scenario: string;
}

/** Sorted-set members are the seq, zero-padded: equal scores order by member, and so by seq. */
export const seqMember = (seq: number) => String(seq).padStart(16, '0');
const idSeq = (id: string) => Number(id.slice(0, id.indexOf('-')));

type Entry<V> = { id: string; message: Record<string, V> };

/**
 * The replay history kept in Redis (keys in protocol keys.ts): snapshots and their index, the log, the position
 * segments, the scenario periods and the per-minute report counts. Reads and writes, no policy.
 */
export class RedisHistory implements HistoryPart {
  private readonly binary: Redis;

  constructor(
    readonly redis: Redis,
    readonly keys: RedisKeys,
  ) {
    this.binary = redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }) as unknown as Redis;
  }

  /** The snapshot with the greatest seq among those whose `at` is ≤ t. */
  async snapshotAtOrBefore(t: number): Promise<SnapshotRef | undefined> {
    const [hit] =
      (await this.redis.zRangeWithScores(this.keys.replaySnapshotIndex, t, '-inf', {
        BY: 'SCORE',
        REV: true,
        LIMIT: { offset: 0, count: 1 },
      })) ?? [];
    return hit ? { seq: Number(hit.value), at: hit.score } : undefined;
  }

  /** Every snapshot with `at` ≤ t, oldest first (for trimming and export). */
  async snapshotsUpTo(t: number): Promise<SnapshotRef[]> {
    const hits = await this.redis.zRangeWithScores(this.keys.replaySnapshotIndex, '-inf', t, { BY: 'SCORE' });
    return hits.map((h) => ({ seq: Number(h.value), at: h.score }));
  }

  async oldestSnapshot(): Promise<SnapshotRef | undefined> {
    const [hit] = await this.redis.zRangeWithScores(this.keys.replaySnapshotIndex, 0, 0);
    return hit ? { seq: Number(hit.value), at: hit.score } : undefined;
  }

  async newestSnapshot(): Promise<SnapshotRef | undefined> {
    const [hit] = await this.redis.zRangeWithScores(this.keys.replaySnapshotIndex, -1, -1);
    return hit ? { seq: Number(hit.value), at: hit.score } : undefined;
  }

  async loadSnapshot(seq: number): Promise<LazySnapshot | undefined> {
    const z = await this.rawSnapshot(seq);
    return z && decodeSnapshotBytes(await unpackTextBytes(z));
  }

  /** A snapshot as stored (brotli of `encodeSnapshotText`), or undefined. */
  async rawSnapshot(seq: number): Promise<Buffer | undefined> {
    const [entry] = ((await this.binary.xRange(this.keys.replaySnapshots, `${seq}-0`, `${seq}-0`)) ??
      []) as unknown as Entry<Buffer>[];
    return entry?.message.z;
  }

  /**
   * Stores a snapshot given as text (`encodeSnapshotText`), with the cold delta split off at it (cold.ts) when there is one; false
   * when one is already stored at this seq or above (another writer).
   */
  async writeSnapshot(ref: SnapshotRef, json: string, cold = ''): Promise<boolean> {
    if (cold) {
      try {
        await this.redis.xAdd(this.keys.replayCold, `${ref.seq}-0`, { z: await packText(cold) });
      } catch (err) {
        if (/equal or smaller/i.test((err as Error).message)) return false;
        throw err;
      }
    }
    const z = await packText(json);
    try {
      await this.redis.xAdd(this.keys.replaySnapshots, `${ref.seq}-0`, { at: String(ref.at), z });
    } catch (err) {
      if (/equal or smaller/i.test((err as Error).message)) return false;
      throw err;
    }
    await this.redis.zAdd(this.keys.replaySnapshotIndex, { score: ref.at, value: seqMember(ref.seq) });
    return true;
  }

  /** The cold deltas with seq in [fromSeq, toSeq], oldest first, as text. */
  async coldDeltas(fromSeq: number, toSeq: number): Promise<Array<{ seq: number; text: string }>> {
    const entries = ((await this.binary.xRange(this.keys.replayCold, `${fromSeq}-0`, `${toSeq}-0`)) ??
      []) as unknown as Entry<Buffer>[];
    return Promise.all(
      entries.filter((e) => e.message.z).map(async (e) => ({ seq: idSeq(e.id), text: await unpackText(e.message.z!) })),
    );
  }

  /** Up to `count` log events from `fromSeq` on (the first may be later than asked when the log was trimmed). */
  async readEvents(fromSeq: number, count: number, toSeq?: number): Promise<LogEvent[]> {
    const entries = await this.redis.xRange(this.keys.log, `${fromSeq}-0`, toSeq === undefined ? '+' : `${toSeq}-0`, {
      COUNT: count,
    });
    return (entries ?? []).map((e) => parseLogEntry(e as Entry<string>));
  }

  /** The first seq the Redis log holds, or undefined when it is empty. */
  async firstLogSeq(): Promise<number | undefined> {
    const [first] = (await this.redis.xRange(this.keys.log, '-', '+', { COUNT: 1 })) ?? [];
    return first ? idSeq(first.id) : undefined;
  }

  async writeSegment(segment: PositionSegment): Promise<boolean> {
    const d = await packBytes(encodeSegment(segment));
    try {
      await this.redis.xAdd(this.keys.posHistory, `${segment.minute}-0`, { d: Buffer.from(d) });
      return true;
    } catch (err) {
      if (/equal or smaller/i.test((err as Error).message)) return false;
      throw err;
    }
  }

  /** Raw (deflated) segments of the minutes [from, to], oldest first. */
  async rawSegments(
    fromMinute: number,
    toMinute: number,
    count?: number,
  ): Promise<Array<{ minute: number; d: Buffer }>> {
    const entries = ((await this.binary.xRange(
      this.keys.posHistory,
      `${fromMinute}-0`,
      `${toMinute}-0`,
      count ? { COUNT: count } : undefined,
    )) ?? []) as unknown as Entry<Buffer>[];
    return entries.filter((e) => Buffer.isBuffer(e.message.d)).map((e) => ({ minute: idSeq(e.id), d: e.message.d! }));
  }

  /** The newest segment at or before a minute (and not before `notBefore`), decoded. */
  async segmentAtOrBefore(minute: number, notBefore: number): Promise<PositionSegment | undefined> {
    const [entry] = ((await this.binary.xRevRange(this.keys.posHistory, `${minute}-0`, `${notBefore}-0`, {
      COUNT: 1,
    })) ?? []) as unknown as Entry<Buffer>[];
    const d = entry?.message.d;
    return d ? decodeSegment(await unpackBytes(d)) : undefined;
  }

  async segments(fromMinute: number, toMinute: number): Promise<PositionSegment[]> {
    const raw = await this.rawSegments(fromMinute, toMinute);
    return Promise.all(raw.map(async (r) => decodeSegment(await unpackBytes(r.d))));
  }

  async oldestSegmentMinute(): Promise<number | undefined> {
    const [first] = (await this.redis.xRange(this.keys.posHistory, '-', '+', { COUNT: 1 })) ?? [];
    return first ? idSeq(first.id) : undefined;
  }

  async periods(): Promise<PeriodStart[]> {
    const entries = (await this.redis.xRange(this.keys.replayPeriods, '-', '+')) ?? [];
    return entries.map((e) => ({ seq: idSeq(e.id), at: Number(e.message.at), scenario: e.message.scenario ?? '' }));
  }

  /** Case reports per minute for the minutes [from, to]. */
  async reports(fromMinute: number, toMinute: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (toMinute - fromMinute < 20_000) {
      const fields = Array.from({ length: Math.max(0, toMinute - fromMinute + 1) }, (_, i) => String(fromMinute + i));
      if (fields.length === 0) return out;
      const values = await this.redis.hmGet(this.keys.replayReports, fields);
      values.forEach((v, i) => {
        if (v) out.set(fromMinute + i, Number(v));
      });
      return out;
    }
    for (const [m, n] of Object.entries(await this.redis.hGetAll(this.keys.replayReports))) {
      const minute = Number(m);
      if (minute >= fromMinute && minute <= toMinute) out.set(minute, Number(n));
    }
    return out;
  }
}
