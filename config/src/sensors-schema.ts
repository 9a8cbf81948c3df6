import { z } from 'zod';
import { LonLat } from '@egret/protocol';

/**
 * The IoT sensors a city scenario plays (物联感知): construction-noise monitors at building sites, fume monitors at
 * large restaurants, shared-bike counters at congestion points and smart dog tags. A scenario file may leave the
 * block out, or any kind of it: the defaults are filled in, like `field`'s. Every kind reads "higher is worse"
 * against its `warning` and `alarm` thresholds; the hub turns lasting alarms into cases, the simulator only reads.
 */

const HhMm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM');
/** Local time span [from, to), HH:MM each. */
const TimeSpan = z.tuple([HhMm, HhMm]);
const Share = z.number().min(0).max(1);
const Count = z.number().int().min(0).max(10_000);
const Range = z.tuple([z.number().min(0), z.number().min(0)]);
/** Relative share of a kind's sensors per district (GB/T 2260 code); districts left out get none. Absent: by population. */
const DistrictWeights = z.record(z.string().regex(/^\d{6}$/, 'keys must be 6-digit district codes'), z.number().min(0));

/** Somewhere dogs may not go (a park's lawns, a school's gates): a circle around an approximate WGS-84 centre. */
export const NoGoZone = z.object({
  name: z.string().min(1).max(40),
  kind: z.enum(['park', 'school', 'other']),
  center: LonLat,
  radiusM: z.number().positive().max(5_000),
});
export type NoGoZone = z.infer<typeof NoGoZone>;

export const NoiseSensors = z.object({
  count: Count,
  districtWeights: DistrictWeights.optional(),
  /** dB(A) at the site boundary (GB 12523-2011 allows 70 by day). */
  warning: z.number().min(0).max(150),
  alarm: z.number().min(0).max(150),
  /** Local hours sites may work; outside them a site is quiet (ambient noise). */
  workHours: z.array(TimeSpan).min(1),
  /** Chance per site and day of one exceedance episode (a breaker, a pile driver) in working hours. */
  episodeShare: Share,
  /** Length of an episode, minutes [min, max]: long enough that the hub's persistence rule raises a case. */
  episodeMinutes: Range,
  /** Sites that exceed every day (repeat offenders, half of them by night): a case a day from each. */
  offenders: Count,
});
export type NoiseSensors = z.infer<typeof NoiseSensors>;

export const FumeSensors = z.object({
  count: Count,
  districtWeights: DistrictWeights.optional(),
  /** mg/m³ at the exhaust (GB 18483-2001 allows 2.0). */
  warning: z.number().min(0).max(100),
  alarm: z.number().min(0).max(100),
  /** Local meal hours: the kitchens' exhaust rises and falls over each. */
  mealHours: z.array(TimeSpan).min(1),
  /** Share of restaurants with a poorly kept purifier: over the limit at the height of every meal. */
  faultyShare: Share,
});
export type FumeSensors = z.infer<typeof FumeSensors>;

export const BikeSensors = z.object({
  count: Count,
  districtWeights: DistrictWeights.optional(),
  /** Bikes the parking area at a metro exit or a crossing holds, [min, max] per point. */
  capacity: Range,
  /** Thresholds as multiples of the point's capacity. */
  warningRatio: z.number().positive().max(10),
  alarmRatio: z.number().positive().max(10),
  /** Chance per point and rush hour that the operators clear late and bikes overflow (≈ 1.4 × capacity for an hour or two). */
  overflowShare: Share,
});
export type BikeSensors = z.infer<typeof BikeSensors>;

export const DogTags = z.object({
  count: Count,
  districtWeights: DistrictWeights.optional(),
  /** Local hours dogs may be walked (文明养犬: outside them the tag reports 1 while the dog is out). */
  walkHours: TimeSpan,
  /** Walks per dog and day, [min, max]. */
  walksPerDay: z.tuple([z.number().int().min(0).max(10), z.number().int().min(0).max(10)]),
  walkMinutes: Range,
  /** How far a walk goes from home, metres [min, max]. */
  walkRadiusM: Range,
  /** Share of walks taken out of walking hours (before them or after them). */
  lateShare: Share,
  /** Share of walks (of dogs living within `zoneReachM` of a no-go zone) that go into it and linger. */
  trespassShare: Share,
  zoneReachM: z.number().positive().max(10_000),
  /** Share of dogs living near a no-go zone (residents around a park); the rest live near the district's named places. */
  nearZoneShare: Share,
  noGoZones: z.array(NoGoZone),
});
export type DogTags = z.infer<typeof DogTags>;

/** Defaults for scenario files without a `sensors` block, or a kind of it (the values normal-day.json spells out). */
export const DEFAULT_NOISE: NoiseSensors = {
  count: 60,
  // Building sites gather where the city is growing: the mainland districts more than the island.
  districtWeights: { '350203': 0.6, '350206': 0.8, '350205': 1.2, '350211': 1.5, '350212': 1.2, '350213': 1.4 },
  warning: 65,
  alarm: 70,
  workHours: [
    ['07:00', '12:00'],
    ['14:00', '22:00'],
  ],
  episodeShare: 0.05,
  episodeMinutes: [40, 180],
  offenders: 3,
};
export const DEFAULT_FUME: FumeSensors = {
  count: 40,
  warning: 1.6,
  alarm: 2,
  mealHours: [
    ['10:30', '13:30'],
    ['16:30', '20:30'],
  ],
  faultyShare: 0.08,
};
export const DEFAULT_BIKES: BikeSensors = {
  count: 30,
  districtWeights: { '350203': 1.6, '350206': 1.4, '350205': 0.6, '350211': 0.8, '350212': 0.4, '350213': 0.4 },
  capacity: [60, 200],
  warningRatio: 1,
  alarmRatio: 1.25,
  overflowShare: 0.06,
};
export const DEFAULT_DOGS: DogTags = {
  count: 200,
  walkHours: ['06:00', '22:00'],
  walksPerDay: [1, 3],
  walkMinutes: [15, 50],
  walkRadiusM: [150, 600],
  lateShare: 0.02,
  trespassShare: 0.05,
  zoneReachM: 1500,
  nearZoneShare: 0.3,
  // Approximate centres (WGS-84): parks whose lawns and schools whose gates are closed to dogs.
  noGoZones: [
    { name: '白鹭洲公园', kind: 'park', center: [118.089, 24.48], radiusM: 350 },
    { name: '中山公园', kind: 'park', center: [118.091, 24.4645], radiusM: 300 },
    { name: '忠仑公园', kind: 'park', center: [118.128, 24.5045], radiusM: 400 },
    { name: '五缘湾湿地公园', kind: 'park', center: [118.173, 24.5255], radiusM: 450 },
    { name: '海沧湾公园', kind: 'park', center: [118.048, 24.478], radiusM: 400 },
    { name: '双溪公园', kind: 'park', center: [118.15, 24.737], radiusM: 300 },
    { name: '集美中学', kind: 'school', center: [118.099, 24.5855], radiusM: 200 },
    { name: '马巷中心小学', kind: 'school', center: [118.24, 24.662], radiusM: 150 },
  ],
};

export const SensorsProfile = z.object({
  /** Every sensor reads once per this many world minutes (each at its own offset within them). */
  readEveryMinutes: z.number().positive().max(60).default(5),
  noise: NoiseSensors.default(DEFAULT_NOISE),
  fume: FumeSensors.default(DEFAULT_FUME),
  bikes: BikeSensors.default(DEFAULT_BIKES),
  dogs: DogTags.default(DEFAULT_DOGS),
});
export type SensorsProfile = z.infer<typeof SensorsProfile>;

export const DEFAULT_SENSORS: SensorsProfile = {
  readEveryMinutes: 5,
  noise: DEFAULT_NOISE,
  fume: DEFAULT_FUME,
  bikes: DEFAULT_BIKES,
  dogs: DEFAULT_DOGS,
};

/** Cross-field checks the schema cannot express, as `sensors.…` problems. */
export function checkSensors(s: SensorsProfile, districts?: readonly string[]): string[] {
  const problems: string[] = [];
  const ranges: [string, readonly [number, number]][] = [
    ['noise.episodeMinutes', s.noise.episodeMinutes],
    ['bikes.capacity', s.bikes.capacity],
    ['dogs.walksPerDay', s.dogs.walksPerDay],
    ['dogs.walkMinutes', s.dogs.walkMinutes],
    ['dogs.walkRadiusM', s.dogs.walkRadiusM],
  ];
  for (const [path, [lo, hi]] of ranges)
    if (hi < lo) problems.push(`sensors.${path} must be [min, max] with min ≤ max`);
  for (const kind of ['noise', 'fume'] as const) {
    if (s[kind].alarm < s[kind].warning) problems.push(`sensors.${kind}.alarm must be at least its warning`);
  }
  if (s.bikes.alarmRatio < s.bikes.warningRatio)
    problems.push('sensors.bikes.alarmRatio must be at least its warningRatio');
  if (s.noise.offenders > s.noise.count) problems.push('sensors.noise.offenders must be at most sensors.noise.count');
  if (s.bikes.capacity[0] < 1) problems.push('sensors.bikes.capacity must hold at least 1 bike');
  for (const kind of ['noise', 'fume', 'bikes', 'dogs'] as const) {
    const weights = s[kind].districtWeights;
    if (!weights) continue;
    if (s[kind].count > 0 && !Object.values(weights).some((w) => w > 0))
      problems.push(`sensors.${kind}.districtWeights needs a district with a weight > 0`);
    // Only the simulator knows the city: it passes the district codes.
    for (const code of Object.keys(weights)) {
      if (districts && !districts.includes(code))
        problems.push(`sensors.${kind}.districtWeights.${code} is not a district of the city`);
    }
  }
  return problems;
}
