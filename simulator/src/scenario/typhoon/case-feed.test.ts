import { describe, expect, it } from 'vitest';
import { CaseReport } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import { createTyphoonCaseFeed } from './case-feed.ts';
import { generateTyphoonCases, toCaseReport } from './incidents.ts';
import { LANDFALL, typhoonModel } from '../../../test/typhoon.ts';

const HOUR = 3_600_000;

/** The reports of one feed from `from`, stepping every `stepMs` for `hours`. */
function collect(from: number, hours: number, stepMs: number): CaseReport[] {
  const feed = createTyphoonCaseFeed(typhoonModel, new Rng(9).fork('typhoon'));
  expect(feed.start(from)).toEqual([]);
  const out: CaseReport[] = [];
  for (let t = from; t < from + hours * HOUR; t += stepMs) {
    const { events, reports } = feed.step(t, t + stepMs);
    expect(events).toEqual([]);
    out.push(...reports);
  }
  return out;
}

describe(createTyphoonCaseFeed.name, () => {
  it('hands out each report once, when its time comes, the same however the steps fall', () => {
    const from = LANDFALL - 30 * 60_000 + 1234;
    const bySecond = collect(from, 1, 1000);
    const byMinute = collect(from, 1, 60_000);
    expect(bySecond.length).toBeGreaterThan(1000);
    expect(byMinute).toEqual(bySecond);
    expect(new Set(bySecond.map((r) => r.caseId)).size).toBe(bySecond.length);
    bySecond.forEach((r) => CaseReport.parse(r));
  });

  it('brings exactly the generator’s cases reported after the start', () => {
    const from = LANDFALL + 17_000;
    const got = collect(from, 0.5, 5000);
    const expected = generateTyphoonCases(typhoonModel, new Rng(9).fork('typhoon'), from, from + 0.5 * HOUR).map(
      toCaseReport,
    );
    expect(got).toEqual(expected);
  });
});
