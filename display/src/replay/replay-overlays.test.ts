import { describe, expect, it } from 'vitest';
import { heatBinMs, replayVisible } from './replay-overlays.ts';

describe(replayVisible.name, () => {
  it('shows what the mode showed then: heat in a typhoon, none in peacetime', () => {
    expect(replayVisible('typhoon', null).heat).toBe(true);
    expect(replayVisible('peacetime', null).heat).toBe(false);
    expect(replayVisible('peacetime', null).overdue).toBe(true);
    expect(replayVisible('major_event', null).perimeters).toBe(true);
  });

  it('follows what the consoles switched on then, whatever the mode', () => {
    const v = replayVisible('typhoon', ['cases', 'grid']);
    expect(v.heat).toBe(false);
    expect(v.grid).toBe(true);
    expect(v.cases).toBe(true);
    expect(v.units).toBe(false);
  });

  it('never draws the live-only layers: no arrival pulses, no single followed trail', () => {
    for (const mode of ['peacetime', 'typhoon', 'major_event']) {
      const v = replayVisible(mode, null);
      expect([v.pulse, v.trail]).toEqual([false, false]);
    }
    expect(replayVisible('peacetime', ['pulse', 'trail', 'units'])).toMatchObject({
      pulse: false,
      trail: false,
      units: true,
    });
  });
});

describe(heatBinMs.name, () => {
  it('re-counts the heat every world minute at ordinary speeds, every few real seconds at fast ones', () => {
    expect(heatBinMs(1)).toBe(60_000);
    expect(heatBinMs(10)).toBe(60_000);
    expect(heatBinMs(600)).toBe(3_000_000);
  });
});
