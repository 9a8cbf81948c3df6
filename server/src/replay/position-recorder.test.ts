import { describe, expect, it } from 'vitest';
import { PositionRecorder } from './position-recorder.ts';
import { MINUTE_MS, positionsAt } from './position-segment.ts';

const T0 = 28_000_000 * MINUTE_MS;
const frame = (at: number, rows: Array<[number, number, number]>) => ({
  at,
  slots: Uint32Array.from(rows.map((r) => r[0])),
  lonE6: Int32Array.from(rows.map((r) => r[1])),
  latE6: Int32Array.from(rows.map((r) => r[2])),
});

describe(PositionRecorder.name, () => {
  it('closes a minute when the next one starts, with a keyframe of every known unit and one delta per step', () => {
    const rec = new PositionRecorder(10_000);
    rec.seed(
      frame(0, [
        [1, 100, 200],
        [2, 300, 400],
      ]),
    );
    expect(rec.push(frame(T0 + 1_000, [[1, 110, 200]]))).toBeUndefined();
    expect(rec.push(frame(T0 + 2_000, [[1, 120, 200]]))).toBeUndefined(); // same step: only the last place counts
    expect(rec.push(frame(T0 + 12_000, [[2, 300, 450]]))).toBeUndefined();
    expect(rec.push(frame(T0 + 13_000, [[2, 300, 450]]))).toBeUndefined(); // not a move
    const seg = rec.push(frame(T0 + MINUTE_MS + 500, [[1, 130, 200]]))!;
    expect(seg.minute).toBe(T0 / MINUTE_MS);
    expect(seg.key.at).toBe(T0 + 1_000); // recording began mid-minute
    expect([...seg.key.slots]).toEqual([1, 2]);
    expect(seg.steps.map((s) => [s.at, [...s.slots], [...s.lonE6], [...s.latE6]])).toEqual([
      [T0 + 2_000, [1], [120], [200]],
      [T0 + 13_000, [2], [300], [450]],
    ]);
    const next = rec.close()!;
    expect(next.key.at).toBe(T0 + MINUTE_MS); // continuous: keyframe at the minute's start, before its first frame
    expect([...next.key.lonE6]).toEqual([120, 300]);
    expect(positionsAt(next, T0 + MINUTE_MS + 500).lonE6[0]).toBe(130);
  });

  it('starts a fresh segment when time goes backwards (a clock set to the past)', () => {
    const rec = new PositionRecorder(10_000);
    rec.push(frame(T0 + 30_000, [[1, 1, 1]]));
    const closed = rec.push(frame(T0 + 5_000, [[1, 2, 2]]))!;
    expect(closed.minute).toBe(T0 / MINUTE_MS);
    const fresh = rec.close()!;
    expect(fresh.key.at).toBe(T0 + 5_000);
    expect(fresh.steps).toHaveLength(1);
  });

  it('has nothing to close before the first frame', () => {
    expect(new PositionRecorder(10_000).close()).toBeUndefined();
  });
});
