import { inShape, M_PER_DEG_LAT, M_PER_DEG_LON_EQUATOR, type DistrictShape } from '@egret/config';
import type { LonLat } from '@egret/protocol';
import { nearestNode, stepM, type Lattice } from './lattice.ts';

/** A fixed road crossing between two pieces of land (a bridge, a tunnel): its two ends. */
export interface TravelLink {
  id: string;
  a: LonLat;
  b: LonLat;
}

/**
 * Where units can go on a task, as opposed to where they patrol: the movement lattice, plus steps across district
 * borders where the step stays on land (a squad sent to a case next door drives there), plus the city's fixed road
 * crossings (Xiamen Island's bridges and tunnels) from one end's nearest node to the other's. Patrols stay inside
 * their district on the lattice alone; a task may take a unit anywhere its roads lead — and nowhere they do not
 * (Gulangyu has no road link, so no ground unit reaches it from elsewhere).
 */
export interface TravelGraph {
  lattice: Lattice;
  /** Lattice cell (row * cols + col) → node of whichever district has one there, or -1. */
  cells: Int32Array;
  /** Extra edges in compressed rows: node n's are `extraTo[extraStart[n] .. extraStart[n + 1])`. */
  extraStart: Int32Array;
  extraTo: Int32Array;
  /** Connected pieces over lattice steps and extra edges. */
  component: Int32Array;
}

/** Builds the travel graph of a city: its lattice, its district shapes (for the land test) and its road crossings. */
export function buildTravelGraph(
  l: Lattice,
  shapes: readonly DistrictShape[],
  links: readonly TravelLink[],
): TravelGraph {
  const cells = new Int32Array(l.rows * l.cols).fill(-1);
  for (let n = 0; n < l.nodeCount; n++) cells[l.row[n]! * l.cols + l.col[n]!] = n;
  const byCode = new Map(shapes.map((s) => [s.code, s]));
  const shapeOf = l.districts.map((d) => byCode.get(d)!);
  // A step across a border is kept when a quarter, half and three quarters of the way lie in one of its two districts.
  const onLand = (a: number, b: number) => {
    const sa = shapeOf[l.district[a]!]!,
      sb = shapeOf[l.district[b]!]!;
    for (const t of [0.25, 0.5, 0.75]) {
      const p: LonLat = [l.lon[a]! + (l.lon[b]! - l.lon[a]!) * t, l.lat[a]! + (l.lat[b]! - l.lat[a]!) * t];
      if (!inShape(sa, p) && !inShape(sb, p)) return false;
    }
    return true;
  };
  const edges: [number, number][] = [];
  for (let n = 0; n < l.nodeCount; n++) {
    const r = l.row[n]!,
      c = l.col[n]!;
    for (const [dr, dc] of [
      [0, 1],
      [1, 0],
    ] as const) {
      if (r + dr >= l.rows || c + dc >= l.cols) continue;
      const m = cells[(r + dr) * l.cols + c + dc]!;
      if (m >= 0 && l.district[m] !== l.district[n] && onLand(n, m)) edges.push([n, m]);
    }
  }
  const anyNode = { cells, component: new Int32Array(l.nodeCount) }; // one component: any node will do
  for (const link of links) {
    const a = nearestNode(l, link.a[0], link.a[1], 0, 2_000, anyNode);
    const b = nearestNode(l, link.b[0], link.b[1], 0, 2_000, anyNode);
    if (a >= 0 && b >= 0 && a !== b) edges.push([a, b]);
  }
  const extraStart = new Int32Array(l.nodeCount + 1);
  for (const [a, b] of edges) {
    extraStart[a + 1]!++;
    extraStart[b + 1]!++;
  }
  for (let n = 0; n < l.nodeCount; n++) extraStart[n + 1]! += extraStart[n]!;
  const fill = extraStart.slice(0, l.nodeCount);
  const extraTo = new Int32Array(edges.length * 2);
  for (const [a, b] of edges) {
    extraTo[fill[a]!++] = b;
    extraTo[fill[b]!++] = a;
  }
  const g: TravelGraph = { lattice: l, cells, extraStart, extraTo, component: new Int32Array(l.nodeCount) };
  g.component.set(components(g));
  return g;
}

/** The node nearest to a point among those a unit at `from` can travel to, within `maxM`, or -1. */
export function nearestTravelNode(g: TravelGraph, lon: number, lat: number, from: number, maxM: number): number {
  return nearestNode(g.lattice, lon, lat, from, maxM, g);
}

/** Length in metres of an edge of the travel graph (a lattice step, a step across a border, or a crossing). */
export function edgeM(l: Lattice, a: number, b: number): number {
  if (Math.abs(l.row[a]! - l.row[b]!) + Math.abs(l.col[a]! - l.col[b]!) === 1) return stepM(l, a, b);
  return straightM(l.lon[a]!, l.lat[a]!, l.lon[b]!, l.lat[b]!);
}

/** Metres between two nearby points (local flat projection: plenty within a city). */
export function straightM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const kx = M_PER_DEG_LON_EQUATOR * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  return Math.hypot((lon2 - lon1) * kx, (lat2 - lat1) * M_PER_DEG_LAT);
}

/** Scratch arrays for searches on one travel graph, reused so a search allocates only its result. */
export class TravelScratch {
  readonly cost: Float64Array;
  readonly prev: Int32Array;
  readonly seen: Int32Array;
  readonly done: Int32Array;
  stamp = 0;
  heap: number[] = [];
  constructor(nodeCount: number) {
    this.cost = new Float64Array(nodeCount);
    this.prev = new Int32Array(nodeCount);
    this.seen = new Int32Array(nodeCount);
    this.done = new Int32Array(nodeCount);
  }
}

/**
 * The shortest way from `from` to `to` on the travel graph (A*, the straight distance as the estimate), both ends
 * included; undefined when the roads do not connect them.
 */
export function travelPath(g: TravelGraph, from: number, to: number, s: TravelScratch): Int32Array | undefined {
  if (from === to) return Int32Array.of(from);
  if (g.component[from] !== g.component[to]) return undefined;
  const l = g.lattice;
  const stamp = ++s.stamp;
  const tLon = l.lon[to]!,
    tLat = l.lat[to]!;
  const h = (n: number) => straightM(l.lon[n]!, l.lat[n]!, tLon, tLat);
  // A binary heap of [estimate, node] pairs, flattened; stale entries are skipped when popped.
  const heap = s.heap;
  heap.length = 0;
  const push = (f: number, n: number) => {
    heap.push(f, n);
    let i = heap.length / 2 - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[2 * p]! <= heap[2 * i]!) break;
      swap(heap, i, p);
      i = p;
    }
  };
  const pop = (): number => {
    const n = heap[1]!;
    const lastF = heap[heap.length - 2]!,
      lastN = heap[heap.length - 1]!;
    heap.length -= 2;
    if (heap.length) {
      heap[0] = lastF;
      heap[1] = lastN;
      let i = 0;
      const size = heap.length / 2;
      for (;;) {
        const a = 2 * i + 1,
          b = a + 1;
        let m = i;
        if (a < size && heap[2 * a]! < heap[2 * m]!) m = a;
        if (b < size && heap[2 * b]! < heap[2 * m]!) m = b;
        if (m === i) break;
        swap(heap, i, m);
        i = m;
      }
    }
    return n;
  };
  s.seen[from] = stamp;
  s.cost[from] = 0;
  s.prev[from] = -1;
  push(h(from), from);
  const relax = (n: number, m: number) => {
    const c = s.cost[n]! + edgeM(l, n, m);
    if (s.seen[m] === stamp && c >= s.cost[m]!) return;
    s.seen[m] = stamp;
    s.cost[m] = c;
    s.prev[m] = n;
    push(c + h(m), m);
  };
  while (heap.length) {
    const n = pop();
    if (s.done[n] === stamp) continue;
    s.done[n] = stamp;
    if (n === to) break;
    for (let d = 0; d < 4; d++) {
      const m = l.nbr[n * 4 + d]!;
      if (m >= 0 && s.done[m] !== stamp) relax(n, m);
    }
    for (let k = g.extraStart[n]!; k < g.extraStart[n + 1]!; k++) {
      const m = g.extraTo[k]!;
      if (s.done[m] !== stamp) relax(n, m);
    }
  }
  if (s.done[to] !== stamp) return undefined;
  let len = 0;
  for (let n = to; n !== -1; n = s.prev[n]!) len++;
  const out = new Int32Array(len);
  for (let n = to, i = len - 1; n !== -1; n = s.prev[n]!, i--) out[i] = n;
  return out;
}

function swap(heap: number[], i: number, j: number): void {
  const f = heap[2 * i]!,
    n = heap[2 * i + 1]!;
  heap[2 * i] = heap[2 * j]!;
  heap[2 * i + 1] = heap[2 * j + 1]!;
  heap[2 * j] = f;
  heap[2 * j + 1] = n;
}

function components(g: TravelGraph): Int32Array {
  const l = g.lattice;
  const comp = new Int32Array(l.nodeCount).fill(-1);
  const stack = new Int32Array(l.nodeCount);
  let next = 0;
  for (let s = 0; s < l.nodeCount; s++) {
    if (comp[s] !== -1) continue;
    let top = 0;
    stack[top++] = s;
    comp[s] = next;
    while (top > 0) {
      const v = stack[--top]!;
      const visit = (w: number) => {
        if (w >= 0 && comp[w] === -1) {
          comp[w] = next;
          stack[top++] = w;
        }
      };
      for (let d = 0; d < 4; d++) visit(l.nbr[v * 4 + d]!);
      for (let k = g.extraStart[v]!; k < g.extraStart[v + 1]!; k++) visit(g.extraTo[k]!);
    }
    next++;
  }
  return comp;
}
