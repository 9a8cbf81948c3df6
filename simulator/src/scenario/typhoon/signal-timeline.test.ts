import { describe, expect, it } from 'vitest';
import { signalTimeline } from './signal-timeline.ts';
import { signalAt } from './signals.ts';
import { LANDFALL, meranti } from '../../../test/typhoon.ts';

describe(signalTimeline.name, () => {
  const { track, signals } = meranti;
  const timeline = signalTimeline(track, signals.cityPoint, signals.holdHours);

  it('gives the signal issued at the start of each 10-minute slot', () => {
    for (const h of [-30, -12, -3, 0, 4, 12, 30]) {
      const slot = LANDFALL + h * 3_600_000 - ((LANDFALL + h * 3_600_000) % 600_000);
      const expected = signalAt(track, slot, signals.cityPoint, { holdHours: signals.holdHours });
      expect(timeline(slot)).toBe(expected);
      expect(timeline(slot + 599_999)).toBe(expected);
    }
  });

  it('is red at landfall', () => {
    expect(timeline(LANDFALL)).toBe('red');
  });
});
