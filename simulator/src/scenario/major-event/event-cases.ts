import type { CaseReport, CaseSource, LonLat, Urgency } from '@egret/protocol';
import type { CategoryDictionary, MajorEvent, Place } from '@egret/config';
import { WeightedTable, type Rng } from '../../rng.ts';
import type { EventCasesProfile } from './major-event-config.ts';
import type { EventPoint, EventPoints } from './event-points.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

interface CategoryChoice {
  code: string;
  standard: CaseReport['category']['standard'];
  name: string;
  sources: WeightedTable<CaseSource>;
}

/** Everything the guard's case generator needs, prepared once. */
export interface EventCaseModel {
  event: Pick<MajorEvent, 'id' | 'from' | 'to'>;
  profile: EventCasesProfile;
  offsetMs: number;
  points: EventPoints;
  categories: WeightedTable<CategoryChoice>;
  urgency: WeightedTable<Urgency>;
  /** `hourly` normalised to mean 1. */
  weights: number[];
  /** How each source words a report (`监督员巡查发现` …), from the city scenario. */
  phrases: Partial<Record<CaseSource, string>>;
  /** The district a point lies in. */
  districtOf: (p: LonLat) => string | undefined;
  districtNames: Readonly<Record<string, string>>;
  places: Readonly<Record<string, readonly Place[]>>;
}

export interface EventCaseModelInput {
  event: MajorEvent;
  profile: EventCasesProfile;
  categories: CategoryDictionary;
  offsetMs: number;
  points: EventPoints;
  phrases: Partial<Record<CaseSource, string>>;
  districtOf: (p: LonLat) => string | undefined;
  districtNames: Readonly<Record<string, string>>;
  places: Readonly<Record<string, readonly Place[]>>;
}

export function eventCaseModel(input: EventCaseModelInput): EventCaseModel {
  const { profile } = input;
  const choices = profile.categories.map((c): CategoryChoice => {
    const entry = input.categories.get(c.standard, c.code);
    if (!entry) throw new Error(`category ${c.standard} ${c.code} is not in the dictionary`);
    const sources = Object.entries(c.sources) as [CaseSource, number][];
    return {
      code: c.code,
      standard: c.standard,
      name: entry.name.zh,
      sources: new WeightedTable(
        sources.map(([s]) => s),
        sources.map(([, w]) => w),
      ),
    };
  });
  const urgencies = Object.entries(profile.urgency) as [Urgency, number][];
  const mean = profile.hourly.reduce((a, b) => a + b, 0) / 24;
  return {
    event: input.event,
    profile,
    offsetMs: input.offsetMs,
    points: input.points,
    phrases: input.phrases,
    categories: new WeightedTable(
      choices,
      profile.categories.map((c) => c.weight),
    ),
    urgency: new WeightedTable(
      urgencies.map(([u]) => u),
      urgencies.map(([, w]) => w),
    ),
    weights: profile.hourly.map((h) => (mean > 0 ? h / mean : 0)),
    districtOf: input.districtOf,
    districtNames: input.districtNames,
    places: input.places,
  };
}

/**
 * Expected guard cases per hour at t: `perHour` × the local-hour profile (its values at the middle of each hour,
 * joined by straight lines, so the day's integral is 24 × `perHour`), zero outside the event's window.
 */
export function eventCaseRatePerHour(model: EventCaseModel, t: number): number {
  if (t < model.event.from || t >= model.event.to) return 0;
  const h = ((((t + model.offsetMs) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS - 0.5;
  const i = Math.floor(h);
  const f = h - i;
  const a = model.weights[(i + 24) % 24]!,
    b = model.weights[(i + 25) % 24]!;
  return model.profile.perHour * (a + (b - a) * f);
}

/**
 * The guard's extra 市容保障 cases reported in [from, to), in time order: a Poisson count per one-minute bucket
 * (`eventCaseRatePerHour` at its middle), each case drawn from its own stream (`rng.fork('<bucket>/<i>')`) —
 * time within the minute, category by weight, source given the category (mostly patrols and video AI), urgency,
 * a point in or around a perimeter (`EventPoints`). Only `rng.seed` matters, so however the simulator slices time
 * the seed gives the same cases, with ids `<idPrefix>-<yyyyMMddHHmm>-<n>` fixed by it.
 */
export function generateEventCases(model: EventCaseModel, rng: Rng, from: number, to: number): CaseReport[] {
  const out: CaseReport[] = [];
  const first = Math.floor(Math.max(from, model.event.from) / MINUTE_MS);
  const last = Math.floor((Math.min(to, model.event.to) - 1) / MINUTE_MS);
  for (let b = first; b <= last; b++) {
    const t0 = b * MINUTE_MS;
    const lambda = eventCaseRatePerHour(model, t0 + MINUTE_MS / 2) / 60;
    const count = lambda > 0 ? rng.fork(`${b}`).poisson(lambda) : 0;
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`${b}/${i}`);
      const at = t0 + Math.floor(r.float() * MINUTE_MS);
      if (at < from || at >= to || at < model.event.from || at >= model.event.to) continue;
      const category = model.categories.pick(r);
      const source = category.sources.pick(r);
      const urgency = model.urgency.pick(r);
      const point = model.points.point(r);
      if (!point) continue;
      out.push({
        kind: 'case.report',
        caseId: `${model.profile.idPrefix}-${localStamp(t0, model.offsetMs)}-${i + 1}`,
        category: { code: category.code, standard: category.standard },
        source,
        urgency,
        lon: point.position[0],
        lat: point.position[1],
        address: addressOf(model, point),
        description: `${model.profile.descriptionPrefix}：${model.phrases[source] ?? '上报'}：${category.name}`,
        at,
      });
    }
  }
  return out.sort((a, b) => a.at - b.at || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
}

/** `思明区 会展北路 附近（会展核心保障区）`, or `…（会展核心保障区周边）` outside it. */
function addressOf(model: EventCaseModel, point: EventPoint): string {
  const code = model.districtOf(point.position);
  const district = code ? (model.districtNames[code] ?? '') : '';
  const place = code ? nearestPlace(model.places[code] ?? [], point.position) : undefined;
  const where = [district, place ? `${place} 附近` : ''].filter(Boolean).join(' ');
  return `${where}（${point.perimeter.name.zh}${point.inside ? '' : '周边'}）`;
}

function nearestPlace(places: readonly Place[], [lon, lat]: LonLat): string | undefined {
  let best: Place | undefined,
    bestD = Infinity;
  for (const p of places) {
    const d = (p.at[0] - lon) ** 2 + (p.at[1] - lat) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return best?.name;
}

/** yyyyMMddHHmm in the city's local time. */
function localStamp(t: number, offsetMs: number): string {
  return new Date(t + offsetMs).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}
