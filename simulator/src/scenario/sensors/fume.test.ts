import { describe, expect, it } from 'vitest';
import { DEFAULT_FUME } from '@egret/config';
import { dayStartMs, localDay, ordinaryDay } from './daily.ts';
import { fumeAt } from './fume.ts';
import { MIDNIGHT } from '../../../test/city.ts';

const ctx = ordinaryDay(5, 8 * 3_600_000);
const DAY = localDay(MIDNIGHT, ctx.offsetMs);
const cfg = DEFAULT_FUME;
const readings = (site: { id: string; peak: number; idle: number }, d: number) =>
  Array.from({ length: 288 }, (_, k) => dayStartMs(d, ctx.offsetMs) + k * 300_000).map((t) => ({
    t,
    v: fumeAt(site, cfg, ctx, t),
  }));
const hourOf = (t: number, d: number) => (t - dayStartMs(d, ctx.offsetMs)) / 3_600_000;

describe(fumeAt.name, () => {
  it('rises at meal times and idles between them', () => {
    const site = { id: 'FUME-1', peak: 1.1, idle: 0.2 };
    const day = readings(site, DAY);
    const lunch = day.filter(({ t }) => Math.abs(hourOf(t, DAY) - 12) < 0.3).map(({ v }) => v);
    const night = day.filter(({ t }) => hourOf(t, DAY) < 5).map(({ v }) => v);
    expect(Math.min(...lunch)).toBeGreaterThan(Math.max(...night) * 3);
  });

  it('never alarms at a restaurant with a working purifier', () => {
    const site = { id: 'FUME-2', peak: 1.3, idle: 0.3 };
    for (let d = DAY; d < DAY + 30; d++) for (const { v } of readings(site, d)) expect(v).toBeLessThan(cfg.alarm);
  });

  it('stays over the limit for half an hour or more at the height of every meal where the purifier is poorly kept', () => {
    const site = { id: 'FUME-3', peak: 2.8, idle: 0.2 }; // the lowest peak a poorly kept purifier gets
    /** The longest run of consecutive readings at or over the limit. */
    const longestOver = (xs: { v: number }[]) => {
      let best = 0,
        run = 0;
      for (const { v } of xs) {
        run = v >= cfg.alarm ? run + 1 : 0;
        best = Math.max(best, run);
      }
      return best;
    };
    for (let d = DAY; d < DAY + 10; d++) {
      const day = readings(site, d);
      expect(longestOver(day.filter(({ t }) => hourOf(t, d) < 15))).toBeGreaterThanOrEqual(6); // 5-minute readings
      expect(longestOver(day.filter(({ t }) => hourOf(t, d) >= 15))).toBeGreaterThanOrEqual(6);
    }
  });

  it('is idle while the city shelters', () => {
    const closed = { ...ctx, sheltering: () => true };
    expect(fumeAt({ id: 'FUME-3', peak: 3, idle: 0.2 }, cfg, closed, MIDNIGHT + 12 * 3_600_000)).toBeLessThan(0.1);
  });
});
