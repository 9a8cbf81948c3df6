import { describe, expect, it } from 'vitest';
import {
  decodeSegment,
  encodeSegment,
  MINUTE_MS,
  positionsAt,
  SegmentFormatError,
  type PositionSegment,
} from './position-segment.ts';

const M = 28_000_000; // a world minute in 2023
const sample = (at: number, rows: Array<[number, number, number]>) => ({
  at,
  slots: Uint32Array.from(rows.map((r) => r[0])),
  lonE6: Int32Array.from(rows.map((r) => r[1])),
  latE6: Int32Array.from(rows.map((r) => r[2])),
});

const segment: PositionSegment = {
  minute: M,
  stepMs: 10_000,
  key: sample(M * MINUTE_MS, [
    [0, 118_089_000, 24_479_000],
    [3, 118_100_500, 24_455_100],
    [7, -73_000_000, -40_000_000],
  ]),
  steps: [
    sample(M * MINUTE_MS + 9_000, [[3, 118_100_600, 24_455_000]]),
    sample(M * MINUTE_MS + 19_000, [
      [0, 118_088_000, 24_479_500],
      [3, 118_100_900, 24_454_700],
      [9, 118_200_000, 24_500_000],
    ]),
  ],
};

describe(encodeSegment.name, () => {
  it('round-trips a keyframe and its steps exactly, negative coordinates included', () => {
    const back = decodeSegment(encodeSegment(segment));
    expect(back).toEqual(segment);
  });

  it('codes small moves in a few bytes per unit', () => {
    const rows = Array.from(
      { length: 1000 },
      (_, i) => [i, 118_000_000 + i * 37, 24_400_000 + i * 11] as [number, number, number],
    );
    const moved = rows.map(([s, lon, lat]) => [s, lon + 400, lat - 300] as [number, number, number]);
    const big: PositionSegment = {
      minute: M,
      stepMs: 10_000,
      key: sample(M * MINUTE_MS, rows),
      steps: [sample(M * MINUTE_MS + 5_000, moved)],
    };
    const bytes = encodeSegment(big);
    expect(bytes.length).toBeLessThan(1000 * 12); // far below the 12 bytes a frame entry takes…
    expect(bytes.length - encodeSegment({ ...big, steps: [] }).length).toBeLessThan(1000 * 6); // …a delta row ≤ 6
  });

  it('refuses bytes that are not a segment', () => {
    expect(() => decodeSegment(Uint8Array.from([9, 1, 2]))).toThrow(SegmentFormatError);
    expect(() => decodeSegment(encodeSegment(segment).slice(0, 20))).toThrow(SegmentFormatError);
  });
});

describe(positionsAt.name, () => {
  it('gives the keyframe overlaid with every step up to t', () => {
    const at5 = positionsAt(segment, M * MINUTE_MS + 5_000);
    expect([...at5.slots]).toEqual([0, 3, 7]);
    expect(at5.lonE6[1]).toBe(118_100_500);
    const at10 = positionsAt(segment, M * MINUTE_MS + 10_000);
    expect(at10.lonE6[1]).toBe(118_100_600);
    expect(at10.at).toBe(M * MINUTE_MS + 9_000);
    const end = positionsAt(segment, M * MINUTE_MS + 59_999);
    expect([...end.slots]).toEqual([0, 3, 7, 9]);
    expect([...end.latE6]).toEqual([24_479_500, 24_454_700, -40_000_000, 24_500_000]);
  });
});
