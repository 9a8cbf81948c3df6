import { describe, expect, it } from 'vitest';
import { haversineM } from '@egret/protocol';
import { districtShapes, gridSpec, inShape, loadConfig, locateDistrict } from '@egret/config';
import { buildLattice, findPath, nearestNode as nearestReachable, nodeAt, PathScratch, stepM } from './lattice.ts';

const config = loadConfig();
const shapes = districtShapes(config.boundaries);
const lattice = buildLattice(shapes, gridSpec(config.city.bbox, 500));
const scratch = new PathScratch(lattice.nodeCount);

/** The node nearest a point in a district. */
function nearestNode(district: string, lon: number, lat: number): number {
  const d = lattice.districts.indexOf(district);
  let best = -1,
    bestD = Infinity;
  for (let n = 0; n < lattice.nodeCount; n++) {
    if (lattice.district[n] !== d) continue;
    const dd = (lattice.lon[n]! - lon) ** 2 + (lattice.lat[n]! - lat) ** 2;
    if (dd < bestD) {
      bestD = dd;
      best = n;
    }
  }
  return best;
}

describe(buildLattice.name, () => {
  it('places nodes about 250 m apart, tens of thousands over the city', () => {
    expect(lattice.nodeCount).toBeGreaterThan(15_000);
    expect(lattice.northSouthM).toBeGreaterThan(240);
    expect(lattice.northSouthM).toBeLessThan(260);
    const a = 1000,
      b = lattice.nbr[a * 4]!;
    if (b >= 0) expect(haversineM(nodeAt(lattice, a), nodeAt(lattice, b))).toBeCloseTo(stepM(lattice, a, b), -1);
  });

  it('agrees with inShape on every lattice position of every district', () => {
    shapes.forEach((shape, d) => {
      const [x0, y0, x1, y1] = shape.bbox;
      const rowOf = (y: number) => Math.floor((y - lattice.spec.origin[1]) / lattice.stepLat);
      const colOf = (x: number) => Math.floor((x - lattice.spec.origin[0]) / lattice.stepLon);
      for (let r = rowOf(y0) - 1; r <= rowOf(y1) + 1; r++)
        for (let c = colOf(x0) - 1; c <= colOf(x1) + 1; c++) {
          const p: [number, number] = [
            lattice.spec.origin[0] + (c + 0.5) * lattice.stepLon,
            lattice.spec.origin[1] + (r + 0.5) * lattice.stepLat,
          ];
          const isNode = lattice.index[d]![r * lattice.cols + c]! >= 0;
          if (isNode !== inShape(shape, p))
            expect({ district: shape.code, r, c, isNode }).toEqual({ district: shape.code, r, c, isNode: !isNode });
        }
    });
  });

  it('keeps every point of every step near the coast inside the step’s district', () => {
    let steps = 0;
    for (let n = 0; n < lattice.nodeCount; n++) {
      const shape = shapes[lattice.district[n]!]!;
      // Steps touching a node with a missing neighbour are the ones the coast or a border could cut.
      const nearEdge = [0, 1, 2, 3].some((dir) => lattice.nbr[n * 4 + dir]! < 0);
      if (!nearEdge) continue;
      for (const dir of [0, 1, 2, 3]) {
        const m = lattice.nbr[n * 4 + dir]!;
        if (m < 0) continue;
        steps++;
        for (let k = 1; k < 8; k++) {
          const t = k / 8;
          const p: [number, number] = [
            lattice.lon[n]! + (lattice.lon[m]! - lattice.lon[n]!) * t,
            lattice.lat[n]! + (lattice.lat[m]! - lattice.lat[n]!) * t,
          ];
          if (!inShape(shape, p)) expect({ n, m, t }).toBe('inside');
        }
      }
    }
    expect(steps).toBeGreaterThan(3_000);
  });

  it('separates Gulangyu from Xiamen island and the island from the mainland', () => {
    const gulangyu = nearestNode('350203', 118.066, 24.447);
    const zhongshan = nearestNode('350203', 118.0835, 24.4565);
    const huli = nearestNode('350206', 118.105, 24.512);
    expect(locateDistrict(shapes, nodeAt(lattice, gulangyu))).toBe('350203');
    expect(lattice.component[gulangyu]).not.toBe(lattice.component[zhongshan]);
    expect(findPath(lattice, zhongshan, gulangyu, scratch)).toBeUndefined();
    expect(findPath(lattice, zhongshan, huli, scratch)).toBeUndefined(); // district borders are not crossed either
  });
});

describe(findPath.name, () => {
  it('walks neighbour to neighbour from one end to the other, around the coast when it must', () => {
    const pairs: [string, number, number, number, number][] = [
      ['350203', 118.0835, 24.4565, 118.185, 24.47],
      ['350212', 118.155, 24.723, 118.13, 24.8],
      ['350205', 118.04, 24.47, 117.96, 24.56],
    ];
    for (const [d, x0, y0, x1, y1] of pairs) {
      const a = nearestNode(d, x0, y0),
        b = nearestNode(d, x1, y1);
      const path = findPath(lattice, a, b, scratch)!;
      expect(path).toBeDefined();
      expect(path[0]).toBe(a);
      expect(path[path.length - 1]).toBe(b);
      for (let i = 1; i < path.length; i++) {
        const p = path[i - 1]!;
        expect([0, 1, 2, 3].map((dir) => lattice.nbr[p * 4 + dir]).includes(path[i]!)).toBe(true);
      }
    }
  });

  it('returns the single node when already there', () => {
    expect([...findPath(lattice, 5, 5, scratch)!]).toEqual([5]);
  });
});

describe(nearestReachable.name, () => {
  /** Brute force: the nearest node of `from`'s component, in metres. */
  function bruteForce(lon: number, lat: number, from: number): { node: number; m: number } {
    let node = -1,
      m = Infinity;
    for (let n = 0; n < lattice.nodeCount; n++) {
      if (lattice.component[n] !== lattice.component[from]) continue;
      const d = haversineM([lon, lat], nodeAt(lattice, n));
      if (d < m) {
        m = d;
        node = n;
      }
    }
    return { node, m };
  }

  it('finds the nearest node a unit can reach, on its own land or across the water', () => {
    const siming = nearestNode('350203', 118.09, 24.46); // on Xiamen island
    for (const [lon, lat] of [
      [118.095, 24.455],
      [118.067, 24.447] /* Gulangyu, across the water */,
      [118.05, 24.5] /* Haicang */,
    ]) {
      const expected = bruteForce(lon!, lat!, siming);
      const found = nearestReachable(lattice, lon!, lat!, siming, 10_000);
      expect(lattice.component[found]).toBe(lattice.component[siming]);
      expect(haversineM([lon!, lat!], nodeAt(lattice, found))).toBeCloseTo(expected.m, -1);
    }
  });

  it('finds nothing farther than asked', () => {
    const siming = nearestNode('350203', 118.09, 24.46);
    expect(nearestReachable(lattice, 118.3, 24.7, siming, 2_000)).toBe(-1); // Xiang'an, far off the island
  });
});
