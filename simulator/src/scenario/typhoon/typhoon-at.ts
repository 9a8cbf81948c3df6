import { INTENSITY_MIN_MS, intensityClass, type IntensityClass, type LonLat, type StormStage } from '@egret/protocol';
import type { IncidentPhase } from './typhoon-config.ts';
import { stormAt, trackSpan, type Track } from './track.ts';
import { windProfile, windRadiiKm } from './wind-field.ts';

const HOUR_MS = 3_600_000;

/** What the wall shows about the typhoon at one instant. */
export interface TyphoonState {
  at: number;
  center: LonLat;
  pressureHpa: number;
  maxWindMs: number;
  /** Radius of maximum wind, km. */
  rmwKm: number;
  /** Radii of force 7, 10 and 12 winds, km (0 when the storm no longer reaches that force). */
  r7Km: number;
  r10Km: number;
  r12Km: number;
  /** The city's phase: preparation before landfall − 4 h, landfall until landfall + 6 h, recovery after. */
  phase: IncidentPhase;
  stage: StormStage;
  intensity: IntensityClass | 'remnant';
  motion: { speedKmh: number; bearingDeg: number };
  /** The state leans on a keyframe marked approximate. */
  approximate: boolean;
}

/** The city's phase at t, by time from landfall (domain: recovery runs from 6 h after landfall). */
export function scenarioPhaseAt(track: Track, t: number): IncidentPhase {
  const dt = t - track.landfall.at;
  if (dt < -4 * HOUR_MS) return 'preparation';
  if (dt < 6 * HOUR_MS) return 'landfall';
  return 'recovery';
}

function stageAt(track: Track, t: number, maxWindMs: number): StormStage {
  if (t > trackSpan(track).end || maxWindMs < INTENSITY_MIN_MS.td) return 'remnant';
  const dt = t - track.landfall.at;
  if (Math.abs(dt) <= HOUR_MS) return 'landfall';
  return dt < 0 ? 'at_sea' : 'inland';
}

/** The intensity class of a maximum wind (m/s), or `remnant` below a tropical depression's. */
export function intensityOf(maxWindMs: number): IntensityClass | 'remnant' {
  return maxWindMs < INTENSITY_MIN_MS.td ? 'remnant' : intensityClass(maxWindMs);
}

/** The typhoon at time t: centre, intensity, wind radii, phase. */
export function typhoonAt(track: Track, t: number): TyphoonState {
  const storm = stormAt(track, t);
  const radii = windRadiiKm(windProfile(storm, track.physics));
  return {
    at: t,
    center: storm.center,
    pressureHpa: storm.pressureHpa,
    maxWindMs: storm.maxWindMs,
    rmwKm: storm.rmwKm,
    ...radii,
    phase: scenarioPhaseAt(track, t),
    stage: stageAt(track, t, storm.maxWindMs),
    intensity: intensityOf(storm.maxWindMs),
    motion: { speedKmh: storm.motion.speedMs * 3.6, bearingDeg: storm.motion.bearingDeg },
    approximate: storm.approximate,
  };
}

/** One point of a forecast: where and how strong the storm will be, and the cone's radius there. */
export interface ForecastPoint {
  leadHours: number;
  at: number;
  center: LonLat;
  pressureHpa: number;
  maxWindMs: number;
  /** Radius of the uncertainty cone, km. */
  coneKm: number;
}

/**
 * The forecast issued at t for each lead time in `hours` (leads past the end of the track are left out). The centre
 * line is the scenario's own track — a drill's forecast is as good as the truth — and the cone around it grows
 * linearly, `coneKmPer12h` per 12 h of lead (30 km/12 h ≈ the mean 24-h official track error of the mid-2010s).
 */
export function forecastAt(track: Track, t: number, hours: readonly number[], coneKmPer12h = 30): ForecastPoint[] {
  const { end } = trackSpan(track);
  const points: ForecastPoint[] = [];
  for (const leadHours of hours) {
    const at = t + leadHours * HOUR_MS;
    if (leadHours < 0 || at > end) continue;
    const s = stormAt(track, at);
    points.push({
      leadHours,
      at,
      center: s.center,
      pressureHpa: s.pressureHpa,
      maxWindMs: s.maxWindMs,
      coneKm: (coneKmPer12h * leadHours) / 12,
    });
  }
  return points;
}
