import type { CaseReport } from '@egret/protocol';
import type { Feed } from './feed.ts';

/** Reports are generated ten minutes of world time at a time, aligned to the clock. */
const CHUNK_MS = 10 * 60_000;

/**
 * A feed of extra `case.report`s for the city's intake desk (a major event's guard, a campaign's reports): `generate`
 * gives the reports of one clock-aligned 10-minute chunk, and the feed hands them out when their time comes. As long
 * as `generate` gives the same cases for a chunk however time is sliced, the steps never change them.
 */
export function chunkedReportFeed(name: string, generate: (from: number, to: number) => CaseReport[]): Feed {
  let pending: CaseReport[] = [];
  let next = 0;
  /** Report time up to which (exclusive) cases have been generated. */
  let generatedTo: number | undefined;
  return {
    name,
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
        pending = generate(g, chunkEnd);
        next = 0;
        g = chunkEnd;
      }
      generatedTo = g;
      return { events: [], reports: due };
    },
  };
}
