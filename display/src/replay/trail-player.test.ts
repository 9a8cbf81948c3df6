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
