import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  fixAgeS,
  FRAME_ENTRY_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_VERSION,
  frameFixAt,
  FrameFormatError,
  MAX_FIX_AGE_S,
  type SlotFix,
} from './frame.ts';

const AT = 1_473_872_700_123; // 2016-09-15 01:05:00.123 CST
const FIXES: SlotFix[] = [
  { slot: 0, lon: 118.089123, lat: 24.479876, at: AT },
  { slot: 7, lon: 118.3, lat: 24.6, at: AT - 1_500 },
  { slot: 49_999, lon: -180, lat: -90, at: AT - 3_600_000 },
  { slot: 4_294_967_295, lon: 180, lat: 90, at: AT - 30 * 3_600_000 },
];

describe(encodeFrame.name, () => {
  it('lays out a header and 14 bytes per fix', () => {
    const bytes = encodeFrame(3, AT, true, FIXES);
    expect(bytes.byteLength).toBe(FRAME_HEADER_BYTES + FIXES.length * FRAME_ENTRY_BYTES);
    expect(bytes.byteLength).toBe(20 + 4 * 14);
    expect(bytes[0]).toBe(FRAME_VERSION);
    expect(bytes[1]).toBe(1);
  });
});

describe(decodeFrame.name, () => {
  it('round-trips tick, time, keyframe flag and every fix to the microdegree', () => {
    const frame = decodeFrame(encodeFrame(123_456, AT, true, FIXES));
    expect(frame).toMatchObject({ tick: 123_456, at: AT, keyframe: true });
    expect([...frame.slots]).toEqual(FIXES.map((f) => f.slot));
    expect([...frame.lonE6]).toEqual([118_089_123, 118_300_000, -180_000_000, 180_000_000]);
    expect([...frame.latE6]).toEqual([24_479_876, 24_600_000, -90_000_000, 90_000_000]);
    expect(decodeFrame(encodeFrame(1, AT, false, FIXES)).keyframe).toBe(false);
  });

  it('carries each fix’s age in whole seconds before the frame’s time, so a keyframe tells a silent unit from a fresh one', () => {
    const frame = decodeFrame(encodeFrame(1, AT, true, FIXES));
    expect([...frame.ageS]).toEqual([0, 2, 3_600, MAX_FIX_AGE_S]);
    // The start of the second each fix was taken in: never later than the fix.
    expect(frameFixAt(frame, 0)).toBe(AT - 123);
    expect(frameFixAt(frame, 1)).toBe(AT - 1_500 - 623);
    expect(frameFixAt(frame, 2)).toBe(AT - 3_600_000 - 123);
    // Older than the field holds: sent as the largest age, still at least ~18 h old.
    expect(AT - 123 - frameFixAt(frame, 3)).toBe(MAX_FIX_AGE_S * 1000);
  });

  it('tells the same fix time for a fix whichever frame carries it, so a keyframe after a reload never makes a silent unit younger (issue #15)', () => {
    const staleAfterMs = 5_000;
    const fixAt = AT - 120; // …700.003
    const fix: SlotFix = { slot: 3, lon: 118.1, lat: 24.5, at: fixAt };
    // The frames a wall saw (the fix early in their second) and the keyframe built after a reload (late in its second).
    const seen = new Set<number>();
    for (let frameAt = fixAt; frameAt < fixAt + 8_000; frameAt += 97) {
      const frame = decodeFrame(encodeFrame(1, frameAt, frameAt % 2 === 0, [fix]));
      const told = frameFixAt(frame, 0);
      seen.add(told);
      expect(told).toBeLessThanOrEqual(fixAt);
    }
    expect([...seen]).toEqual([Math.floor(fixAt / 1000) * 1000]);
    // Before: a wall greyed the unit at 5.1 s by one frame's fix time, and a keyframe 0.6 s later told a fix time
    // 0.9 s younger, so the reloaded wall read it as 4.8 s old: fresh. Now both read the same fix time.
    const greyedAt = fixAt + staleAfterMs + 100;
    const keyframe = decodeFrame(encodeFrame(2, greyedAt + 600, true, [fix]));
    expect(greyedAt + 600 - frameFixAt(keyframe, 0)).toBeGreaterThan(staleAfterMs);
  });

  it('rounds coordinates to the nearest microdegree (about 0.1 m)', () => {
    const frame = decodeFrame(
      encodeFrame(1, AT, false, [
        { slot: 1, lon: 118.0000004, lat: 24.0000006, at: AT },
        { slot: 2, lon: -0.0000006, lat: 0, at: AT },
      ]),
    );
    expect([...frame.lonE6]).toEqual([118_000_000, -1]);
    expect([...frame.latE6]).toEqual([24_000_001, 0]);
  });

  it('counts ages in whole-second marks and reads a fix from the future (a gateway’s clock ahead) as fresh', () => {
    expect(fixAgeS(AT, AT - 123)).toBe(0);
    expect(fixAgeS(AT, AT - 124)).toBe(1);
    expect(fixAgeS(AT, AT - 1_123)).toBe(1);
    expect(fixAgeS(AT, AT - 1_124)).toBe(2);
    expect(fixAgeS(AT, AT + 5_000)).toBe(0);
    expect(fixAgeS(AT, AT - 65_535_000)).toBe(MAX_FIX_AGE_S);
    expect(fixAgeS(AT, 0)).toBe(MAX_FIX_AGE_S);
  });

  it('round-trips an empty frame', () => {
    const frame = decodeFrame(encodeFrame(9, AT, false, []));
    expect(frame).toMatchObject({ tick: 9, at: AT, keyframe: false });
    expect(frame.slots).toHaveLength(0);
  });

  it('wraps the tick number at 2³²', () => {
    expect(decodeFrame(encodeFrame(2 ** 32 + 5, AT, false, [])).tick).toBe(5);
  });

  it('reads an ArrayBuffer, and a view into the middle of a larger buffer (as Node’s pooled Buffers are)', () => {
    const bytes = encodeFrame(4, AT, false, FIXES);
    const copy = bytes.slice().buffer;
    expect([...decodeFrame(copy).slots]).toEqual(FIXES.map((f) => f.slot));

    const big = new Uint8Array(bytes.byteLength + 13);
    big.set(bytes, 5);
    const view = big.subarray(5, 5 + bytes.byteLength);
    expect(decodeFrame(view)).toMatchObject({ tick: 4, at: AT });
    expect([...decodeFrame(new DataView(big.buffer, 5, bytes.byteLength)).latE6]).toEqual([
      ...decodeFrame(bytes).latE6,
    ]);
    expect(decodeFrame(Buffer.from(bytes)).at).toBe(AT);
  });

  it('refuses a frame shorter than its header', () => {
    expect(() => decodeFrame(new Uint8Array(19))).toThrow(FrameFormatError);
    expect(() => decodeFrame(new Uint8Array(0))).toThrow('frame of 0 bytes is shorter than its header');
  });

  it('refuses another version', () => {
    const bytes = encodeFrame(1, AT, false, FIXES);
    bytes[0] = 1;
    expect(() => decodeFrame(bytes)).toThrow('frame version 1, expected 2');
  });

  it('refuses a frame whose length does not match its count', () => {
    const bytes = encodeFrame(1, AT, false, FIXES);
    expect(() => decodeFrame(bytes.subarray(0, bytes.byteLength - 1))).toThrow('frame says 4 entries but has 75 bytes');
    const longer = new Uint8Array(bytes.byteLength + FRAME_ENTRY_BYTES);
    longer.set(bytes);
    expect(() => decodeFrame(longer)).toThrow(FrameFormatError);
    // A count that would need gigabytes is refused before anything is allocated.
    new DataView(bytes.buffer).setUint32(16, 0xffffffff, true);
    expect(() => decodeFrame(bytes)).toThrow(FrameFormatError);
  });
});
