import type { FumeSensors } from '@egret/config';
import { drawFor, localDay, minuteOfDay, parseSpans, roundTo, type SensorContext } from './daily.ts';

/** A large restaurant's fume monitor (餐饮油烟在线监测), at its exhaust. */
export interface FumeSite {
  id: string;
  /** Concentration at the height of a meal on an ordinary day, mg/m³. */
  peak: number;
  /** Between meals (the kitchen idles). */
  idle: number;
}

/**
 * Exhaust concentration at t, mg/m³ to 0.01: idle between meals; over each meal span it rises and falls as a
 * smooth hump, sin(πx)^1.5, to the site's peak × a factor of the day (0.85–1.15) with a 5 % jitter per reading. A
 * restaurant with a poorly kept purifier peaks at 2.8–3.6 (see `citySensors`): the middle third of every meal or
 * more — about an hour — is over the 2.0 limit, long enough for the hub to raise a case. Closed while the city shelters.
 */
export function fumeAt(site: FumeSite, cfg: FumeSensors, ctx: SensorContext, t: number): number {
  const jitter = 1 + 0.05 * drawFor(ctx.seed, 'fume', site.id, 'at', t).normal();
  if (ctx.sheltering(t)) return roundTo(Math.max(0, 0.05 * jitter), 2);
  const m = minuteOfDay(t, ctx.offsetMs);
  const dayFactor = drawFor(ctx.seed, 'fume', site.id, localDay(t, ctx.offsetMs)).range(0.85, 1.15);
  for (const [from, to] of parseSpans(cfg.mealHours)) {
    const end = to > from ? to : to + 1440;
    const mm = m < from && to <= from ? m + 1440 : m;
    if (mm < from || mm >= end) continue;
    const hump = Math.sin((Math.PI * (mm - from)) / (end - from)) ** 1.5;
    return roundTo(Math.max(0, (site.idle + (site.peak * dayFactor - site.idle) * hump) * jitter), 2);
  }
  return roundTo(Math.max(0, site.idle * jitter), 2);
}
