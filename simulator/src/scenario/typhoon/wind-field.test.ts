import { describe, expect, it } from 'vitest';
import { forceMinMs } from './beaufort.ts';
import { moveAlong } from './local-geo.ts';
import { stormAt, type StormCore } from './track.ts';
import { loadTyphoonScenario } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';
import {
  coriolis,
  hollandB,
  hollandGradientWind,
  profileWindAt,
  symmetricWind,
  windAt,
  windProfile,
  windRadiiKm,
  windRadiusKm,
} from './wind-field.ts';

const { track } = typhoonScenario(loadTyphoonScenario());
const physics = track.physics;
const LANDFALL = track.landfall.at;

describe(hollandGradientWind.name, () => {
  // Hand-chosen parameters: Δp = 60 hPa, R = 20 km, B = 1.6, 24.5° N, ρ = 1.15.
  const p = { deltaPPa: 6000, rmaxM: 20_000, b: 1.6, latDeg: 24.5, airDensity: 1.15 };
  const f = 2 * 7.2921e-5 * Math.sin((24.5 * Math.PI) / 180);
  const expected = (r: number) => {
    const x = (20_000 / r) ** 1.6;
    return Math.sqrt((1.6 / 1.15) * x * 6000 * Math.exp(-x) + ((r * f) / 2) ** 2) - (r * f) / 2;
  };

  it('matches Holland’s formula at known distances', () => {
    for (const r of [5_000, 20_000, 35_000, 60_000, 150_000, 400_000]) {
      expect(hollandGradientWind(r, p)).toBeCloseTo(expected(r), 9);
    }
    expect(coriolis(24.5)).toBeCloseTo(f, 15);
  });

  it('peaks near R at about sqrt(B·Δp/(ρe))', () => {
    const vmax = Math.sqrt((1.6 * 6000) / (1.15 * Math.E));
    expect(hollandGradientWind(20_000, p)).toBeGreaterThan(vmax - 1.5); // Coriolis takes a little off
    expect(hollandGradientWind(20_000, p)).toBeLessThanOrEqual(vmax);
    expect(hollandGradientWind(20_000, p)).toBeGreaterThan(hollandGradientWind(10_000, p));
    expect(hollandGradientWind(20_000, p)).toBeGreaterThan(hollandGradientWind(40_000, p));
  });

  it('is calm at the centre and without a pressure deficit', () => {
    expect(hollandGradientWind(0, p)).toBe(0);
    expect(hollandGradientWind(30_000, { ...p, deltaPPa: 0 })).toBe(0);
  });
});

describe(hollandB.name, () => {
  it('is ρ·e·V²/Δp, clamped to its range', () => {
    expect(hollandB(60, 6500, 1.15, [1, 2.5])).toBeCloseTo((1.15 * Math.E * 3600) / 6500, 12);
    expect(hollandB(90, 3000, 1.15, [1, 2.5])).toBe(2.5);
    expect(hollandB(10, 3000, 1.15, [1, 2.5])).toBe(1);
  });
});

describe(windProfile.name, () => {
  const still: StormCore = { ...stormAt(track, LANDFALL), motion: { speedMs: 0, bearingDeg: 0 } };

  it('reaches the best-track maximum at the radius of maximum wind (within 3%)', () => {
    for (const t of [LANDFALL - 12 * 3_600_000, LANDFALL, LANDFALL + 3 * 3_600_000]) {
      const storm = stormAt(track, t);
      const profile = windProfile(storm, physics);
      const right = moveAlong(storm.center, storm.motion.bearingDeg + 90, storm.rmwKm);
      expect(profileWindAt(profile, right)).toBeGreaterThan(storm.maxWindMs * 0.97);
      expect(profileWindAt(profile, right)).toBeLessThan(storm.maxWindMs * 1.01);
    }
  });

  it('is symmetric for a storm standing still and equals the scaled Holland profile', () => {
    const profile = windProfile(still, physics);
    const north = profileWindAt(profile, moveAlong(still.center, 0, 40));
    const south = profileWindAt(profile, moveAlong(still.center, 180, 40));
    expect(north).toBeCloseTo(south, 6);
    expect(north).toBeCloseTo(profile.surfaceScale * hollandGradientWind(40_000, profile.holland), 6);
    // B not clamped at landfall: the surface scale is exactly the surface factor.
    expect(profile.holland.b).toBeGreaterThan(1);
    expect(profile.holland.b).toBeLessThan(2.5);
    expect(profile.surfaceScale).toBeCloseTo(physics.surfaceWindFactor, 9);
  });

  it('blows harder on the right of the motion than on the left', () => {
    const storm = stormAt(track, LANDFALL - 3_600_000);
    const profile = windProfile(storm, physics);
    const right = profileWindAt(profile, moveAlong(storm.center, storm.motion.bearingDeg + 90, 40));
    const left = profileWindAt(profile, moveAlong(storm.center, storm.motion.bearingDeg - 90, 40));
    expect(right - left).toBeGreaterThan(2);
    expect((right + left) / 2).toBeCloseTo(symmetricWind(profile, 40), 1);
  });
});

describe(windRadiusKm.name, () => {
  it('orders the force 7, 10 and 12 radii and keeps Meranti compact at landfall', () => {
    const { r7Km, r10Km, r12Km } = windRadiiKm(windProfile(stormAt(track, LANDFALL), physics));
    expect(r12Km).toBeGreaterThan(stormAt(track, LANDFALL).rmwKm);
    expect(r12Km).toBeLessThanOrEqual(52); // damaging winds within ~50 km
    expect(r10Km).toBeGreaterThan(r12Km);
    expect(r10Km).toBeLessThan(100);
    expect(r7Km).toBeGreaterThan(r10Km);
    expect(r7Km).toBeGreaterThan(100);
    expect(r7Km).toBeLessThan(300);
  });

  it('is where the wind on the right of the motion crosses the threshold', () => {
    const storm = stormAt(track, LANDFALL - 2 * 3_600_000);
    const profile = windProfile(storm, physics);
    for (const force of [7, 10, 12]) {
      const r = windRadiusKm(profile, forceMinMs(force));
      const at = (km: number) => profileWindAt(profile, moveAlong(storm.center, storm.motion.bearingDeg + 90, km));
      expect(at(r)).toBeCloseTo(forceMinMs(force), 1);
      expect(at(r - 2)).toBeGreaterThan(forceMinMs(force));
      expect(at(r + 2)).toBeLessThan(forceMinMs(force));
    }
  });

  it('is 0 for a force the storm no longer reaches', () => {
    const weak = windProfile(stormAt(track, Date.parse('2016-09-16T08:00:00+08:00')), physics);
    expect(windRadiusKm(weak, forceMinMs(12))).toBe(0);
  });
});

describe(windAt.name, () => {
  it('brings force 12 or more to Xiamen island at landfall and calm two days before', () => {
    const island: [number, number] = [118.09, 24.48];
    expect(windAt(track, LANDFALL, island)).toBeGreaterThan(forceMinMs(12));
    expect(windAt(track, LANDFALL - 48 * 3_600_000, island)).toBeLessThan(forceMinMs(6));
    expect(windAt(track, LANDFALL + 36 * 3_600_000, island)).toBeLessThan(forceMinMs(6));
  });
});
