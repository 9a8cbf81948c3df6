import type { CityScenarioFile, EgretConfig, PlacesFile } from '@egret/config';
import { Rng } from '../../rng.ts';
import type { CityGeometry } from '../city-geometry.ts';
import { createCityWorld } from '../city-world.ts';
import { utcOffsetMs } from '../local-time.ts';
import type { Roster } from '../roster.ts';
import { UNIT_TYPES } from '../roster.ts';
import { createCitySensorFeed } from '../sensors/city-sensors.ts';
import { createSensorFeed } from '../sensors/sensor-feed.ts';
import type { World } from '../world.ts';
import { createTyphoonCaseFeed } from './case-feed.ts';
import { floodGauges } from './flood-gauges.ts';
import { createTyphoonIncidentModel, type TyphoonIncidentModel } from './incident-model.ts';
import { roadSlowdown } from './incidents.ts';
import { signalTimeline } from './signal-timeline.ts';
import { createStormFeed } from './storm-feed.ts';
import { scenarioPhaseAt } from './typhoon-at.ts';
import type { TyphoonScenarioFile } from './typhoon-config.ts';
import { typhoonScenario } from './typhoon-scenario.ts';

const MINUTE_MS = 60_000;
/** Flood gauges read on the ponding model's own 5-minute clock. */
const GAUGE_INTERVAL_MS = 5 * MINUTE_MS;

export interface TyphoonWorldInput {
  file: TyphoonScenarioFile;
  /** The city scenario the storm strikes (`file.city.base`). */
  base: CityScenarioFile;
  config: Pick<EgretConfig, 'city' | 'categories'>;
  geometry: CityGeometry;
  places: PlacesFile;
  seed: number | string;
  totalUnits: number;
  start: number;
  maxFixesPerBatch?: number;
  lastSerials?: ReadonlyMap<string, number>;
  /** A prepared incident model to share between worlds (tests); built over the city's 500 m grid when absent (≈ 2–3 s). */
  model?: TyphoonIncidentModel;
}

/**
 * A typhoon over the ordinary city: the base scenario's squads, patrols, field side, verification, intake and
 * sensors go on, and the storm adds what the city's systems would receive — the meteorological feed
 * (`storm.update` at start and every 10 minutes), the storm's reports (hotline, patrols, cameras …) through the
 * same intake as the city's own, so they are filed and dispatched, and water-level gauges at the flood points.
 * While the warning signal is orange or red the city shelters (sites stop, kitchens close, dogs stay in); within
 * the scenario window the everyday case rate is scaled by phase (`city.caseFactor`); and units move slower where
 * fallen trees block the roads and the wind is strong (`roadSlowdown`; drones excepted). Deterministic like every
 * world: the same seed and the same step times give the same messages.
 */
export function createTyphoonWorld(input: TyphoonWorldInput): World {
  const { file, base, config, geometry, places, seed } = input;
  const scenario = typhoonScenario(file);
  const { track } = scenario;
  const offsetMs = utcOffsetMs(config.city.timezone, input.start);
  const model =
    input.model ??
    createTyphoonIncidentModel({
      scenario,
      cells: geometry.cells,
      seed,
      places: places.districts,
      offsetMs,
      districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
    });
  const signal = signalTimeline(track, scenario.signals.cityPoint, scenario.signals.holdHours);
  const sheltering = (t: number) => {
    const level = signal(t);
    return level === 'orange' || level === 'red';
  };
  const root = new Rng(seed);
  const feeds = [
    createStormFeed(file.storm, scenario, signal),
    createTyphoonCaseFeed(model, root.fork('typhoon')),
    createSensorFeed('gauges', floodGauges(track, scenario.floodPoints), GAUGE_INTERVAL_MS),
    createCitySensorFeed({
      profile: file.sensors ?? base.sensors,
      city: {
        districts: config.city.districts,
        shapes: geometry.shapes,
        places: places.districts,
        lattice: geometry.lattice,
      },
      ctx: { seed, offsetMs, sheltering },
    }),
  ];
  const { window } = scenario;
  const caseRateFactor = (t: number) =>
    t < window.start || t >= window.end ? 1 : file.city.caseFactor[scenarioPhaseAt(track, t)];

  let roster: Roster | undefined;
  const slow = unitSlowdown(model, () => roster!);
  const world = createCityWorld({
    scenario: { ...base, name: file.name, description: file.description },
    config,
    geometry,
    places,
    seed,
    totalUnits: input.totalUnits,
    start: input.start,
    feeds,
    caseRateFactor,
    speedFactor: slow,
    ...(input.maxFixesPerBatch ? { maxFixesPerBatch: input.maxFixesPerBatch } : {}),
    ...(input.lastSerials ? { lastSerials: input.lastSerials } : {}),
  });
  roster = world.roster;
  return world;
}

/**
 * Each unit's speed factor from `roadSlowdown` at its position, refreshed once a world minute per unit (staggered
 * by unit, so tens of thousands of units do not all look it up in the same step). Drones fly over fallen trees.
 */
function unitSlowdown(
  model: TyphoonIncidentModel,
  rosterOf: () => Roster,
): (i: number, t: number, lon: number, lat: number) => number {
  const drone = UNIT_TYPES.indexOf('drone');
  let factor: Float32Array | undefined, slot: Float64Array | undefined;
  return (i, t, lon, lat) => {
    const roster = rosterOf();
    if (roster.type[i] === drone) return 1;
    factor ??= new Float32Array(roster.count).fill(1);
    slot ??= new Float64Array(roster.count).fill(NaN);
    const s = Math.floor((t + (i % 60) * 1000) / MINUTE_MS);
    if (slot[i] !== s) {
      slot[i] = s;
      factor[i] = roadSlowdown(model, t, [lon, lat]);
    }
    return factor[i]!;
  };
}
