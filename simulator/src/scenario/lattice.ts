import type { LonLat } from '@egret/protocol';
import { M_PER_DEG_LAT, M_PER_DEG_LON_EQUATOR, type DistrictShape, type GridSpec } from '@egret/config';

/**
 * A coarse road-ish lattice for movement: points every half grid cell (~250 m) inside each district, joined to their
 * four neighbours only where the straight step between them stays inside the district. Units move along it, so a
 * patrol never crosses the sea between the island and the mainland, and paths look like streets (east–west and
 * north–south runs) rather than lines through buildings.
 *
 * Inside-ness uses the same even-odd crossing rule as `inShape` (config/src/geometry.ts), computed per lattice row
 * and column with a scan line: a node is inside when an odd number of boundary crossings lie east of it, and a step
 * is kept when no crossing lies between its two ends — so every point of a kept step is inside the district.
 */
export interface Lattice {
  spec: GridSpec;
  /** Lattice rows and columns over the grid (two per grid cell each way). */
  rows: number;
  cols: number;
  stepLon: number;
  stepLat: number;
  /** District codes; `district[node]` indexes this list. */
  districts: string[];
  nodeCount: number;
  lon: Float64Array;
  lat: Float64Array;
  row: Int32Array;
  col: Int32Array;
  district: Uint8Array;
  /** Neighbours per node: [east, west, north, south], -1 where there is no step. */
  nbr: Int32Array;
  /** Connected component of each node (an island, a peninsula cut off by the lattice, the mainland …). */
  component: Int32Array;
  /** Length in metres of the east–west step at each node's latitude. */
  eastWestM: Float64Array;
  /** Length in metres of a north–south step. */
  northSouthM: number;
  /** Per district, lattice cell (row * cols + col) → node, or -1. */
  index: Int32Array[];
}

export const EAST = 0,
  WEST = 1,
  NORTH = 2,
  SOUTH = 3;

/** Builds the lattice of every district shape on the city grid. */
export function buildLattice(shapes: readonly DistrictShape[], spec: GridSpec): Lattice {
  const rows = spec.rows * 2,
    cols = spec.cols * 2;
  const stepLon = spec.cellLon / 2,
    stepLat = spec.cellLat / 2;
  const lonOf = (c: number) => spec.origin[0] + (c + 0.5) * stepLon;
  const latOf = (r: number) => spec.origin[1] + (r + 0.5) * stepLat;

  const lon: number[] = [],
    lat: number[] = [],
    rowA: number[] = [],
    colA: number[] = [],
    dist: number[] = [];
  const index = shapes.map(() => new Int32Array(rows * cols).fill(-1));
  // Per district: the horizontal crossings of each row, kept to test east–west steps after all nodes exist.
  const rowCrossings: Map<number, Float64Array>[] = [];

  shapes.forEach((shape, d) => {
    const rings = shape.polygons.flatMap((p) => p);
    const [r0, r1] = span(shape.bbox[1], shape.bbox[3], spec.origin[1], stepLat, rows);
    const [c0, c1] = span(shape.bbox[0], shape.bbox[2], spec.origin[0], stepLon, cols);
    const crossings = new Map<number, Float64Array>();
    for (let r = r0; r <= r1; r++) {
      const y = latOf(r);
      const xs = horizontalCrossings(rings, y);
      if (xs.length === 0) continue;
      crossings.set(r, xs);
      for (let c = c0; c <= c1; c++) {
        const x = lonOf(c);
        if (countAbove(xs, x) % 2 === 1) {
          index[d]![r * cols + c] = lon.length;
          lon.push(x);
          lat.push(y);
          rowA.push(r);
          colA.push(c);
          dist.push(d);
        }
      }
    }
    rowCrossings.push(crossings);
  });

  const nodeCount = lon.length;
  const nbr = new Int32Array(nodeCount * 4).fill(-1);
  shapes.forEach((shape, d) => {
    const idx = index[d]!;
    const rings = shape.polygons.flatMap((p) => p);
    // East–west steps: no crossing of this row's scan line between the two nodes.
    for (const [r, xs] of rowCrossings[d]!) {
      for (let c = 0; c < cols - 1; c++) {
        const a = idx[r * cols + c]!,
          b = idx[r * cols + c + 1]!;
        if (a < 0 || b < 0) continue;
        if (countAbove(xs, lonOf(c)) === countAbove(xs, lonOf(c + 1))) link(nbr, a, b, EAST, WEST);
      }
    }
    // North–south steps: the same test on the column's scan line.
    const [c0, c1] = span(shape.bbox[0], shape.bbox[2], spec.origin[0], stepLon, cols);
    for (let c = c0; c <= c1; c++) {
      const ys = verticalCrossings(rings, lonOf(c));
      if (ys.length === 0) continue;
      for (let r = 0; r < rows - 1; r++) {
        const a = idx[r * cols + c]!,
          b = idx[(r + 1) * cols + c]!;
        if (a < 0 || b < 0) continue;
        if (countAbove(ys, latOf(r)) === countAbove(ys, latOf(r + 1))) link(nbr, a, b, NORTH, SOUTH);
      }
    }
  });

  const latArr = Float64Array.from(lat);
  const eastWestM = latArr.map((y) => stepLon * M_PER_DEG_LON_EQUATOR * Math.cos((y * Math.PI) / 180));
  return {
    spec,
    rows,
    cols,
    stepLon,
    stepLat,
    districts: shapes.map((s) => s.code),
    nodeCount,
    lon: Float64Array.from(lon),
    lat: latArr,
    row: Int32Array.from(rowA),
    col: Int32Array.from(colA),
    district: Uint8Array.from(dist),
    nbr,
    component: components(nbr, nodeCount),
    eastWestM,
    northSouthM: stepLat * M_PER_DEG_LAT,
    index,
  };
}

/** The node's position. */
export function nodeAt(l: Lattice, node: number): LonLat {
  return [l.lon[node]!, l.lat[node]!];
}

/** Length in metres of the step between two neighbouring nodes. */
export function stepM(l: Lattice, a: number, b: number): number {
  return l.row[a] === l.row[b] ? l.eastWestM[a]! : l.northSouthM;
}

/** Grid cell (row, col of the city grid) a node lies in. */
export function nodeCell(l: Lattice, node: number): { row: number; col: number } {
  return { row: l.row[node]! >> 1, col: l.col[node]! >> 1 };
}

/**
 * The node nearest to a point among those reachable from `from` (its connected component), within `maxM` metres,
 * or -1. Searches the lattice cells in growing rings around the point: a few look-ups for a point on the component,
 * a few hundred for one across a strait.
 */
export function nearestNode(
  l: Lattice,
  lon: number,
  lat: number,
  from: number,
  maxM: number,
  /** Another graph over the same nodes (the travel graph): its cell index over all districts and its components. */
  over?: { cells: Int32Array; component: Int32Array },
): number {
  const component = (over?.component ?? l.component)[from]!;
  const components = over?.component ?? l.component;
  const idx = over?.cells ?? l.index[l.district[from]!]!; // a lattice component never crosses its district's boundary
  const c0 = Math.floor((lon - l.spec.origin[0]) / l.stepLon);
  const r0 = Math.floor((lat - l.spec.origin[1]) / l.stepLat);
  const kx = M_PER_DEG_LON_EQUATOR * Math.cos((lat * Math.PI) / 180),
    ky = M_PER_DEG_LAT;
  const stepM = Math.min(l.stepLon * kx, l.stepLat * ky);
  const rings = Math.ceil(maxM / stepM) + 1;
  let best = -1,
    bestM = maxM;
  for (let k = 0; k <= rings; k++) {
    // Every cell of ring k is at least (k - 1) steps away: nothing further out can beat what was found.
    if (best >= 0 && (k - 1) * stepM > bestM) break;
    for (let r = r0 - k; r <= r0 + k; r++) {
      if (r < 0 || r >= l.rows) continue;
      const edge = r === r0 - k || r === r0 + k;
      // On the ring's top and bottom rows every cell; on the rows between, only the two ends.
      for (let c = c0 - k; c <= c0 + k; c += edge ? 1 : Math.max(1, 2 * k)) {
        if (c < 0 || c >= l.cols) continue;
        const n = idx[r * l.cols + c]!;
        if (n < 0 || components[n] !== component) continue;
        const m = Math.hypot((l.lon[n]! - lon) * kx, (l.lat[n]! - lat) * ky);
        if (m <= bestM) {
          best = n;
          bestM = m;
        }
      }
    }
  }
  return best;
}

/** Scratch arrays for path searches, reused so a search allocates only its result. */
export class PathScratch {
  readonly prev: Int32Array;
  readonly seen: Int32Array;
  readonly queue: Int32Array;
  stamp = 0;
  constructor(nodeCount: number) {
    this.prev = new Int32Array(nodeCount);
    this.seen = new Int32Array(nodeCount);
    this.queue = new Int32Array(nodeCount);
  }
}

/**
 * A path from `from` to `to` as the list of nodes, both ends included; undefined when they are not connected.
 * Prefers an L (along the row, then the column, or the other way round) like a driver turning once at a junction,
 * and falls back to a breadth-first shortest path around water and district corners.
 */
export function findPath(l: Lattice, from: number, to: number, scratch: PathScratch): Int32Array | undefined {
  if (from === to) return Int32Array.of(from);
  if (l.component[from] !== l.component[to]) return undefined;
  return lPath(l, from, to, true) ?? lPath(l, from, to, false) ?? bfsPath(l, from, to, scratch);
}

function lPath(l: Lattice, from: number, to: number, rowFirst: boolean): Int32Array | undefined {
  const dc = l.col[to]! - l.col[from]!,
    dr = l.row[to]! - l.row[from]!;
  const out = new Int32Array(Math.abs(dc) + Math.abs(dr) + 1);
  out[0] = from;
  let k = 0,
    node = from;
  const walk = (n: number, dir: number) => {
    for (let i = 0; i < n; i++) {
      node = l.nbr[node * 4 + dir]!;
      if (node < 0) return false;
      out[++k] = node;
    }
    return true;
  };
  const h = () => walk(Math.abs(dc), dc > 0 ? EAST : WEST);
  const v = () => walk(Math.abs(dr), dr > 0 ? NORTH : SOUTH);
  const ok = rowFirst ? h() && v() : v() && h();
  return ok ? out : undefined;
}

function bfsPath(l: Lattice, from: number, to: number, s: PathScratch): Int32Array | undefined {
  const stamp = ++s.stamp;
  let head = 0,
    tail = 0;
  s.queue[tail++] = from;
  s.seen[from] = stamp;
  s.prev[from] = -1;
  while (head < tail) {
    const n = s.queue[head++]!;
    if (n === to) break;
    for (let d = 0; d < 4; d++) {
      const m = l.nbr[n * 4 + d]!;
      if (m < 0 || s.seen[m] === stamp) continue;
      s.seen[m] = stamp;
      s.prev[m] = n;
      s.queue[tail++] = m;
    }
  }
  if (s.seen[to] !== stamp) return undefined;
  let len = 0;
  for (let n = to; n !== -1; n = s.prev[n]!) len++;
  const out = new Int32Array(len);
  for (let n = to, i = len - 1; n !== -1; n = s.prev[n]!, i--) out[i] = n;
  return out;
}

/** Lattice index range [lo, hi] covering [min, max] on one axis. */
function span(min: number, max: number, origin: number, step: number, n: number): [number, number] {
  const lo = Math.max(0, Math.floor((min - origin) / step - 0.5));
  const hi = Math.min(n - 1, Math.ceil((max - origin) / step - 0.5));
  return [lo, hi];
}

/** Sorted longitudes where the rings cross latitude `y`, by the same rule and arithmetic as config's inRing. */
function horizontalCrossings(rings: readonly (readonly LonLat[])[], y: number): Float64Array {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
    }
  }
  return Float64Array.from(xs).sort();
}

/** Sorted latitudes where the rings cross longitude `x`. */
function verticalCrossings(rings: readonly (readonly LonLat[])[], x: number): Float64Array {
  const ys: number[] = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (xi > x !== xj > x) ys.push(((yj - yi) * (x - xi)) / (xj - xi) + yi);
    }
  }
  return Float64Array.from(ys).sort();
}

/** How many of the sorted values are strictly greater than v. */
function countAbove(sorted: Float64Array, v: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

function link(nbr: Int32Array, a: number, b: number, ab: number, ba: number): void {
  nbr[a * 4 + ab] = b;
  nbr[b * 4 + ba] = a;
}

function components(nbr: Int32Array, n: number): Int32Array {
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1) continue;
    let top = 0;
    stack[top++] = s;
    comp[s] = next;
    while (top > 0) {
      const v = stack[--top]!;
      for (let d = 0; d < 4; d++) {
        const w = nbr[v * 4 + d]!;
        if (w >= 0 && comp[w] === -1) {
          comp[w] = next;
          stack[top++] = w;
        }
      }
    }
    next++;
  }
  return comp;
}
