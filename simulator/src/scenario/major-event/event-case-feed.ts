import type { Rng } from '../../rng.ts';
import { chunkedReportFeed } from '../chunked-report-feed.ts';
import type { Feed } from '../feed.ts';
import { generateEventCases, type EventCaseModel } from './event-cases.ts';

/**
 * The guard's extra reports — patrols and cameras around the venues — as `case.report`s for the city's intake desk,
 * so they are accepted, filed (with the perimeter's tighter deadline, which the hub sets) and dispatched like the
 * city's own. Generated a 10-minute chunk at a time (aligned to the clock) and handed out when their time comes;
 * `generateEventCases` gives the same cases however time is sliced, so the steps never change them.
 */
export function createEventCaseFeed(model: EventCaseModel, rng: Rng): Feed {
  return chunkedReportFeed('event', (from, to) => generateEventCases(model, rng, from, to));
}
