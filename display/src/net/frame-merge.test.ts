import { describe, expect, it } from 'vitest';
import type { PositionFrame } from '@egret/protocol';
import { seeded as random } from '../../../test/seeded.ts';
import { MAX_DRAWN_SLOT, UnitPositions } from '../state/unit-positions.ts';
import { FrameMerger, mergeFrames } from './frame-merge.ts';

/**
 * Places a slot may be at: few, so frames often repeat a place; two of them a microdegree apart, which the page
 * keeps as one float (the merge must compare as the page does).
 */
const PLACES: [number, number][] = [
  [118_000_000, 24_500_000],
  [118_000_001, 24_500_000],
  [118_100_000, 24_600_000],
  [118_200_000, 24_400_000],
];

function frame(
  rnd: () => number,
  tick: number,
  at: number,
  opts: { keyframe?: boolean; slots: number; entries: number },
): PositionFrame {
  const n = opts.entries;
  const f: PositionFrame = {
    tick,
    at,
    keyframe: opts.keyframe ?? false,
    slots: new Uint32Array(n),
    lonE6: new Int32Array(n),
    latE6: new Int32Array(n),
    ageS: new Uint16Array(n),
  };
  for (let i = 0; i < n; i++) {
    // Now and then a slot beyond what a screen holds (a forged frame): skipped and counted.
    f.slots[i] = rnd() < 0.02 ? MAX_DRAWN_SLOT + 1 + Math.floor(rnd() * 10) : Math.floor(rnd() * opts.slots);
    const [lon, lat] = PLACES[Math.floor(rnd() * PLACES.length)]!;
    f.lonE6[i] = lon;
    f.latE6[i] = lat;
    f.ageS[i] = Math.floor(rnd() * 6); // fix times go back and forth between frames
  }
  return f;
}

function held(p: UnitPositions) {
  return {
    length: p.length,
    positioned: p.positioned,
    refused: p.refused,
    positions: [...p.positions.slice(0, p.length * 2)],
    fixAt: [...p.fixAt.slice(0, p.length)],
  };
}

/** Two pages that hold the same positions to start with. */
function twoPages(rnd: () => number, slots: number): [UnitPositions, UnitPositions] {
  const start = frame(rnd, 0, 1_000_000, { keyframe: true, slots, entries: Math.floor(slots * 0.7) });
  const a = new UnitPositions();
  const b = new UnitPositions();
  a.applyFrame(start);
  b.applyFrame(start);
  return [a, b];
}

describe(FrameMerger.name, () => {
  it('leaves a page as applying each frame in order would (seeded random frames, keyframes, repeats)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const slots = 1 + Math.floor(rnd() * 30);
      const [inOrder, merged] = twoPages(rnd, slots);
      const frames: PositionFrame[] = [];
      const count = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < count; k++) {
        const at = 1_000_000 + Math.floor(rnd() * 8) * 1000 + Math.floor(rnd() * 1000);
        frames.push(frame(rnd, k + 1, at, { keyframe: rnd() < 0.2, slots, entries: Math.floor(rnd() * slots * 1.5) }));
      }
      for (const f of frames) inOrder.applyFrame(f);
      const batch = mergeFrames(frames)!;
      merged.applyBatch(batch);
      expect(held(merged), `seed ${seed}`).toEqual(held(inOrder));
      expect(batch.frames).toBe(count);
      expect(batch.keyframes).toBe(frames.filter((f) => f.keyframe).length);
      expect(batch.at).toBe(Math.max(...frames.map((f) => f.at)));
    }
  });

  it('holds one entry per slot however many frames repeat it', () => {
    const rnd = random(7);
    const frames = Array.from({ length: 10 }, (_, k) => frame(rnd, k, 2_000_000 + k * 1000, { slots: 5, entries: 20 }));
    const batch = mergeFrames(frames)!;
    expect(new Set(batch.slots).size).toBe(batch.slots.length);
    expect(batch.slots.length).toBeLessThanOrEqual(5);
  });

  it('takes a slot that moved within the batch as it is, and a slot that stayed as a frame’s entry', () => {
    const at = 10_000_000;
    const one = (lonE6: number, ageS: number, tick: number): PositionFrame => ({
      tick,
      at,
      keyframe: false,
      slots: Uint32Array.of(3),
      lonE6: Int32Array.of(lonE6),
      latE6: Int32Array.of(24_500_000),
      ageS: Uint16Array.of(ageS),
    });
    // Away and back to where the page has it, with an older fix time than the page holds: the page ends at that time.
    const page = new UnitPositions();
    page.set(3, 118.1, 24.5, at);
    const moved = mergeFrames([one(118_200_000, 0, 1), one(118_100_000, 5, 2)])!;
    expect([...moved.replace]).toEqual([1]);
    page.applyBatch(moved);
    expect(page.fixAt[3]).toBe(at - 5000);
    // Only repeats of one place: the newest time, and the page keeps a newer one it holds.
    const stayed = mergeFrames([one(118_100_000, 9, 3), one(118_100_000, 7, 4)])!;
    expect([...stayed.replace, ...stayed.fixAt]).toEqual([0, at - 7000]);
  });

  it('starts afresh after each take, and has nothing to give before a frame comes', () => {
    const merger = new FrameMerger();
    expect(merger.take()).toBeNull();
    const rnd = random(3);
    merger.add(frame(rnd, 1, 1_000_000, { slots: 2000, entries: 3000 })); // grows past its first arrays
    const first = merger.take()!;
    expect(merger.pending).toBe(0);
    merger.add(frame(rnd, 2, 1_001_000, { slots: 3, entries: 0 }));
    const second = merger.take()!;
    expect(second.slots.length).toBe(0);
    expect(second.frames).toBe(1);
    expect(first.frames).toBe(1);
    expect(new Set(first.slots).size).toBe(first.slots.length);
  });

  it('leaves a page as the frames in order would across takes at random points, with saturated ages and empty frames', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(1_000 + seed);
      const slots = 1 + Math.floor(rnd() * 20);
      const [inOrder, merged] = twoPages(rnd, slots);
      const merger = new FrameMerger();
      const count = 2 + Math.floor(rnd() * 20);
      for (let k = 0; k < count; k++) {
        const at = 1_000_000 + Math.floor(rnd() * 4) * 1000 + Math.floor(rnd() * 1000);
        const entries = rnd() < 0.15 ? 0 : Math.floor(rnd() * slots * 1.5);
        const f = frame(rnd, k + 1, at, { keyframe: rnd() < 0.2, slots, entries });
        // The oldest a fix can say (the wire's u16 saturates): far in the past, exactly.
        for (let e = 0; e < f.ageS.length; e++) if (rnd() < 0.1) f.ageS[e] = 0xffff;
        inOrder.applyFrame(f);
        merger.add(f);
        // The page asks for a batch whenever it is ready: at any point between frames.
        if (rnd() < 0.4) {
          const b = merger.take();
          if (b) merged.applyBatch(b);
        }
      }
      const last = merger.take();
      if (last) merged.applyBatch(last);
      expect(held(merged), `seed ${seed}`).toEqual(held(inOrder));
    }
  });
});
