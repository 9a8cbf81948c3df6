import { describe, expect, it } from 'vitest';
import { DEFAULT_NOISE } from '@egret/config';
import { ordinaryDay, dayStartMs, localDay } from './daily.ts';
import { noiseAt, noiseEpisode, type NoiseSite } from './noise.ts';
import { MIDNIGHT } from '../../../test/city.ts';

const MINUTE = 60_000;
const ctx = ordinaryDay(42, 8 * 3_600_000);
const DAY = localDay(MIDNIGHT, ctx.offsetMs);
const cfg = DEFAULT_NOISE;
const site = (id: string, offender: NoiseSite['offender'] = 'none'): NoiseSite => ({
  id,
  workDb: 60,
  quietDb: 48,
  offender,
});
/** Readings every 5 minutes over a local day. */
const day = (s: NoiseSite, d = DAY, c = ctx) =>
  Array.from({ length: 288 }, (_, k) => {
    const t = dayStartMs(d, c.offsetMs) + k * 5 * MINUTE;
    return { t, v: noiseAt(s, cfg, c, t) };
  });

describe(noiseEpisode.name, () => {
  it('gives an offender an episode every day inside the working hours, or after 22:00 for night work', () => {
    for (let d = DAY; d < DAY + 10; d++) {
      const e = noiseEpisode(site('NOISE-1', 'day'), cfg, ctx, d)!;
      const startH = (e.from - dayStartMs(d, ctx.offsetMs)) / 3_600_000;
      const endH = (e.to - dayStartMs(d, ctx.offsetMs)) / 3_600_000;
      expect((startH >= 7 && endH <= 12) || (startH >= 14 && endH <= 22)).toBe(true);
      const night = noiseEpisode(site('NOISE-2', 'night'), cfg, ctx, d)!;
      expect((night.from - dayStartMs(d, ctx.offsetMs)) / 3_600_000).toBeGreaterThanOrEqual(22);
      expect(night.to).toBeLessThanOrEqual(dayStartMs(d + 1, ctx.offsetMs));
    }
  });

  it('gives ordinary sites an episode on about episodeShare of days', () => {
    let n = 0;
    for (let i = 0; i < 200; i++)
      for (let d = DAY; d < DAY + 10; d++) if (noiseEpisode(site(`S-${i}`), cfg, ctx, d)) n++;
    expect(n / 2000).toBeGreaterThan(cfg.episodeShare * 0.7);
    expect(n / 2000).toBeLessThan(cfg.episodeShare * 1.3);
  });
});

describe(noiseAt.name, () => {
  it('keeps a site in an episode over its alarm threshold for the whole episode, so the hub raises one case', () => {
    const s = site('NOISE-350211-07', 'day');
    const e = noiseEpisode(s, cfg, ctx, DAY)!;
    const during = day(s).filter(({ t }) => t >= e.from && t < e.to);
    expect(during.length).toBeGreaterThanOrEqual(Math.floor(cfg.episodeMinutes[0] / 5));
    for (const { v } of during) expect(v).toBeGreaterThanOrEqual(cfg.alarm + 0.5);
    // Longer than the hub's 10 minutes of persistence.
    expect(during.at(-1)!.t - during[0]!.t).toBeGreaterThanOrEqual(10 * MINUTE);
  });

  it('is louder in working hours than at night, and never alarms outside an episode', () => {
    const s = site('NOISE-quiet');
    for (let d = DAY; d < DAY + 20; d++) {
      if (noiseEpisode(s, cfg, ctx, d)) continue;
      const readings = day(s, d);
      const at = (h: number) =>
        readings.filter(({ t }) => Math.floor((t - dayStartMs(d, ctx.offsetMs)) / 3_600_000) === h).map(({ v }) => v);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(at(10))).toBeGreaterThan(mean(at(3)) + 6);
      for (const { v } of readings) expect(v).toBeLessThan(cfg.alarm);
    }
  });

  it('falls quiet while the city shelters, even at an offender', () => {
    const sheltering = { ...ctx, sheltering: () => true };
    for (const { v } of day(site('NOISE-1', 'day'), DAY, sheltering)) expect(v).toBeLessThan(cfg.warning);
  });

  it('depends only on the seed, the site and the time', () => {
    const t = MIDNIGHT + 10.5 * 3_600_000;
    expect(noiseAt(site('A'), cfg, ctx, t)).toBe(noiseAt(site('A'), cfg, ordinaryDay(42, ctx.offsetMs), t));
    expect(noiseAt(site('A'), cfg, ctx, t)).not.toBe(noiseAt(site('A'), cfg, ordinaryDay(43, ctx.offsetMs), t));
  });
});
