/**
 * Binary position frames: the latest fix of every unit that moved in one tick, coalesced, one frame per tick
 * per screen (sent volatile, so a slow screen skips ticks instead of queueing them). A keyframe carries every
 * unit and is sent on connect and after a gap.
 *
 * Version 3 (written by {@link encodeFrame}), little-endian:
 *   0  u8  version (3)
 *   1  u8  flags (bit 0: keyframe; bit 1: wide offsets, 4 bytes instead of 3)
 *   2  u16 reserved
 *   4  u32 tick number (consecutive; a jump means skipped ticks)
 *   8  f64 world time of the tick, epoch ms
 *   16 u32 count
 *   20 i32 origin lon × 1e6, 24 i32 origin lat × 1e6 (the middle of the frame's entries)
 *   28 count × { varint slot delta, lon offset, lat offset, varint age }
 * Entries are sorted by slot (stably: two entries of one slot keep their order, so "the last one wins" reads the
 * same). The slot delta is the slot less the previous entry's (the first entry's from 0), an unsigned LEB128 varint
 * (7 bits a byte, low first, high bit "more"; at most 5 bytes). Offsets are microdegrees from the origin, signed,
 * 3 bytes (±8,388,607 µdeg: ±8.3°, a city spans far less) or, when any entry of the frame does not fit, 4 bytes for
 * every entry of it (flag bit 1; taken modulo 2³², so every i32 value round-trips). The age is a varint (at most 3
 * bytes). A city's tick of live fixes: ~8 bytes an entry (1 + 3 + 3 + 1) against version 2's 14.
 *
 * Version 2 (still decoded, and written with `{ version: 2 }`: hubs of two versions share Redis during a rolling
 * upgrade — `EGRET_FRAME_VERSION=2` on the new hubs until every hub decodes version 3):
 *   0  u8  version (2)
 *   1  u8  flags (bit 0: keyframe)
 *   2  u16 reserved
 *   4  u32 tick number
 *   8  f64 world time of the tick, epoch ms
 *   16 u32 count
 *   20 count × { u32 slot, i32 lon × 1e6, i32 lat × 1e6, u16 age }   (microdegrees: ~0.1 m), in the fixes' order
 * Both versions carry the same values: slots as u32, positions as i32 microdegrees (rounded, then taken modulo 2³²
 * as a DataView's setInt32 does), ages as u16.
 * A unit is identified by its slot, given at registration and carried by `Unit.slot` in snapshots and events.
 *
 * `age` is how many whole seconds of world time before the frame's time the unit's fix was taken, floored, and
 * saturating at {@link MAX_FIX_AGE_S} (about 18 h: "at least that old"). It is what lets a keyframe tell a silent
 * unit from a fresh one, so a wall greys a silent unit right after a reload instead of `staleAfterMs` later.
 * Seconds in two bytes rather than the epoch ms in eight: staleness is judged in seconds, and the bound holds for
 * any `staleAfterMs × rate` under 18 h of world time (5 s at 3600× is 5 h). Version 1 had no age; nothing stores
 * frames longer than the frames stream's short window (replay keeps its own segments), so its decoder is gone.
 */
/** The version {@link encodeFrame} writes unless told otherwise. */
export const FRAME_VERSION = 3;
/** The versions {@link decodeFrame} reads and {@link encodeFrame} can write. */
export const FRAME_VERSIONS = [2, 3] as const;
export type FrameVersion = (typeof FRAME_VERSIONS)[number];
/** Version 2's header and entry sizes. */
export const FRAME_HEADER_BYTES = 20;
export const FRAME_ENTRY_BYTES = 14;
/** Version 3's header; its entries are 8 to 16 bytes (see the file's comment). */
export const FRAME_V3_HEADER_BYTES = 28;
const V3_MIN_ENTRY = 8;
const V3_MAX_ENTRY = 16;
const FLAG_KEYFRAME = 1;
const FLAG_WIDE = 2;
const I24_MIN = -0x800000;
const I24_MAX = 0x7fffff;
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

/** Which version a hub writes, from its `EGRET_FRAME_VERSION` (unset or empty: {@link FRAME_VERSION}). */
export function frameVersionFrom(value: string | undefined): FrameVersion {
  if (value === undefined || value.trim() === '') return FRAME_VERSION;
  const v = FRAME_VERSIONS.find((version) => String(version) === value.trim());
  if (v === undefined)
    throw new Error(`EGRET_FRAME_VERSION=${JSON.stringify(value)}: expected one of ${FRAME_VERSIONS.join(', ')}`);
  return v;
}

export function encodeFrame(
  tick: number,
  at: number,
  keyframe: boolean,
  fixes: readonly SlotFix[],
  options: { version?: FrameVersion } = {},
): Uint8Array {
  const version = options.version ?? FRAME_VERSION;
  if (version === 2) return encodeV2(tick, at, keyframe, fixes);
  if (version === 3) return encodeV3(tick, at, keyframe, fixes);
  throw new RangeError(`frame version ${String(version)}: expected one of ${FRAME_VERSIONS.join(', ')}`);
}

function writeHeader(view: DataView, version: number, flags: number, tick: number, at: number, count: number): void {
  view.setUint8(0, version);
  view.setUint8(1, flags);
  view.setUint32(4, tick >>> 0, true);
  view.setFloat64(8, at, true);
  view.setUint32(16, count, true);
}

function encodeV2(tick: number, at: number, keyframe: boolean, fixes: readonly SlotFix[]): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + fixes.length * FRAME_ENTRY_BYTES);
  const view = new DataView(bytes.buffer);
  writeHeader(view, 2, keyframe ? FLAG_KEYFRAME : 0, tick, at, fixes.length);
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

/** The fixes' indices in slot order, stable. Slots are u32 and indices < 2²¹ pack exactly into one float64. */
function slotOrder(slots: Uint32Array): Uint32Array {
  const n = slots.length;
  const order = new Uint32Array(n);
  if (n < 2 ** 21) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = slots[i]! * 2 ** 21 + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i]! % 2 ** 21;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => slots[a]! - slots[b]! || a - b);
}

function writeVarint(bytes: Uint8Array, o: number, v: number): number {
  while (v > 0x7f) {
    bytes[o++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  bytes[o++] = v;
  return o;
}

function encodeV3(tick: number, at: number, keyframe: boolean, fixes: readonly SlotFix[]): Uint8Array {
  const n = fixes.length;
  const slots = new Uint32Array(n);
  const lon = new Int32Array(n);
  const lat = new Int32Array(n);
  const age = new Uint16Array(n);
  let lonMin = Infinity;
  let lonMax = -Infinity;
  let latMin = Infinity;
  let latMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const f = fixes[i]!;
    slots[i] = f.slot;
    // The same i32 a DataView's setInt32 stores (version 2): rounded, NaN as 0, modulo 2³².
    lon[i] = Math.round(f.lon * E6);
    lat[i] = Math.round(f.lat * E6);
    const x = lon[i]!;
    const y = lat[i]!;
    age[i] = fixAgeS(at, f.at);
    if (x < lonMin) lonMin = x;
    if (x > lonMax) lonMax = x;
    if (y < latMin) latMin = y;
    if (y > latMax) latMax = y;
  }
  // Middles as i32 (0 for no entries), rounded up: i24 holds −2²³…2²³ − 1, so any span up to 2²⁴ − 1 fits. The
  // offsets' true range decides their width.
  const lon0 = n > 0 ? lonMin + Math.ceil((lonMax - lonMin) / 2) : 0;
  const lat0 = n > 0 ? latMin + Math.ceil((latMax - latMin) / 2) : 0;
  const wide =
    n > 0 && (lonMin - lon0 < I24_MIN || lonMax - lon0 > I24_MAX || latMin - lat0 < I24_MIN || latMax - lat0 > I24_MAX);
  const width = wide ? 4 : 3;
  const bytes = new Uint8Array(FRAME_V3_HEADER_BYTES + n * V3_MAX_ENTRY);
  const view = new DataView(bytes.buffer);
  writeHeader(view, 3, (keyframe ? FLAG_KEYFRAME : 0) | (wide ? FLAG_WIDE : 0), tick, at, n);
  view.setInt32(20, lon0, true);
  view.setInt32(24, lat0, true);
  let o = FRAME_V3_HEADER_BYTES;
  let prev = 0;
  for (const i of slotOrder(slots)) {
    const slot = slots[i]!;
    o = writeVarint(bytes, o, slot - prev);
    prev = slot;
    const dx = (lon[i]! - lon0) | 0;
    const dy = (lat[i]! - lat0) | 0;
    bytes[o] = dx;
    bytes[o + 1] = dx >> 8;
    bytes[o + 2] = dx >> 16;
    if (wide) bytes[o + 3] = dx >> 24;
    o += width;
    bytes[o] = dy;
    bytes[o + 1] = dy >> 8;
    bytes[o + 2] = dy >> 16;
    if (wide) bytes[o + 3] = dy >> 24;
    o += width;
    o = writeVarint(bytes, o, age[i]!);
  }
  return bytes.slice(0, o);
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
  if (version === 2) return decodeV2(bytes, view);
  if (version === 3) return decodeV3(bytes, view);
  throw new FrameFormatError(`frame version ${version}, expected one of ${FRAME_VERSIONS.join(', ')}`);
}

function decodeV2(bytes: Uint8Array, view: DataView): PositionFrame {
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
    keyframe: (view.getUint8(1) & FLAG_KEYFRAME) === FLAG_KEYFRAME,
    slots,
    lonE6,
    latE6,
    ageS,
  };
}

function decodeV3(bytes: Uint8Array, view: DataView): PositionFrame {
  const len = bytes.byteLength;
  if (len < FRAME_V3_HEADER_BYTES)
    throw new FrameFormatError(`version 3 frame of ${len} bytes is shorter than its header`);
  const flags = view.getUint8(1);
  if (flags & ~(FLAG_KEYFRAME | FLAG_WIDE)) throw new FrameFormatError(`frame flags ${flags}: unknown bits`);
  const wide = (flags & FLAG_WIDE) !== 0;
  const count = view.getUint32(16, true);
  const body = len - FRAME_V3_HEADER_BYTES;
  // Before allocating: a count the bytes cannot hold is refused, not trusted.
  if (count * (wide ? V3_MIN_ENTRY + 2 : V3_MIN_ENTRY) > body || count * V3_MAX_ENTRY < body)
    throw new FrameFormatError(`frame says ${count} entries but has ${len} bytes`);
  const lon0 = view.getInt32(20, true);
  const lat0 = view.getInt32(24, true);
  const slots = new Uint32Array(count);
  const lonE6 = new Int32Array(count);
  const latE6 = new Int32Array(count);
  const ageS = new Uint16Array(count);
  const entryRest = wide ? 9 : 7; // both offsets and the age's first byte, after the slot delta
  let o = FRAME_V3_HEADER_BYTES;
  let slot = 0;
  for (let i = 0; i < count; i++) {
    // Slot delta: at most 5 bytes, the sum within u32. One byte for most entries.
    if (o >= len) throw new FrameFormatError(`entry ${i}: slot delta truncated or too long`);
    let b = bytes[o++]!;
    if (b < 0x80) slot += b;
    else {
      let delta = b & 0x7f;
      let scale = 0x80;
      do {
        if (o >= len || scale > 2 ** 28) throw new FrameFormatError(`entry ${i}: slot delta truncated or too long`);
        b = bytes[o++]!;
        delta += (b & 0x7f) * scale;
        scale *= 0x80;
      } while (b & 0x80);
      slot += delta;
    }
    if (slot > 0xffffffff) throw new FrameFormatError(`entry ${i}: slot beyond 2^32 - 1`);
    if (o + entryRest > len) throw new FrameFormatError(`entry ${i}: truncated`);
    let dx: number;
    let dy: number;
    if (wide) {
      dx = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24);
      dy = bytes[o + 4]! | (bytes[o + 5]! << 8) | (bytes[o + 6]! << 16) | (bytes[o + 7]! << 24);
      o += 8;
    } else {
      dx = ((bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16)) << 8) >> 8;
      dy = ((bytes[o + 3]! | (bytes[o + 4]! << 8) | (bytes[o + 5]! << 16)) << 8) >> 8;
      o += 6;
    }
    // Age: at most 3 bytes, at most MAX_FIX_AGE_S.
    let age = bytes[o++]!;
    if (age & 0x80) {
      if (o >= len) throw new FrameFormatError(`entry ${i}: age truncated`);
      b = bytes[o++]!;
      age = (age & 0x7f) | ((b & 0x7f) << 7);
      if (b & 0x80) {
        if (o >= len) throw new FrameFormatError(`entry ${i}: age truncated`);
        b = bytes[o++]!;
        if (b & 0x80) throw new FrameFormatError(`entry ${i}: age too long`);
        age |= b << 14;
      }
      if (age > MAX_FIX_AGE_S) throw new FrameFormatError(`entry ${i}: age ${age} beyond ${MAX_FIX_AGE_S}`);
    }
    slots[i] = slot;
    lonE6[i] = lon0 + dx;
    latE6[i] = lat0 + dy;
    ageS[i] = age;
  }
  if (o !== len) throw new FrameFormatError(`frame says ${count} entries but has ${len - o} bytes more`);
  return {
    tick: view.getUint32(4, true),
    at: view.getFloat64(8, true),
    keyframe: (flags & FLAG_KEYFRAME) !== 0,
    slots,
    lonE6,
    latE6,
    ageS,
  };
}
