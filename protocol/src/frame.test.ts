import { describe, expect, it } from 'vitest';
import {
  decodeFrame, encodeFrame, FRAME_ENTRY_BYTES, FRAME_HEADER_BYTES, FRAME_VERSION, FrameFormatError, type SlotFix,
} from './frame.ts';

const AT = 1_473_872_700_123; // 2016-09-15 01:05:00.123 CST
const FIXES: SlotFix[] = [
  { slot: 0, lon: 118.089123, lat: 24.479876 },
  { slot: 7, lon: 118.3, lat: 24.6 },
  { slot: 49_999, lon: -180, lat: -90 },
  { slot: 4_294_967_295, lon: 180, lat: 90 },
];

describe(encodeFrame.name, () => {
  it('lays out a header and 12 bytes per fix', () => {
    const bytes = encodeFrame(3, AT, true, FIXES);
    expect(bytes.byteLength).toBe(FRAME_HEADER_BYTES + FIXES.length * FRAME_ENTRY_BYTES);
    expect(bytes.byteLength).toBe(20 + 4 * 12);
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

  it('rounds coordinates to the nearest microdegree (about 0.1 m)', () => {
    const frame = decodeFrame(encodeFrame(1, AT, false, [{ slot: 1, lon: 118.0000004, lat: 24.0000006 }, { slot: 2, lon: -0.0000006, lat: 0 }]));
    expect([...frame.lonE6]).toEqual([118_000_000, -1]);
    expect([...frame.latE6]).toEqual([24_000_001, 0]);
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
    expect([...decodeFrame(new DataView(big.buffer, 5, bytes.byteLength)).latE6]).toEqual([...decodeFrame(bytes).latE6]);
    expect(decodeFrame(Buffer.from(bytes)).at).toBe(AT);
  });

  it('refuses a frame shorter than its header', () => {
    expect(() => decodeFrame(new Uint8Array(19))).toThrow(FrameFormatError);
    expect(() => decodeFrame(new Uint8Array(0))).toThrow('frame of 0 bytes is shorter than its header');
  });

  it('refuses another version', () => {
    const bytes = encodeFrame(1, AT, false, FIXES);
    bytes[0] = 2;
    expect(() => decodeFrame(bytes)).toThrow('frame version 2, expected 1');
  });

  it('refuses a frame whose length does not match its count', () => {
    const bytes = encodeFrame(1, AT, false, FIXES);
    expect(() => decodeFrame(bytes.subarray(0, bytes.byteLength - 1))).toThrow('frame says 4 entries but has 67 bytes');
    const longer = new Uint8Array(bytes.byteLength + FRAME_ENTRY_BYTES);
    longer.set(bytes);
    expect(() => decodeFrame(longer)).toThrow(FrameFormatError);
    // A count that would need gigabytes is refused before anything is allocated.
    new DataView(bytes.buffer).setUint32(16, 0xffffffff, true);
    expect(() => decodeFrame(bytes)).toThrow(FrameFormatError);
  });
});
