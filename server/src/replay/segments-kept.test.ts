import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisKeys } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { MINUTE_MS, type PositionSegment } from './position-segment.ts';
import { RedisHistory } from './redis-history.ts';
import { segmentBytes } from './kept-segments.ts';
import { ReplayReader } from './replay-reader.ts';

const M0 = 28_000_000; // a world minute in 2023
const UNITS = 50;

/** A minute's segment: every unit in the keyframe, a few moved each 10-s step (deterministic). */
function segment(minute: number): PositionSegment {
  const at = minute * MINUTE_MS;
  const slots = Uint32Array.from({ length: UNITS }, (_, i) => i);
  const key = {
    at,
    slots,
    lonE6: Int32Array.from(slots, (s) => 118_000_000 + s * 1_000 + (minute % 97)),
    latE6: Int32Array.from(slots, (s) => 24_400_000 + s * 1_000 - (minute % 89)),
  };
  const steps = [1, 2, 3, 4, 5].map((k) => {
    const moved = Uint32Array.from({ length: 5 + ((minute + k) % 7) }, (_, i) => (i * 7 + k) % UNITS).sort();
    const unique = Uint32Array.from(new Set(moved));
    return {
      at: at + k * 10_000,
      slots: unique,
      lonE6: Int32Array.from(unique, (s) => 118_000_000 + s * 1_000 + k * 13 + minute),
      latE6: Int32Array.from(unique, (s) => 24_400_000 + s * 1_000 - k * 11),
    };
  });
  return { minute, stepMs: 10_000, key, steps };
}

/** Records every `segments` span the parts were asked for. */
class CountingHistory extends RedisHistory {
  asked: Array<[number, number]> = [];
  override async segments(fromMinute: number, toMinute: number): Promise<PositionSegment[]> {
    this.asked.push([fromMinute, toMinute]);
    return super.segments(fromMinute, toMinute);
  }
}

describe('decoded position segments kept by the reader (segmentsKeptBytes)', () => {
  let redis: Redis;
  const keys = redisKeys(testNamespace('segkept'));
  // 90 minutes with a hole (the hub down for minutes 40–44): never kept, asked each time.
  const HOLE = new Set([40, 41, 42, 43, 44]);

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
    const writer = new RedisHistory(redis, keys);
    for (let m = 0; m < 90; m++) if (!HOLE.has(m)) await writer.writeSegment(segment(M0 + m));
  });
  afterAll(async () => {
    await redis?.close();
  });

  const reader = (history: RedisHistory, segmentsKeptBytes?: number) =>
    new ReplayReader({ parts: [history], periods: async () => [], live: () => ({ seq: 0, at: 0 }), segmentsKeptBytes });

  it('answers as reading every time, asks the parts only for the minutes not kept, and stays within its bound', async () => {
    const plain = reader(new RedisHistory(redis, keys), 0);
    const history = new CountingHistory(redis, keys);
    const one = segmentBytes(segment(M0));
    const bound = one * 20 + 10; // ~20 minutes: the windows below (up to 47) do not fit
    const kept = reader(history, bound);
    // Windows as the time bar and the arrow keys ask them: overlapping, stepping back, jumping, across the hole.
    const windows: Array<[number, number]> = [
      [0, 15],
      [1, 16],
      [0, 15],
      [30, 50],
      [35, 52],
      [60, 89],
      [42, 88],
      [42, 88],
      [0, 3],
      [89, 95],
    ];
    for (const [a, b] of windows) {
      history.asked = [];
      const got = await kept.segments(M0 + a, M0 + b);
      expect(got, `${a}-${b}`).toEqual(await plain.segments(M0 + a, M0 + b));
      expect(kept.keptSegmentsBytes).toBeLessThanOrEqual(bound);
      // Minutes never written are absent, not invented.
      expect(got.some((s) => HOLE.has(s.minute - M0))).toBe(false);
    }
    // A step of a minute re-reads one minute, not the window.
    history.asked = [];
    await kept.segments(M0 + 5, M0 + 15);
    await kept.segments(M0 + 6, M0 + 16);
    expect(history.asked).toEqual([
      [M0 + 5, M0 + 15],
      [M0 + 16, M0 + 16],
    ]);
    // The same window again: not asked at all.
    history.asked = [];
    await kept.segments(M0 + 6, M0 + 16);
    expect(history.asked).toEqual([]);
    // Across the hole: the hole's minutes are asked again each time (nothing to keep of them), the rest kept.
    await kept.segments(M0 + 38, M0 + 46);
    history.asked = [];
    await kept.segments(M0 + 38, M0 + 46);
    expect(history.asked).toEqual([[M0 + 40, M0 + 44]]);
    // 0: nothing kept, every answer read whole.
    expect(plain.keptSegmentsBytes).toBe(0);
  });

  it('never keeps more than its bound, however many windows are asked', async () => {
    const one = segmentBytes(segment(M0));
    const kept = reader(new RedisHistory(redis, keys), one * 3);
    for (let a = 0; a < 80; a += 7) {
      const got = await kept.segments(M0 + a, M0 + a + 10);
      expect(got.length).toBeGreaterThan(5); // the answer whole, though it does not fit the bound
      expect(kept.keptSegmentsBytes).toBeLessThanOrEqual(one * 3);
    }
  });
});
