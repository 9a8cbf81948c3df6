import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SENSORS, inShape } from '@egret/config';
import { InputMessage, sensorLevel, type SensorRegister } from '@egret/protocol';
import { citySensors, createCitySensorFeed } from './city-sensors.ts';
import { ordinaryDay } from './daily.ts';
import { inNoGoZone } from './dog-walks.ts';
import { config, geometry, HOUR, MIDNIGHT, places } from '../../../test/city.ts';

const city = {
  districts: config.city.districts,
  shapes: geometry.shapes,
  places: places.districts,
  lattice: geometry.lattice,
};
const ctx = ordinaryDay(20160915, 8 * HOUR);
const sensors = citySensors({ profile: DEFAULT_SENSORS, city, ctx });

describe(citySensors.name, () => {
  it('places the default counts of each kind, with unique ids, inside the district each names', () => {
    const count = (k: string) => sensors.filter((s) => s.kind === k).length;
    expect([count('noise'), count('fume'), count('bike_count'), count('dog_tag')]).toEqual([60, 40, 30, 200]);
    expect(new Set(sensors.map((s) => s.id)).size).toBe(sensors.length);
    for (const s of sensors) {
      const shape = geometry.shapes.find((sh) => sh.code === s.district)!;
      expect(inShape(shape, s.position), s.id).toBe(true);
      expect(s.id).toContain(s.district);
      expect(s.phaseMs).toBeGreaterThanOrEqual(0);
      expect(s.phaseMs).toBeLessThan(5 * 60_000);
    }
    // No dog lives inside a no-go zone (its tag would alarm all day).
    for (const s of sensors.filter((x) => x.kind === 'dog_tag'))
      expect(inNoGoZone(DEFAULT_SENSORS.dogs.noGoZones, s.position)).toBe(false);
  });

  it('places the same sensors for the same seed, and moves only the kind whose count changed', () => {
    const again = citySensors({ profile: DEFAULT_SENSORS, city, ctx: ordinaryDay(20160915, 8 * HOUR) });
    expect(again.map((s) => [s.id, s.position])).toEqual(sensors.map((s) => [s.id, s.position]));
    const fewerDogs = citySensors({
      profile: { ...DEFAULT_SENSORS, dogs: { ...DEFAULT_SENSORS.dogs, count: 10 } },
      city,
      ctx,
    });
    const noise = (list: typeof sensors) => list.filter((s) => s.kind === 'noise').map((s) => [s.id, s.position]);
    expect(noise(fewerDogs)).toEqual(noise(sensors));
    expect(fewerDogs.filter((s) => s.kind === 'dog_tag')).toHaveLength(10);
  });

  it('puts building sites mostly off the island, as the district weights say', () => {
    const island = sensors.filter(
      (s) => s.kind === 'noise' && (s.district === '350203' || s.district === '350206'),
    ).length;
    expect(island).toBeLessThan(30);
  });

  it('refuses district weights naming a district the city does not have', () => {
    const bad = { ...DEFAULT_SENSORS, bikes: { ...DEFAULT_SENSORS.bikes, districtWeights: { '999999': 1 } } };
    expect(() => citySensors({ profile: bad, city, ctx })).toThrow(
      /sensors\.bikes\.districtWeights\.999999 is not a district of the city/,
    );
  });
});

describe(createCitySensorFeed.name, () => {
  let registers: SensorRegister[];
  let byId: Map<string, SensorRegister>;
  const readings = new Map<string, { at: number; value: number }[]>();

  /** A day of the feed: registrations and readings, each parsed, and the readings per sensor. */
  beforeAll(() => {
    const feed = createCitySensorFeed({ profile: DEFAULT_SENSORS, city, ctx });
    registers = feed.start(MIDNIGHT).map((e) => InputMessage.parse(e) as SensorRegister);
    byId = new Map(registers.map((r) => [r.sensorId, r]));
    for (let t = MIDNIGHT; t < MIDNIGHT + 24 * HOUR; t += 60_000) {
      for (const e of feed.step(t, t + 60_000).events) {
        const r = InputMessage.parse(e);
        if (r.kind !== 'sensor.reading') throw new Error(`unexpected ${r.kind}`);
        readings.set(r.sensorId, [...(readings.get(r.sensorId) ?? []), { at: r.at, value: r.value }]);
      }
    }
  });
  /** Sensors with a stretch of alarm readings lasting at least `minutes` (what the hub's persistence rule turns into a case). */
  const lastingAlarms = (minutes: number) =>
    [...readings.entries()]
      .filter(([id, list]) => {
        let since: number | undefined;
        for (const { at, value } of list) {
          if (sensorLevel(byId.get(id)!, value) === 'alarm') {
            since ??= at;
            if (at - since >= minutes * 60_000) return true;
          } else since = undefined;
        }
        return false;
      })
      .map(([id]) => id);

  it('reads every sensor every 5 minutes', () => {
    expect(readings.size).toBe(registers.length);
    for (const list of readings.values()) expect(list).toHaveLength(288);
  });

  it('has a few sites whose alarm lasts — each keeps reporting over its threshold, so the hub raises a case — and no more', () => {
    const lasting = lastingAlarms(10);
    const kinds = (prefix: string) => lasting.filter((id) => id.startsWith(prefix)).length;
    expect(kinds('NOISE-')).toBeGreaterThanOrEqual(DEFAULT_SENSORS.noise.offenders);
    expect(kinds('NOISE-')).toBeLessThan(12);
    expect(kinds('FUME-')).toBeLessThan(10);
    expect(kinds('BIKE-')).toBeLessThan(8);
    expect(kinds('DOG-')).toBeGreaterThan(0);
    expect(kinds('DOG-')).toBeLessThan(40);
  });

  it('follows the day: noise in working hours, fumes at meal times', () => {
    const mean = (prefix: string, hour: number) => {
      let sum = 0,
        n = 0;
      for (const [id, list] of readings) {
        if (!id.startsWith(prefix)) continue;
        for (const r of list)
          if (Math.floor((r.at - MIDNIGHT) / HOUR) === hour) {
            sum += r.value;
            n++;
          }
      }
      return sum / n;
    };
    expect(mean('NOISE-', 10)).toBeGreaterThan(mean('NOISE-', 3) + 6);
    expect(mean('FUME-', 12)).toBeGreaterThan(3 * mean('FUME-', 4));
    expect(mean('FUME-', 18)).toBeGreaterThan(3 * mean('FUME-', 15));
  });
});
