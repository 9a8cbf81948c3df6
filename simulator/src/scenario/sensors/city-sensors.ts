import type { LonLat } from '@egret/protocol';
import { checkSensors, type SensorsProfile } from '@egret/config';
import type { Rng } from '../../rng.ts';
import type { Feed } from '../feed.ts';
import { bikesAt, type BikePoint } from './bikes.ts';
import { drawFor, type SensorContext } from './daily.ts';
import { DistrictPoints, type SensorCity, type SitePoint } from './district-points.ts';
import { dogTagAt, dogWalks, inNoGoZone, zoneWithinReach, type Dog, type Walk } from './dog-walks.ts';
import { fumeAt, type FumeSite } from './fume.ts';
import { noiseAt, type NoiseSite } from './noise.ts';
import { createSensorFeed, type SimSensor } from './sensor-feed.ts';

const MINUTE_MS = 60_000;

export interface CitySensorsInput {
  profile: SensorsProfile;
  city: SensorCity;
  ctx: SensorContext;
}

/**
 * The city's IoT sensors, placed from the seed: noise monitors at building sites (anywhere in the growing
 * districts, some near named roads), fume monitors at large restaurants and shared-bike counters at congestion
 * points (near the named roads and towns), and dog tags on dogs living near those places or around a no-go zone.
 * Each kind draws from a stream of its own, so a change to one kind's count never moves another's sites. Ids name
 * the kind and district (`NOISE-350211-07`, `DOG-350203-0042`); names read like the platform's (`集美区 集美大道
 * 建筑工地噪声 07`).
 */
export function citySensors(input: CitySensorsInput): SimSensor[] {
  const { profile, city, ctx } = input;
  const problems = checkSensors(
    profile,
    city.districts.map((d) => d.code),
  );
  if (problems.length) throw new Error(problems.join('\n'));
  const points = new DistrictPoints(city);
  const intervalMs = profile.readEveryMinutes * MINUTE_MS;
  const phase = (id: string) =>
    drawFor(ctx.seed, 'phase', id).int(0, Math.max(0, Math.floor(intervalMs / 1000) - 1)) * 1000;
  const out: SimSensor[] = [];

  const noise = profile.noise;
  const offenders = chooseIndices(noise.count, noise.offenders, drawFor(ctx.seed, 'place', 'noise-offenders'));
  placeAll(points, noise.count, noise.districtWeights, 'NOISE', drawFor(ctx.seed, 'place', 'noise'), (r, code) =>
    points.point(code, r, { nearPlaceShare: 0.4, spreadM: 1500 }),
  ).forEach(({ id, serial, site }, i) => {
    const r = drawFor(ctx.seed, 'site', id);
    const rank = offenders.indexOf(i);
    const model: NoiseSite = {
      id,
      workDb: r.range(56, 63),
      quietDb: r.range(44, 52),
      offender: rank < 0 ? 'none' : rank % 2 === 0 ? 'day' : 'night',
    };
    out.push({
      ...where(site),
      id,
      kind: 'noise',
      name: nameOf(site, '建筑工地噪声', serial),
      unit: 'dB(A)',
      warning: noise.warning,
      alarm: noise.alarm,
      phaseMs: phase(id),
      read: (t) => ({ value: noiseAt(model, noise, ctx, t) }),
    });
  });

  const fume = profile.fume;
  placeAll(points, fume.count, fume.districtWeights, 'FUME', drawFor(ctx.seed, 'place', 'fume'), (r, code) =>
    points.point(code, r, { nearPlaceShare: 0.9, spreadM: 500 }),
  ).forEach(({ id, serial, site }) => {
    const r = drawFor(ctx.seed, 'site', id);
    const model: FumeSite = {
      id,
      peak: r.chance(fume.faultyShare) ? r.range(2.8, 3.6) : r.range(0.7, 1.3),
      idle: r.range(0.1, 0.3),
    };
    out.push({
      ...where(site),
      id,
      kind: 'fume',
      name: nameOf(site, '餐饮油烟', serial),
      unit: 'mg/m³',
      warning: fume.warning,
      alarm: fume.alarm,
      phaseMs: phase(id),
      read: (t) => ({ value: fumeAt(model, fume, ctx, t) }),
    });
  });

  const bikes = profile.bikes;
  placeAll(points, bikes.count, bikes.districtWeights, 'BIKE', drawFor(ctx.seed, 'place', 'bikes'), (r, code) =>
    points.point(code, r, { nearPlaceShare: 1, spreadM: 300 }),
  ).forEach(({ id, serial, site }) => {
    const r = drawFor(ctx.seed, 'site', id);
    const model: BikePoint = {
      id,
      capacity: r.int(bikes.capacity[0], bikes.capacity[1]),
      kind: r.chance(0.5) ? 'work' : 'home',
    };
    out.push({
      ...where(site),
      id,
      kind: 'bike_count',
      name: nameOf(site, '共享单车停放点', serial),
      unit: 'bikes',
      warning: Math.round(model.capacity * bikes.warningRatio),
      alarm: Math.round(model.capacity * bikes.alarmRatio),
      phaseMs: phase(id),
      read: (t) => ({ value: bikesAt(model, bikes, ctx, t) }),
    });
  });

  const dogs = profile.dogs;
  const zones = dogs.noGoZones;
  const zoneDistricts = zones.map((z) => points.locate(z.center));
  const walkable = (p: LonLat) => points.locate(p) !== undefined;
  placeAll(
    points,
    dogs.count,
    dogs.districtWeights,
    'DOG',
    drawFor(ctx.seed, 'place', 'dogs'),
    (r, code) => dogHome(points, code, r, zones, zoneDistricts, dogs.nearZoneShare),
    4,
  ).forEach(({ id, serial, site }) => {
    const dog: Dog = { id, home: site.position, zone: zoneWithinReach(zones, site.position, dogs.zoneReachM) };
    let memo: { day: number; walks: Walk[] } | undefined;
    const walksOn = (day: number) => {
      if (memo?.day !== day) memo = { day, walks: dogWalks(dog, dogs, zones, ctx, day, walkable) };
      return memo.walks;
    };
    out.push({
      ...where(site),
      id,
      kind: 'dog_tag',
      name: `${site.district.name.zh} 智能犬牌 ${serial}`,
      unit: '',
      warning: 1,
      alarm: 1,
      phaseMs: phase(id),
      read: (t) => dogTagAt(dog, dogs, zones, ctx, t, walksOn),
    });
  });
  return out;
}

/** The city's sensors as one IoT platform's feed, reading every `readEveryMinutes`. */
export function createCitySensorFeed(input: CitySensorsInput): Feed {
  return createSensorFeed('sensors', citySensors(input), input.profile.readEveryMinutes * MINUTE_MS);
}

/** `count` sites over the districts by weight, each numbered within its district and kind. */
function placeAll(
  points: DistrictPoints,
  count: number,
  weights: Readonly<Record<string, number>> | undefined,
  prefix: string,
  rng: Rng,
  pick: (rng: Rng, code: string) => SitePoint,
  width = 2,
): { id: string; serial: string; site: SitePoint }[] {
  if (count === 0) return [];
  const { codes, weights: w } = points.weights(weights);
  const serials = new Map<string, number>();
  const out: { id: string; serial: string; site: SitePoint }[] = [];
  const pad = Math.max(width, String(count).length);
  for (let i = 0; i < count; i++) {
    const code = codes[rng.weightedIndex(w)]!;
    const n = (serials.get(code) ?? 0) + 1;
    serials.set(code, n);
    const serial = String(n).padStart(pad, '0');
    out.push({ id: `${prefix}-${code}-${serial}`, serial, site: pick(rng, code) });
  }
  return out;
}

/** Near a no-go zone of the district (`nearZoneShare`, outside the zone itself) or near its named places. */
function dogHome(
  points: DistrictPoints,
  code: string,
  rng: Rng,
  zones: SensorsProfile['dogs']['noGoZones'],
  zoneDistricts: readonly (string | undefined)[],
  nearZoneShare: number,
): SitePoint {
  const local = zones.filter((_, i) => zoneDistricts[i] === code);
  if (local.length && rng.chance(nearZoneShare)) {
    const z = rng.pick(local);
    for (let attempt = 0; attempt < 10; attempt++) {
      const p = points.near(code, z.center, z.radiusM + 800, rng);
      if (p && !inNoGoZone(zones, p.position)) return p;
    }
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const p = points.point(code, rng, { nearPlaceShare: 0.85, spreadM: 700 });
    if (!inNoGoZone(zones, p.position)) return p;
  }
  return points.point(code, rng, { nearPlaceShare: 0, spreadM: 700 });
}

/** `k` distinct indices of [0, n), in the order drawn. */
function chooseIndices(n: number, k: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < Math.min(k, n); i++) {
    const j = rng.int(i, n - 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, Math.min(k, n));
}

function where(site: SitePoint): { district: string; position: LonLat } {
  return { district: site.district.code, position: site.position };
}

function nameOf(site: SitePoint, what: string, serial: string): string {
  return [site.district.name.zh, site.place, `${what} ${serial}`].filter(Boolean).join(' ').slice(0, 64);
}
