import type { CaseReport } from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import type { Feed } from '../feed.ts';
import type { TyphoonIncidentModel } from './incident-model.ts';
import { generateTyphoonCases, toCaseReport } from './incidents.ts';

/** The typhoon's cases are generated this far ahead, on a clock-aligned grid. */
const CHUNK_MS = 10 * 60_000;

/**
 * The reports the storm brings — hotline calls, patrols, cameras, sensors — as `case.report`s for the city's intake
 * desk. `generateTyphoonCases` looks back up to its lag cap (hours) for events reported in a window, so asking it
 * every second would redo that work 600 times per chunk: the feed asks once per 10-minute chunk of report time
 * (aligned to the clock) and hands out each report when its time comes. The cases depend only on the seed —
 * `generateTyphoonCases` gives the same ones however time is sliced.
 */
export function createTyphoonCaseFeed(model: TyphoonIncidentModel, rng: Rng): Feed {
  let pending: CaseReport[] = [];
  let next = 0;
  /** Report time up to which (exclusive) cases have been generated. */
  let generatedTo: number | undefined;
  return {
    name: 'typhoon',
    start(now) {
      // Cases reported before the world started are not the world's: generation begins at `now`.
      generatedTo = now;
      pending = [];
      next = 0;
      return [];
    },
    step(from, to) {
      let g = generatedTo ?? from;
      const due: CaseReport[] = [];
      for (;;) {
        while (next < pending.length && pending[next]!.at <= to) due.push(pending[next++]!);
        if (next < pending.length || g > to) break;
        const chunkEnd = (Math.floor(g / CHUNK_MS) + 1) * CHUNK_MS;
        pending = generateTyphoonCases(model, rng, g, chunkEnd).map(toCaseReport);
        next = 0;
        g = chunkEnd;
      }
      generatedTo = g;
      return { events: [], reports: due };
    },
  };
}
