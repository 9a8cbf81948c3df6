/**
 * The map's first draw waits for the screen's first state (issue #19). A screen that has no state yet would draw the
 * base map alone, and again as its canvas settles, its legends are measured and its labels load — on software GL
 * each of those draws blocks the page for a second or more at 4K (measured: six draws before the first complete
 * picture, three of the bare base map), delaying the snapshot it waits for.
 *
 * The draws are held, not deck.gl's loop: while held the loop runs on, so the layers are created and updated as they
 * come (their GPU programs compiled, a tiled base map's tiles asked for and loaded) and only the drawing is put off
 * (deck.gl's `_customRender`, which stands in for its draw). Released, one draw shows everything handed over
 * meanwhile. Pure but for the clock it is given.
 */

/**
 * The longest the first draw waits for the screen's first state (ms) from when the map could first draw (its GPU
 * device ready): a hub that cannot be reached still leaves the base map drawn (beside the link badge saying so), a
 * few seconds late.
 */
export const FIRST_DRAW_HOLD_MS = 5_000;

/** What of a Deck the hold uses: the draw's stand-in, and the flag that asks its loop for a draw. */
export interface HeldDeck {
  setProps(props: { _customRender: ((reason: string) => void) | null }): void;
  readonly layerManager: { setNeedsRedraw(reason: string): void } | null;
}

/** Puts a Deck's draws off while held; released, the loop draws once what was put off (at its next look). */
export class DrawHold {
  private held = false;
  /** Why deck.gl wanted to draw while held (its first reason); null: it wanted nothing. */
  private wanted: string | null = null;
  private deck: HeldDeck | null = null;

  /** `wake`: the map's loop is asked to look at its next frame (./idle-frames.ts `wake`). */
  constructor(private readonly wake: () => void = () => {}) {}

  /** The Deck's `_customRender` for its first props: a held draw is kept, not drawn. */
  get customRender(): ((reason: string) => void) | null {
    return this.held ? this.keep : null;
  }

  /** The Deck, once made (made with `customRender`): holds and releases from now on reach it. */
  attach(deck: HeldDeck): void {
    this.deck = deck;
  }

  hold(): void {
    if (this.held) return;
    this.held = true;
    this.deck?.setProps({ _customRender: this.keep });
  }

  /** Ends a `hold`: deck.gl draws at its next look if it wanted to meanwhile. Nothing if not held. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    this.deck?.setProps({ _customRender: null });
    const reason = this.wanted;
    this.wanted = null;
    if (reason === null) return;
    // Its redraw flags were cleared when the draw was kept: set again, the loop draws once, with whatever has come.
    this.deck?.layerManager?.setNeedsRedraw(reason);
    this.wake();
  }

  get holding(): boolean {
    return this.held;
  }

  private readonly keep = (reason: string) => {
    this.wanted ??= reason;
  };
}

/**
 * What let a map's first draw go (the debug hook's `firstDrawHold`): the screen's first `state`; the hold's `timeout`
 * with no state yet; `timeout-after-state` — the state had come but nothing released the hold (a fault: a wall that
 * draws seconds late); `not-held` — the map began with its state in.
 */
export type FirstDrawEnd = 'state' | 'timeout' | 'timeout-after-state' | 'not-held';

/** The timers the hold's time out runs on. */
export interface HoldClock {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: HoldClock = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Holds `draws` while `waiting()` (the screen has no state yet): `check()` after each change of `waiting` releases
 * them once it turns false; `start()` (the map could draw now) starts the time out of `ms`; `cancel()` drops its
 * timer. `told` hears how the hold ended, once.
 */
export function holdFirstDraw(
  draws: Pick<DrawHold, 'hold' | 'release' | 'holding'>,
  waiting: () => boolean,
  told: (end: FirstDrawEnd) => void,
  clock: HoldClock = browserTimers,
  ms = FIRST_DRAW_HOLD_MS,
): { check(): void; start(): void; cancel(): void } {
  if (!waiting()) {
    told('not-held');
    return { check() {}, start() {}, cancel() {} };
  }
  draws.hold();
  let timer: unknown = null;
  const cancel = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  return {
    check() {
      if (!draws.holding || waiting()) return;
      cancel();
      told('state');
      draws.release();
    },
    start() {
      if (!draws.holding || timer !== null) return;
      // A timeout that finds the state already in means `check` did not follow it: told apart, so a test can fail on
      // it without waiting on any clock.
      timer = clock.setTimeout(() => {
        timer = null;
        if (!draws.holding) return;
        told(waiting() ? 'timeout' : 'timeout-after-state');
        draws.release();
      }, ms);
    },
    cancel,
  };
}
