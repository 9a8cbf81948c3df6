import { z } from 'zod';
import { Id } from './entities.ts';
import { EpochMs, LonLat } from './geo.ts';

/**
 * A tropical storm as the meteorological feed (气象台) reports it: where it is and how strong, how far its force-7,
 * 10 and 12 winds reach, the city's warning signal, its track so far and the official forecast with its cone.
 * One entity per storm, replaced whole by every update, so a screen that connects mid-typhoon draws it all from
 * the snapshot.
 */

/** Typhoon warning signals (台风预警信号), lowest to highest. */
export const SignalLevel = z.enum(['none', 'blue', 'yellow', 'orange', 'red']);
export type SignalLevel = z.infer<typeof SignalLevel>;
export const SIGNAL_LEVELS: readonly SignalLevel[] = SignalLevel.options;

/** Where the storm is in its life: over the sea, making landfall (±1 h), inland, or a remnant low. */
export const StormStage = z.enum(['at_sea', 'landfall', 'inland', 'remnant']);
export type StormStage = z.infer<typeof StormStage>;

/** The city's phase of the emergency: preparing (before landfall − 4 h), landfall, recovery (from landfall + 6 h). */
export const StormPhase = z.enum(['preparation', 'landfall', 'recovery']);
export type StormPhase = z.infer<typeof StormPhase>;

/**
 * Tropical-cyclone intensity classes (GB/T 19201-2006 热带气旋等级), weakest first: tropical depression (热带低压),
 * tropical storm, severe tropical storm, typhoon, severe typhoon, super typhoon (超强台风). The codes are the i18n
 * keys (`storm.class.<code>`) and the theme's track colours.
 */
export const INTENSITY_CLASSES = ['td', 'ts', 'sts', 'ty', 'sty', 'superty'] as const;
export type IntensityClass = (typeof INTENSITY_CLASSES)[number];

/**
 * The lowest 2-minute mean maximum wind (m/s) of each class: the lower bounds of wind force 6, 8, 10, 12, 14 and 16
 * (GB/T 28591 风力等级). Below the depression's bound a storm is no longer a tropical cyclone (a remnant low).
 */
export const INTENSITY_MIN_MS: Readonly<Record<IntensityClass, number>> = {
  td: 10.8,
  ts: 17.2,
  sts: 24.5,
  ty: 32.7,
  sty: 41.5,
  superty: 51.0,
};

/**
 * The class of a maximum wind (m/s): ≥ 51.0 super typhoon, ≥ 41.5 severe typhoon, ≥ 32.7 typhoon, and so on; a
 * wind below the depression's bound is still called a depression (its `stage` says whether it is a remnant).
 * Meranti at landfall (48 m/s) was a severe typhoon (强台风), at its peak (70 m/s) a super typhoon.
 */
export function intensityClass(maxWindMs: number): IntensityClass {
  for (let i = INTENSITY_CLASSES.length - 1; i > 0; i--) {
    const c = INTENSITY_CLASSES[i]!;
    if (maxWindMs >= INTENSITY_MIN_MS[c]) return c;
  }
  return 'td';
}

const Pressure = z.number().finite().min(850).max(1_050);
const Wind = z.number().finite().min(0).max(120);
const RadiusKm = z.number().finite().min(0).max(2_000);

/** One point of the best track: where the centre was at `at`. */
export const StormFix = z.object({ at: EpochMs, center: LonLat, pressureHpa: Pressure, maxWindMs: Wind });
export type StormFix = z.infer<typeof StormFix>;

/** One point of a forecast, with the radius of its uncertainty cone. */
export const StormForecastPoint = StormFix.extend({
  leadHours: z.number().finite().min(0).max(240),
  coneKm: RadiusKm,
});
export type StormForecastPoint = z.infer<typeof StormForecastPoint>;

/** The most points a track or a forecast may carry (an hourly track of ten days fits). */
export const MAX_TRACK_POINTS = 240;
export const MAX_FORECAST_POINTS = 40;

export const Storm = z.object({
  /** International number and name, e.g. `1614`. */
  id: Id,
  name: z.object({ zh: z.string().min(1).max(32), en: z.string().min(1).max(64) }),
  /** When this observation holds (world time). */
  at: EpochMs,
  center: LonLat,
  pressureHpa: Pressure,
  maxWindMs: Wind,
  /** Radii of force 7 (13.9 m/s), 10 (24.5 m/s) and 12 (32.7 m/s) winds, km; 0 where the storm no longer reaches it. */
  r7Km: RadiusKm,
  r10Km: RadiusKm,
  r12Km: RadiusKm,
  stage: StormStage,
  phase: StormPhase,
  /** The warning signal in force for the city. */
  signal: SignalLevel,
  /** Expected landfall (or the one that happened), when the storm heads for the coast. */
  landfall: z.object({ at: EpochMs, center: LonLat, place: z.string().max(64) }).optional(),
  /** The track so far, oldest first. */
  track: z.array(StormFix).max(MAX_TRACK_POINTS),
  /** The forecast issued with this observation, nearest lead first. */
  forecast: z.array(StormForecastPoint).max(MAX_FORECAST_POINTS),
  version: z.number().int().nonnegative(),
});
export type Storm = z.infer<typeof Storm>;
