import type { CaseReport, CaseSource, CategoryStandard, LonLat, Urgency } from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import { forceMinMs } from './beaufort.ts';
import { cellIndexAt, randomPointInCell } from './cell-index.ts';
import {
  cellDrive,
  cellTable,
  seriesAt,
  stepPosition,
  type ModelCategory,
  type TyphoonIncidentModel,
} from './incident-model.ts';
import type { IncidentPhase } from './typhoon-config.ts';
import { windAt } from './wind-field.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A case the typhoon brings: what happened where and when, and when (and by whom) it was reported. */
export interface TyphoonCase {
  /** Upstream ticket number, unique per scenario and seed: `<prefix>-<local yyyyMMddHHmm of the event>-<n>`. */
  id: string;
  /** When to publish it: the report time. */
  at: number;
  /** When it physically happened (the tree fell). */
  physicalAt: number;
  /** When the hotline, a patrol, a camera or a sensor reported it: physicalAt + a lag of minutes. */
  reportedAt: number;
  category: { code: string; standard: CategoryStandard };
  phase: IncidentPhase;
  source: CaseSource;
  urgency: Urgency;
  position: LonLat;
  district: string;
  /** Grid cell id. */
  grid: string;
  /** "<district> <nearest named place> 附近" when the model was given places. */
  address: string;
  description: string;
}

/** Expected cases per hour in one cell at t (by physical time), per category of the scenario. */
export function typhoonIncidentRate(
  model: TyphoonIncidentModel,
  t: number,
  cellId: string,
): {
  perHour: number;
  byCategory: { code: string; standard: CategoryStandard; phase: IncidentPhase; perHour: number }[];
} {
  const c = model.cellById.get(cellId) ?? -1;
  if (c < 0 || t < model.start || t > model.end) return { perHour: 0, byCategory: [] };
  const { k, f } = stepPosition(model, t);
  const byCategory = model.categories.map((cat) => {
    const drive =
      cellDrive(model, cat, c, k) * (1 - f) + cellDrive(model, cat, c, Math.min(model.steps - 1, k + 1)) * f;
    return {
      code: cat.spec.code,
      standard: cat.spec.standard,
      phase: cat.spec.phase,
      perHour: drive * cat.scale * HOUR_MS,
    };
  });
  return { perHour: byCategory.reduce((s, x) => s + x.perHour, 0), byCategory };
}

/** Expected cases per hour city-wide at t (by physical time), per phase. */
export function cityIncidentRate(model: TyphoonIncidentModel, t: number): Record<IncidentPhase, number> {
  const out: Record<IncidentPhase, number> = { preparation: 0, landfall: 0, recovery: 0 };
  if (t < model.start || t > model.end) return out;
  for (const cat of model.categories) out[cat.spec.phase] += seriesAt(cat.ratePerMs, model, t) * HOUR_MS;
  return out;
}

/**
 * The typhoon's cases reported in [from, to), in report order.
 *
 * Events are a Poisson process in one-minute buckets of physical time: bucket b holds Poisson(Λ_b) events, Λ_b the
 * city-wide expected count of every category in that minute. Each event draws from its own stream
 * (`rng.fork('typhoon/<b>/<i>')`): category ∝ its share of Λ_b, time within the minute, source, report lag
 * (exponential, mean by source, × `strongWindLagFactor` while the city has force-10 winds, capped), then — only if
 * the report falls in the window — its cell (∝ the cell's drive for that category) and a point inside the cell.
 * Only `rng.seed` matters, never the stream's position or how the simulator slices time: the same seed gives the
 * same cases whether it asks minute by minute or for the whole storm at once.
 */
export function generateTyphoonCases(model: TyphoonIncidentModel, rng: Rng, from: number, to: number): TyphoonCase[] {
  const settings = model.scenario.incidents;
  const capMs = settings.lagCapMinutes * MINUTE_MS;
  const strong = forceMinMs(10);
  const out: TyphoonCase[] = [];
  const lambdas = new Float64Array(model.categories.length);
  const firstBucket = Math.floor(Math.max(from - capMs, model.start) / MINUTE_MS);
  const lastBucket = Math.floor((Math.min(to, model.end + capMs) - 1) / MINUTE_MS);
  for (let b = firstBucket; b <= lastBucket; b++) {
    const t0 = b * MINUTE_MS;
    const mid = t0 + MINUTE_MS / 2;
    if (mid < model.start || mid > model.end) continue;
    let total = 0;
    model.categories.forEach((cat, i) => {
      lambdas[i] = seriesAt(cat.ratePerMs, model, mid) * MINUTE_MS;
      total += lambdas[i]!;
    });
    if (!(total > 0)) continue;
    const count = rng.fork(`typhoon/${b}`).poisson(total);
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`typhoon/${b}/${i}`);
      const ci = pickIndex(lambdas, total, r.float());
      const cat = model.categories[ci]!;
      const physicalAt = t0 + Math.floor(r.float() * MINUTE_MS);
      const source = cat.sources.pick(r);
      const meanMin =
        (settings.reportLagMinutes[source] ?? 10) *
        (seriesAt(model.cityWind, model, physicalAt) >= strong ? settings.strongWindLagFactor : 1);
      const lagMs = Math.round(Math.min(capMs, r.exponential(1 / meanMin) * MINUTE_MS));
      const reportedAt = physicalAt + lagMs;
      if (reportedAt < from || reportedAt >= to) continue;
      const c = pickCell(model, cat, physicalAt, r);
      if (c < 0) continue;
      const cell = model.cells[c]!;
      out.push({
        id: `${model.idPrefix}-${localStamp(t0, model.offsetMs)}-${i + 1}`,
        at: reportedAt,
        physicalAt,
        reportedAt,
        category: { code: cat.spec.code, standard: cat.spec.standard },
        phase: cat.spec.phase,
        source,
        urgency: cat.urgency.pick(r),
        position: randomPointInCell(model.index, c, () => r.float()),
        district: cell.district,
        grid: cell.id,
        address: model.addresses[c]!,
        description: cat.spec.description.zh,
      });
    }
  }
  return out.sort((a, b) => a.reportedAt - b.reportedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A cell for an event of category `cat` at t, ∝ the cell's drive at the nearest step; -1 if none is driven. */
function pickCell(model: TyphoonIncidentModel, cat: ModelCategory, t: number, r: Rng): number {
  const { k, f } = stepPosition(model, t);
  const cumulative = cellTable(model, cat, f < 0.5 ? k : Math.min(model.steps - 1, k + 1));
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (!(total > 0)) return -1;
  const x = r.float() * total;
  let lo = 0,
    hi = cumulative.length - 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (cumulative[m]! > x) hi = m;
    else lo = m + 1;
  }
  return lo;
}

/** Index i with probability weights[i] / total, for u uniform in [0, 1). */
function pickIndex(weights: Float64Array, total: number, u: number): number {
  let x = u * total;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i]! > 0)) continue;
    last = i;
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return last; // rounding left x ≥ 0: the last category with a weight
}

/** yyyyMMddHHmm in the city's local time. */
function localStamp(t: number, offsetMs: number): string {
  return new Date(t + offsetMs).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/** The input-stream message for a typhoon case (what the simulator XADDs to `in:events` at `reportedAt`). */
export function toCaseReport(c: TyphoonCase): CaseReport {
  return {
    kind: 'case.report',
    caseId: c.id,
    category: c.category,
    source: c.source,
    urgency: c.urgency,
    lon: c.position[0],
    lat: c.position[1],
    address: c.address,
    description: c.description,
    at: c.reportedAt,
  };
}

/**
 * Travel-speed factor for squads at a point and time (1 = normal, smaller = slower; multiply the speed, divide
 * the ETA): 1/(1 + fallen-tree load of the cell) × a wind factor falling linearly from 1 at `windSlowFromMs` to
 * `minFactor` at `windStopMs`, never below `minFactor`. The load builds with the local wind damage × the cell's
 * trees, is scaled so the worst cell reaches `worstBlockage`, and clears with an e-folding time of `clearHours`
 * once the wind is below gale force (also after the model's window).
 */
export function roadSlowdown(model: TyphoonIncidentModel, t: number, point: LonLat): number {
  const rs = model.scenario.incidents.roadSlowdown;
  const c = cellIndexAt(model.index, point);
  let wind: number,
    load = 0;
  if (c >= 0 && t >= model.start && t <= model.end) {
    wind = seriesAt(model.wind, model, t, c * model.steps);
    load = seriesAt(model.blockage, model, t, c * model.steps);
  } else {
    wind = windAt(model.scenario.track, t, point);
    if (c >= 0 && t > model.end)
      load =
        model.blockage[c * model.steps + model.steps - 1]! * Math.exp(-(t - model.end) / (rs.clearHours * HOUR_MS));
  }
  const x = Math.min(1, Math.max(0, (wind - rs.windSlowFromMs) / (rs.windStopMs - rs.windSlowFromMs)));
  const windFactor = 1 - (1 - rs.minFactor) * x;
  return Math.max(rs.minFactor, windFactor / (1 + load));
}
