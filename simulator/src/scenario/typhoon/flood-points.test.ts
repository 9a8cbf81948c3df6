import { describe, expect, it } from 'vitest';
import { districtShapes, loadConfig, locateDistrict } from '@egret/config';
import { floodAlarmsBetween, floodLevel, waterLevelAt, waterLevelSeries } from './flood-points.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const scenario = typhoonScenario(loadTyphoonScenario());
const { track, floodPoints } = scenario;
const HOUR = 3_600_000;
const LANDFALL = track.landfall.at;
const byId = (id: string) => floodPoints.find((p) => p.id === id)!;

describe(waterLevelAt.name, () => {
  it('keeps the low points dry a day before landfall and a day after', () => {
    for (const p of floodPoints) {
      expect(waterLevelAt(track, p, LANDFALL - 24 * HOUR)).toBe(0);
      expect(waterLevelAt(track, p, LANDFALL + 24 * HOUR)).toBeLessThan(1);
    }
  });

  it('floods the known low points around landfall, the worst past the alarm level', () => {
    const peaks = floodPoints.map((p) => {
      const series = waterLevelSeries(track, p, LANDFALL - 12 * HOUR, LANDFALL + 12 * HOUR);
      return series.reduce((a, b) => (b.depthCm > a.depthCm ? b : a));
    });
    for (const peak of peaks) expect(Math.abs(peak.at - LANDFALL)).toBeLessThanOrEqual(3 * HOUR);
    expect(peaks.filter((p, i) => floodLevel(floodPoints[i]!, p.depthCm) !== 'normal').length).toBeGreaterThanOrEqual(
      floodPoints.length - 2,
    );
    expect(Math.max(...peaks.map((p) => p.depthCm))).toBeGreaterThan(byId('fp-hubin-nanlu').thresholdsCm.alarm);
    expect(Math.max(...peaks.map((p) => p.depthCm))).toBeLessThan(150);
  });

  it('rises while the rain outruns the drains and falls after', () => {
    const p = byId('fp-xiamen-station');
    const depths = [-6, -2, 0, 3, 8].map((h) => waterLevelAt(track, p, LANDFALL + h * HOUR));
    expect(depths[1]!).toBeGreaterThan(depths[0]!);
    expect(depths[2]!).toBeGreaterThan(depths[1]!);
    expect(depths[4]!).toBeLessThan(depths[3]!);
  });

  it('gives the same depth from the series and from a single reading', () => {
    const p = byId('fp-jimei-xuecun');
    for (const { at, depthCm } of waterLevelSeries(track, p, LANDFALL - HOUR, LANDFALL + HOUR)) {
      expect(depthCm).toBeCloseTo(waterLevelAt(track, p, at), 6);
    }
  });
});

describe(floodLevel.name, () => {
  it('grades a depth by the point’s thresholds', () => {
    const p = byId('fp-hubin-nanlu');
    expect([5, 15, 30, 50].map((d) => floodLevel(p, d))).toEqual(['normal', 'warning', 'alarm', 'severe']);
  });
});

describe(floodAlarmsBetween.name, () => {
  it('reports each sensor going up through its levels and back down, in time order', () => {
    const alarms = floodAlarmsBetween(track, floodPoints, LANDFALL - 12 * HOUR, LANDFALL + 24 * HOUR);
    expect(alarms.map((a) => a.at)).toEqual([...alarms.map((a) => a.at)].sort((a, b) => a - b));
    const hubin = alarms.filter((a) => a.pointId === 'fp-hubin-nanlu').map((a) => a.level);
    expect(hubin[0]).toBe('warning');
    expect(hubin).toContain('alarm');
    expect(hubin[hubin.length - 1]).toBe('normal');
  });
});

describe('flood points', () => {
  it('lie on land in their own district, marked approximate', () => {
    const shapes = districtShapes(loadConfig().boundaries);
    for (const p of floodPoints) {
      expect(locateDistrict(shapes, p.position), p.id).toBe(p.district);
      expect(p.approximate).toBe(true);
    }
    expect(floodPoints.map((p) => p.name.zh)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('湖滨南路'),
        expect.stringContaining('莲前西路'),
        expect.stringContaining('火车站'),
        expect.stringContaining('集美学村'),
      ]),
    );
  });
});
