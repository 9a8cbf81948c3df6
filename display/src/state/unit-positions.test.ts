import { encodeFrame, decodeFrame } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { UnitPositions } from './unit-positions.ts';

/** Fixes as [slot, lon, lat] (taken at the frame's time) or [slot, lon, lat, fixAt]. */
const frame = (
  tick: number,
  at: number,
  keyframe: boolean,
  fixes: ([number, number, number] | [number, number, number, number])[],
) =>
  decodeFrame(
    encodeFrame(
      tick,
      at,
      keyframe,
      fixes.map(([slot, lon, lat, fixAt]) => ({ slot, lon, lat, at: fixAt ?? at })),
    ),
  );

describe(UnitPositions.name, () => {
  it('puts each fix at its slot and draws up to the highest slot', () => {
    const p = new UnitPositions();
    p.applyFrame(
      frame(1, 1000, false, [
        [3, 118.1, 24.5],
        [7, 118.2, 24.6],
      ]),
    );
    expect(p.length).toBe(8);
    expect(p.positioned).toBe(2);
    expect(p.lon(3)).toBeCloseTo(118.1, 5);
    expect(p.lat(7)).toBeCloseTo(24.6, 5);
    expect(p.has(5)).toBe(false);
    expect(p.fixAt[7]).toBe(1000);
  });

  it('grows its arrays for large slots and keeps earlier fixes', () => {
    const p = new UnitPositions();
    p.applyFrame(frame(1, 1000, false, [[2, 118.1, 24.5]]));
    p.applyFrame(frame(2, 2000, false, [[5000, 118.3, 24.7]]));
    expect(p.positions.length).toBeGreaterThanOrEqual(5001 * 2);
    expect(p.lon(2)).toBeCloseTo(118.1, 5);
    expect(p.lat(5000)).toBeCloseTo(24.7, 5);
  });

  it('does not make a unit that has not moved look fresh when a keyframe repeats it', () => {
    const p = new UnitPositions();
    expect(
      p.applyFrame(
        frame(1, 1000, false, [
          [1, 118.1, 24.5],
          [2, 118.2, 24.5],
        ]),
      ),
    ).toBe(2);
    // Only the unit that moved counts as changed.
    expect(
      p.applyFrame(
        frame(9, 9000, true, [
          [1, 118.1, 24.5, 1000],
          [2, 118.25, 24.5],
        ]),
      ),
    ).toBe(1);
    expect(p.applyFrame(frame(10, 9100, false, []))).toBe(0);
    expect(p.fixAt[1]).toBe(1000);
    expect(p.fixAt[2]).toBe(9000);
  });

  it('places a unit first seen in a keyframe at its fix’s time, so a silent unit is old at once after a reload', () => {
    const p = new UnitPositions();
    p.applyFrame(
      frame(9, 90_000, true, [
        [1, 118.1, 24.5, 40_000],
        [2, 118.2, 24.5],
      ]),
    );
    expect(p.fixAt[1]).toBe(40_000);
    expect(p.fixAt[2]).toBe(90_000);
  });

  it('takes a newer fix time from a keyframe for a unit that reported in place during skipped ticks', () => {
    const p = new UnitPositions();
    p.applyFrame(frame(1, 1000, false, [[1, 118.1, 24.5]]));
    expect(p.applyFrame(frame(9, 9000, true, [[1, 118.1, 24.5, 8000]]))).toBe(1);
    expect(p.fixAt[1]).toBe(8000);
  });
});
