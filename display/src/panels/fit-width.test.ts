import { describe, expect, it } from 'vitest';
import { fittedFontSize } from './fit-width.ts';

describe('fittedFontSize', () => {
  it('keeps the set size when the text fits', () => {
    expect(fittedFontSize(84, 200, 120)).toBe(84);
    expect(fittedFontSize(84, 200, 200)).toBe(84);
  });

  it('shrinks in proportion, rounded down so that it never clips', () => {
    // 88,888 at 84 px: 378 px in a 200-px tile.
    expect(fittedFontSize(84, 200, 378)).toBe(44);
    expect((44 * 378) / 84).toBeLessThanOrEqual(200);
  });

  it('answers something drawable for a box with no room yet (before layout)', () => {
    expect(fittedFontSize(84, 0, 300)).toBe(84);
    expect(fittedFontSize(84, 1, 30_000)).toBe(1);
  });
});
