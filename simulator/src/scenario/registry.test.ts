import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputMessage, type SensorRegister } from '@egret/protocol';
import { loadScenario, type LoadScenarioFile } from '@egret/config';
import { createWorld, loadAsCity, scenarioStart } from './registry.ts';
import { config, geometry, MIDNIGHT, normalDay, places } from '../../test/city.ts';
import { typhoonModel, WINDOW_START } from '../../test/typhoon.ts';
import { tempDir } from '../../../test/temp-dir.ts';

/** The config with a copy of its scenarios, one of them edited (the only files `createWorld` reads). */
function configWithTyphoon(edit: (s: any) => void, name = 'typhoon-meranti'): typeof config {
  const dir = tempDir('egret-registry-');
  cpSync(join(config.dir, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  const file = join(dir, 'scenarios', `${name}.json`);
  const s = JSON.parse(readFileSync(file, 'utf8'));
  edit(s);
  writeFileSync(file, JSON.stringify(s));
  return { ...config, dir };
}

describe(createWorld.name, () => {
  it('builds normal-day with unitsPerSquad × squads units by default, or SIM_UNITS', () => {
    const w = createWorld({ name: 'normal-day', config, places, geometry, seed: 1, start: MIDNIGHT });
    expect(w.scenario).toBe('normal-day');
    expect(w.roster.count).toBe(config.settings.simulator.unitsPerSquad * 20);
    expect(
      createWorld({ name: 'normal-day', config, places, geometry, seed: 1, start: MIDNIGHT, units: 1234 }).roster.count,
    ).toBe(1234);
  });

  it('builds the load scenario from its file, LOAD_UNITS and LOAD_CASES_PER_MIN', () => {
    const w = createWorld({
      name: 'load',
      config,
      places,
      geometry,
      seed: 1,
      start: MIDNIGHT,
      loadUnits: 500,
      casesPerMinute: 600,
    });
    expect(w.scenario).toBe('load');
    expect(w.roster.count).toBe(500);
    w.start(MIDNIGHT);
    const out = w.step(MIDNIGHT + 60_000);
    expect(out.fixCount).toBe(500); // all on duty at midnight
    const reports = out.events.filter((e) => e.kind === 'case.report').length;
    expect(reports).toBeGreaterThan(500);
    expect(reports).toBeLessThan(700);
  });

  it('gives normal-day its IoT sensors, registered at start, and the load scenario none', () => {
    const w = createWorld({ name: 'normal-day', config, places, geometry, seed: 1, start: MIDNIGHT, units: 24 });
    const sensors = w.start(MIDNIGHT).events.filter((e): e is SensorRegister => e.kind === 'sensor.register');
    expect(sensors).toHaveLength(330);
    expect(new Set(sensors.map((s) => s.sensorKind))).toEqual(new Set(['noise', 'fume', 'bike_count', 'dog_tag']));
    const out = w.step(MIDNIGHT + 5 * 60_000);
    expect(out.events.filter((e) => e.kind === 'sensor.reading')).toHaveLength(330);
    expect(w.counters.feeds).toEqual({ 'sensor.register': 330, 'sensor.reading': 330 });
    const load = createWorld({
      name: 'load',
      config,
      places,
      geometry,
      seed: 1,
      start: MIDNIGHT,
      loadUnits: 10,
      casesPerMinute: 0,
    });
    expect(load.start(MIDNIGHT).events.some((e) => e.kind === 'sensor.register')).toBe(false);
  });

  it('builds typhoon-meranti over normal-day: the storm, flood gauges and the city’s own units and sensors', () => {
    const w = createWorld({
      name: 'typhoon-meranti',
      config,
      places,
      geometry,
      seed: 1,
      start: WINDOW_START,
      units: 48,
      typhoonModel,
    });
    expect(w.scenario).toBe('typhoon-meranti');
    expect(w.roster.count).toBe(48);
    expect(w.autoDispatchAfterMs).toBe(normalDay.autoDispatchAfterMs);
    const events = w.start(WINDOW_START).events.map((e) => InputMessage.parse(e));
    expect(events.filter((e) => e.kind === 'storm.update')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'sensor.register')).toHaveLength(330 + 9);
    expect(events.filter((e) => e.kind === 'unit.register')).toHaveLength(48);
  });

  it('builds straits-forum over normal-day: the city’s units and sensors, and the posts’ units reserved from dispatch', () => {
    const start = Date.parse('2026-06-14T06:00:00+08:00');
    const w = createWorld({ name: 'straits-forum', config, places, geometry, seed: 1, start, units: 48 });
    expect(w.scenario).toBe('straits-forum');
    expect(w.roster.count).toBe(48);
    expect(w.autoDispatchAfterMs).toBe(normalDay.autoDispatchAfterMs);
    const events = w.start(start).events.map((e) => InputMessage.parse(e));
    const posted = events.filter((e) => e.kind === 'unit.register' && e.postId !== undefined);
    expect(events.filter((e) => e.kind === 'unit.register')).toHaveLength(48 + posted.length);
    expect(posted.map((e) => e.kind === 'unit.register' && e.unitId)).toEqual(w.reservedUnits);
    expect(events.filter((e) => e.kind === 'sensor.register')).toHaveLength(330);
  });

  it('builds the two campaigns over normal-day: the plan their commander activates, their reports, and the sites’ monitors', () => {
    const start = MIDNIGHT + 8 * 3_600_000;
    const civ = createWorld({ name: 'civilised-city', config, places, geometry, seed: 1, start, units: 48 });
    expect(civ.scenario).toBe('civilised-city');
    expect(civ.plan).toEqual({ planId: 'civilised-city', level: 'III', reason: expect.stringContaining('文明创建') });
    expect(civ.roster.count).toBe(48);
    expect(civ.start(start).events.filter((e) => e.kind === 'sensor.register')).toHaveLength(330);
    const reports = civ.step(start + 2 * 3_600_000).events.filter((e) => e.kind === 'case.report');
    expect(reports.filter((e) => e.kind === 'case.report' && e.caseId.startsWith('WMCJ-')).length).toBeGreaterThan(10);

    const env = createWorld({ name: 'environmental-inspection', config, places, geometry, seed: 1, start, units: 48 });
    expect(env.plan?.planId).toBe('environmental-inspection');
    const sensors = env.start(start).events.filter((e): e is SensorRegister => e.kind === 'sensor.register');
    expect(sensors.filter((s) => s.sensorKind === 'dust')).toHaveLength(62);
    expect(sensors).toHaveLength(330 + 62 * 2);
    expect(scenarioStart('civilised-city', config)).toBeUndefined();
  });

  it('says which file and why when a major event’s base is not a city scenario', () => {
    const loadBase = configWithTyphoon((s) => {
      s.city.base = 'load';
    }, 'straits-forum');
    expect(() =>
      createWorld({ name: 'straits-forum', config: loadBase, places, geometry, seed: 1, start: MIDNIGHT }),
    ).toThrow(/straits-forum: city\.base load must be a city scenario, not load/);
  });

  it('starts a typhoon at its window’s start and a major event at its from when SIM_START does not say, and a city day now', () => {
    expect(scenarioStart('straits-forum', config)).toBe(Date.parse('2026-06-14T06:00:00+08:00'));
    expect(scenarioStart('typhoon-meranti', config)).toBe(Date.parse('2016-09-14T00:00:00+08:00'));
    expect(scenarioStart('normal-day', config)).toBeUndefined();
    expect(scenarioStart('load', config)).toBeUndefined();
  });

  it('says which file and why when a typhoon’s base is not a city scenario or its file is bad', () => {
    const loadBase = configWithTyphoon((s) => {
      s.city.base = 'load';
    });
    expect(() =>
      createWorld({
        name: 'typhoon-meranti',
        config: loadBase,
        places,
        geometry,
        seed: 1,
        start: WINDOW_START,
        typhoonModel,
      }),
    ).toThrow(/typhoon-meranti: city\.base load must be a city scenario, not load/);
    const bad = configWithTyphoon((s) => {
      s.signals.holdHours = -1;
    });
    expect(() =>
      createWorld({
        name: 'typhoon-meranti',
        config: bad,
        places,
        geometry,
        seed: 1,
        start: WINDOW_START,
        typhoonModel,
      }),
    ).toThrow(/scenarios\/typhoon-meranti\.json: signals\.holdHours/);
  });

  it('refuses an unknown scenario by naming the known ones', () => {
    expect(() => createWorld({ name: 'typhoon-nobody', config, places, geometry, seed: 1, start: MIDNIGHT })).toThrow(
      /no such scenario \(known: civilised-city, environmental-inspection, load, normal-day, straits-forum, typhoon-meranti\)/,
    );
  });
});

describe(loadAsCity.name, () => {
  it('keeps the base mix but puts everyone on duty all day, online, with a flat case rate', () => {
    const load = loadScenario('load') as LoadScenarioFile;
    const s = loadAsCity(normalDay, load, 30);
    expect(s.units.shifts).toEqual([{ name: 'all-day', from: '00:00', to: '24:00', share: 1 }]);
    expect(s.units.offline.perUnitPerHour).toBe(0);
    expect(s.cases.perDay).toBe(30 * 1440);
    expect(new Set(s.cases.hourly)).toEqual(new Set([1]));
    expect(s.cases.categories).toBe(normalDay.cases.categories);
  });
});
