import { describe, expect, it } from 'vitest';
import { HELD_PHASE, PulseClock, SLOW_BACKOFF_MS } from './pulse-clock.svelte.ts';

/** Animation frames driven by hand: `tick(t)` runs the pending callback at time t. */
function manualFrames() {
  let pending: ((t: number) => void) | null = null;
  let requests = 0;
  return {
    raf: (cb: (t: number) => void) => {
      pending = cb;
      return ++requests;
    },
    caf: () => {
      pending = null;
    },
    tick(t: number) {
      const cb = pending;
      pending = null;
      cb?.(t);
    },
    get waiting() {
      return pending !== null;
    },
  };
}

describe(PulseClock.name, () => {
  it('advances the phase on frames while on, at most fps times a second, and rests at 0 when off', () => {
    const f = manualFrames();
    const clock = new PulseClock(1000, 10, f.raf, f.caf);
    clock.run(true);
    f.tick(100);
    expect(clock.phase).toBeCloseTo(0.1);
    f.tick(150); // within 1/10 s of the last step: no change
    expect(clock.phase).toBeCloseTo(0.1);
    f.tick(230);
    expect(clock.phase).toBeCloseTo(0.23);
    clock.run(false);
    expect(clock.phase).toBe(0);
    expect(f.waiting).toBe(false);
  });

  it('holds still when frames are slow, and tries again after the back-off', () => {
    const f = manualFrames();
    const clock = new PulseClock(1000, 10, f.raf, f.caf);
    clock.run(true);
    f.tick(100);
    f.tick(900); // 800 ms between frames: software GL
    expect(clock.phase).toBe(HELD_PHASE);
    expect(clock.held).toBe(true);
    f.tick(1000);
    expect(clock.phase).toBe(HELD_PHASE);
    // Held, frames come quickly again (nothing is redrawn for the pulse); after the back-off it moves again.
    for (let t = 1_100; t <= 900 + SLOW_BACKOFF_MS + 100; t += 100) f.tick(t);
    expect(clock.held).toBe(false);
    expect(clock.phase).not.toBe(HELD_PHASE);
  });
});
