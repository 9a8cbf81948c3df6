import { describe, expect, it } from 'vitest';
import { DrawHold, FIRST_DRAW_HOLD_MS, holdFirstDraw, type FirstDrawEnd, type HeldDeck } from './draw-hold.ts';

/**
 * deck.gl's loop as far as the hold reaches it: each look updates the layers, then draws if a redraw is flagged —
 * through `_customRender` when one is set (deck.gl's `Deck.redraw`), the flags cleared either way.
 */
function fakeDeck() {
  const deck = {
    customRender: null as ((reason: string) => void) | null,
    flagged: null as string | null,
    updates: 0,
    draws: [] as string[],
    setProps(props: { _customRender: ((reason: string) => void) | null }) {
      deck.customRender = props._customRender;
    },
    layerManager: {
      setNeedsRedraw(reason: string) {
        deck.flagged ??= reason;
      },
    },
    /** One look of the loop. */
    look() {
      deck.updates++;
      const reason = deck.flagged;
      deck.flagged = null;
      if (reason === null) return;
      if (deck.customRender) deck.customRender(reason);
      else deck.draws.push(reason);
    },
  };
  return deck;
}

/** Timers the test runs by hand. */
function manualTimers() {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 1;
  return {
    clock: {
      setTimeout: (run: () => void, ms: number) => {
        const id = next++;
        timers.push({ at: now + ms, run, id });
        return id;
      },
      clearTimeout: (id: unknown) => void (timers = timers.filter((t) => t.id !== id)),
    },
    pending: () => timers.length,
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.run();
    },
  };
}

describe(DrawHold.name, () => {
  it('keeps the loop running while held — the layers updated at every look — and draws nothing', () => {
    const hold = new DrawHold();
    hold.hold();
    // The Deck made held: its first props carry the hold's stand-in for its draw.
    const deck = fakeDeck();
    deck.setProps({ _customRender: hold.customRender });
    hold.attach(deck as HeldDeck);
    deck.flagged = 'Initial render';
    for (let i = 0; i < 5; i++) deck.look();
    deck.flagged = 'Canvas resized';
    deck.look();
    expect(deck.updates).toBe(6);
    expect(deck.draws).toEqual([]);
  });

  it('draws once at the next look after release, with the first reason it kept', () => {
    const deck = fakeDeck();
    let woken = 0;
    const hold = new DrawHold(() => woken++);
    hold.attach(deck as HeldDeck);
    hold.hold();
    deck.flagged = 'Initial render';
    deck.look();
    deck.flagged = 'layers changed';
    deck.look();
    hold.release();
    expect(hold.holding).toBe(false);
    expect(woken).toBe(1);
    deck.look();
    deck.look();
    expect(deck.draws).toEqual(['Initial render']);
    // Released, it draws as deck.gl does: a second release changes nothing.
    hold.release();
    deck.flagged = 'new units';
    deck.look();
    expect(deck.draws).toEqual(['Initial render', 'new units']);
    expect(woken).toBe(1);
  });

  it('asks for no draw on release when deck.gl wanted none while held', () => {
    const deck = fakeDeck();
    let woken = 0;
    const hold = new DrawHold(() => woken++);
    hold.attach(deck as HeldDeck);
    hold.hold();
    deck.look();
    hold.release();
    deck.look();
    expect(deck.draws).toEqual([]);
    expect(woken).toBe(0);
    expect(deck.customRender).toBeNull();
  });

  it('is made held for the Deck’s first props, before there is a Deck', () => {
    const hold = new DrawHold();
    expect(hold.customRender).toBeNull();
    hold.hold();
    expect(hold.customRender).toBeTypeOf('function');
    hold.release();
    expect(hold.customRender).toBeNull();
  });
});

describe(holdFirstDraw.name, () => {
  /** A map's draws, held while `state.waiting`, and how the hold ended. */
  function held(waiting: boolean) {
    const m = manualTimers();
    const draws = new DrawHold();
    const state = { waiting };
    const ends: FirstDrawEnd[] = [];
    const hold = holdFirstDraw(
      draws,
      () => state.waiting,
      (end) => ends.push(end),
      m.clock,
    );
    return { m, draws, state, ends, hold };
  }

  it('holds nothing when the state is already in', () => {
    const { draws, ends, hold, m } = held(false);
    hold.start();
    expect(draws.holding).toBe(false);
    expect(ends).toEqual(['not-held']);
    expect(m.pending()).toBe(0);
  });

  it('lets go when the state comes, and its time out then does nothing', () => {
    const { draws, state, ends, hold, m } = held(true);
    hold.start();
    hold.check();
    expect(draws.holding).toBe(true);
    state.waiting = false;
    hold.check();
    expect(draws.holding).toBe(false);
    m.advance(FIRST_DRAW_HOLD_MS);
    hold.check();
    expect(ends).toEqual(['state']);
    expect(m.pending()).toBe(0);
  });

  it('times out only from when the map could draw: not before `start`', () => {
    const { draws, ends, hold, m } = held(true);
    m.advance(3 * FIRST_DRAW_HOLD_MS);
    expect(draws.holding).toBe(true);
    hold.start();
    hold.start(); // once: a second start keeps the first timer
    m.advance(FIRST_DRAW_HOLD_MS - 1);
    expect(draws.holding).toBe(true);
    m.advance(1);
    expect(draws.holding).toBe(false);
    expect(ends).toEqual(['timeout']);
    expect(m.pending()).toBe(0);
  });

  it('lets go when the state comes before the map could draw, and starts no timer then', () => {
    const { draws, state, ends, hold, m } = held(true);
    state.waiting = false;
    hold.check();
    hold.start();
    expect(draws.holding).toBe(false);
    expect(ends).toEqual(['state']);
    expect(m.pending()).toBe(0);
  });

  it('tells a time out that found the state in but never checked (the fault the wall tests look for)', () => {
    const { state, ends, hold, m } = held(true);
    hold.start();
    state.waiting = false;
    m.advance(FIRST_DRAW_HOLD_MS);
    expect(ends).toEqual(['timeout-after-state']);
  });

  it('drops its timer when cancelled', () => {
    const { ends, hold, m } = held(true);
    hold.start();
    hold.cancel();
    m.advance(FIRST_DRAW_HOLD_MS);
    expect(ends).toEqual([]);
    expect(m.pending()).toBe(0);
  });
});
