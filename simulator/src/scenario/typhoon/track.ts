import type { LonLat } from '@egret/protocol';
import { bearingDeg } from './local-geo.ts';
import { pchip, pchipAt, pchipSlopeAt, type Pchip } from './pchip.ts';

/** One best-track point. Times are epoch ms (UTC); `approximate` marks points derived from distance-and-bearing reports. */
export interface TrackKeyframe {
  at: number;
  center: LonLat;
  /** Central pressure, hPa. */
  pressureHpa: number;
  /** Maximum sustained (2-minute mean, 10 m) wind, m/s — China's convention. */
  maxWindMs: number;
  /** Radius of maximum wind, km (not in the best track: a calibration choice, see the scenario file). */
  rmwKm: number;
  approximate: boolean;
  note?: string;
}

/** The constants of the parametric wind and rain model (Holland 1980 plus a translation asymmetry). */
export interface StormPhysics {
  /** Pressure of the environment outside the storm, hPa (Δp = p_env − p_c). */
  envPressureHpa: number;
  /** Air density, kg/m³. */
  airDensity: number;
  /** Surface (10 m) wind as a fraction of the gradient wind the Holland profile gives. */
  surfaceWindFactor: number;
  /** Fraction of the storm's forward speed added on its right-hand side (subtracted on its left). */
  asymmetry: number;
  /** Holland B is clamped to this range. */
  bRange: [number, number];
  rain: {
    /** Rain rate at the eyewall of a storm of `referenceWindMs`, mm/h. */
    peakMmH: number;
    /** e-folding distance of the rain rate outside the eyewall, km. */
    efoldKm: number;
    referenceWindMs: number;
  };
}

export interface Track {
  name: string;
  keyframes: readonly TrackKeyframe[];
  landfall: { at: number; center: LonLat; place: string };
  physics: StormPhysics;
  /** Monotone cubic curves over hours since the first keyframe. */
  curves: { lon: Pchip; lat: Pchip; pressureHpa: Pchip; maxWindMs: Pchip; rmwKm: Pchip };
}

/** The storm's own state at one instant: centre, intensity, size and motion. */
export interface StormCore {
  at: number;
  center: LonLat;
  pressureHpa: number;
  maxWindMs: number;
  rmwKm: number;
  /** Forward motion: speed in m/s and compass bearing in degrees (0 = north). */
  motion: { speedMs: number; bearingDeg: number };
  /** True when `at` lies next to a keyframe marked approximate. */
  approximate: boolean;
}

const HOUR_MS = 3_600_000;

/** Prepares a track for interpolation. Keyframes must be in time order, landfall within them. */
export function buildTrack(input: {
  name: string;
  keyframes: readonly TrackKeyframe[];
  landfall: { at: number; center: LonLat; place: string };
  physics: StormPhysics;
}): Track {
  const { keyframes } = input;
  if (keyframes.length < 2) throw new RangeError('a track needs at least two keyframes');
  const t0 = keyframes[0]!.at;
  const hours = keyframes.map((k) => (k.at - t0) / HOUR_MS);
  const curve = (pick: (k: TrackKeyframe) => number) => pchip(hours, keyframes.map(pick));
  const last = keyframes[keyframes.length - 1]!;
  if (input.landfall.at < t0 || input.landfall.at > last.at) throw new RangeError('landfall must lie within the track');
  return {
    ...input,
    curves: {
      lon: curve((k) => k.center[0]),
      lat: curve((k) => k.center[1]),
      pressureHpa: curve((k) => k.pressureHpa),
      maxWindMs: curve((k) => k.maxWindMs),
      rmwKm: curve((k) => k.rmwKm),
    },
  };
}

/** First and last time the track covers. */
export function trackSpan(track: Track): { start: number; end: number } {
  return { start: track.keyframes[0]!.at, end: track.keyframes[track.keyframes.length - 1]!.at };
}

/**
 * The storm at time t, interpolated smoothly between keyframes (monotone cubic in time for position, pressure,
 * wind and size). Before the first keyframe and after the last it holds the end state, with no motion.
 */
export function stormAt(track: Track, t: number): StormCore {
  const { curves, keyframes } = track;
  const h = (t - keyframes[0]!.at) / HOUR_MS;
  const lat = pchipAt(curves.lat, h);
  const dLonPerH = pchipSlopeAt(curves.lon, h);
  const dLatPerH = pchipSlopeAt(curves.lat, h);
  const east = dLonPerH * 111.32 * Math.cos((lat * Math.PI) / 180); // km/h
  const north = dLatPerH * 110.8;
  const speedKmh = Math.hypot(east, north);
  return {
    at: t,
    center: [pchipAt(curves.lon, h), lat],
    pressureHpa: pchipAt(curves.pressureHpa, h),
    maxWindMs: pchipAt(curves.maxWindMs, h),
    rmwKm: pchipAt(curves.rmwKm, h),
    motion: { speedMs: speedKmh / 3.6, bearingDeg: speedKmh > 0 ? bearingDeg(east, north) : 0 },
    approximate: isApproximate(keyframes, t),
  };
}

/** Whether the keyframe at t, or either keyframe of the interval holding t, is approximate. */
function isApproximate(keyframes: readonly TrackKeyframe[], t: number): boolean {
  const n = keyframes.length;
  if (t <= keyframes[0]!.at) return keyframes[0]!.approximate;
  if (t >= keyframes[n - 1]!.at) return keyframes[n - 1]!.approximate;
  let i = 0;
  while (keyframes[i + 1]!.at <= t) i++;
  const a = keyframes[i]!,
    b = keyframes[i + 1]!;
  return t === a.at ? a.approximate : a.approximate || b.approximate;
}

/** The storm's path from `from` to `to` sampled every `stepMs`, as [lon, lat] points (for drawing the track). */
export function trackPath(track: Track, from: number, to: number, stepMs = HOUR_MS): LonLat[] {
  const { start, end } = trackSpan(track);
  const a = Math.max(from, start),
    b = Math.min(to, end);
  const points: LonLat[] = [];
  for (let t = a; t < b; t += stepMs) points.push(stormAt(track, t).center);
  if (b >= a) points.push(stormAt(track, b).center);
  return points;
}
