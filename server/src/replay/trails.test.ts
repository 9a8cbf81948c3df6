import { describe, expect, it } from 'vitest';
import { encodeTrails } from '@egret/protocol';
import { referenceBuildTrails, referenceDecodeSegment } from '../../test/replay-reference.ts';
import {
  decodeSegment,
  encodeSegment,
  MINUTE_MS,
  SegmentFormatError,
  type PositionSegment,
} from './position-segment.ts';
import { PositionRecorder } from './position-recorder.ts';
import { buildTrails } from './trails.ts';
import { seeded } from '../../../test/seeded.ts';

const T0 = 28_000_000 * MINUTE_MS; // a world minute in 2023

/** The same moves every run. */
const rng = seeded;

/**
 * Segments as the history writer records them, from frames every `frameMs`: units that walk, stand, jump far (long
 * varints, signs flipping), join late or drop out of the frames; recording starts `offsetMs` into a minute.
 */
function record(seed: number, units: number, minutes: number, frameMs: number, offsetMs: number): PositionSegment[] {
  const r = rng(seed);
  const rec = new PositionRecorder(10_000);
  const lon = Array.from({ length: units }, () => Math.round((118 + r() * 0.3) * 1e6));
  const lat = Array.from({ length: units }, () => Math.round((24.4 + r() * 0.3) * 1e6));
  const out: PositionSegment[] = [];
  for (let at = T0 + offsetMs; at < T0 + minutes * MINUTE_MS; at += frameMs) {
    const slots: number[] = [];
    for (let u = 0; u < units; u++) {
      if (u % 9 === 4 && at < T0 + 3 * MINUTE_MS) continue; // joins late
      if (u % 13 === 6 && r() < 0.2) continue; // missing from some frames
      const x = r();
      if (x < 0.02) {
        lon[u] = -lon[u]!; // a jump of 236 degrees: long varints, the sign flips
        lat[u] = Math.round((r() - 0.5) * 180e6);
      } else if (x < 0.7) {
        lon[u]! += Math.round((r() - 0.5) * 400);
        lat[u]! += Math.round((r() - 0.5) * 400);
      }
      slots.push(u * (1 + (u % 3))); // sparse slots
    }
    const picked = slots.map((s) => {
      const u = [...Array(units).keys()].find((k) => k * (1 + (k % 3)) === s)!;
      return [s, lon[u]!, lat[u]!] as const;
    });
    const closed = rec.push({
      at,
      slots: Uint32Array.from(picked.map((p) => p[0])),
      lonE6: Int32Array.from(picked.map((p) => p[1])),
      latE6: Int32Array.from(picked.map((p) => p[2])),
    });
    if (closed) out.push(closed);
  }
  const last = rec.close();
  if (last) out.push(last);
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('trails from position segments', () => {
  it('gives the old builder’s bytes for any window and step: from before, inside and past the history', () => {
    let checked = 0;
    for (const seed of [1, 2, 3]) {
      const segments = record(seed, 40, 9, seed === 2 ? 3_000 : 5_000, seed * 7_000).map((s) =>
        decodeSegment(encodeSegment(s)),
      );
      const r = rng(seed + 100);
      for (let k = 0; k < 25; k++) {
        const from = T0 + Math.round((r() * 9 - 1) * MINUTE_MS);
        const to = from + 1 + Math.round(r() * 7 * MINUTE_MS);
        const step = [1_000, 7_000, 10_000, 20_000, 60_000][k % 5]!;
        // The route's choice: segments from the one holding `from` on (or all of them, when none does).
        const first = [...segments].reverse().find((s) => s.key.at <= from);
        const used = first ? segments.filter((s) => s.minute >= first.minute) : segments;
        const want = encodeTrails(referenceBuildTrails(used, from, to, step));
        expect(same(encodeTrails(buildTrails(used, from, to, step)), want), `seed ${seed} window ${k}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(75);
    expect(encodeTrails(buildTrails([], T0, T0 + MINUTE_MS, 10_000))).toEqual(
      encodeTrails(referenceBuildTrails([], T0, T0 + MINUTE_MS, 10_000)),
    );
  });

  it('decodes a segment as the old decoder did, long varints and sparse slots included, and refuses a cut one', () => {
    for (const seed of [4, 5]) {
      for (const s of record(seed, 60, 4, 2_000, 13_000)) {
        const bytes = encodeSegment(s);
        const fast = decodeSegment(bytes);
        expect(fast).toEqual(referenceDecodeSegment(bytes));
        expect(fast).toEqual(s);
        for (const cut of [1, 2, 5, Math.floor(bytes.length / 2), bytes.length - 1])
          expect(() => decodeSegment(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(SegmentFormatError);
      }
    }
  });
});
