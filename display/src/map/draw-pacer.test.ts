import { describe, expect, it } from 'vitest';
import {
  DRAW_SHARE,
  DrawPacer,
  FAST_DRAW_MS,
  HURRY_MS,
  MAX_PAUSE_MS,
  pauseAfterDraw,
  type PacerClock,
} from './draw-pacer.ts';

/** A clock the test moves by hand, with the timers it holds. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 1;
  const clock: PacerClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = next++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => void (timers = timers.filter((t) => t.id !== id)),
  };
  return {
    clock,
    pendingTimers: () => timers.length,
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now).sort((a, b) => a.at - b.at)) {
        timers = timers.filter((x) => x !== t);
        t.run();
      }
    },
  };
}

/** A pacer whose draws the test records, each draw costing `cost` ms of the clock. */
function pacedMap(cost: number) {
  const c = manualClock();
  const drawn: number[] = [];
  const pacer = new DrawPacer<number>((v) => drawn.push(v), c.clock);
  const drawFrame = () => {
    pacer.drawStarted();
    c.advance(cost);
    pacer.drawFinished();
  };
  return { ...c, drawn, pacer, drawFrame };
}

describe('pauseAfterDraw', () => {
  it('lets a GPU draw again at once', () => {
    expect(pauseAfterDraw(16)).toBe(0);
    expect(pauseAfterDraw(FAST_DRAW_MS - 1)).toBe(0);
  });

  it('keeps the page free for the rest of its time after a slow draw', () => {
    const cost = 900;
    const pause = pauseAfterDraw(cost);
    expect(cost / (cost + pause)).toBeCloseTo(DRAW_SHARE, 5);
  });

  it('never pauses longer than the bound, however slow the draw', () => {
    expect(pauseAfterDraw(60_000)).toBe(MAX_PAUSE_MS);
  });
});

describe('DrawPacer', () => {
  it('draws a picture at once while the map is rested', () => {
    const m = pacedMap(10);
    m.pacer.submit(1);
    expect(m.drawn).toEqual([1]);
  });

  it('after a slow draw holds new pictures, then draws only the latest once the pause is over', () => {
    const m = pacedMap(1_000);
    m.pacer.submit(1);
    m.drawFrame();
    m.pacer.submit(2);
    m.pacer.submit(3);
    expect(m.drawn).toEqual([1]);
    m.advance(pauseAfterDraw(1_000) - 1);
    expect(m.drawn).toEqual([1]);
    m.advance(1);
    expect(m.drawn).toEqual([1, 3]);
    expect(m.pendingTimers()).toBe(0);
  });

  it('holds pictures submitted while a draw is under way until it has finished and rested', () => {
    const m = pacedMap(900);
    m.pacer.submit(1);
    m.pacer.drawStarted();
    m.advance(500);
    m.pacer.submit(2);
    expect(m.drawn).toEqual([1]);
    m.advance(400);
    m.pacer.drawFinished();
    expect(m.pacer.lastCostMs).toBe(900);
    expect(m.drawn).toEqual([1]);
    m.advance(pauseAfterDraw(900));
    expect(m.drawn).toEqual([1, 2]);
  });

  it('keeps a steady stream of pictures to about its share of the time on a slow map', () => {
    const m = pacedMap(1_000);
    let busy = 0;
    const start = 0;
    let t = 0;
    // A position frame every 100 ms for a minute; every picture handed over is drawn at the next frame.
    let drawnBefore = 0;
    for (let i = 0; i < 600; i++) {
      m.pacer.submit(i);
      if (m.drawn.length > drawnBefore) {
        drawnBefore = m.drawn.length;
        m.drawFrame();
        busy += 1_000;
        t += 1_000;
        continue;
      }
      m.advance(100);
      t += 100;
    }
    expect(busy / (t - start)).toBeLessThanOrEqual(DRAW_SHARE + 0.05);
    // …and still draws: the latest picture every few seconds.
    expect(m.drawn.length).toBeGreaterThan(10);
  });

  it('draws at once, and without pausing for a while, after the user acts on the page', () => {
    const m = pacedMap(1_000);
    m.pacer.submit(1);
    m.drawFrame();
    m.pacer.submit(2);
    expect(m.drawn).toEqual([1]);
    m.pacer.hurry();
    expect(m.drawn).toEqual([1, 2]);
    expect(m.pendingTimers()).toBe(0);
    m.drawFrame();
    m.pacer.submit(3);
    expect(m.drawn).toEqual([1, 2, 3]);
    // Once the hurry is over, slow draws pause again.
    m.advance(HURRY_MS);
    m.drawFrame();
    m.pacer.submit(4);
    expect(m.drawn).toEqual([1, 2, 3]);
    m.advance(pauseAfterDraw(1_000));
    expect(m.drawn).toEqual([1, 2, 3, 4]);
  });

  it('draws one picture without a pause for a change it was told of, and paces again after it', () => {
    const m = pacedMap(1_000);
    m.pacer.submit(1);
    m.drawFrame();
    m.pacer.submit(2);
    m.pacer.hurry(0);
    expect(m.drawn).toEqual([1, 2]);
    m.drawFrame();
    m.pacer.submit(3);
    expect(m.drawn).toEqual([1, 2]);
    m.advance(pauseAfterDraw(1_000));
    expect(m.drawn).toEqual([1, 2, 3]);
  });

  it('draws a picture it was told is urgent right after the draw under way, without its pause', () => {
    const m = pacedMap(1_000);
    m.pacer.submit(1);
    m.pacer.drawStarted();
    m.advance(400);
    m.pacer.submit(2);
    m.pacer.hurry(0);
    expect(m.drawn).toEqual([1]);
    m.advance(600);
    m.pacer.drawFinished();
    expect(m.drawn).toEqual([1, 2]);
  });

  it('tells what each draw cost before it hands over the next picture (what it decides goes with that picture)', () => {
    const c = manualClock();
    const seen: string[] = [];
    const pacer = new DrawPacer<number>((v) => seen.push(`draw ${v}`), c.clock);
    pacer.onDrawCost = (cost, now) => seen.push(`cost ${cost} at ${now}`);
    pacer.submit(1);
    pacer.drawStarted();
    c.advance(1_200);
    // A 推屏 told while the draw is under way: drawn right after it, without the pause.
    pacer.submit(2);
    pacer.hurry(0);
    pacer.drawFinished();
    expect(seen).toEqual(['draw 1', 'cost 1200 at 1200', 'draw 2']);
    // A draw finished twice (deck.gl drew again before the page was free) is told once.
    pacer.drawFinished();
    expect(seen).toHaveLength(3);
  });

  it('draws nothing after it is disposed', () => {
    const m = pacedMap(1_000);
    m.pacer.submit(1);
    m.drawFrame();
    m.pacer.submit(2);
    m.pacer.dispose();
    m.advance(10_000);
    expect(m.drawn).toEqual([1]);
  });

  it('tells a coalescing source when it is ready for a picture and holds none: after the pause, not per submit', () => {
    const c = manualClock();
    const drawn: number[] = [];
    let asked = 0;
    const pacer = new DrawPacer<number>(
      (v) => drawn.push(v),
      c.clock,
      () => asked++,
    );
    pacer.submit(1);
    expect(asked).toBe(0);
    pacer.drawStarted();
    c.advance(1_000);
    pacer.drawFinished();
    // Resting after a slow draw: not ready yet.
    expect(asked).toBe(0);
    c.advance(pauseAfterDraw(1_000) - 1);
    expect(asked).toBe(0);
    c.advance(1);
    expect(asked).toBe(1);
    // The source's picture is drawn at once; the next ask comes only after that draw and its pause.
    pacer.submit(2);
    expect(drawn).toEqual([1, 2]);
    pacer.drawStarted();
    c.advance(1_000);
    pacer.drawFinished();
    expect(asked).toBe(1);
    c.advance(pauseAfterDraw(1_000));
    expect(asked).toBe(2);
  });

  it('asks the source when the pause ends even if another picture was submitted meanwhile, then draws', () => {
    const c = manualClock();
    const drawn: number[] = [];
    const log: string[] = [];
    const pacer = new DrawPacer<number>(
      (v) => {
        drawn.push(v);
        log.push(`draw ${v}`);
      },
      c.clock,
      () => log.push('asked'),
    );
    pacer.submit(1);
    pacer.drawStarted();
    c.advance(1_000);
    pacer.drawFinished();
    // The clock's layer changed during the pause.
    pacer.submit(2);
    c.advance(pauseAfterDraw(1_000));
    expect(log).toEqual(['draw 1', 'asked', 'draw 2']);
  });

  it('asks at once after a fast draw, and after a hurry with nothing held', () => {
    const c = manualClock();
    let asked = 0;
    const pacer = new DrawPacer<number>(
      () => undefined,
      c.clock,
      () => asked++,
    );
    pacer.submit(1);
    pacer.drawStarted();
    c.advance(16);
    pacer.drawFinished();
    expect(asked).toBe(1);
    pacer.hurry(0);
    expect(asked).toBe(2);
  });

  it('asks nothing after it is disposed', () => {
    const c = manualClock();
    let asked = 0;
    const pacer = new DrawPacer<number>(
      () => undefined,
      c.clock,
      () => asked++,
    );
    pacer.submit(1);
    pacer.drawStarted();
    c.advance(1_000);
    pacer.drawFinished();
    pacer.dispose();
    c.advance(10_000);
    expect(asked).toBe(0);
  });
});
