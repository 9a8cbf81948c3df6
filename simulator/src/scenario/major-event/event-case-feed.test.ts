import { describe, expect, it } from 'vitest';
import type { CaseReport } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import { createEventCaseFeed } from './event-case-feed.ts';
import { generateEventCases } from './event-cases.ts';
import { FORUM_FROM, forumCaseModel } from '../../../test/major-event.ts';

const HOUR = 3_600_000;
const model = forumCaseModel();

/** The reports of one feed started at `from`, stepping every `stepMs` for `hours`. */
function collect(from: number, hours: number, stepMs: number): CaseReport[] {
  const feed = createEventCaseFeed(model, new Rng(5).fork('major-event/cases'));
  expect(feed.start(from)).toEqual([]);
  const out: CaseReport[] = [];
  for (let t = from; t < from + hours * HOUR; t += stepMs) {
    const { events, reports } = feed.step(t, t + stepMs);
    expect(events).toEqual([]);
    for (const r of reports) {
      expect(r.at).toBeGreaterThan(t);
      expect(r.at).toBeLessThanOrEqual(t + stepMs);
    }
    out.push(...reports);
  }
  return out;
}

describe(createEventCaseFeed.name, () => {
  it('hands out each report once, when its time comes, the same however the steps fall', () => {
    const from = FORUM_FROM + 3 * HOUR + 4321;
    const bySecond = collect(from, 6, 1000);
    const byMinute = collect(from, 6, 60_000);
    expect(bySecond.length).toBeGreaterThan(20);
    expect(byMinute).toEqual(bySecond);
    expect(new Set(bySecond.map((r) => r.caseId)).size).toBe(bySecond.length);
  });

  it('brings exactly the generator’s cases reported after the start', () => {
    const from = FORUM_FROM - HOUR + 17_000;
    const got = collect(from, 5, 5000);
    expect(got).toEqual(generateEventCases(model, new Rng(5).fork('major-event/cases'), from + 1, from + 5 * HOUR + 1));
    expect(got[0]!.at).toBeGreaterThanOrEqual(FORUM_FROM);
  });
});
