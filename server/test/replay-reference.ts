/**
 * The replay paths as they were before issue #19's hub work (the position segment decoder and the trails builder),
 * kept word for word as oracles: tests check the fast paths give the same bytes, and `bench:replay`'s hub phase
 * (server/bench/replay-hub.ts) measures them beside the fast ones in one run. Not used by the hub.
 */
import type { Trails } from '@egret/protocol';
import { ByteReader } from '../src/replay/byte-io.ts';
import { MINUTE_MS, positionsAt, type PositionSegment } from '../src/replay/position-segment.ts';
import { SlotTable, type PositionSample } from '../src/replay/slot-table.ts';

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

/** `decodeSegment` as it was (no version or trailing-bytes errors: the fast one checks those). */
export function referenceDecodeSegment(bytes: Uint8Array): PositionSegment {
  const r = new ByteReader(bytes);
  r.u8();
  const minute = r.uvar();
  const stepMs = r.uvar();
  const count = r.uvar();
  const base = minute * MINUTE_MS;
  const key = readSample(r, base, undefined);
  const prev = new SlotTable();
  prev.apply(key);
  const steps: PositionSample[] = [];
  for (let i = 0; i < count; i++) steps.push(readSample(r, base, prev));
  return { minute, stepMs, key, steps };
}

/** `buildTrails` as it was: a Map of per-unit arrays, a push per point. */
export function referenceBuildTrails(
  segments: readonly PositionSegment[],
  from: number,
  to: number,
  stepMs: number,
): Trails {
  const current = new SlotTable();
  const emitted = new SlotTable();
  const paths = new Map<number, { times: number[]; lon: number[]; lat: number[] }>();

  const emit = (t: number, force: boolean) => {
    for (let slot = 0; slot < current.end; slot++) {
      if (!current.has[slot]) continue;
      const lon = current.lonE6[slot]!;
      const lat = current.latE6[slot]!;
      let path = paths.get(slot);
      const moved = emitted.set(slot, lon, lat);
      if (!moved && !(force && path && path.times.at(-1)! < t - from)) continue;
      if (!path) paths.set(slot, (path = { times: [], lon: [], lat: [] }));
      path.times.push(t - from);
      path.lon.push(lon);
      path.lat.push(lat);
    }
  };

  const first = segments.find((s) => s.key.at <= from) ?? segments[0];
  if (first) {
    current.apply(positionsAt(first, from));
    emit(from, false);
    let next = from + stepMs;
    for (const seg of segments) {
      if (seg.minute < first.minute) continue;
      const samples = seg === first ? seg.steps.filter((s) => s.at > from) : [seg.key, ...seg.steps];
      for (const sample of samples) {
        if (sample.at > to) break;
        while (next < sample.at && next < to) {
          emit(next, false);
          next += stepMs;
        }
        current.apply(sample);
      }
    }
    while (next < to) {
      emit(next, false);
      next += stepMs;
    }
    emit(to, true);
  }

  const slots = [...paths.keys()].sort((a, b) => a - b);
  let n = 0;
  for (const s of slots) n += paths.get(s)!.times.length;
  const out: Trails = {
    epoch: from,
    slots: Uint32Array.from(slots),
    starts: new Uint32Array(slots.length),
    times: new Int32Array(n),
    lonE6: new Int32Array(n),
    latE6: new Int32Array(n),
  };
  let o = 0;
  slots.forEach((slot, i) => {
    const p = paths.get(slot)!;
    out.starts[i] = o;
    out.times.set(p.times, o);
    out.lonE6.set(p.lon, o);
    out.latE6.set(p.lat, o);
    o += p.times.length;
  });
  return out;
}
