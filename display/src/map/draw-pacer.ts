/**
 * The map's redraw rate, set by what a draw costs. A wall PC without a GPU draws a 4K frame on software GL in
 * 1–1.5 s, and while it draws the page does nothing else: with a new picture every position frame it would draw back
 * to back, and the socket, the panels, a mode switch and the debug hook would wait behind it. So after each draw the
 * map waits in proportion to what that draw cost — the page keeps at least `1 − DRAW_SHARE` of its time for everything
 * else — and then draws the latest picture only: pictures submitted meanwhile replace each other, none is drawn stale.
 * On a GPU a draw costs a frame or two and nothing waits.
 */

/** The most of the main thread's time the map may take. */
export const DRAW_SHARE = 1 / 3;
/** A draw cheaper than this (ms, vsync included) is a GPU's: the next picture is drawn at once. */
export const FAST_DRAW_MS = 50;
/** The longest pause between draws (ms): a mode switch or 推屏 never waits longer than this to start drawing. */
export const MAX_PAUSE_MS = 2_000;
/**
 * For this long after a user's click, key or wheel (ms) the map draws without pausing: what the user just asked for —
 * a case selected, a layer switched — shows as soon as it can be drawn, not after a pause meant for a wall nobody
 * touches.
 */
export const HURRY_MS = 1_500;

/** How long the map pauses after a draw that cost `costMs` before it draws again. */
export function pauseAfterDraw(costMs: number, share = DRAW_SHARE, maxPauseMs = MAX_PAUSE_MS): number {
  if (costMs < FAST_DRAW_MS) return 0;
  return Math.min(maxPauseMs, (costMs * (1 - share)) / share);
}

export interface PacerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Hands pictures to `draw` no faster than their cost allows. The map calls `drawStarted` when a draw begins and
 * `drawFinished` once the page is free again after it (the first animation frame after the draw: on software GL the
 * page blocks there, not inside the draw call).
 *
 * `onReady` (optional) is told each time the map is ready to draw, before it draws what it holds: a source that coalesces — the
 * units, whose frames come ten times a second — hands its latest picture then, and builds none in between that
 * would only be replaced unseen (issue #19: on software GL the wall drew one picture in twenty it painted).
 */
export class DrawPacer<T> {
  private pending: { value: T } | null = null;
  private timer: unknown = null;
  private startedAt: number | null = null;
  private readyAt = 0;
  private hurryUntil = -Infinity;
  /** The next picture is drawn without a pause, even if a draw is under way now (`hurry`). */
  private urgent = false;
  private disposed = false;
  /** What the last draw cost (ms), for the debug hook. */
  lastCostMs = 0;
  /**
   * Told what each draw cost and when it finished, before the next picture is handed over: what it decides (the
   * drawing-buffer resolution, ./resolution.ts) goes with that picture.
   */
  onDrawCost: ((costMs: number, now: number) => void) | null = null;

  constructor(
    private readonly draw: (value: T) => void,
    private readonly clock: PacerClock = browserClock,
    private readonly onReady?: () => void,
  ) {}

  /** A new picture: drawn now if the map has rested long enough, else held (replacing any held one) until it has. */
  submit(value: T): void {
    this.pending = { value };
    // Not an occasion to ask the source: this may be the source's own answer.
    this.flushWhenReady(false);
  }

  /**
   * Draws the next picture without a pause: after a user's input (`forMs` = `HURRY_MS`, what follows it too), or
   * once (`forMs` 0) for a change the wall was told of — a mode switch, 推屏.
   */
  hurry(forMs = HURRY_MS): void {
    this.hurryUntil = Math.max(this.hurryUntil, this.clock.now() + forMs);
    this.urgent = true;
    this.readyAt = 0;
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushWhenReady();
  }

  drawStarted(): void {
    // A draw already timed (deck.gl draws again before the page was free, e.g. a resize) keeps its start.
    this.startedAt ??= this.clock.now();
  }

  drawFinished(): void {
    if (this.startedAt === null) return;
    const now = this.clock.now();
    this.lastCostMs = now - this.startedAt;
    this.startedAt = null;
    this.onDrawCost?.(this.lastCostMs, now);
    this.readyAt = now < this.hurryUntil || this.urgent ? 0 : now + pauseAfterDraw(this.lastCostMs);
    this.flushWhenReady();
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.disposed = true;
  }

  private flushWhenReady(ask = true): void {
    // While a draw is under way the page is not free yet: `drawFinished` flushes.
    if (this.disposed || this.timer !== null || this.startedAt !== null) return;
    if (!this.pending && !(ask && this.onReady)) return;
    const wait = this.readyAt - this.clock.now();
    if (wait > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.flushWhenReady();
      }, wait);
      return;
    }
    // Asked even when a picture is held: on a wall something else changes every second (the clock, a pulse), so a
    // picture is nearly always held when the pause ends, and a source asked only when none was held would never be.
    // Its newest picture follows within the same task (a Svelte effect) and replaces this one before deck.gl draws.
    if (ask) this.onReady?.();
    if (this.pending) this.flush();
  }

  private flush(): void {
    const held = this.pending;
    this.pending = null;
    this.urgent = false;
    if (held) this.draw(held.value);
  }
}
