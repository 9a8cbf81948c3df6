import { describe, expect, it } from 'vitest';
import { framesForcedEvery, IDLE_POLL_MS, IdleFrames, type FrameClock } from './idle-frames.ts';

/** Animation frames and timers the test runs by hand. */
function manualFrames() {
  let now = 0;
  let frames = new Map<number, (time: number) => void>();
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 1;
  const clock: FrameClock = {
    requestAnimationFrame: (callback) => {
      const id = next++;
      frames.set(id, callback);
      return id;
    },
    cancelAnimationFrame: (id) => void frames.delete(id),
    setTimeout: (run, ms) => {
      const id = next++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => void (timers = timers.filter((t) => t.id !== id)),
  };
  return {
    clock,
    framesPending: () => frames.size,
    timersPending: () => timers.length,
    /** Runs the animation frame the browser would paint next. */
    frame() {
      const due = frames;
      frames = new Map();
      for (const callback of due.values()) callback(now);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers = timers.filter((x) => x !== t);
        t.run();
      }
    },
  };
}

/** A loop as luma.gl's: on each frame it looks (counted), then asks for the next. */
function loop(frames: IdleFrames) {
  const looks = { n: 0 };
  const tick = () => {
    looks.n++;
    frames.requestAnimationFrame(tick);
  };
  frames.requestAnimationFrame(tick);
  return looks;
}

describe(IdleFrames.name, () => {
  it('asks for every animation frame while draws are fast, as deck.gl does by itself', () => {
    const m = manualFrames();
    const frames = new IdleFrames(() => false, m.clock);
    const looks = loop(frames);
    for (let i = 0; i < 10; i++) m.frame();
    expect(looks.n).toBe(10);
    expect(frames.sleeps).toBe(0);
    expect(m.timersPending()).toBe(0);
  });

  it('while draws are slow, looks once per poll instead of at every frame', () => {
    const m = manualFrames();
    const frames = new IdleFrames(() => true, m.clock);
    const looks = loop(frames);
    // A second of 60 frames: the loop sleeps on a timer, no frame is asked for until it rings.
    for (let i = 0; i < 60; i++) {
      m.frame();
      m.advance(1000 / 60);
    }
    expect(looks.n).toBeGreaterThanOrEqual(Math.floor(1000 / IDLE_POLL_MS) - 1);
    expect(looks.n).toBeLessThanOrEqual(Math.ceil(1000 / IDLE_POLL_MS));
  });

  it('a wake looks at the next frame at once, not after the poll; a wake with nothing asleep does nothing', () => {
    const m = manualFrames();
    const frames = new IdleFrames(() => true, m.clock);
    const looks = loop(frames);
    m.advance(IDLE_POLL_MS);
    m.frame();
    expect(looks.n).toBe(1);
    // Asleep again: new layers handed over wake it, drawn at the very next frame.
    m.advance(10);
    expect(m.framesPending()).toBe(0);
    frames.wake();
    expect(m.timersPending()).toBe(0);
    m.frame();
    expect(looks.n).toBe(2);
    // Awake and waiting for its frame: more wakes ask for no more frames (one look per frame).
    m.advance(IDLE_POLL_MS);
    frames.wake();
    frames.wake();
    expect(m.framesPending()).toBe(1);
    m.frame();
    expect(looks.n).toBe(3);
  });

  it('switches with the draws: back to every frame as soon as they are fast again', () => {
    const m = manualFrames();
    let slow = true;
    const frames = new IdleFrames(() => slow, m.clock);
    const looks = loop(frames);
    m.advance(IDLE_POLL_MS);
    m.frame();
    slow = false;
    m.advance(IDLE_POLL_MS);
    m.frame();
    m.frame();
    m.frame();
    expect(looks.n).toBe(4);
  });

  it('cancels what it was asked for: a cancelled request never calls back, asleep or waiting on a frame', () => {
    const m = manualFrames();
    const frames = new IdleFrames(() => true, m.clock);
    let called = 0;
    const asleep = frames.requestAnimationFrame(() => called++);
    frames.cancelAnimationFrame(asleep);
    expect(m.timersPending()).toBe(0);
    m.advance(IDLE_POLL_MS);
    m.frame();
    const woken = frames.requestAnimationFrame(() => called++);
    frames.wake();
    frames.cancelAnimationFrame(woken);
    expect(m.framesPending()).toBe(0);
    m.frame();
    // An old id does not cancel a newer request.
    frames.requestAnimationFrame(() => called++);
    frames.cancelAnimationFrame(woken);
    frames.wake();
    m.frame();
    expect(called).toBe(1);
  });
});

describe(framesForcedEvery.name, () => {
  it('reads ?frames=every in any case, and nothing else', () => {
    expect(framesForcedEvery('?frames=every')).toBe(true);
    expect(framesForcedEvery('?frames=EVERY')).toBe(true);
    expect(framesForcedEvery('?frames=idle')).toBe(false);
    expect(framesForcedEvery('?units=every')).toBe(false);
    expect(framesForcedEvery('')).toBe(false);
  });
});
