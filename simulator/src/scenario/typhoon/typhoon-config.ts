import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { CaseSource, CategoryStandard, Lat, Lon, LonLat, SignalLevel, StormPhase, Urgency } from '@egret/protocol';
import { checkSensors, CONFIG_DIR, ConfigError, SensorsProfile, type CategoryDictionary } from '@egret/config';

/**
 * The schema of a typhoon scenario file, `config/scenarios/typhoon-<name>.json`: the storm's track and model
 * constants, the incident mix by phase, flood-point sensors and shelters. Times in the file are ISO 8601 with an
 * offset (the best track is published in CST, +08:00) and become epoch ms (UTC) once parsed.
 */

const Names = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const IsoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const Share = z.number().min(0).max(1);
const DistrictCode = z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code');

/** The city's phase of the emergency, which drives the incident mix: the protocol's `StormPhase`. */
export const IncidentPhase = StormPhase;
export type IncidentPhase = StormPhase;

/** What a grid cell has that a typhoon breaks: the density of each drives its categories' rates. */
export const AssetClass = z.enum([
  'trees',
  'signs',
  'shops',
  'sites',
  'drains',
  'poles',
  'lights',
  'slopes',
  'coast',
  'bikes',
]);
export type AssetClass = z.infer<typeof AssetClass>;

export const TrackKeyframeEntry = z.object({
  at: IsoTime,
  lat: Lat,
  lon: Lon,
  pressureHpa: z.number().min(850).max(1015),
  maxWindMs: z.number().min(0).max(100),
  rmwKm: z.number().positive().max(500),
  approximate: z.boolean(),
  note: z.string().optional(),
});

export const StormPhysicsEntry = z.object({
  envPressureHpa: z.number().min(990).max(1030),
  airDensity: z.number().min(1).max(1.3),
  surfaceWindFactor: z.number().gt(0).max(1),
  asymmetry: Share,
  bRange: z.tuple([z.number().min(0.5), z.number().max(3)]),
  rain: z.object({
    peakMmH: z.number().min(0).max(300),
    efoldKm: z.number().positive(),
    referenceWindMs: z.number().positive(),
  }),
});

export const TyphoonCategory = z.object({
  code: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
  standard: CategoryStandard,
  phase: IncidentPhase,
  /** What drives a landfall category: the wind above gale force, or the rain above the drains' capacity. */
  driver: z.enum(['wind', 'rain']).optional(),
  asset: AssetClass,
  /** Expected reported cases of this category within the scenario window. */
  expected: z.number().min(0),
  sources: z.partialRecord(CaseSource, z.number().min(0)),
  urgency: z.partialRecord(Urgency, z.number().min(0)),
  description: Names,
});
export type TyphoonCategory = z.infer<typeof TyphoonCategory>;

export const IncidentSettings = z.object({
  /** Wind damage rate ∝ max(0, V − 17.2)^windExponent. */
  windExponent: z.number().min(1).max(4),
  /** Rain above this rate (mm/h) overwhelms the drains. */
  rainThresholdMmH: z.number().min(0),
  preparation: z.object({
    /** How hard the city works on reinforcement at each warning level. */
    signalWeights: z.record(SignalLevel, z.number().min(0)),
    nightFactor: Share,
    dayStartHour: z.number().int().min(0).max(23),
    dayEndHour: z.number().int().min(1).max(24),
    /** Outdoor work slows from the first wind speed and stops at the second, m/s. */
    windWorkLimitMs: z.tuple([z.number().positive(), z.number().positive()]),
  }),
  recovery: z.object({
    /** Scale of the gamma(2) delay from damage to clean-up reports: the tail peaks this many hours after the damage. */
    scaleHours: z.number().positive(),
    /** Clean-up is reported once the local wind has dropped below this for good (not in the eye's lull). */
    windBelowMs: z.number().positive(),
  }),
  /** Mean delay from the physical event to the report, by source (exponential). */
  reportLagMinutes: z.partialRecord(CaseSource, z.number().positive()),
  lagCapMinutes: z
    .number()
    .positive()
    .max(24 * 60),
  /** Lags are this many times longer while the local wind is at force 10 or more (people shelter; lines are busy). */
  strongWindLagFactor: z.number().min(1),
  /** District code (or `default`) → multiplier of each asset class's density. */
  assetProfiles: z.record(z.string(), z.record(AssetClass, z.number().min(0))),
  /** Log-space sigma of each cell's seeded variation around its district's profile. */
  assetNoiseSigma: z.number().min(0).max(2),
  /**
   * Urban assets (street trees, shops, bikes …) gather around the city's named roads and towns: their density is
   * × floor + (1 − floor)·exp(−d/scaleKm), d the distance to the nearest named place (when places are given).
   */
  urban: z.object({ classes: z.array(AssetClass), scaleKm: z.number().positive(), floor: Share }),
  roadSlowdown: z.object({
    /** Fallen-tree load (relative) of the worst-hit cell: speed factor 1/(1 + load). */
    worstBlockage: z.number().min(0),
    /** e-folding time of clearing once the wind drops below gale force, hours. */
    clearHours: z.number().positive(),
    minFactor: z.number().gt(0).max(1),
    /** Driving slows above the first wind speed and is down to the minimum at the second, m/s. */
    windSlowFromMs: z.number().positive(),
    windStopMs: z.number().positive(),
  }),
  categories: z.array(TyphoonCategory).min(1),
});
export type IncidentSettings = z.infer<typeof IncidentSettings>;

export const FloodPointEntry = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: Names,
  district: DistrictCode,
  position: LonLat,
  approximate: z.boolean(),
  /** Rain the local drains take away, mm/h; the excess ponds. */
  capacityMmH: z.number().min(0),
  /** Catchment concentration: mm of ponding per mm of excess rain (runoff from around the low point gathers here). */
  concentration: z.number().positive(),
  /** Drain-down time constant of the pond, hours. */
  tauHours: z.number().positive(),
  /** Near the sea: a storm surge backs water up the outfalls, so strong onshore wind halves the drains' capacity. */
  coastal: z.boolean(),
  thresholdsCm: z.object({
    warning: z.number().positive(),
    alarm: z.number().positive(),
    severe: z.number().positive(),
  }),
});
export type FloodPointEntry = z.infer<typeof FloodPointEntry>;

export const ShelterEntry = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: Names,
  district: DistrictCode,
  kind: z.enum(['school', 'gym', 'community']),
  position: LonLat,
  capacity: z.number().int().positive(),
  approximate: z.boolean(),
});
export type ShelterEntry = z.infer<typeof ShelterEntry>;

/**
 * The ordinary city the storm strikes: a city scenario whose units, patrols, field side, intake and sensors go on
 * through the storm, and how much of its own everyday case rate still comes in in each phase (people stay in).
 */
export const StormCity = z.object({
  base: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('normal-day'),
  /** Share of the base scenario's case rate within the scenario window, by phase (1 outside the window). */
  caseFactor: z.record(IncidentPhase, Share).default({ preparation: 1, landfall: 1, recovery: 1 }),
});
export type StormCity = z.infer<typeof StormCity>;

export const TyphoonScenarioFile = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.literal('typhoon'),
  description: Names,
  city: StormCity.default({ base: 'normal-day', caseFactor: { preparation: 1, landfall: 1, recovery: 1 } }),
  /** The city's IoT sensors during the storm; absent: the base scenario's. Flood gauges come from `floodPoints`. */
  sensors: SensorsProfile.optional(),
  storm: z.object({ id: z.string().min(1), name: Names }),
  sources: z.array(z.string()),
  /** The time span the incident volumes refer to (and the generator covers). */
  window: z.object({ start: IsoTime, end: IsoTime }),
  landfall: z.object({ at: IsoTime, lat: Lat, lon: Lon, place: Names }),
  physics: StormPhysicsEntry,
  track: z.array(TrackKeyframeEntry).min(2),
  forecast: z.object({ coneKmPer12h: z.number().positive(), note: z.string().optional() }),
  signals: z.object({ cityPoint: LonLat, holdHours: z.number().min(0).max(24) }),
  incidents: IncidentSettings,
  floodPoints: z.array(FloodPointEntry),
  shelters: z.array(ShelterEntry),
});
export type TyphoonScenarioFile = z.infer<typeof TyphoonScenarioFile>;

/**
 * Reads and validates a typhoon scenario (default `typhoon-meranti`). With a category dictionary it also checks
 * every category code. Throws `ConfigError` naming the file, the field and what was expected.
 */
export function loadTyphoonScenario(
  options: { name?: string; dir?: string; categories?: CategoryDictionary } = {},
): TyphoonScenarioFile {
  const dir = options.dir ?? CONFIG_DIR;
  const name = options.name ?? 'typhoon-meranti';
  const file = join(dir, 'scenarios', `${name}.json`);
  const shown = relative(resolve(dir, '..'), file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${shown}: ${code ? `cannot be read (${code})` : `is not valid JSON (${(err as Error).message})`}`,
    );
  }
  const result = TyphoonScenarioFile.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${shown}: ${formatPath(i.path)} ${i.message}`).join('\n'));
  }
  if (result.data.name !== name)
    throw new ConfigError(`${shown}: name must be "${name}" (the file's name), got "${result.data.name}"`);
  const problems = checkTyphoon(result.data, options.categories);
  if (problems.length) throw new ConfigError(problems.map((p) => `${shown}: ${p}`).join('\n'));
  return result.data;
}

/** Cross-field checks the schema cannot express. */
export function checkTyphoon(s: TyphoonScenarioFile, categories?: CategoryDictionary): string[] {
  const problems: string[] = [];
  s.track.forEach((k, i) => {
    const prev = s.track[i - 1];
    if (prev && !(k.at > prev.at)) problems.push(`track[${i}].at must be after track[${i - 1}].at`);
  });
  const first = s.track[0]!,
    last = s.track[s.track.length - 1]!;
  if (s.landfall.at < first.at || s.landfall.at > last.at) problems.push('landfall.at must lie within the track');
  if (!(s.window.end > s.window.start)) problems.push('window.end must be after window.start');
  const [b0, b1] = s.physics.bRange;
  if (!(b1 >= b0)) problems.push('physics.bRange must be [min, max] with min ≤ max');
  s.track.forEach((k, i) => {
    if (k.pressureHpa >= s.physics.envPressureHpa)
      problems.push(`track[${i}].pressureHpa must be below physics.envPressureHpa`);
  });
  const inc = s.incidents;
  if (!inc.assetProfiles.default) problems.push('incidents.assetProfiles needs a "default" profile');
  const [w0, w1] = inc.preparation.windWorkLimitMs;
  if (!(w1 > w0)) problems.push('incidents.preparation.windWorkLimitMs must be [slows, stops] with slows < stops');
  if (!(inc.roadSlowdown.windStopMs > inc.roadSlowdown.windSlowFromMs))
    problems.push('incidents.roadSlowdown.windStopMs must exceed windSlowFromMs');
  inc.categories.forEach((c, i) => {
    if (categories && !categories.get(c.standard, c.code)) {
      problems.push(`incidents.categories[${i}] ${c.standard} ${c.code} is not in config/categories.json`);
    }
    if (!Object.values(c.sources).some((w) => w > 0))
      problems.push(`incidents.categories[${i}] ${c.code} has no source with a weight > 0`);
    if (!Object.values(c.urgency).some((w) => w > 0))
      problems.push(`incidents.categories[${i}] ${c.code} has no urgency with a weight > 0`);
    if (c.phase === 'landfall' && !c.driver)
      problems.push(`incidents.categories[${i}] ${c.code} is a landfall category and needs a driver (wind or rain)`);
  });
  s.floodPoints.forEach((p, i) => {
    const t = p.thresholdsCm;
    if (!(t.warning < t.alarm && t.alarm < t.severe))
      problems.push(`floodPoints[${i}].thresholdsCm must rise: warning < alarm < severe`);
  });
  if (s.sensors) problems.push(...checkSensors(s.sensors));
  for (const [list, key] of [
    [s.floodPoints, 'floodPoints'],
    [s.shelters, 'shelters'],
  ] as const) {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.id)) problems.push(`${key}[${i}].id ${p.id} is used twice`);
      seen.add(p.id);
    });
  }
  return problems;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
