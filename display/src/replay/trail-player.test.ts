import { describe, expect, it } from 'vitest';
import { decodeTrails, encodeTrails, type Trails } from '@egret/protocol';
import { TrailPlayer } from './trail-player.ts';

const EPOCH = 1_782_864_000_000;
/** Unit 4 walks east for 20 s then stops; unit 9 never moves. */
const trails: Trails = decodeTrails(
  encodeTrails({
    epoch: EPOCH,
    slots: Uint32Array.from([4, 9]),
    starts: Uint32Array.from([0, 3]),
    times: Int32Array.from([0, 10_000, 20_000, 0, 60_000]),
    lonE6: Int32Array.from([118_000_000, 118_001_000, 118_002_000, 118_100_000, 118_100_000]),
    latE6: Int32Array.from([24_400_000, 24_400_000, 24_400_000, 24_500_000, 24_500_000]),
  }),
);

function at(player: TrailPlayer, t: number) {
  const out = new Map<number, [number, number]>();
  player.positionsAt(t, (slot, lon, lat) => out.set(slot, [lon, lat]));
  return out;
}

describe(TrailPlayer.name, () => {
  it('interpolates each unit between its samples, and holds it outside them', () => {
    const player = new TrailPlayer(trails);
    expect(at(player, EPOCH + 5_000).get(4)![0]).toBeCloseTo(118.0005, 9);
    expect(at(player, EPOCH + 15_000).get(4)![0]).toBeCloseTo(118.0015, 9);
    expect(at(player, EPOCH - 1_000).get(4)![0]).toBeCloseTo(118, 9);
    expect(at(player, EPOCH + 45_000).get(4)![0]).toBeCloseTo(118.002, 9);
    expect(at(player, EPOCH + 30_000).get(9)).toEqual([118.1, 24.5]);
    expect(player.to).toBe(EPOCH + 60_000);
  });

  it('draws only the units that moved within the window, from its start to now', () => {
    const player = new TrailPlayer(trails);
    const paths = player.recentPaths(EPOCH + 15_000, 10_000);
    expect(paths.length).toBe(1);
    expect([...paths.startIndices]).toEqual([0]);
    // From the position at 5 s, through the sample at 10 s, to the position at 15 s.
    const lons = [...paths.positions].filter((_, i) => i % 2 === 0);
    expect(lons.map((x) => Math.round(x * 1e4) / 1e4)).toEqual([118.0005, 118.001, 118.0015]);
    expect(player.recentPaths(EPOCH + 59_000, 10_000).length).toBe(0); // unit 4 has stood still since 20 s
  });
});

/** `recentPaths` as it was written before it wrote into typed arrays: the reference the fast one must equal. */
function referenceRecentPaths(trails: Trails, t: number, windowMs: number) {
  const { slots, starts, times, lonE6, latE6 } = trails;
  const end = (i: number) => (i + 1 < slots.length ? starts[i + 1]! : times.length);
  const lastAtOrBefore = (a: number, b: number, dt: number) => {
    let found = a - 1;
    for (let k = a; k < b; k++) if (times[k]! <= dt) found = k;
    return found;
  };
  const t1 = t - trails.epoch;
  const t0 = t1 - windowMs;
  const coords: number[] = [];
  const startIndices: number[] = [];
  const at = (a: number, b: number, dt: number): [number, number] => {
    const k = lastAtOrBefore(a, b, dt);
    if (k < a) return [lonE6[a]!, latE6[a]!];
    if (k >= b - 1) return [lonE6[b - 1]!, latE6[b - 1]!];
    const f = (dt - times[k]!) / (times[k + 1]! - times[k]!);
    return [lonE6[k]! + f * (lonE6[k + 1]! - lonE6[k]!), latE6[k]! + f * (latE6[k + 1]! - latE6[k]!)];
  };
  for (let i = 0; i < slots.length; i++) {
    const a = starts[i]!;
    const b = end(i);
    if (b - a < 2) continue;
    const first = at(a, b, t0);
    const last = at(a, b, t1);
    const inside: number[] = [];
    for (let k = lastAtOrBefore(a, b, t0) + 1; k < b && times[k]! < t1; k++) {
      if (k < a) continue;
      inside.push(lonE6[k]!, latE6[k]!);
    }
    const pts = [first[0], first[1], ...inside, last[0], last[1]];
    let moved = false;
    for (let k = 2; k < pts.length; k += 2) if (pts[k] !== pts[0] || pts[k + 1] !== pts[1]) moved = true;
    if (!moved) continue;
    startIndices.push(coords.length / 2);
    for (const v of pts) coords.push(v / 1e6);
  }
  return {
    length: startIndices.length,
    startIndices: Uint32Array.from(startIndices),
    positions: Float32Array.from(coords),
  };
}

describe('TrailPlayer.recentPaths against its reference', () => {
  it('gives the same paths, to the bit, over random tracks and windows', () => {
    let seed = 20261208;
    let drawn = 0;
    let left = 0;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let round = 0; round < 40; round++) {
      const units = 1 + Math.floor(random() * 30);
      const slots: number[] = [];
      const starts: number[] = [];
      const times: number[] = [];
      const lon: number[] = [];
      const lat: number[] = [];
      for (let u = 0; u < units; u++) {
        slots.push(u * 3);
        starts.push(times.length);
        const samples = Math.floor(random() * 8); // 0 and 1 included: no path
        let time = Math.floor(random() * 60_000);
        let x = 118_000_000 + Math.floor(random() * 100_000);
        let y = 24_400_000 + Math.floor(random() * 100_000);
        for (let s = 0; s < samples; s++) {
          times.push(time);
          lon.push(x);
          lat.push(y);
          time += 1 + Math.floor(random() * 30_000);
          // Half the steps stand still: paths that do not move in a window are left out.
          if (random() < 0.5) {
            x += Math.floor(random() * 2_000) - 1_000;
            y += Math.floor(random() * 2_000) - 1_000;
          }
        }
      }
      const sample: Trails = decodeTrails(
        encodeTrails({
          epoch: EPOCH,
          slots: Uint32Array.from(slots),
          starts: Uint32Array.from(starts),
          times: Int32Array.from(times),
          lonE6: Int32Array.from(lon),
          latE6: Int32Array.from(lat),
        }),
      );
      const player = new TrailPlayer(sample);
      for (let w = 0; w < 5; w++) {
        // Windows that end, or start, exactly on a sample are edge cases of their own.
        const onSample = times.length > 0 && random() < 0.5 ? times[Math.floor(random() * times.length)]! : null;
        const windowMs = Math.floor(random() * 120_000);
        const t =
          onSample === null
            ? EPOCH + Math.floor(random() * 300_000) - 30_000
            : EPOCH + onSample + (random() < 0.5 ? 0 : windowMs);
        const reference = referenceRecentPaths(sample, t, windowMs);
        expect(player.recentPaths(t, windowMs)).toEqual(reference);
        drawn += reference.length;
        left += units - reference.length;
      }
    }
    // The windows drew paths, and left units out (too few samples, or standing still).
    expect(drawn).toBeGreaterThan(100);
    expect(left).toBeGreaterThan(100);
  });
});
