import type { InputMessage, InspectionPoint, SensorRegister } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import type { Feed } from '../feed.ts';
import type { SiteSensorsProfile } from './campaign-config.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A construction site's monitor pair (扬尘 PM10 and 噪声), as the city's site-monitoring platform reports them. */
export interface SiteMonitor {
  site: InspectionPoint;
  dustId: string;
  noiseId: string;
}

/** One site in `everyNth` of the set carries a monitor pair: ids `DUST-<site>` and `NOISE-<site>`. */
export function siteMonitors(sites: readonly InspectionPoint[], profile: SiteSensorsProfile): SiteMonitor[] {
  return sites
    .filter((_, k) => k % profile.everyNth === 0)
    .map((site) => ({ site, dustId: `DUST-${site.id}`.slice(0, 64), noiseId: `NOISE-${site.id}`.slice(0, 64) }));
}

const localHour = (t: number, offsetMs: number) => ((((t + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
const localDay = (t: number, offsetMs: number) => Math.floor((t + offsetMs) / DAY_MS);

/**
 * PM10 at a site at t, µg/m³: its own background, and on the days it works dusty (uncovered earth, a share of
 * sites drawn per day) a hump over the working hours to its peak, over the alarm for the middle of the day. 8 %
 * jitter per reading. Pure: the seed, the site and t say it all.
 */
export function dustAt(seed: string, site: string, p: SiteSensorsProfile, offsetMs: number, t: number): number {
  const day = new Rng(`${seed}/dust/${site}/${localDay(t, offsetMs)}`);
  const base = day.range(p.dust.base[0], p.dust.base[1]);
  const dusty = day.chance(p.dust.dustyShare);
  const peak = day.range(p.dust.dustyPeak[0], p.dust.dustyPeak[1]);
  const jitter = 1 + 0.08 * new Rng(`${seed}/dust/${site}/@${t}`).normal();
  const h = localHour(t, offsetMs);
  const [w0, w1] = p.workHours;
  const hump = dusty && h >= w0 && h < w1 ? Math.sin((Math.PI * (h - w0)) / (w1 - w0)) : 0;
  return Math.round(Math.max(0, (base + (peak - base) * hump) * jitter));
}

/**
 * Noise at a site at t, dB(A) to 0.1: machinery over the working hours, quiet at night — except the sites working
 * at night that day (夜间施工, a share drawn per day), loud from 22:00 to 02:00.
 */
export function noiseAt(seed: string, site: string, p: SiteSensorsProfile, offsetMs: number, t: number): number {
  // A night belongs to the day it began (22:00–02:00).
  const h = localHour(t, offsetMs);
  const day = new Rng(`${seed}/noise/${site}/${localDay(t - (h < 2 ? 2 * HOUR_MS : 0), offsetMs)}`);
  const base = day.range(p.noise.base[0], p.noise.base[1]);
  const nightWork = day.chance(p.noise.nightWorkShare);
  const nightPeak = day.range(p.noise.nightPeak[0], p.noise.nightPeak[1]);
  const wobble = 1.5 * new Rng(`${seed}/noise/${site}/@${t}`).normal();
  const [w0, w1] = p.workHours;
  let level = h >= w0 && h < w1 ? base : base - 15;
  if (nightWork && (h >= 22 || h < 2)) level = nightPeak;
  return Math.round((level + wobble) * 10) / 10;
}

/**
 * The construction sites' dust and noise monitors as an upstream feed: registered when the world starts, read every
 * `readEveryMinutes` on the clock. The hub raises a case from a sensor in alarm and counts the alarms for the
 * environmental plan's trigger (`sensor` dust alarm ≥ n).
 */
export function createSiteSensorFeed(o: {
  monitors: readonly SiteMonitor[];
  profile: SiteSensorsProfile;
  seed: string;
  offsetMs: number;
}): Feed {
  const every = o.profile.readEveryMinutes * MINUTE_MS;
  return {
    name: 'site-sensors',
    start(now) {
      return o.monitors.flatMap(({ site, dustId, noiseId }): SensorRegister[] => [
        {
          kind: 'sensor.register',
          sensorId: dustId,
          sensorKind: 'dust',
          name: `${site.name}扬尘监测`.slice(0, 64),
          district: site.district,
          lon: site.position[0],
          lat: site.position[1],
          unit: 'µg/m³',
          warning: o.profile.dust.warning,
          alarm: o.profile.dust.alarm,
          at: now,
        },
        {
          kind: 'sensor.register',
          sensorId: noiseId,
          sensorKind: 'noise',
          name: `${site.name}噪声监测`.slice(0, 64),
          district: site.district,
          lon: site.position[0],
          lat: site.position[1],
          unit: 'dB(A)',
          warning: o.profile.noise.warning,
          alarm: o.profile.noise.alarm,
          at: now,
        },
      ]);
    },
    step(from, to) {
      const events: InputMessage[] = [];
      for (let t = (Math.floor(from / every) + 1) * every; t <= to; t += every)
        for (const m of o.monitors) {
          const dust = dustAt(o.seed, m.site.id, o.profile, o.offsetMs, t);
          const noise = noiseAt(o.seed, m.site.id, o.profile, o.offsetMs, t);
          events.push({ kind: 'sensor.reading', sensorId: m.dustId, value: dust, at: t });
          events.push({ kind: 'sensor.reading', sensorId: m.noiseId, value: noise, at: t });
        }
      return { events, reports: [] };
    },
  };
}
