import {
  ConfigError,
  loadScenario,
  scenarioKind,
  type CityScenarioFile,
  type EgretConfig,
  type LoadScenarioFile,
  type PlacesFile,
  type ScenarioFile,
} from '@egret/config';
import { cityGeometry, type CityGeometry } from './city-geometry.ts';
import { createCityWorld } from './city-world.ts';
import { utcOffsetMs } from './local-time.ts';
import { createCitySensorFeed } from './sensors/city-sensors.ts';
import { ordinaryDay } from './sensors/daily.ts';
import type { TyphoonIncidentModel } from './typhoon/incident-model.ts';
import { loadMajorEventScenario } from './major-event/major-event-config.ts';
import { createMajorEventWorld } from './major-event/major-event-world.ts';
import { loadCampaignScenario } from './campaign/campaign-config.ts';
import { createCampaignWorld } from './campaign/campaign-world.ts';
import { loadTyphoonScenario } from './typhoon/typhoon-config.ts';
import { createTyphoonWorld } from './typhoon/typhoon-world.ts';
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
  /**
   * Minutes between two readings of each sensor (SIM_SENSOR_EVERY_MIN), instead of the scenario's: a run at
   * thousands of times real time sends ~330 sensors' readings that much faster too, more than one hub applies.
   */
  sensorEveryMinutes?: number;
  maxFixesPerBatch?: number;
  lastSerials?: ReadonlyMap<string, number>;
  /** Typhoon scenarios: a prepared incident model to share between worlds (tests); built when absent. */
  typhoonModel?: TyphoonIncidentModel;
}

/**
 * Builds the world a scenario file describes, by its `kind`: `city` (with its IoT sensors), `load` (a city scenario
 * made flat), `typhoon` (a storm over a city scenario), `major-event` (a guarded event over a city scenario).
 * `city` and `load` files are validated by `@egret/config`; typhoon and major-event files carry the simulator's own
 * models and are read by `loadTyphoonScenario` and `loadMajorEventScenario`.
 */
export function createWorld(options: WorldOptions): World {
  const { config } = options;
  const kind = scenarioKind(options.name, { dir: config.dir });
  const geometry = options.geometry ?? cityGeometry(config);
  const common = {
    config,
    geometry,
    places: options.places,
    seed: options.seed,
    start: options.start,
    ...(options.maxFixesPerBatch ? { maxFixesPerBatch: options.maxFixesPerBatch } : {}),
    ...(options.lastSerials ? { lastSerials: options.lastSerials } : {}),
  };
  const defaultUnits = () =>
    config.city.districts.reduce((s, d) => s + d.squads, 0) * config.settings.simulator.unitsPerSquad;
  const sensorsOf = (scenario: CityScenarioFile) =>
    createCitySensorFeed({
      profile:
        options.sensorEveryMinutes !== undefined
          ? { ...scenario.sensors, readEveryMinutes: options.sensorEveryMinutes }
          : scenario.sensors,
      city: {
        districts: config.city.districts,
        shapes: geometry.shapes,
        places: options.places.districts,
        lattice: geometry.lattice,
      },
      ctx: ordinaryDay(options.seed, utcOffsetMs(config.city.timezone, options.start)),
    });
  if (kind === 'typhoon') {
    const file = loadTyphoonScenario({ name: options.name, dir: config.dir, categories: config.categories });
    const base = cityBase(file.name, file.city.base, config);
    return createTyphoonWorld({
      ...common,
      file,
      base,
      totalUnits: options.units ?? defaultUnits(),
      ...(options.typhoonModel ? { model: options.typhoonModel } : {}),
    });
  }
  if (kind === 'major-event') {
    const scenario = loadMajorEventScenario({
      name: options.name,
      dir: config.dir,
      categories: config.categories,
      events: config.events,
    });
    const base = cityBase(scenario.file.name, scenario.file.city.base, config);
    return createMajorEventWorld({ ...common, scenario, base, totalUnits: options.units ?? defaultUnits() });
  }
  if (kind === 'campaign') {
    const file = loadCampaignScenario({ name: options.name, config, dir: config.dir, categories: config.categories });
    const base = cityBase(file.name, file.city.base, config);
    return createCampaignWorld({
      ...common,
      file,
      base,
      totalUnits: options.units ?? defaultUnits(),
      ...(options.sensorEveryMinutes !== undefined ? { sensorEveryMinutes: options.sensorEveryMinutes } : {}),
    });
  }
  const file: ScenarioFile = loadScenario(options.name, { dir: config.dir, categories: config.categories });
  switch (file.kind) {
    case 'city':
      return createCityWorld({
        ...common,
        scenario: file,
        totalUnits: options.units ?? defaultUnits(),
        feeds: [sensorsOf(file)],
      });
    case 'load': {
      const base = loadScenario(file.base, { dir: config.dir, categories: config.categories });
      if (base.kind !== 'city')
        throw new ConfigError(`scenario ${file.name}: base ${file.base} must be a city scenario`);
      const scenario = loadAsCity(base, file, options.casesPerMinute ?? file.casesPerMinute);
      return createCityWorld({ ...common, scenario, totalUnits: options.loadUnits ?? file.units });
    }
  }
}

/**
 * Where a scenario starts when SIM_START does not say: a typhoon at the start of its window (so a run shows the
 * storm), a major event when its guard begins (its `from`, so the posts are held and the guard's cases come),
 * anything else now (undefined).
 */
export function scenarioStart(
  name: string,
  config: Pick<EgretConfig, 'dir' | 'categories' | 'events'>,
): number | undefined {
  switch (scenarioKind(name, { dir: config.dir })) {
    case 'typhoon':
      return loadTyphoonScenario({ name, dir: config.dir, categories: config.categories }).window.start;
    case 'major-event':
      return loadMajorEventScenario({ name, dir: config.dir, categories: config.categories, events: config.events })
        .event.from;
    default:
      return undefined;
  }
}

/** The city scenario a typhoon or a major event plays over, which must be a `city` file. */
function cityBase(scenario: string, base: string, config: Pick<EgretConfig, 'dir' | 'categories'>): CityScenarioFile {
  const kind = scenarioKind(base, { dir: config.dir });
  if (kind !== 'city')
    throw new ConfigError(`scenario ${scenario}: city.base ${base} must be a city scenario, not ${kind}`);
  return loadScenario(base, { dir: config.dir, categories: config.categories }) as CityScenarioFile;
}

/**
 * A load test as a city scenario: every unit on duty all day with no device dropping out, so each reports every
 * fix interval, and cases at a flat rate with the base scenario's mix and intake. (No sensors: `createWorld` gives
 * a load world none, so its input is the flat load it states.)
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
