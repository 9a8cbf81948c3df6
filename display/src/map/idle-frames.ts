/**
 * How often deck.gl's animation loop looks for something to draw (issue #19). luma.gl's loop asks the browser for
 * every animation frame, 40–60 a second, only to find out whether a draw is due; on a wall PC without a GPU the map
 * draws once every half second or so (./draw-pacer.ts), and each of the frames in between still costs the page's
 * main thread a Blink frame — a task, the animation callbacks, a compositor commit that is aborted — and the
 * compositor messages around it. Measured at 50,000 units on SwiftShader (bench:wall, `BENCH_WALL_TRACE`): 426 such
 * frames in 10 s for 18 draws.
 *
 * So while draws are slow the loop's next frame is asked for only after `IDLE_POLL_MS`, unless it is woken first:
 * the map wakes it whenever it hands deck.gl something new (layers, the camera, the drawing-buffer resolution), so a
 * new picture is drawn at the next animation frame as before. Only deck.gl's own reasons to redraw that the page does
 * not hand it wait, up to `IDLE_POLL_MS`: a base map's tiles arriving (the wall has no transitions and no hover).
 * While draws are fast (a GPU) every frame is asked for, as deck.gl does by itself. `?frames=every`: always every
 * frame (the baseline of `bench:wall`).
 *
 * Pure but for the clock it is given: the browser's animation frames and timers by default.
 */

/** How long the loop waits for its next look while draws are slow, unless woken (ms). */
export const IDLE_POLL_MS = 250;

/** luma.gl's `AnimationFrameProvider` (the loop's source of animation frames). */
export interface FrameProvider {
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(id: number): void;
}

export interface FrameClock {
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(id: number): void;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserFrames: FrameClock = {
  requestAnimationFrame: (callback) => requestAnimationFrame(callback),
  cancelAnimationFrame: (id) => cancelAnimationFrame(id),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A frame source for deck.gl's loop that lets it sleep between looks while `slow()` says draws are slow. One loop
 * asks for one frame at a time; a request while one is outstanding replaces it.
 */
export class IdleFrames implements FrameProvider {
  private nextId = 1;
  /** The loop's outstanding request: its id, and either the frame asked for or the timer it sleeps on. */
  private waiting: {
    id: number;
    callback: (time: number) => void;
    frame: number | null;
    timer: unknown;
  } | null = null;
  /** Frames asked of the browser, and looks put off (for the debug hook and the tests). */
  framesAsked = 0;
  sleeps = 0;

  constructor(
    private readonly slow: () => boolean,
    private readonly clock: FrameClock = browserFrames,
    private readonly pollMs = IDLE_POLL_MS,
  ) {}

  requestAnimationFrame(callback: (time: number) => void): number {
    this.cancel();
    const id = this.nextId++;
    const waiting: NonNullable<IdleFrames['waiting']> = { id, callback, frame: null, timer: null };
    this.waiting = waiting;
    if (this.slow()) {
      this.sleeps++;
      waiting.timer = this.clock.setTimeout(() => {
        waiting.timer = null;
        if (this.waiting === waiting) this.askFrame(waiting);
      }, this.pollMs);
    } else this.askFrame(waiting);
    return id;
  }

  cancelAnimationFrame(id: number): void {
    if (this.waiting?.id === id) this.cancel();
  }

  /** Something new was handed to deck.gl: a sleeping loop looks at the next animation frame. */
  wake(): void {
    const waiting = this.waiting;
    if (!waiting || waiting.timer === null) return;
    this.clock.clearTimeout(waiting.timer);
    waiting.timer = null;
    this.askFrame(waiting);
  }

  private askFrame(waiting: NonNullable<IdleFrames['waiting']>): void {
    this.framesAsked++;
    waiting.frame = this.clock.requestAnimationFrame((time) => {
      if (this.waiting !== waiting) return;
      this.waiting = null;
      waiting.callback(time);
    });
  }

  private cancel(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    if (waiting.timer !== null) this.clock.clearTimeout(waiting.timer);
    if (waiting.frame !== null) this.clock.cancelAnimationFrame(waiting.frame);
  }
}

/** `?frames=every`: deck.gl's loop looks at every animation frame, as it does by itself. */
export function framesForcedEvery(search: string): boolean {
  return new URLSearchParams(search).get('frames')?.trim().toLowerCase() === 'every';
}
