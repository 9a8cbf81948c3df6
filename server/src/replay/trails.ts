import type { Trails } from '@egret/protocol';
import { positionsAt, type PositionSegment } from './position-segment.ts';
import { SlotTable } from './slot-table.ts';

/**
 * Unit trails over [from, to] from position segments (oldest first; the first one holds `from`), sampled every
 * `stepMs`: each path starts at `from`, gets a point at each sample time where the unit had moved, and ends at
 * `to`, so the display can interpolate any unit at any time of the window. Times are ms after `from`.
 */
export function buildTrails(segments: readonly PositionSegment[], from: number, to: number, stepMs: number): Trails {
  const current = new SlotTable();
  const emitted = new SlotTable();
  // Points in the order they are emitted (sample time, then slot), in typed arrays that grow; laid out unit by unit
  // at the end. A late seek's window is ~200,000 points: no per-unit arrays, no push per point (issue #19).
  let cap = 1 << 14;
  let ptSlot = new Uint32Array(cap);
  let ptTime = new Int32Array(cap);
  let ptLon = new Int32Array(cap);
  let ptLat = new Int32Array(cap);
  let n = 0;
  /** Per slot: its points so far, and the time of its last one. */
  let count = new Uint32Array(1024);
  let last = new Int32Array(1024);
  const grow = () => {
    cap *= 2;
    const more = <T extends Uint32Array | Int32Array>(a: T, make: (k: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    ptSlot = more(ptSlot, (k) => new Uint32Array(k));
    ptTime = more(ptTime, (k) => new Int32Array(k));
    ptLon = more(ptLon, (k) => new Int32Array(k));
    ptLat = more(ptLat, (k) => new Int32Array(k));
  };

  const emit = (t: number, force: boolean) => {
    const end = current.end;
    if (end > count.length) {
      const c = new Uint32Array(current.has.length);
      c.set(count);
      count = c;
      const l = new Int32Array(current.has.length);
      l.set(last);
      last = l;
    }
    const dt = t - from;
    const has = current.has;
    for (let slot = 0; slot < end; slot++) {
      if (!has[slot]) continue;
      const lon = current.lonE6[slot]!;
      const lat = current.latE6[slot]!;
      const moved = emitted.set(slot, lon, lat);
      // Not moved: the unit has a path (it was emitted before); forced, it ends at `to` unless it has a point there.
      if (!moved && !(force && last[slot]! < dt)) continue;
      if (n === cap) grow();
      ptSlot[n] = slot;
      ptTime[n] = dt;
      ptLon[n] = lon;
      ptLat[n] = lat;
      n++;
      count[slot]!++;
      last[slot] = dt;
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

  // Unit by unit, in slot order, each unit's points in time order (the order they were emitted in).
  let paths = 0;
  for (let slot = 0; slot < count.length; slot++) if (count[slot]) paths++;
  const out: Trails = {
    epoch: from,
    slots: new Uint32Array(paths),
    starts: new Uint32Array(paths),
    times: new Int32Array(n),
    lonE6: new Int32Array(n),
    latE6: new Int32Array(n),
  };
  const at = new Uint32Array(count.length);
  for (let slot = 0, i = 0, o = 0; slot < count.length; slot++) {
    if (!count[slot]) continue;
    out.slots[i] = slot;
    out.starts[i++] = o;
    at[slot] = o;
    o += count[slot]!;
  }
  for (let k = 0; k < n; k++) {
    const o = at[ptSlot[k]!]!++;
    out.times[o] = ptTime[k]!;
    out.lonE6[o] = ptLon[k]!;
    out.latE6[o] = ptLat[k]!;
  }
  return out;
}
