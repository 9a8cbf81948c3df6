import {
  loadScenario, type CityScenarioFile, type EgretConfig, type LoadScenarioFile, type PlacesFile, type ScenarioFile,
} from '@egret/config';
import { cityGeometry, type CityGeometry } from './city-geometry.ts';
import { createCityWorld } from './city-world.ts';
import type { World } from './world.ts';

export interface WorldOptions {
  /** Scenario name: the file `config/scenarios/<name>.json`. */
  name: string;
  config: EgretConfig;
  places: PlacesFile;
  /** Prepared city geometry, to share between worlds (tests); built when absent. */
  geometry?: CityGeometry;
  seed: number | string;
  /** World time the scenario starts at. */
  start: number;
  /** City scenarios: total units (SIM_UNITS; default unitsPerSquad × squads). */
  units?: number;
  /** Load scenarios: total units (LOAD_UNITS; default from the file). */
  loadUnits?: number;
  /** Load scenarios: cases per minute (LOAD_CASES_PER_MIN; default from the file). */
  casesPerMinute?: number;
  maxFixesPerBatch?: number;
  lastSerials?: ReadonlyMap<string, number>;
}

/**
 * Builds the world a scenario file describes, by its `kind`. New kinds (a typhoon, a major event) add a case here
 * and a member to the scenario schema's union.
 */
export function createWorld(options: WorldOptions): World {
  const { config } = options;
  const file: ScenarioFile = loadScenario(options.name, { dir: config.dir, categories: config.categories });
  const geometry = options.geometry ?? cityGeometry(config);
  const common = {
    config, geometry, places: options.places, seed: options.seed, start: options.start,
    ...(options.maxFixesPerBatch ? { maxFixesPerBatch: options.maxFixesPerBatch } : {}),
    ...(options.lastSerials ? { lastSerials: options.lastSerials } : {}),
  };
  switch (file.kind) {
    case 'city': {
      const squads = config.city.districts.reduce((s, d) => s + d.squads, 0);
      const totalUnits = options.units ?? squads * config.settings.simulator.unitsPerSquad;
      return createCityWorld({ ...common, scenario: file, totalUnits });
    }
    case 'load': {
      const base = loadScenario(file.base, { dir: config.dir, categories: config.categories });
      if (base.kind !== 'city') throw new Error(`scenario ${file.name}: base ${file.base} must be a city scenario`);
      const scenario = loadAsCity(base, file, options.casesPerMinute ?? file.casesPerMinute);
      return createCityWorld({ ...common, scenario, totalUnits: options.loadUnits ?? file.units });
    }
  }
}

/**
 * A load test as a city scenario: every unit on duty all day with no device dropping out, so each reports every
 * fix interval, and cases at a flat rate with the base scenario's mix and intake.
 */
export function loadAsCity(base: CityScenarioFile, load: LoadScenarioFile, casesPerMinute: number): CityScenarioFile {
  return {
    ...base,
    name: load.name,
    description: load.description,
    units: {
      ...base.units,
      shifts: [{ name: 'all-day', from: '00:00', to: '24:00', share: 1 }],
      shiftJitterMinutes: 0,
      offline: { ...base.units.offline, perUnitPerHour: 0 },
    },
    cases: { ...base.cases, perDay: casesPerMinute * 1440, hourly: new Array<number>(24).fill(1) },
  };
}
