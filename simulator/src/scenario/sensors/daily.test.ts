import { describe, expect, it } from 'vitest';
import { dayStartMs, drawFor, inSpans, localDay, minuteOfDay, parseSpans } from './daily.ts';

const OFFSET = 8 * 3_600_000;

describe(localDay.name, () => {
  it('counts days in the city’s time, so local midnight starts one', () => {
    const midnight = Date.parse('2026-11-22T00:00:00+08:00');
    expect(localDay(midnight, OFFSET)).toBe(localDay(midnight - 1, OFFSET) + 1);
    expect(dayStartMs(localDay(midnight + 5_000_000, OFFSET), OFFSET)).toBe(midnight);
    expect(minuteOfDay(midnight + 90 * 60_000, OFFSET)).toBe(90);
  });
});

describe(inSpans.name, () => {
  it('takes spans as [from, to) local minutes, wrapping past midnight', () => {
    const spans = parseSpans([
      ['07:00', '12:00'],
      ['22:00', '02:00'],
    ]);
    expect([
      inSpans(7 * 60, spans),
      inSpans(12 * 60, spans),
      inSpans(23 * 60, spans),
      inSpans(60, spans),
      inSpans(3 * 60, spans),
    ]).toEqual([true, false, true, true, false]);
  });
});

describe(drawFor.name, () => {
  it('draws from the seed and the labels alone', () => {
    expect(drawFor(1, 'noise', 'A', 3).float()).toBe(drawFor(1, 'noise', 'A', 3).float());
    expect(drawFor(1, 'noise', 'A', 3).float()).not.toBe(drawFor(1, 'noise', 'A', 4).float());
  });
});
