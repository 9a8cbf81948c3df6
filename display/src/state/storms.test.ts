import { describe, expect, it } from 'vitest';
import { aStorm, T0 } from '../../test/fixtures.ts';
import { intensityClass } from '@egret/protocol';
import { activeStorms, landfallClock, STORM_KEEP_MS, stormHeadline } from './storms.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe(intensityClass.name, () => {
  it('follows the GB/T 19201 wind thresholds', () => {
    expect([10.8, 17.1, 17.2, 24.4, 24.5, 32.6, 32.7, 41.4, 41.5, 50.9, 51, 70].map(intensityClass)).toEqual([
      'td',
      'td',
      'ts',
      'ts',
      'sts',
      'sts',
      'ty',
      'ty',
      'sty',
      'sty',
      'superty',
      'superty',
    ]);
  });
});

describe(activeStorms.name, () => {
  it('puts the highest signal first, then the nearest landfall, and drops storms not updated for a day', () => {
    const storms = [
      aStorm({ id: 'far', signal: 'red', landfall: { at: T0 + 30 * HOUR, center: [118, 24], place: 'x' } }),
      aStorm({ id: 'near', signal: 'red' }),
      aStorm({ id: 'blue', signal: 'blue' }),
      aStorm({ id: 'gone', signal: 'red', at: T0 - STORM_KEEP_MS - 1 }),
    ];
    expect(activeStorms(storms, T0).map((s) => s.id)).toEqual(['near', 'far', 'blue']);
  });
});

describe(landfallClock.name, () => {
  it('counts down to landfall in hours and minutes, rounding up the last minute', () => {
    const storm = aStorm({ landfall: { at: T0 + 3 * HOUR + 7 * MIN, center: [118.3, 24.6], place: '翔安' } });
    expect(landfallClock(storm, T0)).toEqual({ kind: 'before', hhmm: '03:07', place: '翔安' });
    expect(landfallClock(storm, T0 + 3 * HOUR + 7 * MIN - 20_000)?.hhmm).toBe('00:01');
    expect(landfallClock(storm, T0 - 24 * HOUR)?.hhmm).toBe('27:07');
  });

  it('counts the time since landfall once it has happened', () => {
    const storm = aStorm({ landfall: { at: T0, center: [118.3, 24.6], place: '翔安' } });
    expect(landfallClock(storm, T0)).toMatchObject({ kind: 'after', hhmm: '00:00' });
    expect(landfallClock(storm, T0 + 65 * MIN + 59_000)).toMatchObject({ kind: 'after', hhmm: '01:05' });
  });

  it('is null for a storm with no landfall expected', () => {
    const { landfall: _, ...rest } = aStorm();
    expect(landfallClock(rest, T0)).toBeNull();
  });
});

describe(stormHeadline.name, () => {
  it('names the first storm with its signal, class and countdown, or nothing without one', () => {
    expect(stormHeadline([aStorm()], T0)).toEqual({
      id: '1614',
      name: { zh: '莫兰蒂', en: 'Meranti' },
      signal: 'red',
      intensity: 'superty',
      landfall: { kind: 'before', hhmm: '04:05', place: '翔安' },
    });
    expect(stormHeadline([], T0)).toBeNull();
  });
});
