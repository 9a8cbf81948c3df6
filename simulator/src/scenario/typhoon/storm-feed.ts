import {
  MAX_FORECAST_POINTS,
  MAX_TRACK_POINTS,
  type InputMessage,
  type LonLat,
  type SignalLevel,
  type StormFix,
  type StormUpdate,
} from '@egret/protocol';
import type { Feed } from '../feed.ts';
import { stormAt, trackSpan } from './track.ts';
import { forecastAt, typhoonAt } from './typhoon-at.ts';
import type { TyphoonScenario } from './typhoon-scenario.ts';

const HOUR_MS = 3_600_000;

/** Minutes between two updates of the meteorological feed. */
export const STORM_UPDATE_MS = 10 * 60_000;
/** Lead times of the forecast sent with every update, hours. */
export const FORECAST_LEADS_H: readonly number[] = [6, 12, 24, 48, 72];

/** Who the storm is: its international number and names. */
export interface StormIdentity {
  id: string;
  name: { zh: string; en: string };
}

/**
 * The storm as the weather bureau reports it at t (`storm.update`): centre, intensity, force 7/10/12 radii, stage
 * and the city's phase from `typhoonAt`, the warning signal in force at the city, the landfall, the track so far
 * sampled hourly from the track's start (the latest `MAX_TRACK_POINTS`) and the forecast at `FORECAST_LEADS_H`
 * with its cone. Values are rounded as a bulletin gives them and clamped to what the protocol accepts.
 */
export function stormUpdateAt(
  storm: StormIdentity,
  scenario: TyphoonScenario,
  t: number,
  signal: SignalLevel,
): StormUpdate {
  const { track } = scenario;
  const { start, end } = trackSpan(track);
  const now = typhoonAt(track, t);
  const trackSoFar: StormFix[] = [];
  for (let at = start; at <= Math.min(t, end); at += HOUR_MS) trackSoFar.push(fix(at, stormAt(track, at)));
  const forecast = forecastAt(track, t, FORECAST_LEADS_H, scenario.forecast.coneKmPer12h).map((p) => ({
    ...fix(p.at, p),
    leadHours: p.leadHours,
    coneKm: round(Math.min(2_000, p.coneKm), 1),
  }));
  return {
    kind: 'storm.update',
    storm: {
      id: storm.id,
      name: storm.name,
      at: t,
      center: lonLat(now.center),
      pressureHpa: pressure(now.pressureHpa),
      maxWindMs: wind(now.maxWindMs),
      r7Km: radius(now.r7Km),
      r10Km: radius(now.r10Km),
      r12Km: radius(now.r12Km),
      stage: now.stage,
      phase: now.phase,
      signal,
      landfall: {
        at: track.landfall.at,
        center: lonLat(track.landfall.center),
        place: track.landfall.place.slice(0, 64),
      },
      track: trackSoFar.slice(-MAX_TRACK_POINTS),
      forecast: forecast.slice(0, MAX_FORECAST_POINTS),
    },
    at: t,
  };
}

/**
 * The meteorological feed: the storm as it stands when the world starts, then every `STORM_UPDATE_MS` on the clock
 * (00, 10, 20 … past the hour) while the track lasts — nothing before the storm forms or after its last point.
 */
export function createStormFeed(
  storm: StormIdentity,
  scenario: TyphoonScenario,
  signalAt: (t: number) => SignalLevel,
): Feed {
  const { start, end } = trackSpan(scenario.track);
  const update = (t: number): InputMessage => stormUpdateAt(storm, scenario, t, signalAt(t));
  return {
    name: 'storm',
    start(now) {
      return now >= start && now <= end ? [update(now)] : [];
    },
    step(from, to) {
      const events: InputMessage[] = [];
      for (let t = (Math.floor(from / STORM_UPDATE_MS) + 1) * STORM_UPDATE_MS; t <= to; t += STORM_UPDATE_MS) {
        if (t >= start && t <= end) events.push(update(t));
      }
      return { events, reports: [] };
    },
  };
}

function fix(at: number, s: { center: LonLat; pressureHpa: number; maxWindMs: number }): StormFix {
  return { at, center: lonLat(s.center), pressureHpa: pressure(s.pressureHpa), maxWindMs: wind(s.maxWindMs) };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const lonLat = ([lon, lat]: LonLat): LonLat => [round(lon, 4), round(lat, 4)];
const pressure = (hPa: number) => round(clamp(hPa, 850, 1_050), 1);
const wind = (ms: number) => round(clamp(ms, 0, 120), 1);
const radius = (km: number) => round(clamp(km, 0, 2_000), 1);
