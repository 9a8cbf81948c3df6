import type { PositionFrame, Unit } from '@egret/protocol';
import { UnitPaint, type PaintClock, type UnitSummary } from './unit-paint.ts';
import { UnitPositions, type PositionBatch } from './unit-positions.ts';

/** The longest a map that stopped asking for pictures goes without one while units move (real ms). */
export const SHOW_AT_LEAST_EVERY_MS = 10_000;

/** What the units layer draws: the arrays and a version that changes whenever their contents do. */
export interface UnitsPicture {
  length: number;
  positions: Float32Array;
  colors: Uint8Array;
  lineColors: Uint8Array;
  radii: Float32Array;
  version: number;
  summary: UnitSummary;
}

/**
 * Unit positions from binary frames. The typed arrays are not reactive (50,000 units move every second);
 * `version` is, and is bumped by each frame that moved or placed a unit. The hub ticks even when nothing moved
 * (its frames carry its clock): such a frame keeps the clock but changes nothing to draw.
 */
export class UnitsStore {
  readonly positions = new UnitPositions();
  private readonly paintBuffers = new UnitPaint();
  /** Pictures of the units painted since the page loaded (the debug hook: per draw, not per frame, on software GL). */
  paints = 0;
  version = $state(0);
  /**
   * Bumped when the map may take the units' newest picture: at once while it waits for one (a GPU's map after each
   * draw, and a screen with no map), else when it next asks (`mapReady`). What the map's picture of the units is
   * derived from, so a wall that draws every two seconds paints its 50,000 units every two seconds, not ten times a
   * second; positions themselves are applied from every frame (`version`).
   */
  shown = $state(0);
  /** Frames that moved or placed a unit: `version` without its reactivity. */
  private moves = 0;
  /** Frames applied since `shown` was last bumped. */
  private unshown = false;
  /** Whether the map waits for a picture: 'free' until a map first asks (no map: every frame is shown). */
  private gate: 'free' | 'waiting' | 'drawing' = 'free';
  private shownAt = -Infinity;
  framesReceived = 0;
  badFrames = 0;
  /** World time of the newest frame and the real time it arrived: the hub's clock as this screen sees it. */
  private lastFrame: { at: number; realAt: number } | null = null;

  /** World time of the newest frame applied (null before the first). */
  get lastFrameAt(): number | null {
    return this.lastFrame?.at ?? null;
  }
  private lastChange: number | null = null;

  applyFrame(frame: PositionFrame, realNow: number): void {
    this.took(this.positions.applyFrame(frame), 1, frame.at, realNow);
  }

  /** Frames merged by the page's positions worker (net/frame-merge.ts): as if each had been applied here. */
  applyBatch(batch: PositionBatch, realNow: number): void {
    this.took(this.positions.applyBatch(batch), batch.frames, batch.at, realNow);
  }

  private took(changed: number, frames: number, at: number, realNow: number): void {
    this.framesReceived += frames;
    if (!this.lastFrame || at >= this.lastFrame.at) this.lastFrame = { at, realAt: realNow };
    if (changed > 0) {
      this.lastChange = realNow;
      this.version++;
      this.moves++;
      this.unshown = true;
      // A map that never asks again (its canvas lost) still gets a picture now and then.
      if (this.gate !== 'drawing' || realNow - this.shownAt > SHOW_AT_LEAST_EVERY_MS) this.show(realNow);
    }
  }

  /** The map is ready to draw and holds no picture: it gets the newest now, or with the next frame that moves a unit. */
  mapReady(realNow = Date.now()): void {
    this.gate = 'waiting';
    if (this.unshown) this.show(realNow);
  }

  private show(realNow: number): void {
    this.unshown = false;
    this.shownAt = realNow;
    if (this.gate === 'waiting') this.gate = 'drawing';
    this.shown++;
  }

  /**
   * Real time the newest frame that changed a unit arrived, or null before the first: while none comes the units
   * must still be swept, so they grey out as their fixes age.
   */
  get lastChangeRealAt(): number | null {
    return this.lastChange;
  }

  /**
   * World time now by the hub's frames (immune to this machine's clock being off), or `fallback` before the first
   * frame. Advances with real time between frames, so units grey out when frames stop coming.
   */
  hubWorldNow(realNow: number, rate: number, fallback: number): number {
    if (!this.lastFrame) return fallback;
    return this.lastFrame.at + Math.max(0, realNow - this.lastFrame.realAt) * rate;
  }

  /** The last picture, and the frame and world versions it was painted at. */
  private last: { picture: UnitsPicture; frames: number; world: number } | null = null;

  /**
   * Colours every slot for `clock` and returns the arrays to draw. Given the world's version, a repaint with no
   * frame and no world change since the last one (the stale sweep: frames stopped) returns the last picture itself
   * unless a unit turned stale: a silent city is not redrawn every second for nothing, and on a wall without a GPU
   * each redraw blocks the page for a second.
   */
  picture(units: Iterable<Unit>, clock: PaintClock, worldVersion?: number): UnitsPicture {
    // The world's version keeps the units' colours per slot from one paint to the next (unit-paint.ts).
    const summary = this.paintBuffers.paint(units, this.positions, clock, worldVersion);
    const last = this.last;
    // Not `version` (state): read here it would make whoever derives the picture follow every frame, and the map
    // is to take a new picture only when it is ready for one (`shown`).
    const frames = this.moves;
    if (
      worldVersion !== undefined &&
      last &&
      last.frames === frames &&
      last.world === worldVersion &&
      sameSummary(last.picture.summary, summary)
    ) {
      return last.picture;
    }
    const picture: UnitsPicture = {
      length: this.positions.length,
      positions: this.positions.positions,
      colors: this.paintBuffers.colors,
      lineColors: this.paintBuffers.lineColors,
      radii: this.paintBuffers.radii,
      version: ++this.paints,
      summary,
    };
    this.last = worldVersion === undefined ? null : { picture, frames, world: worldVersion };
    return picture;
  }
}

/**
 * With no new fix and no world change, paint changes only when units turn stale as time passes — and then the
 * counts change with it (a unit going stale leaves `available` or `busy` for `stale`).
 */
function sameSummary(a: UnitSummary, b: UnitSummary): boolean {
  return (
    a.total === b.total &&
    a.available === b.available &&
    a.busy === b.busy &&
    a.stale === b.stale &&
    a.positioned === b.positioned
  );
}
