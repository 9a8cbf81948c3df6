import type { PositionFrame, Unit } from '@egret/protocol';
import { UnitPaint, type PaintClock, type UnitSummary } from './unit-paint.ts';
import { UnitPositions } from './unit-positions.ts';

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
 * `version` is, and is bumped once per frame.
 */
export class UnitsStore {
  readonly positions = new UnitPositions();
  private readonly paintBuffers = new UnitPaint();
  private paints = 0;
  version = $state(0);
  framesReceived = 0;
  badFrames = 0;
  /** World time of the newest frame and the real time it arrived: the hub's clock as this screen sees it. */
  private lastFrame: { at: number; realAt: number } | null = null;

  applyFrame(frame: PositionFrame, realNow: number, knownFixAt?: (slot: number) => number | undefined): void {
    this.positions.applyFrame(frame, knownFixAt);
    this.framesReceived++;
    if (!this.lastFrame || frame.at >= this.lastFrame.at) this.lastFrame = { at: frame.at, realAt: realNow };
    this.version++;
  }

  /** Real time the newest frame arrived, or null before the first. */
  get lastFrameRealAt(): number | null {
    return this.lastFrame?.realAt ?? null;
  }

  /**
   * World time now by the hub's frames (immune to this machine's clock being off), or `fallback` before the first
   * frame. Advances with real time between frames, so units grey out when frames stop coming.
   */
  hubWorldNow(realNow: number, rate: number, fallback: number): number {
    if (!this.lastFrame) return fallback;
    return this.lastFrame.at + Math.max(0, realNow - this.lastFrame.realAt) * rate;
  }

  /** Colours every slot for `clock` and returns the arrays to draw. */
  picture(units: Iterable<Unit>, clock: PaintClock): UnitsPicture {
    const summary = this.paintBuffers.paint(units, this.positions, clock);
    return {
      length: this.positions.length,
      positions: this.positions.positions,
      colors: this.paintBuffers.colors,
      lineColors: this.paintBuffers.lineColors,
      radii: this.paintBuffers.radii,
      version: ++this.paints,
      summary,
    };
  }
}
