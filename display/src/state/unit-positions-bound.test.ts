import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '@egret/protocol';
import { MAX_DRAWN_SLOT, UnitPositions } from './unit-positions.ts';

const AT = 1_473_872_700_123;

describe('UnitPositions against a frame of far slots', () => {
  it('skips and counts entries beyond MAX_DRAWN_SLOT (slot 2^32 - 1 is valid on the wire) and keeps the rest', () => {
    const p = new UnitPositions();
    const frame = decodeFrame(
      encodeFrame(1, AT, true, [
        { slot: 0, lon: 118.1, lat: 24.5, at: AT },
        { slot: MAX_DRAWN_SLOT, lon: 118.2, lat: 24.6, at: AT },
        { slot: MAX_DRAWN_SLOT + 1, lon: 118.3, lat: 24.7, at: AT },
        { slot: 2 ** 31, lon: 118.3, lat: 24.7, at: AT },
        { slot: 2 ** 32 - 1, lon: 118.4, lat: 24.8, at: AT },
      ]),
    );
    // Before: a Float32Array of 2^33 entries (RangeError thrown out of the socket's handler), or for a slot of some
    // tens of millions half a gigabyte and as many rows drawn.
    expect(p.applyFrame(frame)).toBe(2);
    expect(p.refused).toBe(3);
    expect(p.length).toBe(MAX_DRAWN_SLOT + 1);
    expect(p.has(0) && p.has(MAX_DRAWN_SLOT)).toBe(true);
    expect(p.lon(MAX_DRAWN_SLOT)).toBeCloseTo(118.2, 5);
    expect(p.applyFrame(decodeFrame(encodeFrame(2, AT, false, [{ slot: 0, lon: 118.5, lat: 24.5, at: AT }])))).toBe(1);
    expect(p.lon(0)).toBeCloseTo(118.5, 5);
    // Replay places trail positions with set(): the same bound.
    expect(p.set(2 ** 32 - 1, 118, 24, AT)).toBe(false);
    expect(p.refused).toBe(4);
  });
});
