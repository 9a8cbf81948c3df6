/** Frames further apart than this (ms) mean the machine cannot animate the map (software GL, an overloaded host). */
export const SLOW_FRAME_MS = 250;
/** How long the pulse holds still after slow frames before it tries to animate again (ms). */
export const SLOW_BACKOFF_MS = 30_000;
/** The phase a held pulse shows: a ring a little larger than the case. */
export const HELD_PHASE = 0.3;

/**
 * The phase (0–1) of the new-case pulse: the one number the pulse layer animates with. It advances on animation
 * frames only while something pulses, and at most `fps` times a second; idle, it costs nothing.
 *
 * Every step redraws the map. Where a frame takes longer than `SLOW_FRAME_MS` — a wall without a GPU drawing on
 * software GL — animating would keep the page busy drawing and delay everything else (a mode switch, the clock),
 * so the pulse holds still at `HELD_PHASE` for `SLOW_BACKOFF_MS` and then tries again.
 */
export class PulseClock {
  phase = $state(0);
  private handle: number | null = null;
  private lastStep = 0;
  private lastFrame = 0;
  private heldUntil = 0;

  constructor(
    private readonly periodMs = 1_600,
    private readonly fps = 15,
    private readonly raf: (cb: (t: number) => void) => number = (cb) => requestAnimationFrame(cb),
    private readonly caf: (h: number) => void = (h) => cancelAnimationFrame(h),
  ) {}

  /** Animates while `on`; stops (phase 0) otherwise. Safe to call on every change. */
  run(on: boolean): void {
    if (on && this.handle === null) {
      this.lastFrame = 0;
      this.handle = this.raf(this.frame);
    } else if (!on) {
      this.stop();
      this.phase = 0;
    }
  }

  stop(): void {
    if (this.handle !== null) this.caf(this.handle);
    this.handle = null;
  }

  /** Whether the pulse is holding still because frames are slow. */
  get held(): boolean {
    return this.heldUntil > this.lastFrame;
  }

  private readonly frame = (t: number): void => {
    const gap = this.lastFrame === 0 ? 0 : t - this.lastFrame;
    this.lastFrame = t;
    if (gap > SLOW_FRAME_MS) this.heldUntil = t + SLOW_BACKOFF_MS;
    if (t < this.heldUntil) {
      if (this.phase !== HELD_PHASE) this.phase = HELD_PHASE;
    } else if (t - this.lastStep >= 1000 / this.fps) {
      this.lastStep = t;
      this.phase = (t % this.periodMs) / this.periodMs;
    }
    this.handle = this.raf(this.frame);
  };
}
