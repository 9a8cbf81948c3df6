import type { CaseReport, CaseSource, InspectionPoint, Urgency } from '@egret/protocol';
import type { CategoryDictionary } from '@egret/config';
import { WeightedTable, type Rng } from '../../rng.ts';
import type { Feed } from '../feed.ts';
import { chunkedReportFeed } from '../chunked-report-feed.ts';
import type { CampaignCaseCategory, CampaignCasesProfile, HandedDownProfile } from './campaign-config.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

interface Choice {
  code: string;
  standard: CaseReport['category']['standard'];
  name: string;
  phrase: string;
  sources: WeightedTable<CaseSource>;
  points: readonly InspectionPoint[];
}

/** A campaign's reports prepared once: categories with their sources and points, the hourly shape, the urgency mix. */
export interface CampaignCaseModel {
  cases: CampaignCasesProfile;
  handedDown?: HandedDownProfile;
  offsetMs: number;
  categories: WeightedTable<Choice>;
  urgency: WeightedTable<Urgency>;
  handed?: WeightedTable<Choice>;
  /** `hourly` normalised to mean 1. */
  weights: number[];
  districtNames: Readonly<Record<string, string>>;
  /** Whether a position lies in the point's district (a report drawn into the sea or over a border stays at the point). */
  inDistrict: (district: string, lon: number, lat: number) => boolean;
}

export function campaignCaseModel(input: {
  cases: CampaignCasesProfile;
  handedDown?: HandedDownProfile | undefined;
  categories: CategoryDictionary;
  pointSets: ReadonlyMap<string, readonly InspectionPoint[]>;
  offsetMs: number;
  districtNames: Readonly<Record<string, string>>;
  inDistrict: (district: string, lon: number, lat: number) => boolean;
}): CampaignCaseModel {
  const choice = (c: CampaignCaseCategory): Choice => {
    const entry = input.categories.get(c.standard, c.code);
    if (!entry) throw new Error(`category ${c.standard} ${c.code} is not in the dictionary`);
    const sources = Object.entries(c.sources) as [CaseSource, number][];
    return {
      code: c.code,
      standard: c.standard,
      name: entry.name.zh,
      phrase: c.phrase,
      sources: new WeightedTable(
        sources.map(([s]) => s),
        sources.map(([, w]) => w),
      ),
      points: input.pointSets.get(c.near) ?? [],
    };
  };
  const table = (list: readonly CampaignCaseCategory[]) =>
    new WeightedTable(
      list.map(choice),
      list.map((c) => c.weight),
    );
  const urgencies = Object.entries(input.cases.urgency) as [Urgency, number][];
  const mean = input.cases.hourly.reduce((a, b) => a + b, 0) / 24;
  return {
    cases: input.cases,
    ...(input.handedDown ? { handedDown: input.handedDown, handed: table(input.handedDown.categories) } : {}),
    offsetMs: input.offsetMs,
    categories: table(input.cases.categories),
    urgency: new WeightedTable(
      urgencies.map(([u]) => u),
      urgencies.map(([, w]) => w),
    ),
    weights: input.cases.hourly.map((h) => (mean > 0 ? h / mean : 0)),
    districtNames: input.districtNames,
    inDistrict: input.inDistrict,
  };
}

/** The campaign's report rate at t (per hour): the mean shaped by the local hour. */
export function campaignRatePerHour(model: CampaignCaseModel, t: number): number {
  const hour = Math.floor((((t + model.offsetMs) % (24 * HOUR_MS)) + 24 * HOUR_MS) / HOUR_MS) % 24;
  return model.cases.perHour * (model.weights[hour] ?? 0);
}

/**
 * The campaign's reports in [from, to), in time order: a Poisson count per one-minute bucket, each case drawn from
 * its own stream (`rng.fork('<bucket>/<i>')`) — category by weight, source given the category, urgency, a point of
 * the category's set and a position within `spreadM` of it. 督察交办件 come the same way at `handedDown.perDay`
 * within its hours: source `superior`, its urgency, the inspectors named in the description. Only `rng.seed`
 * matters, so however the simulator slices time the seed gives the same cases.
 */
export function generateCampaignCases(model: CampaignCaseModel, rng: Rng, from: number, to: number): CaseReport[] {
  const out: CaseReport[] = [];
  const first = Math.floor(from / MINUTE_MS);
  const last = Math.floor((to - 1) / MINUTE_MS);
  const h = model.handedDown;
  const [h0, h1] = h?.hours ?? [0, 0];
  const handedPerMinute = h && h1 > h0 ? h.perDay / ((h1 - h0) * 60) : 0;
  for (let b = first; b <= last; b++) {
    const t0 = b * MINUTE_MS;
    const stamp = localStamp(t0, model.offsetMs);
    const lambda = campaignRatePerHour(model, t0 + MINUTE_MS / 2) / 60;
    const count = lambda > 0 ? rng.fork(`${b}`).poisson(lambda) : 0;
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`${b}/${i}`);
      const at = t0 + Math.floor(r.float() * MINUTE_MS);
      if (at < from || at >= to) continue;
      const c = model.categories.pick(r);
      const source = c.sources.pick(r);
      const report = reportAt(model, c, r, {
        caseId: `${model.cases.idPrefix}-${stamp}-${i + 1}`,
        source,
        urgency: model.urgency.pick(r),
        at,
        description: `${c.phrase}：${c.name}`,
      });
      if (report) out.push(report);
    }
    const hour = new Date(t0 + model.offsetMs).getUTCHours();
    if (!h || !model.handed || hour < h0 || hour >= h1) continue;
    const n = rng.fork(`handed/${b}`).poisson(handedPerMinute);
    for (let i = 0; i < n; i++) {
      const r = rng.fork(`handed/${b}/${i}`);
      const at = t0 + Math.floor(r.float() * MINUTE_MS);
      if (at < from || at >= to) continue;
      const c = model.handed.pick(r);
      const report = reportAt(model, c, r, {
        caseId: `${h.idPrefix}-${stamp}-${i + 1}`,
        source: 'superior',
        urgency: h.urgency,
        at,
        description: `${h.from}（督察交办件）：${c.phrase}：${c.name}，限期整改并反馈`,
      });
      if (report) out.push(report);
    }
  }
  return out.sort((a, b) => a.at - b.at || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
}

function reportAt(
  model: CampaignCaseModel,
  c: Choice,
  r: Rng,
  o: { caseId: string; source: CaseSource; urgency: Urgency; at: number; description: string },
): CaseReport | undefined {
  if (c.points.length === 0) return undefined;
  const p = r.pick(c.points);
  // Within spreadM of the point, uniform in the disc (the point's own position when the spread is a few metres).
  const d = Math.sqrt(r.float()) * model.cases.spreadM;
  const a = r.float() * 2 * Math.PI;
  let lat = Math.round((p.position[1] + (d * Math.sin(a)) / 110_800) * 1e6) / 1e6;
  let lon =
    Math.round((p.position[0] + (d * Math.cos(a)) / (111_320 * Math.cos((p.position[1] * Math.PI) / 180))) * 1e6) / 1e6;
  if (!model.inDistrict(p.district, lon, lat)) [lon, lat] = p.position;
  return {
    kind: 'case.report',
    caseId: o.caseId,
    category: { code: c.code, standard: c.standard },
    source: o.source,
    urgency: o.urgency,
    lon,
    lat,
    address: `${model.districtNames[p.district] ?? ''} ${p.name} 附近`.trim(),
    description: o.description,
    at: o.at,
  };
}

/** yyyyMMddHHmm in the city's local time. */
function localStamp(t: number, offsetMs: number): string {
  return new Date(t + offsetMs).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/** The campaign's reports as a feed for the city's intake desk, generated a 10-minute chunk at a time. */
export function createCampaignCaseFeed(model: CampaignCaseModel, rng: Rng): Feed {
  return chunkedReportFeed('campaign', (from, to) => generateCampaignCases(model, rng, from, to));
}
