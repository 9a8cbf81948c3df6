import type { Rng } from '../rng.ts';
import { findPath, PathScratch, stepM, type Lattice } from './lattice.ts';
import type { Roster } from './roster.ts';

/**
 * Where every unit is and where it is going, in typed arrays: a unit walks its beat's waypoints in a loop along
 * lattice paths at its own speed, pausing at each waypoint. State is mutated in place (tens of thousands of units
 * move every second; a copy per tick would be the hot path's main cost), and time and randomness come in as
 * arguments, so the same seed and the same times give the same positions.
 *
 * `goTo` is the seam for later work: a dispatcher can send a unit to a case by giving it a path to a node, and the
 * unit resumes its beat after the pause at the end.
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
  private readonly scratch: PathScratch;

  constructor(
    private readonly roster: Roster,
    private readonly lattice: Lattice,
    /** Pause at a waypoint, [min, max] ms, per unit type index. */
    private readonly pauseMs: readonly (readonly [number, number])[],
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
    this.scratch = new PathScratch(lattice.nodeCount);
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
    const current = this.path[i];
    const midStep = current !== undefined && this.stepDone[i]! > 0;
    const from = midStep ? current[this.pathPos[i]! + 1]! : this.node[i]!;
    const path = findPath(this.lattice, from, target, this.scratch);
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
    } else {
      this.setAt(i, target);
    }
    return true;
  }

  /** Moves unit i for `dtMs` ending at `now`: along its path at its speed, or on to its next waypoint after a pause. */
  move(i: number, now: number, dtMs: number, rng: Rng): void {
    const l = this.lattice;
    let path = this.path[i];
    if (!path) {
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
    let left = this.roster.speed[i]! * (dtMs / 1000);
    let k = this.pathPos[i]!;
    let done = this.stepDone[i]!;
    for (;;) {
      const a = path[k]!, b = path[k + 1]!;
      const len = stepM(l, a, b);
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
        // Arrived: stand at the waypoint (the rest of this tick's distance is not carried over) and pause.
        this.setAt(i, b);
        this.pauseUntil[i] = now + this.pauseFor(i, rng);
        return;
      }
    }
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
