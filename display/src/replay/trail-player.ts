import type { Trails } from '@egret/protocol';

const E6 = 1e6;

/**
 * Plays unit tracks from the hub's trails (protocol replay.ts): where every unit is at replay time t (linear
 * between two samples, held before the first and after the last), and the recent stretch of each track for the
 * trails layer. Times stay as integer ms after the trails' epoch, so nothing loses precision in float32.
 */
export class TrailPlayer {
  constructor(readonly trails: Trails) {}

  get from(): number {
    return this.trails.epoch;
  }

  /** The window's end: the last sample time of any path. */
  get to(): number {
    let max = 0;
    for (let i = 0; i < this.trails.times.length; i++) max = Math.max(max, this.trails.times[i]!);
    return this.trails.epoch + max;
  }

  private end(i: number): number {
    return i + 1 < this.trails.slots.length ? this.trails.starts[i + 1]! : this.trails.times.length;
  }

  /** Index of the last sample at or before `dt` within [a, b), or a − 1 when every sample is later. */
  private lastAtOrBefore(a: number, b: number, dt: number): number {
    let lo = a;
    let hi = b - 1;
    let found = a - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.trails.times[mid]! <= dt) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Calls `put(slot, lon, lat)` with every unit's position at world time t. */
  positionsAt(t: number, put: (slot: number, lon: number, lat: number) => void): void {
    const { slots, starts, times, lonE6, latE6 } = this.trails;
    const dt = t - this.trails.epoch;
    for (let i = 0; i < slots.length; i++) {
      const a = starts[i]!;
      const b = this.end(i);
      if (b <= a) continue;
      const k = this.lastAtOrBefore(a, b, dt);
      if (k < a) put(slots[i]!, lonE6[a]! / E6, latE6[a]! / E6);
      else if (k >= b - 1) put(slots[i]!, lonE6[b - 1]! / E6, latE6[b - 1]! / E6);
      else {
        const f = (dt - times[k]!) / (times[k + 1]! - times[k]!);
        put(
          slots[i]!,
          (lonE6[k]! + f * (lonE6[k + 1]! - lonE6[k]!)) / E6,
          (latE6[k]! + f * (latE6[k + 1]! - latE6[k]!)) / E6,
        );
      }
    }
  }

  /**
   * The tracks over [t − windowMs, t] as flat paths for a PathLayer's binary data: each path's samples in the
   * window, starting and ending at the interpolated positions at the window's edges. Units that did not move in
   * the window have no path. Written straight into typed arrays (no arrays per unit): at a late seek of the 72-hour
   * typhoon, 3,000 units' tracks, the page's profile had it at 60–110 ms of the main thread a seek.
   */
  recentPaths(t: number, windowMs: number): { length: number; startIndices: Uint32Array; positions: Float32Array } {
    const { slots, starts, times, lonE6, latE6 } = this.trails;
    const t1 = t - this.trails.epoch;
    const t0 = t1 - windowMs;
    // At most every sample and two edge points a path.
    const positions = new Float32Array(2 * (times.length + 2 * slots.length));
    const startIndices = new Uint32Array(slots.length);
    let length = 0;
    let points = 0;
    let lon0 = 0;
    let lat0 = 0;
    let moved = false;
    /** Appends one point (E6 units); notes whether it differs from the path's first. */
    const put = (lon: number, lat: number, first: boolean) => {
      if (first) {
        lon0 = lon;
        lat0 = lat;
        moved = false;
      } else if (lon !== lon0 || lat !== lat0) moved = true;
      positions[2 * points] = lon / E6;
      positions[2 * points + 1] = lat / E6;
      points++;
    };
    /** The point at `dt` on the path of samples [a, b), interpolated. */
    const putAt = (a: number, b: number, dt: number, first: boolean) => {
      const k = this.lastAtOrBefore(a, b, dt);
      if (k < a) put(lonE6[a]!, latE6[a]!, first);
      else if (k >= b - 1) put(lonE6[b - 1]!, latE6[b - 1]!, first);
      else {
        const f = (dt - times[k]!) / (times[k + 1]! - times[k]!);
        put(lonE6[k]! + f * (lonE6[k + 1]! - lonE6[k]!), latE6[k]! + f * (latE6[k + 1]! - latE6[k]!), first);
      }
    };
    for (let i = 0; i < slots.length; i++) {
      const a = starts[i]!;
      const b = this.end(i);
      if (b - a < 2) continue;
      const start = points;
      putAt(a, b, t0, true);
      for (let k = this.lastAtOrBefore(a, b, t0) + 1; k < b && times[k]! < t1; k++) put(lonE6[k]!, latE6[k]!, false);
      putAt(a, b, t1, false);
      if (moved) startIndices[length++] = start;
      else points = start;
    }
    return { length, startIndices: startIndices.slice(0, length), positions: positions.slice(0, 2 * points) };
  }
}
