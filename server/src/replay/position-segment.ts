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

function readSample(r: ByteReader, base: number, prev: SlotTable | undefined): PositionSample {
  const at = base + r.uvar();
  const n = r.uvar();
  const slots = new Uint32Array(n);
  const lonE6 = new Int32Array(n);
  const latE6 = new Int32Array(n);
  let lastSlot = -1;
  let lastLon = 0;
  let lastLat = 0;
  for (let i = 0; i < n; i++) {
    const slot = lastSlot + 1 + r.uvar();
    const p = prev?.get(slot);
    const lon = (p ? p[0] : lastLon) + r.svar();
    const lat = (p ? p[1] : lastLat) + r.svar();
    slots[i] = slot;
    lonE6[i] = lon;
    latE6[i] = lat;
    lastSlot = slot;
    lastLon = lon;
    lastLat = lat;
    prev?.set(slot, lon, lat);
  }
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
