import { describe, expect, it } from 'vitest';
import { haversineM } from '@egret/protocol';
import { forecastAt, intensityOf, scenarioPhaseAt, typhoonAt } from './typhoon-at.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const scenario = typhoonScenario(loadTyphoonScenario());
const { track } = scenario;
const HOUR = 3_600_000;
const LANDFALL = track.landfall.at;

describe(typhoonAt.name, () => {
  it('gives the landfall state: 945 hPa, 48 m/s, a compact core and its wind radii', () => {
    const s = typhoonAt(track, LANDFALL);
    expect(s.pressureHpa).toBeCloseTo(945, 6);
    expect(s.maxWindMs).toBeCloseTo(48, 6);
    expect(s.rmwKm).toBeGreaterThanOrEqual(15);
    expect(s.rmwKm).toBeLessThanOrEqual(25);
    expect(s.r12Km).toBeLessThan(s.r10Km);
    expect(s.r10Km).toBeLessThan(s.r7Km);
    expect(s.stage).toBe('landfall');
    expect(s.intensity).toBe('sty');
    expect(s.phase).toBe('landfall');
  });

  it('names the city’s phase by the time from landfall', () => {
    expect(scenarioPhaseAt(track, LANDFALL - 5 * HOUR)).toBe('preparation');
    expect(scenarioPhaseAt(track, LANDFALL - 3 * HOUR)).toBe('landfall');
    expect(scenarioPhaseAt(track, LANDFALL + 5 * HOUR)).toBe('landfall');
    expect(scenarioPhaseAt(track, LANDFALL + 7 * HOUR)).toBe('recovery');
  });

  it('follows the storm from sea to a remnant low, losing its force 12 and force 10 circles inland', () => {
    expect(typhoonAt(track, LANDFALL - 10 * HOUR).stage).toBe('at_sea');
    const inland = typhoonAt(track, LANDFALL + 12 * HOUR);
    expect(inland.stage).toBe('inland');
    expect(inland.r12Km).toBe(0);
    const late = typhoonAt(track, Date.parse('2016-09-17T12:00:00+08:00'));
    expect(late.stage).toBe('remnant');
    expect(late.r7Km).toBe(0);
  });

  it('shows the peak as a super typhoon with a tiny eye on 09-13', () => {
    const s = typhoonAt(track, Date.parse('2016-09-13T14:00:00+08:00'));
    expect(s.maxWindMs).toBe(70);
    expect(s.pressureHpa).toBe(890);
    expect(s.intensity).toBe('superty');
    expect(s.approximate).toBe(true);
  });
});

describe(forecastAt.name, () => {
  const issued = LANDFALL - 24 * HOUR;

  it('puts lead 0 on the storm and the 24 h point on the landfall position', () => {
    const [now, day] = forecastAt(track, issued, [0, 24], scenario.forecast.coneKmPer12h);
    expect(now!.center).toEqual(typhoonAt(track, issued).center);
    expect(haversineM(day!.center, [118.3, 24.6])).toBeLessThan(3000);
  });

  it('widens the cone 30 km per 12 h of lead', () => {
    const cone = forecastAt(track, issued, [0, 12, 24, 48], 30).map((p) => p.coneKm);
    expect(cone).toEqual([0, 30, 60, 120]);
  });

  it('leaves out leads past the end of the track and negative leads', () => {
    const end = track.keyframes[track.keyframes.length - 1]!.at;
    const points = forecastAt(track, end - 10 * HOUR, [-6, 0, 6, 12, 24]);
    expect(points.map((p) => p.leadHours)).toEqual([0, 6]);
  });
});

describe(intensityOf.name, () => {
  it('grades Meranti a super typhoon at its peak and a severe typhoon at landfall', () => {
    expect(intensityOf(70)).toBe('superty');
    expect(intensityOf(48)).toBe('sty');
    expect(intensityOf(30)).toBe('sts');
    expect(intensityOf(12)).toBe('td');
    expect(intensityOf(5)).toBe('remnant');
  });
});
