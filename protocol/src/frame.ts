/**
 * Binary position frames: the latest fix of every unit that moved in one tick, coalesced, one frame per tick
 * per screen (sent volatile, so a slow screen skips ticks instead of queueing them). A keyframe carries every
 * unit and is sent on connect and after a gap.
 *
 * Layout, little-endian:
 *   0  u8  version (2)
 *   1  u8  flags (bit 0: keyframe)
 *   2  u16 reserved
 *   4  u32 tick number (consecutive; a jump means skipped ticks)
 *   8  f64 world time of the tick, epoch ms
 *   16 u32 count
 *   20 count × { u32 slot, i32 lon × 1e6, i32 lat × 1e6, u16 age }   (microdegrees: ~0.1 m)
 * A unit is identified by its slot, given at registration and carried by `Unit.slot` in snapshots and events.
 *
 * `age` is how many whole seconds of world time before the frame's time the unit's fix was taken, floored, and
 * saturating at {@link MAX_FIX_AGE_S} (about 18 h: "at least that old"). It is what lets a keyframe tell a silent
 * unit from a fresh one, so a wall greys a silent unit right after a reload instead of `staleAfterMs` later.
 * Seconds in two bytes rather than the epoch ms in eight: staleness is judged in seconds, and the bound holds for
 * any `staleAfterMs × rate` under 18 h of world time (5 s at 3600× is 5 h). Version 1 had no age; nothing stores
 * frames longer than the frames stream's short window (replay keeps its own segments), so its decoder is gone.
 */
export const FRAME_VERSION = 2;
export const FRAME_HEADER_BYTES = 20;
export const FRAME_ENTRY_BYTES = 14;
/** The largest age a frame can carry, in seconds: an older fix is sent as this. */
export const MAX_FIX_AGE_S = 0xffff;
const E6 = 1e6;

export interface PositionFrame {
  tick: number;
  at: number;
  keyframe: boolean;
  slots: Uint32Array;
  /** Longitudes in microdegrees. */
  lonE6: Int32Array;
  /** Latitudes in microdegrees. */
  latE6: Int32Array;
  /** Whole seconds of world time between each fix and `at` (saturating at {@link MAX_FIX_AGE_S}). */
  ageS: Uint16Array;
}

/** One unit's latest fix as the ticker holds it. */
export interface SlotFix {
  slot: number;
  lon: number;
  lat: number;
  /** World time of the fix, epoch ms. */
  at: number;
}

/**
 * The age a frame at `frameAt` carries for a fix taken at `fixAt`: how many whole-second marks of world time lie
 * between them (the fix's second to the frame's), within 0…MAX_FIX_AGE_S. Counted between whole seconds rather than
 * as the floored difference so that every frame tells the same fix time for the same fix ({@link frameFixAt}): with
 * the floored difference a keyframe built at another fraction of a second read a fix up to a second younger than
 * the frames before it had, and a wall reloaded just after a unit went silent drew it fresh again (issue #15).
 */
export function fixAgeS(frameAt: number, fixAt: number): number {
  return Math.min(MAX_FIX_AGE_S, Math.max(0, Math.floor(frameAt / 1000) - Math.floor(fixAt / 1000)));
}

/**
 * World time (epoch ms) of entry `i`'s fix, to the second: the start of the second it was taken in, whichever frame
 * carried it — never later than the fix, so a screen never judges a fix younger than it is (a fresh fix reads as
 * the start of the frame's second).
 */
export function frameFixAt(frame: Pick<PositionFrame, 'at' | 'ageS'>, i: number): number {
  return (Math.floor(frame.at / 1000) - frame.ageS[i]!) * 1000;
}

export function encodeFrame(tick: number, at: number, keyframe: boolean, fixes: readonly SlotFix[]): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + fixes.length * FRAME_ENTRY_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, FRAME_VERSION);
  view.setUint8(1, keyframe ? 1 : 0);
  view.setUint32(4, tick >>> 0, true);
  view.setFloat64(8, at, true);
  view.setUint32(16, fixes.length, true);
  let o = FRAME_HEADER_BYTES;
  for (const f of fixes) {
    view.setUint32(o, f.slot, true);
    view.setInt32(o + 4, Math.round(f.lon * E6), true);
    view.setInt32(o + 8, Math.round(f.lat * E6), true);
    view.setUint16(o + 12, fixAgeS(at, f.at), true);
    o += FRAME_ENTRY_BYTES;
  }
  return bytes;
}

export class FrameFormatError extends Error {}

export function decodeFrame(input: ArrayBuffer | ArrayBufferView): PositionFrame {
  const bytes =
    input instanceof ArrayBuffer
      ? new Uint8Array(input)
      : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.byteLength < FRAME_HEADER_BYTES)
    throw new FrameFormatError(`frame of ${bytes.byteLength} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== FRAME_VERSION) throw new FrameFormatError(`frame version ${version}, expected ${FRAME_VERSION}`);
  const count = view.getUint32(16, true);
  if (bytes.byteLength !== FRAME_HEADER_BYTES + count * FRAME_ENTRY_BYTES) {
    throw new FrameFormatError(`frame says ${count} entries but has ${bytes.byteLength} bytes`);
  }
  const slots = new Uint32Array(count);
  const lonE6 = new Int32Array(count);
  const latE6 = new Int32Array(count);
  const ageS = new Uint16Array(count);
  let o = FRAME_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    slots[i] = view.getUint32(o, true);
    lonE6[i] = view.getInt32(o + 4, true);
    latE6[i] = view.getInt32(o + 8, true);
    ageS[i] = view.getUint16(o + 12, true);
    o += FRAME_ENTRY_BYTES;
  }
  return {
    tick: view.getUint32(4, true),
    at: view.getFloat64(8, true),
    keyframe: (view.getUint8(1) & 1) === 1,
    slots,
    lonE6,
    latE6,
    ageS,
  };
}
