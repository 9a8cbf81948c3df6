import { describe, expect, it } from 'vitest';
import { haversineM } from '@egret/protocol';
import { locateDistrict } from '@egret/config';
import { nodeAt } from './lattice.ts';
import { edgeM, nearestTravelNode, travelPath, TravelScratch } from './travel-graph.ts';
import { geometry } from '../../test/city.ts';

const g = geometry.travel;
const l = geometry.lattice;
const scratch = new TravelScratch(l.nodeCount);
const siming = nearestTravelNode(g, 118.09, 24.46, 0, 100_000); // anywhere: any node of the main land will do
const at = (lon: number, lat: number) => nearestTravelNode(g, lon, lat, siming, 1_000);

/** The node nearest a point, whatever it connects to. */
function nearestOfAll(lon: number, lat: number): number {
  let best = -1,
    bestM = Infinity;
  for (let n = 0; n < l.nodeCount; n++) {
    const m = haversineM(nodeAt(l, n), [lon, lat]);
    if (m < bestM) {
      bestM = m;
      best = n;
    }
  }
  return best;
}

describe('buildTravelGraph', () => {
  it('joins the districts on the island and on the mainland, and the island to the mainland over its links', () => {
    const sizes = new Map<number, number>();
    for (const c of g.component) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    expect(Math.max(...sizes.values()) / l.nodeCount).toBeGreaterThan(0.99);
    for (const [lon, lat] of [
      [118.13, 24.52] /* 湖里 */,
      [118.03, 24.5] /* 海沧 */,
      [118.1, 24.6] /* 集美 */,
      [118.15, 24.73] /* 同安 */,
      [118.25, 24.62] /* 翔安 */,
    ]) {
      expect(g.component[at(lon!, lat!)]).toBe(g.component[siming]);
    }
  });

  it('leaves Gulangyu out: it has no road link', () => {
    const gulangyu = nearestOfAll(118.067, 24.447);
    expect(haversineM(nodeAt(l, gulangyu), [118.067, 24.447])).toBeLessThan(200);
    expect(g.component[gulangyu]).not.toBe(g.component[siming]);
    expect(nearestTravelNode(g, 118.067, 24.447, siming, 500)).toBe(-1); // the ferry crossing is no road
  });

  it('crosses a district border only where the step stays on land', () => {
    let crossings = 0;
    for (let n = 0; n < l.nodeCount; n++) {
      for (let k = g.extraStart[n]!; k < g.extraStart[n + 1]!; k++) {
        const m = g.extraTo[k]!;
        if (Math.abs(l.row[n]! - l.row[m]!) + Math.abs(l.col[n]! - l.col[m]!) !== 1) continue;
        crossings++;
        expect(l.district[n]).not.toBe(l.district[m]);
        const mid: [number, number] = [(l.lon[n]! + l.lon[m]!) / 2, (l.lat[n]! + l.lat[m]!) / 2];
        expect(locateDistrict(geometry.shapes, mid)).toBeDefined();
      }
    }
    expect(crossings).toBeGreaterThan(200);
  });
});

describe(travelPath.name, () => {
  it('drives from 思明 to 翔安 over a link, by steps and crossings only, not much longer than the roads would be', () => {
    const from = at(118.09, 24.46),
      to = at(118.25, 24.62);
    const path = travelPath(g, from, to, scratch)!;
    expect(path[0]).toBe(from);
    expect(path.at(-1)).toBe(to);
    let metres = 0,
      longest = 0;
    for (let k = 1; k < path.length; k++) {
      const a = path[k - 1]!,
        b = path[k]!;
      const lattice = [0, 1, 2, 3].some((d) => l.nbr[a * 4 + d] === b);
      const extra = Array.from(g.extraTo.subarray(g.extraStart[a]!, g.extraStart[a + 1]!)).includes(b);
      expect(lattice || extra).toBe(true);
      metres += edgeM(l, a, b);
      longest = Math.max(longest, edgeM(l, a, b));
    }
    expect(longest).toBeGreaterThan(1_000); // a bridge or a tunnel
    const straight = haversineM(nodeAt(l, from), nodeAt(l, to));
    expect(metres).toBeGreaterThan(straight);
    expect(metres).toBeLessThan(2 * straight);
  });

  it('finds no way to Gulangyu, and the same node for a trip that goes nowhere', () => {
    expect(travelPath(g, siming, nearestOfAll(118.067, 24.447), scratch)).toBeUndefined();
    expect(Array.from(travelPath(g, siming, siming, scratch)!)).toEqual([siming]);
  });
});
