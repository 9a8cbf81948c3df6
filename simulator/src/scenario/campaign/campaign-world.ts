import { inShape, type CityScenarioFile, type EgretConfig, type PlacesFile } from '@egret/config';
import { Rng } from '../../rng.ts';
import type { CityGeometry } from '../city-geometry.ts';
import { createCityWorld } from '../city-world.ts';
import { DEFAULT_INSPECTION_PROFILE, type InspectionProfile } from '../field/inspection-work.ts';
import type { Feed } from '../feed.ts';
import { utcOffsetMs } from '../local-time.ts';
import { createCitySensorFeed } from '../sensors/city-sensors.ts';
import { ordinaryDay } from '../sensors/daily.ts';
import type { World } from '../world.ts';
import { campaignCaseModel, createCampaignCaseFeed } from './campaign-cases.ts';
import type { CampaignScenarioFile } from './campaign-config.ts';
import { createSiteSensorFeed, siteMonitors } from './site-sensors.ts';

export interface CampaignWorldInput {
  file: CampaignScenarioFile;
  /** The city scenario the campaign runs over (`file.city.base`). */
  base: CityScenarioFile;
  config: Pick<EgretConfig, 'city' | 'categories' | 'pointSets'>;
  geometry: CityGeometry;
  places: PlacesFile;
  seed: number | string;
  totalUnits: number;
  start: number;
  /** Minutes between two readings of each city sensor (SIM_SENSOR_EVERY_MIN), instead of the base scenario's. */
  sensorEveryMinutes?: number;
  maxFixesPerBatch?: number;
  lastSerials?: ReadonlyMap<string, number>;
}

/**
 * A campaign (文明创建 or 环保督察, issue #17) over the ordinary city: the base scenario's squads, patrols, field side,
 * verification, intake and sensors go on as usual, and the campaign adds the reports it brings around its point
 * sets, the inspectors' 督察交办件 (source `superior`, urgent), and the construction sites' dust and noise monitors.
 * Its commander activates the plan (`plan`: `plan:activate` through the hub's HTTP commands, sent by `live.ts`), the
 * hub issues the rounds, and the city world's squads work them (`InspectionWork`). Deterministic like every world.
 */
export function createCampaignWorld(input: CampaignWorldInput): World {
  const { file, base, config, geometry, places, seed } = input;
  const offsetMs = utcOffsetMs(config.city.timezone, input.start);
  const root = new Rng(seed);
  const shapes = new Map(geometry.shapes.map((s) => [s.code, s]));
  const model = campaignCaseModel({
    cases: file.cases,
    handedDown: file.handedDown,
    categories: config.categories,
    pointSets: config.pointSets,
    offsetMs,
    districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
    inDistrict: (district, lon, lat) => {
      const shape = shapes.get(district);
      return shape !== undefined && inShape(shape, [lon, lat]);
    },
  });
  const sensors =
    input.sensorEveryMinutes !== undefined
      ? { ...base.sensors, readEveryMinutes: input.sensorEveryMinutes }
      : base.sensors;
  const feeds: Feed[] = [
    createCitySensorFeed({
      profile: sensors,
      city: {
        districts: config.city.districts,
        shapes: geometry.shapes,
        places: places.districts,
        lattice: geometry.lattice,
      },
      ctx: ordinaryDay(seed, offsetMs),
    }),
    createCampaignCaseFeed(model, root.fork('campaign/cases')),
  ];
  if (file.siteSensors)
    feeds.push(
      createSiteSensorFeed({
        monitors: siteMonitors(config.pointSets.get('construction-sites') ?? [], file.siteSensors),
        profile: file.siteSensors,
        seed: String(seed),
        offsetMs,
      }),
    );
  const inspectionProfile: InspectionProfile = {
    ...DEFAULT_INSPECTION_PROFILE,
    problemShare: { ...DEFAULT_INSPECTION_PROFILE.problemShare, ...file.problemShare },
  };
  const city = createCityWorld({
    scenario: { ...base, name: file.name, description: file.description },
    config,
    geometry,
    places,
    seed,
    totalUnits: input.totalUnits,
    start: input.start,
    feeds,
    inspectionProfile,
    ...(input.maxFixesPerBatch ? { maxFixesPerBatch: input.maxFixesPerBatch } : {}),
    ...(input.lastSerials ? { lastSerials: input.lastSerials } : {}),
  });
  return { ...city, plan: { planId: file.plan.id, level: file.plan.level, reason: file.plan.reason } };
}
