import { describe, expect, it } from 'vitest';
import { loadScenario, type LoadScenarioFile } from '@egret/config';
import { createWorld, loadAsCity } from './registry.ts';
import { config, geometry, MIDNIGHT, normalDay, places } from '../../test/city.ts';

describe(createWorld.name, () => {
  it('builds normal-day with unitsPerSquad × squads units by default, or SIM_UNITS', () => {
    const w = createWorld({ name: 'normal-day', config, places, geometry, seed: 1, start: MIDNIGHT });
    expect(w.scenario).toBe('normal-day');
    expect(w.roster.count).toBe(config.settings.simulator.unitsPerSquad * 20);
    expect(createWorld({ name: 'normal-day', config, places, geometry, seed: 1, start: MIDNIGHT, units: 1234 }).roster.count).toBe(1234);
  });

  it('builds the load scenario from its file, LOAD_UNITS and LOAD_CASES_PER_MIN', () => {
    const w = createWorld({ name: 'load', config, places, geometry, seed: 1, start: MIDNIGHT, loadUnits: 500, casesPerMinute: 600 });
    expect(w.scenario).toBe('load');
    expect(w.roster.count).toBe(500);
    w.start(MIDNIGHT);
    const out = w.step(MIDNIGHT + 60_000);
    expect(out.fixCount).toBe(500); // all on duty at midnight
    const reports = out.events.filter((e) => e.kind === 'case.report').length;
    expect(reports).toBeGreaterThan(500);
    expect(reports).toBeLessThan(700);
  });

  it('refuses an unknown scenario by naming the known ones', () => {
    expect(() => createWorld({ name: 'typhoon-nobody', config, places, geometry, seed: 1, start: MIDNIGHT })).toThrow(/no such scenario \(known: .*normal-day/);
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
