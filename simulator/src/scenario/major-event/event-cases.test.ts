import { describe, expect, it } from 'vitest';
import { CaseReport, pointInRing } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import { distanceToRingM } from './event-points.ts';
import { eventCaseRatePerHour, generateEventCases } from './event-cases.ts';
import { FORUM_FROM, FORUM_TO, forum, forumCaseModel } from '../../../test/major-event.ts';

const HOUR = 3_600_000;
const model = forumCaseModel();
const rng = () => new Rng(11).fork('major-event/cases');
/** 2026-06-15 00:00 CST: the forum's one whole day. */
const DAY2 = Date.parse('2026-06-15T00:00:00+08:00');
const all = generateEventCases(model, rng(), FORUM_FROM - 6 * HOUR, FORUM_TO + 6 * HOUR);

describe(eventCaseRatePerHour.name, () => {
  it('is zero outside the window and averages perHour over a day of it, peaking in the sessions', () => {
    expect(eventCaseRatePerHour(model, FORUM_FROM - 1)).toBe(0);
    expect(eventCaseRatePerHour(model, FORUM_TO)).toBe(0);
    let sum = 0;
    for (let m = 0; m < 1440; m++) sum += eventCaseRatePerHour(model, DAY2 + m * 60_000) / 60;
    expect(sum).toBeCloseTo(24 * forum.file.cases.perHour, 0);
    const at = (h: number) => eventCaseRatePerHour(model, DAY2 + h * HOUR);
    expect(at(10.5)).toBeGreaterThan(2 * forum.file.cases.perHour); // the morning session
    expect(at(16.5)).toBeGreaterThan(2 * forum.file.cases.perHour); // the afternoon's
    expect(at(3.5)).toBeLessThan(0.1 * forum.file.cases.perHour);
    expect(at(13)).toBeLessThan(at(10.5));
  });
});

describe(generateEventCases.name, () => {
  it('gives the same cases however time is sliced, each a valid report with an id of its own', () => {
    const sliced = [];
    for (let t = FORUM_FROM - 6 * HOUR; t < FORUM_TO + 6 * HOUR; t += 7 * 60_000 + 13)
      sliced.push(...generateEventCases(model, rng(), t, Math.min(t + 7 * 60_000 + 13, FORUM_TO + 6 * HOUR)));
    expect(sliced).toEqual(all);
    expect(new Set(all.map((c) => c.caseId)).size).toBe(all.length);
    for (const c of all) {
      CaseReport.parse(c);
      expect(c.caseId).toMatch(/^HXLT-2026061[4-6]\d{4}-\d+$/);
      expect(c.description).toMatch(/^海峡论坛保障：.+：.+$/);
    }
    expect(generateEventCases(model, new Rng(12).fork('major-event/cases'), FORUM_FROM, FORUM_TO)).not.toEqual(all);
  });

  it('brings about perHour × 24 a day within the window, and none outside it', () => {
    expect(all.every((c) => c.at >= FORUM_FROM && c.at < FORUM_TO)).toBe(true);
    const day2 = all.filter((c) => c.at >= DAY2 && c.at < DAY2 + 24 * HOUR).length;
    expect(day2).toBeGreaterThan(90); // 120 expected
    expect(day2).toBeLessThan(150);
    const night = all.filter((c) => c.at >= DAY2 + 2 * HOUR && c.at < DAY2 + 5 * HOUR).length;
    const morning = all.filter((c) => c.at >= DAY2 + 9 * HOUR && c.at < DAY2 + 12 * HOUR).length;
    expect(morning).toBeGreaterThan(5 * Math.max(1, night));
  });

  it('is the 市容 mix of the file, reported mostly by patrols and video AI, in and around the perimeters', () => {
    const codes = new Set(forum.file.cases.categories.map((c) => c.code));
    expect(all.every((c) => codes.has(c.category.code))).toBe(true);
    const patrolOrCamera = all.filter((c) => c.source === 'patrol' || c.source === 'video_ai').length;
    expect(patrolOrCamera / all.length).toBeGreaterThan(0.75);
    // Video AI only where the file lets it see (not small ads nor dirty roads).
    expect(
      all.some((c) => c.source === 'video_ai' && (c.category.code === '07001' || c.category.code === '06012')),
    ).toBe(false);
    const inside = all.filter((c) => forum.event.perimeters.some((p) => pointInRing(p.ring, [c.lon, c.lat])));
    expect(inside.length / all.length).toBeGreaterThan(0.6);
    for (const c of all) {
      const near = Math.min(
        ...forum.event.perimeters.map((p) =>
          pointInRing(p.ring, [c.lon, c.lat]) ? 0 : distanceToRingM(p.ring, [c.lon, c.lat]),
        ),
      );
      expect(near).toBeLessThanOrEqual(forum.file.cases.location.aroundM);
      expect(c.address).toMatch(/^(思明区|湖里区) .+ 附近（(会展核心保障区|接待酒店保障区)(周边)?）$/);
    }
  });
});
