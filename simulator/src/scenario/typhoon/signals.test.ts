import { describe, expect, it } from 'vitest';
import { SIGNAL_LEVELS } from '@egret/protocol';
import { signalAt, signalChanges } from './signals.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';
import { windAt } from './wind-field.ts';

const scenario = typhoonScenario(loadTyphoonScenario());
const { track } = scenario;
const city = scenario.signals.cityPoint;
const HOUR = 3_600_000;
const LANDFALL = track.landfall.at;
const options = { holdHours: scenario.signals.holdHours };

describe(signalChanges.name, () => {
  const changes = signalChanges(track, city, LANDFALL - 48 * HOUR, LANDFALL + 36 * HOUR, options);
  const before = changes.filter((c) => c.at <= LANDFALL);
  const after = changes.filter((c) => c.at > LANDFALL);

  it('raises blue → yellow → orange → red, one step at a time, before landfall', () => {
    expect(before.map((c) => c.level)).toEqual(['none', 'blue', 'yellow', 'orange', 'red']);
  });

  it('lowers red → orange → yellow → blue → none after landfall as the wind drops', () => {
    expect(after.map((c) => c.level)).toEqual(['orange', 'yellow', 'blue', 'none']);
  });

  it('raises red at least 6 h before the island sees force 12, and orange at least 12 h before force 10', () => {
    const firstAbove = (ms: number) => {
      for (let t = LANDFALL - 48 * HOUR; ; t += 10 * 60_000) if (windAt(track, t, city) >= ms) return t;
    };
    const red = changes.find((c) => c.level === 'red')!.at;
    const orange = changes.find((c) => c.level === 'orange')!.at;
    expect(firstAbove(32.7) - red).toBeGreaterThanOrEqual(6 * HOUR - 10 * 60_000);
    expect(firstAbove(24.5) - orange).toBeGreaterThanOrEqual(12 * HOUR - 10 * 60_000);
  });

  it('holds red until the wind has been below force 12 for the hold time', () => {
    const lowered = after[0]!.at;
    const dropped = lowered - options.holdHours * HOUR;
    expect(windAt(track, dropped, city)).toBeLessThan(32.7);
    expect(windAt(track, dropped - 10 * 60_000, city)).toBeGreaterThanOrEqual(32.7);
  });
});

describe(signalAt.name, () => {
  it('is red at landfall on the island and none far away in Beijing', () => {
    expect(signalAt(track, LANDFALL, city, options)).toBe('red');
    expect(signalAt(track, LANDFALL, [116.4, 39.9], options)).toBe('none');
  });

  it('never shows a level above the rules allow: levels only rise with a stronger wind ahead', () => {
    const levels = [LANDFALL - 30 * HOUR, LANDFALL - 20 * HOUR, LANDFALL - 10 * HOUR, LANDFALL - 4 * HOUR].map((t) =>
      SIGNAL_LEVELS.indexOf(signalAt(track, t, city, options)),
    );
    expect([...levels].sort()).toEqual(levels);
  });
});
