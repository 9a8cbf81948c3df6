import type { Rng } from '../rng.ts';
import { findPath, nearestNode, PathScratch, type Lattice } from './lattice.ts';
import type { Roster } from './roster.ts';
import { edgeM, nearestTravelNode, straightM, travelPath, TravelScratch, type TravelGraph } from './travel-graph.ts';

/**
 * Where every unit is and where it is going, in typed arrays: a unit walks its beat's waypoints in a loop along
 * lattice paths at its own speed, pausing at each waypoint. State is mutated in place (tens of thousands of units
 * move every second; a copy per tick would be the hot path's main cost), and time and randomness come in as
 * arguments, so the same seed and the same times give the same positions.
 *
 * `goTo` sends a unit along a path to a node; it resumes its beat after the pause at the end. `goToPoint` sends a
 * unit on a task to a point off the lattice (a case): by the travel graph (the lattice, across district borders and
 * over the city's bridges and tunnels) to the reachable node nearest to it, then straight to it (a drone flies
 * straight there), and holds it there until `release`, when it goes back onto the lattice and home to its beat.
 */
export class Patrols {
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** Node at the start of the current step, or where the unit stands. */
  readonly node: Int32Array;
  readonly path: (Int32Array | undefined)[];
  readonly pathPos: Int32Array;
  /** Metres done along the current step. */
  readonly stepDone: Float64Array;
  readonly pauseUntil: Float64Array;
  readonly beatPos: Uint8Array;
  /** A straight leg to take after the path (to a point off the lattice), NaN when none. */
  readonly legLon: Float64Array;
  readonly legLat: Float64Array;
  /** 1 while the unit must first walk straight back onto the lattice, to `node`. */
  readonly backToNode: Uint8Array;
  /** 1 while the unit is on a task: it stays where it was sent instead of resuming its beat. */
  readonly held: Uint8Array;
  /** Speed on a task and on the way home from it (m/s), 0 on the beat. */
  readonly taskSpeed: Float32Array;
  private readonly scratch: PathScratch;
  private readonly travelScratch: TravelScratch | undefined;

  constructor(
    private readonly roster: Roster,
    private readonly lattice: Lattice,
    /** Pause at a waypoint, [min, max] ms, per unit type index. */
    private readonly pauseMs: readonly (readonly [number, number])[],
    /** Where units may go on a task; without it, only along their own district's lattice. */
    private readonly travel?: TravelGraph,
  ) {
    const n = roster.count;
    this.lon = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.node = new Int32Array(n);
    this.path = new Array<Int32Array | undefined>(n);
    this.pathPos = new Int32Array(n);
    this.stepDone = new Float64Array(n);
    this.pauseUntil = new Float64Array(n);
    this.beatPos = new Uint8Array(n);
    this.legLon = new Float64Array(n).fill(NaN);
    this.legLat = new Float64Array(n).fill(NaN);
    this.backToNode = new Uint8Array(n);
    this.held = new Uint8Array(n);
    this.taskSpeed = new Float32Array(n);
    this.scratch = new PathScratch(lattice.nodeCount);
    this.travelScratch = travel ? new TravelScratch(lattice.nodeCount) : undefined;
  }

  /** Puts every unit at a random waypoint of its beat, part-way through its pause, so they do not all leave at once. */
  place(rng: Rng, now: number): void {
    for (let i = 0; i < this.roster.count; i++) {
      const beat = this.roster.beat[i]!;
      const k = rng.int(0, beat.length - 1);
      this.beatPos[i] = k;
      this.setAt(i, beat[k]!);
      this.pauseUntil[i] = now + rng.float() * this.pauseFor(i, rng);
    }
  }

  /**
   * Sends unit i along a path to `target`; false when it cannot get there (another island). A unit in the middle
   * of a step finishes it first (it does not jump back to the junction it came from); one already there gets no
   * path and simply pauses.
   */
  goTo(i: number, target: number): boolean {
    return this.route(i, target, (a, b) => findPath(this.lattice, a, b, this.scratch));
  }

  /**
   * How far from a point the roads leave unit i: the metres of the straight leg from the node nearest to the point
   * that it can travel to, or undefined when none lies within `maxOffM` (the point is on land no road reaches).
   */
  offLatticeM(i: number, lon: number, lat: number, maxOffM: number): number | undefined {
    const n = this.nearestReachable(i, lon, lat, maxOffM);
    return n < 0 ? undefined : straightM(this.lattice.lon[n]!, this.lattice.lat[n]!, lon, lat);
  }

  /**
   * Sends unit i on a task to a point: by the travel graph to the node nearest to it that it can reach, then
   * straight to it; with `straight` (a drone) straight there from where it is. The unit stays there (`arrived`)
   * until `release`. False, and nothing changes, when no node it can reach lies within `maxOffM` of the point.
   */
  goToPoint(
    i: number,
    lon: number,
    lat: number,
    o: { maxOffM: number; straight?: boolean; speedMps?: number },
  ): boolean {
    if (o.straight) {
      this.path[i] = undefined;
      this.pathPos[i] = 0;
      this.stepDone[i] = 0;
      this.backToNode[i] = 0;
    } else {
      const target = this.nearestReachable(i, lon, lat, o.maxOffM);
      if (target < 0) return false;
      // Off the lattice (still at a previous case): first back to the node it left it at.
      if (!this.path[i] && this.offLattice(i)) this.backToNode[i] = 1;
      if (!this.route(i, target, (a, b) => this.travelPathOf(a, b))) return false;
    }
    this.legLon[i] = lon;
    this.legLat[i] = lat;
    this.held[i] = 1;
    this.taskSpeed[i] = o.speedMps ?? 0;
    return true;
  }

  /** Whether unit i, sent by `goToPoint`, has got there. */
  arrived(i: number): boolean {
    return this.held[i] === 1 && !this.path[i] && Number.isNaN(this.legLon[i]!) && this.backToNode[i] === 0;
  }

  /**
   * Ends unit i's task: it walks back onto the lattice (or turns back, if still on its way) and goes on with its beat
   * at once. Nothing happens to a unit that was not sent anywhere.
   */
  release(i: number, now: number): void {
    if (this.held[i] === 0) return;
    this.held[i] = 0;
    this.legLon[i] = NaN;
    this.legLat[i] = NaN;
    if (!this.path[i] && this.offLattice(i)) this.backToNode[i] = 1;
    // Home to the waypoint of its beat it was heading for: across the city if the task took it there.
    this.route(i, this.roster.beat[i]![this.beatPos[i]!]!, (a, b) => this.travelPathOf(a, b));
    this.pauseUntil[i] = now;
  }

  /** Moves unit i for `dtMs` ending at `now`: along its path at its speed, or on to its next waypoint after a pause. */
  move(i: number, now: number, dtMs: number, rng: Rng): void {
    const l = this.lattice;
    let left = (this.taskSpeed[i] || this.roster.speed[i]!) * (dtMs / 1000);
    if (this.backToNode[i] === 1) {
      left = this.walkStraight(i, l.lon[this.node[i]!]!, l.lat[this.node[i]!]!, left);
      if (left < 0) return;
      this.backToNode[i] = 0;
    }
    let path = this.path[i];
    if (!path) {
      if (!Number.isNaN(this.legLon[i]!)) {
        if (this.walkStraight(i, this.legLon[i]!, this.legLat[i]!, left) >= 0) this.legLon[i] = this.legLat[i] = NaN;
        return;
      }
      if (this.held[i] === 1) return;
      this.taskSpeed[i] = 0;
      if (now < this.pauseUntil[i]!) return;
      const beat = this.roster.beat[i]!;
      const next = (this.beatPos[i]! + 1) % beat.length;
      this.beatPos[i] = next;
      path = this.goTo(i, beat[next]!) ? this.path[i] : undefined;
      if (!path) {
        this.pauseUntil[i] = now + this.pauseFor(i, rng);
        return;
      }
    }
    let k = this.pathPos[i]!;
    let done = this.stepDone[i]!;
    for (;;) {
      const a = path[k]!,
        b = path[k + 1]!;
      const len = edgeM(l, a, b);
      if (done + left < len) {
        done += left;
        const t = done / len;
        this.lon[i] = l.lon[a]! + (l.lon[b]! - l.lon[a]!) * t;
        this.lat[i] = l.lat[a]! + (l.lat[b]! - l.lat[a]!) * t;
        this.node[i] = a;
        this.pathPos[i] = k;
        this.stepDone[i] = done;
        return;
      }
      left -= len - done;
      done = 0;
      k++;
      if (k === path.length - 1) {
        // Arrived: stand at the waypoint (the rest of this tick's distance is not carried over) and pause —
        // unless on a task: then on to the point off the lattice, or stay.
        this.setAt(i, b);
        if (this.held[i] === 0) {
          this.taskSpeed[i] = 0; // home from a task, or on with the beat: beat speed again
          this.pauseUntil[i] = now + this.pauseFor(i, rng);
        }
        return;
      }
    }
  }

  /**
   * Puts unit i on a path to `target` found by `find`; false when there is none. A unit in the middle of a step
   * finishes it first (it does not jump back to the junction it came from); one already there gets no path (and a
   * unit off the lattice walks back to its node, see `backToNode`).
   */
  private route(i: number, target: number, find: (from: number, to: number) => Int32Array | undefined): boolean {
    const current = this.path[i];
    const midStep = current !== undefined && this.stepDone[i]! > 0;
    const from = midStep ? current[this.pathPos[i]! + 1]! : this.node[i]!;
    const path = find(from, target);
    if (!path) return false;
    if (midStep) {
      const next = new Int32Array(path.length + 1);
      next[0] = current[this.pathPos[i]!]!;
      next.set(path, 1);
      this.path[i] = next;
      this.pathPos[i] = 0;
    } else if (path.length > 1) {
      this.path[i] = path;
      this.pathPos[i] = 0;
      this.stepDone[i] = 0;
    } else if (this.backToNode[i] === 1) {
      this.path[i] = undefined;
    } else {
      this.setAt(i, target);
    }
    return true;
  }

  private travelPathOf(from: number, to: number): Int32Array | undefined {
    return this.travel
      ? travelPath(this.travel, from, to, this.travelScratch!)
      : findPath(this.lattice, from, to, this.scratch);
  }

  private nearestReachable(i: number, lon: number, lat: number, maxM: number): number {
    const from = this.node[i]!;
    return this.travel
      ? nearestTravelNode(this.travel, lon, lat, from, maxM)
      : nearestNode(this.lattice, lon, lat, from, maxM);
  }

  /** Whether unit i stands somewhere other than its node (at a case, or part-way to or from one). */
  private offLattice(i: number): boolean {
    const n = this.node[i]!;
    return this.lon[i] !== this.lattice.lon[n] || this.lat[i] !== this.lattice.lat[n];
  }

  /** Walks unit i up to `m` metres straight towards a point: the metres left over once there, or -1 when not there yet. */
  private walkStraight(i: number, lon: number, lat: number, m: number): number {
    const d = straightM(this.lon[i]!, this.lat[i]!, lon, lat);
    if (m >= d) {
      this.lon[i] = lon;
      this.lat[i] = lat;
      return m - d;
    }
    const t = m / d;
    this.lon[i] = this.lon[i]! + (lon - this.lon[i]!) * t;
    this.lat[i] = this.lat[i]! + (lat - this.lat[i]!) * t;
    return -1;
  }

  private setAt(i: number, node: number): void {
    this.node[i] = node;
    this.lon[i] = this.lattice.lon[node]!;
    this.lat[i] = this.lattice.lat[node]!;
    this.path[i] = undefined;
    this.pathPos[i] = 0;
    this.stepDone[i] = 0;
  }

  private pauseFor(i: number, rng: Rng): number {
    const [lo, hi] = this.pauseMs[this.roster.type[i]!]!;
    return rng.range(lo, hi);
  }
}
