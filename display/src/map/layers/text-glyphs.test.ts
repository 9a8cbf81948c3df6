import { describe, expect, it } from 'vitest';
import { glyphsOf } from './text-glyphs.ts';

describe(glyphsOf.name, () => {
  it('never hands deck.gl an empty character set (its atlas would be 0 px high: "texSubImage2D: no canvas")', () => {
    expect(glyphsOf([])).toBe(' ');
    expect(glyphsOf([{ text: '厦门' }])).toBe('auto');
  });
});
