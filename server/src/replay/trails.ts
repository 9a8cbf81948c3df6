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
