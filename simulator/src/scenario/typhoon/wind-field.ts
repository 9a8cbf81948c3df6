import type { LonLat } from '@egret/protocol';
import { forceMinMs } from './beaufort.ts';
import { bearingDeg, offsetKm } from './local-geo.ts';
import { stormAt, type StormCore, type StormPhysics, type Track } from './track.ts';

/**
 * The storm's wind field: Holland's (1980) radial profile of the gradient wind, scaled to the surface and made
 * asymmetric by the storm's forward motion.
 *
 *   V_g(r) = sqrt( (B/ρ)·(R/r)^B·Δp·exp(−(R/r)^B) + (r·f/2)² ) − r·f/2
 *
 * with Δp = p_env − p_c (Pa), R the radius of maximum wind, ρ the air density, f = 2Ω·sin(latitude) and
 * B = ρ·e·V_gmax²/Δp clamped to [1, 2.5] (Holland's relation between the peak gradient wind and Δp).
 */

const OMEGA = 7.2921e-5; // Earth's rotation, rad/s

export interface HollandParams {
  /** p_env − p_c in pascals. */
  deltaPPa: number;
  /** Radius of maximum wind in metres. */
  rmaxM: number;
  b: number;
  /** Latitude of the storm centre (for the Coriolis parameter). */
  latDeg: number;
  /** kg/m³ */
  airDensity: number;
}

/** The Coriolis parameter f = 2Ω·sin(φ), 1/s. */
export function coriolis(latDeg: number): number {
  return 2 * OMEGA * Math.sin((latDeg * Math.PI) / 180);
}

/** Holland's gradient wind in m/s at `rM` metres from the centre. */
export function hollandGradientWind(rM: number, p: HollandParams): number {
  if (!(rM > 0) || !(p.deltaPPa > 0)) return 0;
  const x = (p.rmaxM / rM) ** p.b;
  const half = (rM * coriolis(p.latDeg)) / 2;
  return Math.sqrt((p.b / p.airDensity) * x * p.deltaPPa * Math.exp(-x) + half * half) - half;
}

/** Holland's B from the peak gradient wind: B = ρ·e·V²/Δp, clamped to `range`. */
export function hollandB(
  vGradientMaxMs: number,
  deltaPPa: number,
  airDensity: number,
  range: readonly [number, number],
): number {
  if (!(deltaPPa > 0)) return range[0];
  const b = (airDensity * Math.E * vGradientMaxMs ** 2) / deltaPPa;
  return Math.min(range[1], Math.max(range[0], b));
}

/** Everything needed to evaluate the wind anywhere around the storm at one instant. */
export interface WindProfile {
  center: LonLat;
  holland: HollandParams;
  /** Multiplies the Holland gradient wind to give the symmetric surface wind. */
  surfaceScale: number;
  /** Peak of the symmetric part: the best-track maximum minus the motion added on the right. */
  symmetricMaxMs: number;
  /** Best-track maximum wind (reached at R on the right of the motion). */
  maxWindMs: number;
  motion: { speedMs: number; bearingDeg: number };
  asymmetry: number;
}

/**
 * The profile of a storm state. The symmetric part peaks at V_max − α·V_t so that adding α·V_t on the right of
 * the motion gives back the best-track maximum. Without Coriolis Holland's profile peaks at sqrt(B·Δp/(ρ·e)); the
 * surface scale maps that peak onto the symmetric maximum, which equals the surface factor whenever B is not
 * clamped (and keeps V_max honest when it is, e.g. a weak remnant low with a small Δp).
 */
export function windProfile(storm: StormCore, physics: StormPhysics): WindProfile {
  const vt = storm.motion.speedMs;
  const symmetricMaxMs = Math.max(storm.maxWindMs - physics.asymmetry * vt, 0.5 * storm.maxWindMs);
  const deltaPPa = Math.max(0, (physics.envPressureHpa - storm.pressureHpa) * 100);
  const b = hollandB(symmetricMaxMs / physics.surfaceWindFactor, deltaPPa, physics.airDensity, physics.bRange);
  const peak = Math.sqrt((b * deltaPPa) / (physics.airDensity * Math.E));
  return {
    center: storm.center,
    holland: { deltaPPa, rmaxM: storm.rmwKm * 1000, b, latDeg: storm.center[1], airDensity: physics.airDensity },
    surfaceScale: peak > 0 ? symmetricMaxMs / peak : 0,
    symmetricMaxMs,
    maxWindMs: storm.maxWindMs,
    motion: storm.motion,
    asymmetry: physics.asymmetry,
  };
}

/** The symmetric surface wind at `rKm` from the centre, m/s. */
export function symmetricWind(profile: WindProfile, rKm: number): number {
  return profile.surfaceScale * hollandGradientWind(rKm * 1000, profile.holland);
}

/**
 * Surface wind at a point: the symmetric profile plus α·V_t·(V_s/V_smax)·cos θ, θ measured from the right of the
 * motion — strongest on the right-hand side (northern hemisphere), fading with the profile far from the storm.
 */
export function profileWindAt(profile: WindProfile, point: LonLat): number {
  const [east, north] = offsetKm(profile.center, point);
  const vs = symmetricWind(profile, Math.hypot(east, north));
  const extra = profile.asymmetry * profile.motion.speedMs;
  if (extra === 0 || vs === 0) return vs;
  const theta = ((bearingDeg(east, north) - (profile.motion.bearingDeg + 90)) * Math.PI) / 180;
  return Math.max(0, vs + extra * (vs / profile.symmetricMaxMs) * Math.cos(theta));
}

/** Surface (10 m, 2-minute mean) wind speed in m/s at a point and time. */
export function windAt(track: Track, t: number, point: LonLat): number {
  return profileWindAt(windProfile(stormAt(track, t), track.physics), point);
}

/**
 * How far from the centre the wind reaches `thresholdMs`, km — on the right of the motion, where it reaches
 * farthest (the way wind radii are published). 0 when the storm never reaches it. Solved by bisection outward
 * from R, where the profile only decreases.
 */
export function windRadiusKm(profile: WindProfile, thresholdMs: number): number {
  const k = 1 + (profile.asymmetry * profile.motion.speedMs) / profile.symmetricMaxMs;
  const v = (rKm: number) => k * symmetricWind(profile, rKm) - thresholdMs;
  let lo = profile.holland.rmaxM / 1000;
  let hi = 3000;
  if (v(lo) < 0) return 0;
  if (v(hi) > 0) return hi;
  for (let i = 0; i < 50 && hi - lo > 0.01; i++) {
    const mid = (lo + hi) / 2;
    if (v(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Radii of force 7, 10 and 12 winds, km (the three circles a typhoon bulletin gives). */
export function windRadiiKm(profile: WindProfile): { r7Km: number; r10Km: number; r12Km: number } {
  return {
    r7Km: windRadiusKm(profile, forceMinMs(7)),
    r10Km: windRadiusKm(profile, forceMinMs(10)),
    r12Km: windRadiusKm(profile, forceMinMs(12)),
  };
}
