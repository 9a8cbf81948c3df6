import type { NoiseSensors } from '@egret/config';
import {
  dayStartMs,
  drawFor,
  inSpans,
  localDay,
  minuteOfDay,
  parseSpans,
  roundTo,
  type SensorContext,
} from './daily.ts';

const MINUTE_MS = 60_000;

/** A building site's noise monitor (工地噪声在线监测). */
export interface NoiseSite {
  id: string;
  /** Its usual level while working, dB(A): below the warning threshold. */
  workDb: number;
  /** Ambient level when the site is quiet. */
  quietDb: number;
  /** A repeat offender breaks the limit every day — by day, or with night work (夜间施工) after hours. */
  offender: 'none' | 'day' | 'night';
}

/** An exceedance episode: from `from` to `to` (world ms) the site runs `overDb` above its alarm threshold. */
export interface NoiseEpisode {
  from: number;
  to: number;
  overDb: number;
}

/**
 * The day's exceedance episode of a site, if it has one: an ordinary site on `episodeShare` of days, an offender
 * every day; it lies inside one working span (an offender's night episode starts between 22:00 and 23:00 and ends
 * by midnight). Drawn from the seed, the site and the local day only.
 */
export function noiseEpisode(
  site: NoiseSite,
  cfg: NoiseSensors,
  ctx: SensorContext,
  day: number,
): NoiseEpisode | undefined {
  const r = drawFor(ctx.seed, 'noise', site.id, day);
  const happens = r.chance(cfg.episodeShare);
  if (site.offender === 'none' && !happens) return undefined;
  const [minLen, maxLen] = cfg.episodeMinutes;
  let len = r.range(minLen, maxLen);
  let startMin: number;
  if (site.offender === 'night') {
    startMin = r.range(22 * 60, 23 * 60);
    len = Math.min(len, 24 * 60 - startMin);
  } else {
    const spans = parseSpans(cfg.workHours).map(([f, t]) => [f, t > f ? t : t + 1440] as const);
    const [f, t] = r.pick(spans);
    len = Math.min(len, t - f);
    startMin = f + r.float() * (t - f - len);
  }
  const from = dayStartMs(day, ctx.offsetMs) + Math.round(startMin * MINUTE_MS);
  return { from, to: from + Math.round(len * MINUTE_MS), overDb: r.range(2, 8) };
}

/**
 * The site's level at t, dB(A), to 0.1: in an episode a steady `overDb` above the alarm threshold (±0.5, never
 * below alarm + 0.5, so the alarm lasts and the hub raises a case); while working its usual level with a jitter
 * that stays below alarm − 1 (warnings now and then, no stray alarms); otherwise ambient. A sheltering city (a
 * typhoon's stop-work order) works no site.
 */
export function noiseAt(site: NoiseSite, cfg: NoiseSensors, ctx: SensorContext, t: number): number {
  const r = drawFor(ctx.seed, 'noise', site.id, 'at', t);
  const jitter = r.normal();
  if (ctx.sheltering(t)) return roundTo(site.quietDb + 1.5 * jitter, 1);
  const day = localDay(t, ctx.offsetMs);
  // An episode of the day before may not reach past midnight, so today's is the only one to look at.
  const episode = noiseEpisode(site, cfg, ctx, day);
  if (episode && t >= episode.from && t < episode.to) {
    return roundTo(Math.max(cfg.alarm + 0.5, cfg.alarm + episode.overDb + 0.5 * jitter), 1);
  }
  if (inSpans(minuteOfDay(t, ctx.offsetMs), parseSpans(cfg.workHours))) {
    return roundTo(Math.min(cfg.alarm - 1, site.workDb + 2 * jitter), 1);
  }
  return roundTo(site.quietDb + 1.5 * jitter, 1);
}
