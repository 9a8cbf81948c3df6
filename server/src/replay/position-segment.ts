import { ByteReader, ByteWriter } from './byte-io.ts';
import { SlotTable, type PositionSample } from './slot-table.ts';

export type { PositionSample };

/**
 * Position history, one segment per world minute: a keyframe of every unit's position, then a delta every few
 * seconds (`stepMs`) holding the units that moved, as they stood at the end of that step. Coordinates are the
 * frames' microdegrees; stored, a segment is varint-coded (slot gaps, coordinate differences) and deflated.
 */
export const MINUTE_MS = 60_000;
const SEGMENT_VERSION = 1;

export interface PositionSegment {
  /** World minute: epoch ms / 60 000, floored. */
  minute: number;
  stepMs: number;
  /** Every known unit, as of `key.at` (the minute's start, or when recording began within it). */
  key: PositionSample;
  /** The moved units, step by step, in time order. */
  steps: PositionSample[];
}

export function minuteOf(t: number): number {
  return Math.floor(t / MINUTE_MS);
}

/** Deltas are coded against the unit's previous position (moves are small); the keyframe against the previous unit. */
function writeSample(w: ByteWriter, s: PositionSample, base: number, prev: SlotTable | undefined): void {
  w.uvar(Math.max(0, Math.round(s.at - base)));
  w.uvar(s.slots.length);
  let lastSlot = -1;
  let lastLon = 0;
  let lastLat = 0;
  for (let i = 0; i < s.slots.length; i++) {
    const slot = s.slots[i]!;
    w.uvar(slot - lastSlot - 1);
    lastSlot = slot;
    const p = prev?.get(slot);
    w.svar(s.lonE6[i]! - (p ? p[0] : lastLon));
    w.svar(s.latE6[i]! - (p ? p[1] : lastLat));
    lastLon = s.lonE6[i]!;
    lastLat = s.latE6[i]!;
    prev?.set(slot, lastLon, lastLat);
  }
}

/**
 * A sample as `writeSample` wrote it. The varints are read in place from the bytes (`ByteReader.uvar`'s rule and
 * errors, without a call per byte): a late seek's tracks decode ~600,000 of them (issue #19).
 */
function readSample(r: ByteReader, base: number, prev: SlotTable | undefined): PositionSample {
  const buf = r.buf;
  const len = buf.length;
  let o = r.offset;
  const long = (): number => {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (o >= len) throw new RangeError(`truncated: needs 1 more bytes at ${o} of ${len}`);
      const b = buf[o++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
    throw new RangeError(`varint longer than 8 bytes at ${o}`);
  };
  // One and two bytes (almost every varint here) in small-integer arithmetic; longer ones as ByteReader reads them.
  const uvar = (): number => {
    if (o + 1 < len) {
      const b0 = buf[o]!;
      if (b0 < 0x80) {
        o += 1;
        return b0;
      }
      const b1 = buf[o + 1]!;
      if (b1 < 0x80) {
        o += 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
    }
    return long();
  };
  const svar = (): number => {
    const u = uvar();
    return u < 0x40000000 ? (u >>> 1) ^ -(u & 1) : u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  };
  const at = base + uvar();
  const n = uvar();
  const slots = new Uint32Array(n);
  const lonE6 = new Int32Array(n);
  const latE6 = new Int32Array(n);
  let lastSlot = -1;
  let lastLon = 0;
  let lastLat = 0;
  for (let i = 0; i < n; i++) {
    const slot = lastSlot + 1 + uvar();
    // The unit's previous position read from the table's arrays in place (`get` makes a pair per unit and step).
    const p = prev !== undefined && slot < prev.end && prev.has[slot] === 1;
    const lon = (p ? prev.lonE6[slot]! : lastLon) + svar();
    const lat = (p ? prev.latE6[slot]! : lastLat) + svar();
    slots[i] = slot;
    lonE6[i] = lon;
    latE6[i] = lat;
    lastSlot = slot;
    lastLon = lon;
    lastLat = lat;
    prev?.set(slot, lon, lat);
  }
  r.offset = o;
  return { at, slots, lonE6, latE6 };
}

/** The segment as bytes (before compression). */
export function encodeSegment(s: PositionSegment): Uint8Array {
  const w = new ByteWriter();
  w.u8(SEGMENT_VERSION);
  w.uvar(s.minute);
  w.uvar(s.stepMs);
  w.uvar(s.steps.length);
  const base = s.minute * MINUTE_MS;
  writeSample(w, s.key, base, undefined);
  const prev = new SlotTable();
  prev.apply(s.key);
  for (const step of s.steps) writeSample(w, step, base, prev);
  return w.bytes();
}

export class SegmentFormatError extends Error {}

export function decodeSegment(bytes: Uint8Array): PositionSegment {
  const r = new ByteReader(bytes);
  try {
    const version = r.u8();
    if (version !== SEGMENT_VERSION)
      throw new SegmentFormatError(`position segment version ${version}, expected ${SEGMENT_VERSION}`);
    const minute = r.uvar();
    const stepMs = r.uvar();
    const count = r.uvar();
    const base = minute * MINUTE_MS;
    const key = readSample(r, base, undefined);
    const prev = new SlotTable();
    prev.apply(key);
    const steps: PositionSample[] = [];
    for (let i = 0; i < count; i++) steps.push(readSample(r, base, prev));
    if (!r.done)
      throw new SegmentFormatError(`position segment has ${bytes.length - r.offset} bytes after its last step`);
    return { minute, stepMs, key, steps };
  } catch (err) {
    if (err instanceof SegmentFormatError) throw err;
    throw new SegmentFormatError(`bad position segment: ${(err as Error).message}`);
  }
}

/** Every unit's position at world time t: the keyframe, then the steps up to t. */
export function positionsAt(s: PositionSegment, t: number): PositionSample {
  const table = new SlotTable();
  table.apply(s.key);
  let at = s.key.at;
  for (const step of s.steps) {
    if (step.at > t) break;
    table.apply(step);
    at = step.at;
  }
  return table.sample(at);
}
