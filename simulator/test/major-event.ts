import type { CaseSource, LonLat } from '@egret/protocol';
import { locateDistrict } from '@egret/config';
import { eventCaseModel, type EventCaseModel } from '../src/scenario/major-event/event-cases.ts';
import { EventPoints } from '../src/scenario/major-event/event-points.ts';
import { loadMajorEventScenario } from '../src/scenario/major-event/major-event-config.ts';
import { config, geometry, normalDay, places } from './city.ts';

/** The Straits Forum as the simulator plays it, read once per test file: the scenario file and the event it guards. */
export const forum = loadMajorEventScenario({
  name: 'straits-forum',
  events: config.events,
  categories: config.categories,
});
export const FORUM_FROM = forum.event.from;
export const FORUM_TO = forum.event.to;
/** Whether a point is on the city's land. */
export const onLand = (p: LonLat) => locateDistrict(geometry.shapes, p) !== undefined;

/** The guard's case model as the world builds it (phrases from normal-day). */
export function forumCaseModel(): EventCaseModel {
  const phrases: Partial<Record<CaseSource, string>> = {};
  for (const s of normalDay.cases.sources) phrases[s.source] ??= s.phrase;
  return eventCaseModel({
    event: forum.event,
    profile: forum.file.cases,
    categories: config.categories,
    offsetMs: 8 * 3_600_000,
    phrases,
    points: new EventPoints(forum.event, forum.file.cases.location, onLand),
    districtOf: (p) => locateDistrict(geometry.shapes, p),
    districtNames: Object.fromEntries(config.city.districts.map((d) => [d.code, d.name.zh])),
    places: places.districts,
  });
}
