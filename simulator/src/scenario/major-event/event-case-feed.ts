import type { CaseReport } from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import type { Feed } from '../feed.ts';
import { generateEventCases, type EventCaseModel } from './event-cases.ts';

/** Guard cases are generated this far ahead, on a clock-aligned grid. */
const CHUNK_MS = 10 * 60_000;

/**
 * The guard's extra reports — patrols and cameras around the venues — as `case.report`s for the city's intake desk,
 * so they are accepted, filed (with the perimeter's tighter deadline, which the hub sets) and dispatched like the
 * city's own. Generated a 10-minute chunk at a time (aligned to the clock) and handed out when their time comes;
 * `generateEventCases` gives the same cases however time is sliced, so the steps never change them.
 */
export function createEventCaseFeed(model: EventCaseModel, rng: Rng): Feed {
  let pending: CaseReport[] = [];
  let next = 0;
  /** Report time up to which (exclusive) cases have been generated. */
  let generatedTo: number | undefined;
  return {
    name: 'event',
    start(now) {
      // Cases reported before the world came up are not the world's; one reported at `now` is the first step's.
      generatedTo = now + 1;
      pending = [];
      next = 0;
      return [];
    },
    step(from, to) {
      let g = generatedTo ?? from + 1;
      const due: CaseReport[] = [];
      for (;;) {
        while (next < pending.length && pending[next]!.at <= to) due.push(pending[next++]!);
        if (next < pending.length || g > to) break;
        const chunkEnd = (Math.floor(g / CHUNK_MS) + 1) * CHUNK_MS;
        pending = generateEventCases(model, rng, g, chunkEnd);
        next = 0;
        g = chunkEnd;
      }
      generatedTo = g;
      return { events: [], reports: due };
    },
  };
}
