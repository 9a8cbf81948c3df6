import { describe, expect, it } from 'vitest';
import { districtShapes, loadConfig, locateDistrict } from '@egret/config';
import { haversineM } from '@egret/protocol';
import { buildTrack, stormAt, trackPath, trackSpan } from './track.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const { track } = typhoonScenario(loadTyphoonScenario());
const HOUR = 3_600_000;
const LANDFALL = Date.parse('2016-09-15T03:05:00+08:00');

describe(buildTrack.name, () => {
  it('reads the best track in CST and keeps it as UTC epoch ms', () => {
    expect(track.keyframes[0]!.at).toBe(Date.UTC(2016, 8, 13, 6, 0));
    expect(track.landfall.at).toBe(Date.UTC(2016, 8, 14, 19, 5));
    expect(track.landfall.at).toBe(LANDFALL);
  });

  it('marks the three points derived from distance-and-bearing reports approximate', () => {
    expect(track.keyframes.slice(0, 3).every((k) => k.approximate)).toBe(true);
    const exact = track.keyframes.filter((k) => k.at === Date.parse('2016-09-14T23:00:00+08:00') || k.at === LANDFALL);
    expect(exact.map((k) => k.approximate)).toEqual([false, false]);
  });

  it('continues inland to a low over Jiangxi by 09-16', () => {
    const s = stormAt(track, Date.parse('2016-09-16T08:00:00+08:00'));
    expect(s.center[0]).toBeGreaterThan(113.5); // Jiangxi spans about 113.5–118.5 E, 24.5–30 N
    expect(s.center[0]).toBeLessThan(118.5);
    expect(s.center[1]).toBeGreaterThan(24.5);
    expect(s.pressureHpa).toBeGreaterThanOrEqual(995);
    expect(s.maxWindMs).toBeLessThan(17.2);
  });

  it('refuses a landfall outside the track', () => {
    expect(() => buildTrack({ ...track, landfall: { ...track.landfall, at: track.keyframes[0]!.at - 1 } })).toThrow(
      RangeError,
    );
  });
});

describe(stormAt.name, () => {
  it('passes within a few km of the landfall point at 03:05 CST, at 48 m/s and 945 hPa', () => {
    const s = stormAt(track, LANDFALL);
    expect(haversineM(s.center, [118.3, 24.6])).toBeLessThan(3000);
    expect(s.maxWindMs).toBeCloseTo(48, 6);
    expect(s.pressureHpa).toBeCloseTo(945, 6);
  });

  it('crosses the coast at landfall: over the sea two hours before, inside Xiang’an at 03:05', () => {
    const shapes = districtShapes(loadConfig().boundaries);
    expect(locateDistrict(shapes, stormAt(track, LANDFALL - 2 * HOUR).center)).toBeUndefined();
    expect(locateDistrict(shapes, stormAt(track, LANDFALL).center)).toBe('350213');
  });

  it('moves smoothly: no jump in position or intensity from one minute to the next', () => {
    const { start, end } = trackSpan(track);
    let prev = stormAt(track, start);
    for (let t = start + 60_000; t <= end; t += 60_000) {
      const s = stormAt(track, t);
      expect(haversineM(prev.center, s.center)).toBeLessThan(1500); // < 90 km/h
      expect(Math.abs(s.pressureHpa - prev.pressureHpa)).toBeLessThan(0.5);
      expect(Math.abs(s.maxWindMs - prev.maxWindMs)).toBeLessThan(0.5);
      prev = s;
    }
  });

  it('heads roughly north-north-west onto the coast at a typical 10–30 km/h', () => {
    const s = stormAt(track, LANDFALL - HOUR);
    expect(s.motion.speedMs * 3.6).toBeGreaterThan(10);
    expect(s.motion.speedMs * 3.6).toBeLessThan(30);
    expect(s.motion.bearingDeg).toBeGreaterThan(300);
  });

  it('holds the end states outside the track, without motion', () => {
    const { start, end } = trackSpan(track);
    expect(stormAt(track, start - 10 * HOUR).center).toEqual(track.keyframes[0]!.center);
    const after = stormAt(track, end + 10 * HOUR);
    expect(after.center).toEqual(track.keyframes[track.keyframes.length - 1]!.center);
    expect(after.motion.speedMs).toBe(0);
  });

  it('says when a state leans on an approximate keyframe', () => {
    expect(stormAt(track, Date.parse('2016-09-14T12:00:00+08:00')).approximate).toBe(true);
    expect(stormAt(track, Date.parse('2016-09-15T01:00:00+08:00')).approximate).toBe(false);
  });
});

describe(trackPath.name, () => {
  it('samples the path hourly and ends on the last requested time', () => {
    const path = trackPath(track, LANDFALL - 6 * HOUR, LANDFALL, HOUR);
    expect(path).toHaveLength(7);
    expect(path[6]).toEqual(stormAt(track, LANDFALL).center);
  });
});
