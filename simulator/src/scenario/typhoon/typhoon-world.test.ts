import { describe, expect, it } from 'vitest';
import {
  FixBatch,
  haversineM,
  InputMessage,
  type CaseReport,
  type SensorRegister,
  type StormUpdate,
} from '@egret/protocol';
import { createCityWorld } from '../city-world.ts';
import { UNIT_TYPES } from '../roster.ts';
import type { StepOutput, World } from '../world.ts';
import { createTyphoonWorld } from './typhoon-world.ts';
import { config, geometry, HOUR, normalDay, places } from '../../../test/city.ts';
import { LANDFALL, typhoonFile, typhoonModel, WINDOW_START } from '../../../test/typhoon.ts';

const MINUTE = 60_000;

function world(seed: number | string, start: number, totalUnits = 24) {
  return createTyphoonWorld({
    file: typhoonFile,
    base: normalDay,
    config,
    geometry,
    places,
    seed,
    totalUnits,
    start,
    model: typhoonModel,
  });
}

/** Every message of a run from `start`, stepping every `stepMs` for `hours`; each parsed against the protocol. */
function run(
  seed: number | string,
  start: number,
  hours: number,
  stepMs: number,
): { events: InputMessage[]; outputs: StepOutput[] } {
  const w = world(seed, start);
  const outputs = [w.start(start)];
  for (let t = start + stepMs; t <= start + hours * HOUR; t += stepMs) outputs.push(w.step(t));
  const events = outputs.flatMap((o) => o.events.map((e) => InputMessage.parse(e)));
  return { events, outputs };
}

describe(createTyphoonWorld.name, () => {
  it('plays the same messages and fixes for the same seed and step times, and others for another seed', () => {
    const start = LANDFALL - 2 * HOUR;
    const a = run(7, start, 3, 10_000);
    const b = run(7, start, 3, 10_000);
    expect(JSON.stringify(b.outputs)).toBe(JSON.stringify(a.outputs));
    const kinds = new Set(a.events.map((e) => e.kind));
    for (const k of [
      'unit.register',
      'storm.update',
      'sensor.register',
      'sensor.reading',
      'case.report',
      'case.transition',
    ])
      expect(kinds.has(k as InputMessage['kind']), k).toBe(true);
    const c = run(8, start, 3, 10_000);
    expect(JSON.stringify(c.outputs)).not.toBe(JSON.stringify(a.outputs));
  });

  it('sends messages that all parse as InputMessage, in time order within each step, none after the step', () => {
    const start = LANDFALL - HOUR;
    const w = world(3, start);
    w.start(start).events.forEach((e) => InputMessage.parse(e));
    for (let t = start + 30_000; t <= start + HOUR; t += 30_000) {
      const { events } = w.step(t);
      for (const e of events) {
        InputMessage.parse(e);
        expect(e.at).toBeLessThanOrEqual(t);
      }
      const ats = events.map((e) => e.at);
      expect(ats).toEqual([...ats].sort((x, y) => x - y));
    }
  });

  it('reports the storm at start and every 10 minutes on the clock, with its track so far, forecast and signal', () => {
    const { events } = run(1, WINDOW_START + 3 * MINUTE, 6, MINUTE);
    const updates = events.filter((e): e is StormUpdate => e.kind === 'storm.update');
    expect(updates[0]!.at).toBe(WINDOW_START + 3 * MINUTE);
    const later = updates.slice(1).map((u) => u.at);
    expect(later[0]).toBe(WINDOW_START + 10 * MINUTE);
    later.forEach((at, i) => {
      if (i > 0) expect(at - later[i - 1]!).toBe(10 * MINUTE);
    });
    expect(updates).toHaveLength(1 + 36);
    for (const u of updates) {
      const s = u.storm;
      expect(s.id).toBe('1614');
      expect(s.name).toEqual({ zh: '莫兰蒂', en: 'Meranti' });
      expect(s.at).toBe(u.at);
      expect(s.track.at(-1)!.at).toBeLessThanOrEqual(u.at);
      expect(u.at - s.track.at(-1)!.at).toBeLessThan(HOUR);
      s.track.forEach((f, i) => {
        if (i > 0) expect(f.at - s.track[i - 1]!.at).toBe(HOUR);
      });
      expect(s.forecast.map((f) => f.leadHours)).toEqual([6, 12, 24, 48]); // 72 h lies past the track's end
      expect(s.r7Km).toBeGreaterThan(s.r10Km);
      expect(s.landfall?.at).toBe(LANDFALL);
    }
    expect(updates[0]!.storm).toMatchObject({ stage: 'at_sea', phase: 'preparation' });
    expect(['blue', 'yellow', 'orange', 'red']).toContain(updates[0]!.storm.signal);
  });

  it('brings its case reports at a rate that peaks around landfall, with a recovery tail after', () => {
    const { events } = run(2, WINDOW_START, 72, MINUTE);
    const reports = events.filter((e): e is CaseReport => e.kind === 'case.report');
    const perHour = new Map<number, number>();
    for (const r of reports) {
      const h = Math.floor((r.at - LANDFALL) / HOUR);
      perHour.set(h, (perHour.get(h) ?? 0) + 1);
    }
    const [peakH] = [...perHour.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(peakH).toBeGreaterThanOrEqual(-3);
    expect(peakH).toBeLessThan(3);
    const mean = (from: number, to: number) => {
      let n = 0;
      for (let h = from; h < to; h++) n += perHour.get(h) ?? 0;
      return n / (to - from);
    };
    const firstHours = mean(-27, -21);
    const tail = mean(8, 20);
    expect(tail).toBeGreaterThan(1.5 * firstHours);
    expect(tail).toBeGreaterThan(1.5 * mean(38, 44)); // and it fades
    expect(mean(-1, 2)).toBeGreaterThan(3 * tail);
    // The storm's own reports and the city's everyday ones, each through intake.
    expect(reports.some((r) => r.caseId.startsWith('TF1614-'))).toBe(true);
    expect(reports.some((r) => !r.caseId.startsWith('TF1614-'))).toBe(true);
    const filed = new Set(
      events
        .filter((e) => e.kind === 'case.transition' && e.to === 'filed')
        .map((e) => (e as { caseId: string }).caseId),
    );
    const storm = reports.filter((r) => r.caseId.startsWith('TF1614-') && r.at < WINDOW_START + 70 * HOUR);
    expect(storm.filter((r) => filed.has(r.caseId)).length / storm.length).toBeGreaterThan(0.9);
  });

  it('scales the everyday case rate down during the storm, as the scenario file says, thinning the same arrivals', () => {
    const start = LANDFALL - 2 * HOUR;
    const everyday = (file: typeof typhoonFile) => {
      const w = createTyphoonWorld({
        file,
        base: normalDay,
        config,
        geometry,
        places,
        seed: 4,
        totalUnits: 24,
        start,
        model: typhoonModel,
      });
      w.start(start);
      const times: number[] = [];
      for (let t = start + MINUTE; t <= start + 5 * HOUR; t += MINUTE) {
        for (const e of w.step(t).events)
          if (e.kind === 'case.report' && !e.caseId.startsWith('TF1614-')) times.push(e.at);
      }
      return times;
    };
    const scaled = everyday(typhoonFile);
    const full = everyday({
      ...typhoonFile,
      city: { ...typhoonFile.city, caseFactor: { preparation: 1, landfall: 1, recovery: 1 } },
    });
    expect(typhoonFile.city.caseFactor.landfall).toBe(0.15);
    expect(full.length).toBeGreaterThan(50);
    expect(scaled.length).toBeLessThan(full.length * 0.4);
    const all = new Set(full);
    expect(scaled.filter((t) => !all.has(t))).toEqual([]);
  });

  it('registers a water-level gauge at every flood point and reads each every 5 minutes', () => {
    const { events } = run(5, LANDFALL - HOUR, 2, MINUTE);
    const gauges = events.filter(
      (e): e is SensorRegister => e.kind === 'sensor.register' && e.sensorKind === 'water_level',
    );
    expect(gauges.map((g) => g.sensorId).sort()).toEqual(typhoonFile.floodPoints.map((p) => `WL-${p.id}`).sort());
    for (const g of gauges) {
      const p = typhoonFile.floodPoints.find((f) => `WL-${f.id}` === g.sensorId)!;
      expect(g).toMatchObject({
        unit: 'cm',
        warning: p.thresholdsCm.warning,
        alarm: p.thresholdsCm.alarm,
        district: p.district,
      });
    }
    const readings = events.filter((e) => e.kind === 'sensor.reading' && e.sensorId === gauges[0]!.sensorId);
    expect(readings).toHaveLength(24);
    readings.forEach((r) => expect(r.at % (5 * MINUTE)).toBe(0));
    // Around landfall some low point is flooded past its alarm level.
    const over = events.filter(
      (e) =>
        e.kind === 'sensor.reading' &&
        e.sensorId.startsWith('WL-') &&
        e.value >= typhoonFile.floodPoints.find((p) => `WL-${p.id}` === e.sensorId)!.thresholdsCm.alarm,
    );
    expect(over.length).toBeGreaterThan(0);
  });

  it('keeps the city’s other sensors too, quiet while the signal is orange or red', () => {
    const { events } = run(6, LANDFALL - HOUR, 1, MINUTE);
    const kinds = new Set(
      events.filter((e): e is SensorRegister => e.kind === 'sensor.register').map((e) => e.sensorKind),
    );
    expect([...kinds].sort()).toEqual(['bike_count', 'dog_tag', 'fume', 'noise', 'water_level']);
    const noise = events.filter((e) => e.kind === 'sensor.reading' && e.sensorId.startsWith('NOISE-'));
    expect(noise.length).toBeGreaterThan(0);
    for (const r of noise) expect(r.kind === 'sensor.reading' && r.value).toBeLessThan(normalDay.sensors.noise.warning);
    const dogsOut = events.filter((e) => e.kind === 'sensor.reading' && e.sensorId.startsWith('DOG-') && e.value > 0);
    expect(dogsOut).toEqual([]);
  });

  it('plays the sensors of the typhoon file when it has its own block', () => {
    const file = { ...typhoonFile, sensors: { ...normalDay.sensors, dogs: { ...normalDay.sensors.dogs, count: 0 } } };
    const w = createTyphoonWorld({
      file,
      base: normalDay,
      config,
      geometry,
      places,
      seed: 1,
      totalUnits: 24,
      start: LANDFALL,
      model: typhoonModel,
    });
    const kinds = new Set(
      w
        .start(LANDFALL)
        .events.filter((e): e is SensorRegister => e.kind === 'sensor.register')
        .map((e) => e.sensorKind),
    );
    expect(kinds.has('dog_tag')).toBe(false);
    expect(kinds.has('noise')).toBe(true);
  });

  it('slows units on the roads at landfall, where trees are down and the wind is strong, but not drones', () => {
    /** Metres covered by each unit type's fixes over 20 minutes from landfall. */
    const distances = (w: World) => {
      const type = new Map(w.roster.id.map((id, i) => [id, UNIT_TYPES[w.roster.type[i]!]!]));
      const last = new Map<string, [number, number]>();
      const metres: Record<string, number> = {};
      const take = (o: StepOutput) => {
        for (const b of o.fixBatches)
          for (const f of FixBatch.parse(JSON.parse(b)).fixes) {
            const p = last.get(f.unitId);
            const t = type.get(f.unitId)!;
            if (p) metres[t] = (metres[t] ?? 0) + haversineM(p, [f.lon, f.lat]);
            last.set(f.unitId, [f.lon, f.lat]);
          }
      };
      take(w.start(LANDFALL));
      for (let t = LANDFALL + 10_000; t <= LANDFALL + 20 * MINUTE; t += 10_000) take(w.step(t));
      return metres;
    };
    const storm = distances(world(12, LANDFALL, 240));
    const calm = distances(
      createCityWorld({ scenario: normalDay, config, geometry, places, seed: 12, totalUnits: 240, start: LANDFALL }),
    );
    expect(storm.vehicle!).toBeLessThan(0.7 * calm.vehicle!);
    expect(storm.enforcement!).toBeLessThan(0.7 * calm.enforcement!);
    // Drones fly at full speed (their pauses draw from the stream the slowed units share, so not to the metre).
    expect(storm.drone! / calm.drone!).toBeGreaterThan(0.85);
  });
});
