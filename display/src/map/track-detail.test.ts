import { describe, expect, it } from 'vitest';
import { detailLevel, toleranceDeg } from './outline-detail.ts';
import {
  pointCount,
  simplifyPaths,
  tracksAtLevel,
  tracksForcedFull,
  tracksForcedPaths,
  type FlatPaths,
} from './track-detail.ts';

const K = Math.cos((24.5 * Math.PI) / 180);

/** Paths from [lon, lat] lists, flat as the replay hands them over. */
function flat(paths: [number, number][][]): FlatPaths & { version: number } {
  const startIndices: number[] = [];
  const coords: number[] = [];
  for (const p of paths) {
    startIndices.push(coords.length / 2);
    for (const [lon, lat] of p) coords.push(lon, lat);
  }
  return {
    length: paths.length,
    startIndices: Uint32Array.from(startIndices),
    positions: Float32Array.from(coords),
    version: 7,
  };
}

/** The paths back as [lon, lat] lists. */
function lists(p: FlatPaths): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i < p.length; i++) {
    const a = p.startIndices[i]!;
    const b = i + 1 < p.length ? p.startIndices[i + 1]! : p.positions.length / 2;
    const path: [number, number][] = [];
    for (let k = a; k < b; k++) path.push([p.positions[2 * k]!, p.positions[2 * k + 1]!]);
    out.push(path);
  }
  return out;
}

/** Distance (degrees, local plane) from a point to the nearest segment of a path. */
function offPath([x, y]: [number, number], path: [number, number][]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < path.length; i++) {
    const [ax, ay] = [path[i]![0] * K, path[i]![1]];
    const [bx, by] = [path[i + 1]![0] * K, path[i + 1]![1]];
    const [px, py] = [x * K, y];
    const l2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / l2)) : 0;
    best = Math.min(best, Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay))));
  }
  return best;
}

/** 3,000 units' 30-minute tracks at 10-s samples: a vehicle's random drive, turning now and then. */
function drives(units = 300, samples = 181, seed = 1): [number, number][][] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: [number, number][][] = [];
  for (let u = 0; u < units; u++) {
    let lon = 118.0 + rnd() * 0.2;
    let lat = 24.45 + rnd() * 0.1;
    let heading = rnd() * 2 * Math.PI;
    const path: [number, number][] = [];
    for (let i = 0; i < samples; i++) {
      path.push([lon, lat]);
      if (rnd() < 0.08) heading += (rnd() - 0.5) * Math.PI;
      const step = 0.0006 * (0.5 + rnd()); // 30–100 m in 10 s
      lon += (step * Math.cos(heading)) / K;
      lat += step * Math.sin(heading);
    }
    out.push(path);
  }
  return out;
}

describe(simplifyPaths.name, () => {
  it('leaves out the samples along a straight stretch and keeps every turn past the tolerance', () => {
    const straight: [number, number][] = Array.from({ length: 50 }, (_, i) => [118 + i * 0.0005, 24.5]);
    const corner: [number, number][] = [
      [118, 24.5],
      [118.01, 24.5],
      [118.02, 24.5],
      [118.02, 24.51],
      [118.02, 24.52],
    ];
    const out = lists(simplifyPaths(flat([straight, corner]), 1e-5));
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual([straight[0]!, straight[49]!].map(([a, b]) => [Math.fround(a), Math.fround(b)]));
    expect(out[1]!.map(([a, b]) => [a, b])).toEqual(
      [corner[0]!, corner[2]!, corner[4]!].map(([a, b]) => [Math.fround(a), Math.fround(b)]),
    );
  });

  it('keeps every path with its two ends — a unit that barely moved, a two-sample path — in the same order', () => {
    const tiny: [number, number][] = [
      [118.1, 24.5],
      [118.1000001, 24.5000001],
      [118.1000002, 24.5],
    ];
    const two: [number, number][] = [
      [118.2, 24.6],
      [118.3, 24.6],
    ];
    const input = flat([two, tiny, two]);
    const out = simplifyPaths(input, 0.01);
    expect(out.length).toBe(3);
    expect(Array.from(out.startIndices)).toEqual([0, 2, 4]);
    expect(lists(out)[1]).toEqual([tiny[0]!, tiny[2]!].map(([a, b]) => [Math.fround(a), Math.fround(b)]));
    expect(out.version).toBe(7);
    expect(simplifyPaths(flat([]), 0.01).length).toBe(0);
  });

  it('at city view keeps a fraction of the samples, each left out within the tolerance of its simplified path', () => {
    const input = flat(drives());
    const level = detailLevel(10.74, false)!;
    const tolerance = toleranceDeg(level, 24.5);
    const out = simplifyPaths(input, tolerance);
    expect(out.length).toBe(input.length);
    expect(pointCount(out)).toBeLessThan(pointCount(input) / 2);
    const before = lists(input);
    const after = lists(out);
    for (let p = 0; p < before.length; p += 7) {
      expect(after[p]![0]).toEqual(before[p]![0]);
      expect(after[p]!.at(-1)).toEqual(before[p]!.at(-1));
      for (const q of before[p]!) expect(offPath(q, after[p]!)).toBeLessThanOrEqual(tolerance * 1.0001);
    }
  });
});

describe(tracksAtLevel.name, () => {
  it('is the tracks themselves at full detail, and the same object for the same tracks and level', () => {
    const tracks = flat(drives(20));
    expect(tracksAtLevel(tracks, null)).toBe(tracks);
    const a = tracksAtLevel(tracks, 10.5);
    expect(a).not.toBe(tracks);
    expect(tracksAtLevel(tracks, 10.5)).toBe(a);
    expect(pointCount(tracksAtLevel(tracks, 14))).toBeGreaterThan(pointCount(a));
    // A new picture of the same tracks (the replay rebuilds them as the clock moves) is worked out again.
    const again = { ...tracks, version: 8 };
    expect(tracksAtLevel(again, 10.5)).not.toBe(a);
    expect(tracksAtLevel(again, 10.5).version).toBe(8);
  });
});

describe(tracksForcedFull.name, () => {
  it('reads ?tracks=full in any letter case, and nothing else', () => {
    expect(tracksForcedFull('?tracks=full')).toBe(true);
    expect(tracksForcedFull('?a=1&tracks=%20FULL')).toBe(true);
    expect(tracksForcedFull('?tracks=fully')).toBe(false);
    expect(tracksForcedFull('?outline=full')).toBe(false);
    expect(tracksForcedFull('')).toBe(false);
  });
});

describe(tracksForcedPaths.name, () => {
  it('reads ?tracks=paths alone or beside full, in any letter case', () => {
    expect(tracksForcedPaths('?tracks=paths')).toBe(true);
    expect(tracksForcedPaths('?tracks=full,%20Paths')).toBe(true);
    expect(tracksForcedFull('?tracks=full,paths')).toBe(true);
    expect(tracksForcedPaths('?tracks=full')).toBe(false);
    expect(tracksForcedPaths('?outline=paths')).toBe(false);
  });
});
