import type { CaseSource, InputMessage, LonLat } from '@egret/protocol';
import { locateDistrict, type CityScenarioFile, type EgretConfig, type PlacesFile } from '@egret/config';
import { Rng } from '../../rng.ts';
import type { CityGeometry } from '../city-geometry.ts';
import { createCityWorld } from '../city-world.ts';
import { utcOffsetMs } from '../local-time.ts';
import { createCitySensorFeed } from '../sensors/city-sensors.ts';
import { ordinaryDay } from '../sensors/daily.ts';
import type { StepOutput, World, WorldCounters } from '../world.ts';
import { createEventCaseFeed } from './event-case-feed.ts';
import { eventCaseModel } from './event-cases.ts';
import { EventPoints } from './event-points.ts';
import type { MajorEventScenario } from './major-event-config.ts';
import { PostGuards } from './post-guards.ts';
import { postUnits } from './post-roster.ts';

export interface MajorEventWorldInput {
  scenario: MajorEventScenario;
  /** The city scenario the event runs over (`file.city.base`). */
  base: CityScenarioFile;
  config: Pick<EgretConfig, 'city' | 'categories'>;
  geometry: CityGeometry;
  places: PlacesFile;
  seed: number | string;
  totalUnits: number;
  start: number;
  maxFixesPerBatch?: number;
  lastSerials?: ReadonlyMap<string, number>;
}

/**
 * A major event (重大活动保障, the Straits Forum) over the ordinary city: the base scenario's squads, patrols, field
 * side, verification, intake and sensors go on as usual, and the guard adds what the city's systems would see —
 * the units holding the event's fixed posts (registered with their `postId`, at their posts, now and then off them
 * for a while), and the extra 市容保障 cases patrols and cameras report in and around the perimeters while the
 * event is on, through the city's intake so the hub files them with the perimeter's tighter deadline. Post units
 * are the world's `reservedUnits`: the auto-dispatcher leaves them alone, and a task a person gives one is declined.
 * Deterministic like every world: the same seed and the same step times give the same messages.
 */
export function createMajorEventWorld(input: MajorEventWorldInput): World {
  const {
    scenario: { file, event },
    base,
    config,
    geometry,
    places,
    seed,
  } = input;
  const offsetMs = utcOffsetMs(config.city.timezone, input.start);
  const root = new Rng(seed);
  const onLand = (p: LonLat) => locateDistrict(geometry.shapes, p) !== undefined;
  const phrases: Partial<Record<CaseSource, string>> = {};
  for (const s of base.cases.sources) phrases[s.source] ??= s.phrase;
  const model = eventCaseModel({
    event,
    profile: file.cases,
    categories: config.categories,
    offsetMs,
    phrases,
    points: new EventPoints(event, file.cases.location, onLand),
    districtOf: (p) => locateDistrict(geometry.shapes, p),
    districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
    places: places.districts,
  });
  const feeds = [
    createCitySensorFeed({
      profile: base.sensors,
      city: {
        districts: config.city.districts,
        shapes: geometry.shapes,
        places: places.districts,
        lattice: geometry.lattice,
      },
      ctx: ordinaryDay(seed, offsetMs),
    }),
    createEventCaseFeed(model, root.fork('major-event/cases')),
  ];
  const city = createCityWorld({
    scenario: { ...base, name: file.name, description: file.description },
    config,
    geometry,
    places,
    seed,
    totalUnits: input.totalUnits,
    start: input.start,
    feeds,
    ...(input.maxFixesPerBatch ? { maxFixesPerBatch: input.maxFixesPerBatch } : {}),
    ...(input.lastSerials ? { lastSerials: input.lastSerials } : {}),
  });
  const guards = new PostGuards({
    units: postUnits({
      event,
      unitType: file.posts.unitType,
      unitsPerPost: file.posts.unitsPerPost,
      squads: city.roster.squads,
      shapes: geometry.shapes,
      spec: geometry.spec,
      rng: root.fork('major-event/roster'),
    }),
    profile: file.posts,
    rng: root.fork('major-event/posts'),
    offsetMs,
    window: { from: event.from, to: event.to },
    onLand,
    ...(input.maxFixesPerBatch ? { maxFixesPerBatch: input.maxFixesPerBatch } : {}),
  });

  let guardFixes = 0;
  const merge = (a: StepOutput, b: StepOutput): StepOutput => ({
    // Stable: each side's own order (a report before its intake steps) survives the merge.
    events: b.events.length
      ? [...a.events, ...b.events].sort((x: InputMessage, y: InputMessage) => x.at - y.at)
      : a.events,
    fixBatches: [...a.fixBatches, ...b.fixBatches],
    fixCount: a.fixCount + b.fixCount,
  });

  return {
    scenario: file.name,
    roster: city.roster,
    get counters(): WorldCounters {
      const c = city.counters;
      return { ...c, fixes: c.fixes + guardFixes, posts: guards.counters };
    },
    ...(city.autoDispatchAfterMs !== undefined ? { autoDispatchAfterMs: city.autoDispatchAfterMs } : {}),
    reservedUnits: guards.unitIds,
    start(now) {
      const g = guards.start(now);
      guardFixes += g.fixCount;
      return merge(city.start(now), g);
    },
    step(now) {
      const out = city.step(now);
      const g = guards.step(now);
      guardFixes += g.fixCount;
      return merge(out, g);
    },
    observe(events) {
      city.observe?.(events);
      guards.observe(events);
    },
    handBack(tasks) {
      city.handBack?.(tasks);
      guards.handBack(tasks);
    },
    resumePlanWork(work) {
      city.resumePlanWork?.(work);
    },
  };
}
