import type { Case } from './entities.ts';
import { haversineM, type LonLat } from './geo.ts';
import { DEFAULT_KPI_TIME_ZONE, kpiDay } from './kpi.ts';
import { inspectionOverdue, type Inspection, type InspectionPoint, type PointKind } from './plans.ts';
import type { Sensor, SensorKind } from './sensors.ts';
import { isCaseOpen } from './workflow.ts';

/**
 * Campaign scores (issue #17): the 文明创建 daily score of each assessment point, district and squad with the district
 * ranking (流动红旗 / 黄旗), and the 环保督察 compliance of each construction site with the heat of dust and noise
 * complaints. Pure: the world's inspections, cases and sensors and `now` are passed in; the wall, the console and the
 * after-action summary read the same figures.
 *
 * ## The 文明创建 daily score (0–100)
 * The day's inspections of assessment points (issued that calendar day in the city's time zone), judged at `now`:
 * - **settled**: checked (passed, or a problem found) or overdue (open past its deadline); an open inspection not yet
 *   due is **pending** and counts against no one — as 按时待处置 cases are left out of 按期结案率 (domain.md, KPIs).
 * - a problem found became a case; it is **fixed on time** when closed by its deadline, **late** when closed after it
 *   or still open past it, and pending while open before its deadline (or without a case yet).
 *
 *     score = 60 × 点位达标率 (passed / settled)
 *           + 20 × 按时巡查率 ((passed + problem) / settled)
 *           + 20 × 问题按期整改率 (fixed on time / (fixed on time + late); with no settled problem, the 按时巡查率 —
 *                                nothing found to fix counts only on the points actually checked)
 *
 * Why these weights: the material we have (../shared/domain.md) quotes no official weight of the assessment; its one
 * scoring formula is the league table's (按期结案率×50 + 结案率×30 + …). The civilised-city assessment is judged by what
 * an assessor sees at the point on the day (市容秩序: clean streets, no vending, no stray parking), so the state of the
 * points weighs most (60); doing the round on time and fixing what it found share the rest. A point checked late
 * still scores its result: an overdue inspection loses both the first and the second part. Null when nothing is
 * settled (nothing to judge yet). Rounded to 0.1.
 *
 * ## The ranking (流动红旗)
 * Districts by today's score, best first (ties: more settled inspections, then the district code); the red flag goes
 * to the best and the yellow flag (黄旗, the 问题晾晒 of domain.md: public ranking of districts) to the worst, each only
 * with at least `FLAG_MIN_SETTLED` settled inspections and a score no other district shares with it (a tie takes no
 * flag), the yellow only with three districts ranked and a score below the red's. The change is against the same figures for the previous day, judged at the same `now`.
 */

/** Every time zone's midnight falls on a quarter hour (as `kpiDay` relies on). */
const QUARTER_MS = 15 * 60_000;

/** How many of a district's inspections must be settled before it can hold a flag (one lucky point is no record). */
export const FLAG_MIN_SETTLED = 5;

/** Weights of the daily score (see the file's comment). */
export const SCORE_WEIGHTS = { passed: 60, onTime: 20, fixed: 20 } as const;

/** What the day's inspections of one point, district or squad add up to at `now`. */
export interface ScoreTally {
  inspections: number;
  /** Checked, or open past the deadline. */
  settled: number;
  passed: number;
  /** Checked and a problem found. */
  problems: number;
  /** Open past the deadline (not checked in time). */
  overdue: number;
  /** Open, not yet due: counts against no one. */
  pending: number;
  /** Problems whose case was closed by its deadline. */
  fixedOnTime: number;
  /** Problems whose case was closed after its deadline or is open past it. */
  fixedLate: number;
}

export interface Score extends ScoreTally {
  /** 0–100, one decimal; null while nothing is settled. */
  score: number | null;
}

export interface DailyScores {
  /** 'YYYY-MM-DD' in the time zone given. */
  day: string;
  byPoint: Map<string, Score & { pointId: string; district: string; squadId: string }>;
  byDistrict: Map<string, Score & { district: string }>;
  bySquad: Map<string, Score & { squadId: string; district: string }>;
  /** Every inspection of the day together. */
  total: Score;
}

export interface DailyScoresInput {
  inspections: Iterable<Inspection>;
  /** The world's cases, by id: the cases the problems became (only their status, deadline and closing time are read). */
  cases: ReadonlyMap<string, ScoredCase>;
  /** The calendar day to score ('YYYY-MM-DD'); `kpiDay(now)` when absent. */
  day?: string;
  now: number;
  timeZone?: string;
  /** The point kinds scored (assessment points by default). */
  kinds?: readonly PointKind[];
}

export const emptyScoreTally = (): ScoreTally => ({
  inspections: 0,
  settled: 0,
  passed: 0,
  problems: 0,
  overdue: 0,
  pending: 0,
  fixedOnTime: 0,
  fixedLate: 0,
});

/** Whether a problem's case was fixed on time (true), late (false), or is still pending (undefined). */
/** What the score reads of a problem's case. */
export type ScoredCase = Pick<Case, 'status' | 'deadline' | 'closedAt'>;

function fixedOnTime(c: ScoredCase | undefined, now: number): boolean | undefined {
  if (!c || c.deadline === undefined) return c && !isCaseOpen(c) ? true : undefined;
  if (!isCaseOpen(c)) return c.closedAt === undefined || c.closedAt <= c.deadline;
  return now > c.deadline ? false : undefined;
}

/** Adds one inspection to a tally. */
export function tallyInspection(
  t: ScoreTally,
  i: Inspection,
  cases: ReadonlyMap<string, ScoredCase>,
  now: number,
): void {
  t.inspections++;
  if (i.status === 'passed') {
    t.settled++;
    t.passed++;
  } else if (i.status === 'problem') {
    t.settled++;
    t.problems++;
    const fixed = fixedOnTime(i.caseId === undefined ? undefined : cases.get(i.caseId), now);
    if (fixed === true) t.fixedOnTime++;
    else if (fixed === false) t.fixedLate++;
  } else if (inspectionOverdue(i, now)) {
    t.settled++;
    t.overdue++;
  } else t.pending++;
}

/** The daily score of a tally (see the file's comment); null while nothing is settled. */
export function campaignScore(t: ScoreTally): number | null {
  if (t.settled === 0) return null;
  const fixes = t.fixedOnTime + t.fixedLate;
  const raw =
    (SCORE_WEIGHTS.passed * t.passed) / t.settled +
    (SCORE_WEIGHTS.onTime * (t.passed + t.problems)) / t.settled +
    SCORE_WEIGHTS.fixed * (fixes === 0 ? (t.passed + t.problems) / t.settled : t.fixedOnTime / fixes);
  return Math.round(raw * 10) / 10;
}

const scored = <T extends ScoreTally>(t: T): T & { score: number | null } =>
  Object.assign(t, { score: campaignScore(t) });

/** The day's scores of every point, district and squad (see the file's comment). */
export function dailyScores({
  inspections,
  cases,
  now,
  timeZone = DEFAULT_KPI_TIME_ZONE,
  day = kpiDay(now, timeZone),
  kinds = ['assessment_point'],
}: DailyScoresInput): DailyScores {
  const byPoint = new Map<string, ScoreTally & { pointId: string; district: string; squadId: string }>();
  const byDistrict = new Map<string, ScoreTally & { district: string }>();
  const bySquad = new Map<string, ScoreTally & { squadId: string; district: string }>();
  const total = emptyScoreTally();
  // A round's inspections share their issue time: the day of each quarter hour is worked out once.
  const days = new Map<number, string>();
  const dayOf = (t: number) => {
    const q = Math.floor(t / QUARTER_MS);
    let d = days.get(q);
    if (d === undefined) days.set(q, (d = kpiDay(t, timeZone)));
    return d;
  };
  for (const i of inspections) {
    if (!kinds.includes(i.kind) || dayOf(i.issuedAt) !== day) continue;
    let p = byPoint.get(i.pointId);
    if (!p)
      byPoint.set(
        i.pointId,
        (p = { pointId: i.pointId, district: i.district, squadId: i.squadId, ...emptyScoreTally() }),
      );
    let d = byDistrict.get(i.district);
    if (!d) byDistrict.set(i.district, (d = { district: i.district, ...emptyScoreTally() }));
    let s = bySquad.get(i.squadId);
    if (!s) bySquad.set(i.squadId, (s = { squadId: i.squadId, district: i.district, ...emptyScoreTally() }));
    for (const t of [p, d, s, total]) tallyInspection(t, i, cases, now);
  }
  for (const m of [byPoint, byDistrict, bySquad]) for (const t of m.values()) scored(t);
  return {
    day,
    byPoint: byPoint as DailyScores['byPoint'],
    byDistrict: byDistrict as DailyScores['byDistrict'],
    bySquad: bySquad as DailyScores['bySquad'],
    total: scored(total),
  };
}

/** The calendar day before a 'YYYY-MM-DD' day. */
export function previousDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

export type RankFlag = 'red' | 'yellow';

/** One district of the 流动红旗 ranking. */
export interface RankingRow extends Score {
  district: string;
  /** 1 for the best; null for a district with nothing settled today (listed last). */
  rank: number | null;
  /** Today's score minus the previous day's; null when either is null. */
  change: number | null;
  flag: RankFlag | null;
}

/** The district ranking (流动红旗) of a day's scores, against the previous day's (see the file's comment). */
export function redFlagRanking(today: DailyScores, previous?: DailyScores): RankingRow[] {
  const rows = [...today.byDistrict.values()];
  rows.sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      b.settled - a.settled ||
      (a.district < b.district ? -1 : a.district > b.district ? 1 : 0),
  );
  const out: RankingRow[] = rows.map((d, i) => {
    const before = previous?.byDistrict.get(d.district)?.score ?? null;
    const change = d.score === null || before === null ? null : Math.round((d.score - before) * 10) / 10;
    return { ...d, rank: d.score === null ? null : i + 1, change, flag: null };
  });
  const ranked = out.filter((r) => r.rank !== null);
  const eligible = ranked.filter((r) => r.settled >= FLAG_MIN_SETTLED);
  // A flag goes to one district alone: none to a score another ranked district shares.
  const alone = (r: RankingRow) => !ranked.some((o) => o !== r && o.score === r.score);
  const best = eligible[0];
  const worst = eligible.at(-1);
  if (best && alone(best)) best.flag = 'red';
  if (worst && worst !== best && ranked.length >= 3 && worst.score! < best!.score! && alone(worst))
    worst.flag = 'yellow';
  return out;
}

/** Today's ranking and the figures behind it, from the world: what the wall's 流动红旗 panel shows. */
export function campaignRanking(input: Omit<DailyScoresInput, 'day'>): { today: DailyScores; rows: RankingRow[] } {
  const list = [...input.inspections];
  const today = dailyScores({ ...input, inspections: list });
  const previous = dailyScores({ ...input, inspections: list, day: previousDay(today.day) });
  return { today, rows: redFlagRanking(today, previous) };
}

// ————————————————————————————————— 环保督察 compliance —————————————————————————————————

/** What a construction site can be out of compliance for, by the GB/T 47678.5 事项 of 08 施工管理类. */
export const COMPLIANCE_CATEGORIES = {
  /** 08001 施工扰民 */
  noise: ['08001'],
  /** 08004 工地扬尘 */
  dust: ['08004'],
  /** 08007 施工工地围挡问题 */
  hoarding: ['08007'],
  /** 08011 渣土运输车辆未密闭 */
  soil_truck: ['08011'],
} as const satisfies Record<string, readonly string[]>;
export type ComplianceIssue = keyof typeof COMPLIANCE_CATEGORIES | 'other';
export const COMPLIANCE_ISSUES: readonly ComplianceIssue[] = ['noise', 'dust', 'hoarding', 'soil_truck', 'other'];

/** The issue a case's category stands for at a site; undefined for a category that is not about sites. */
export function complianceIssue(code: string): Exclude<ComplianceIssue, 'other'> | undefined {
  for (const [issue, codes] of Object.entries(COMPLIANCE_CATEGORIES))
    if ((codes as readonly string[]).includes(code)) return issue as Exclude<ComplianceIssue, 'other'>;
  return undefined;
}

/** Sensors and site cases within this many metres of a site are its own (a site with its hoarding and gate). */
export const SITE_RADIUS_M = 300;
/** The sensors that watch a site. */
export const SITE_SENSOR_KINDS: readonly SensorKind[] = ['dust', 'noise'];

/** A site's state, worst first: open problems or sensors in alarm; its round overdue; never checked; compliant. */
export type SiteState = 'non_compliant' | 'overdue' | 'unchecked' | 'compliant';
export const SITE_STATES: readonly SiteState[] = ['non_compliant', 'overdue', 'unchecked', 'compliant'];

export interface SiteCompliance {
  pointId: string;
  name?: string;
  district: string;
  position: LonLat;
  state: SiteState;
  /** The latest checked inspection of the site, if any. */
  lastCheck?: { status: 'passed' | 'problem'; checkedAt: number };
  /** Whether its latest inspection is open past its deadline. */
  overdue: boolean;
  /** Open cases at the site by issue: problems its inspections found and site cases reported within the radius. */
  open: Record<ComplianceIssue, number>;
  openTotal: number;
  /** Dust and noise sensors within the radius reading at alarm level, by id. */
  sensorsInAlarm: string[];
}

export interface SiteComplianceInput {
  /** The construction sites (a point set); sites met only in inspections are added from them. */
  sites?: readonly InspectionPoint[];
  inspections: Iterable<Inspection>;
  cases: ReadonlyMap<string, Case>;
  sensors: Iterable<Sensor>;
  now: number;
  radiusM?: number;
}

const emptyOpen = (): Record<ComplianceIssue, number> => ({ noise: 0, dust: 0, hoarding: 0, soil_truck: 0, other: 0 });

/**
 * Each construction site's compliance at `now`, out of compliance first (most open problems and alarms first), then
 * overdue, unchecked and compliant, by id within each. A site case (of `COMPLIANCE_CATEGORIES`) belongs to the nearest
 * site within the radius; a problem an inspection found belongs to its site wherever it was reported.
 */
export function siteCompliance({
  sites = [],
  inspections,
  cases,
  sensors,
  now,
  radiusM = SITE_RADIUS_M,
}: SiteComplianceInput): SiteCompliance[] {
  const out = new Map<string, SiteCompliance>();
  const latest = new Map<string, Inspection>();
  const lastChecked = new Map<string, Inspection>();
  const counted = new Set<string>();
  const add = (p: Pick<InspectionPoint, 'id' | 'district' | 'position'> & { name?: string }) => {
    if (!out.has(p.id))
      out.set(p.id, {
        pointId: p.id,
        ...(p.name !== undefined ? { name: p.name } : {}),
        district: p.district,
        position: p.position,
        state: 'compliant',
        overdue: false,
        open: emptyOpen(),
        openTotal: 0,
        sensorsInAlarm: [],
      });
    return out.get(p.id)!;
  };
  for (const p of sites) if (p.kind === 'construction_site') add(p);
  const openCase = (site: SiteCompliance, c: Case) => {
    if (counted.has(c.id) || !isCaseOpen(c)) return;
    counted.add(c.id);
    site.open[complianceIssue(c.category.code) ?? 'other']++;
    site.openTotal++;
  };
  for (const i of inspections) {
    if (i.kind !== 'construction_site') continue;
    const site = add({
      id: i.pointId,
      district: i.district,
      position: i.position,
      ...(i.name !== undefined ? { name: i.name } : {}),
    });
    if (site.name === undefined && i.name !== undefined) site.name = i.name;
    const had = latest.get(i.pointId);
    if (!had || i.issuedAt > had.issuedAt || (i.issuedAt === had.issuedAt && i.round > had.round))
      latest.set(i.pointId, i);
    if (i.status !== 'open') {
      const seen = lastChecked.get(i.pointId);
      if (!seen || (i.checkedAt ?? 0) > (seen.checkedAt ?? 0)) lastChecked.set(i.pointId, i);
      const c = i.caseId === undefined ? undefined : cases.get(i.caseId);
      if (i.status === 'problem' && c) openCase(site, c);
    }
  }
  const list = [...out.values()];
  // Sites in cells about a radius wide: a case or a sensor is measured only against the sites of its 3 × 3 cells.
  const maxLat = Math.max(0, ...list.map((x) => Math.abs(x.position[1])));
  const cellLat = radiusM / 111_000;
  const cellLon = cellLat / Math.max(0.01, Math.cos((Math.min(89, maxLat + 1) * Math.PI) / 180));
  const cells = new Map<string, SiteCompliance[]>();
  const cellOf = (p: LonLat): [number, number] => [Math.floor(p[0] / cellLon), Math.floor(p[1] / cellLat)];
  for (const x of list) {
    const [cx, cy] = cellOf(x.position);
    const key = `${cx}:${cy}`;
    const bucket = cells.get(key);
    if (bucket) bucket.push(x);
    else cells.set(key, [x]);
  }
  const around = (p: LonLat): SiteCompliance[] => {
    const [cx, cy] = cellOf(p);
    const found: SiteCompliance[] = [];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) for (const x of cells.get(`${cx + dx}:${cy + dy}`) ?? []) found.push(x);
    return found;
  };
  const nearest = (at: LonLat): SiteCompliance | undefined => {
    let best: SiteCompliance | undefined;
    let bestM = radiusM;
    for (const x of around(at)) {
      const m = haversineM(x.position, at);
      if (m < bestM || (m === bestM && best !== undefined && x.pointId < best.pointId) || (m <= bestM && !best))
        [best, bestM] = [x, m];
    }
    return best;
  };
  if (list.length > 0) {
    for (const c of cases.values()) {
      if (!isCaseOpen(c) || counted.has(c.id) || complianceIssue(c.category.code) === undefined) continue;
      const site = nearest(c.position);
      if (site) openCase(site, c);
    }
    for (const sensor of sensors) {
      if (!SITE_SENSOR_KINDS.includes(sensor.kind) || sensor.level !== 'alarm') continue;
      for (const site of around(sensor.position))
        if (haversineM(site.position, sensor.position) <= radiusM) site.sensorsInAlarm.push(sensor.id);
    }
  }
  for (const site of list) {
    const last = lastChecked.get(site.pointId);
    if (last)
      site.lastCheck = { status: last.status as 'passed' | 'problem', checkedAt: last.checkedAt ?? last.issuedAt };
    const top = latest.get(site.pointId);
    site.overdue = top !== undefined && inspectionOverdue(top, now);
    site.sensorsInAlarm.sort();
    site.state =
      site.openTotal > 0 || site.sensorsInAlarm.length > 0
        ? 'non_compliant'
        : site.overdue
          ? 'overdue'
          : last
            ? 'compliant'
            : 'unchecked';
  }
  const weight = (s: SiteCompliance) => s.openTotal + s.sensorsInAlarm.length;
  return list.sort(
    (a, b) =>
      SITE_STATES.indexOf(a.state) - SITE_STATES.indexOf(b.state) ||
      weight(b) - weight(a) ||
      (a.pointId < b.pointId ? -1 : a.pointId > b.pointId ? 1 : 0),
  );
}

/** How many sites are in each state, and their open problems by issue: the panel's head. */
export function complianceCounts(
  sites: readonly SiteCompliance[],
): Record<SiteState, number> & { sites: number; open: Record<ComplianceIssue, number>; alarms: number } {
  const counts = {
    sites: sites.length,
    non_compliant: 0,
    overdue: 0,
    unchecked: 0,
    compliant: 0,
    open: emptyOpen(),
    alarms: 0,
  };
  for (const s of sites) {
    counts[s.state]++;
    for (const k of COMPLIANCE_ISSUES) counts.open[k] += s.open[k];
    counts.alarms += s.sensorsInAlarm.length;
  }
  return counts;
}

/** The categories of dust and noise complaints: 施工扰民, 工地扬尘, and 06028 噪声扰民 of 市容环境. */
export const COMPLAINT_HEAT_CATEGORIES: readonly string[] = ['08001', '08004', '06028'];

/**
 * The heat of dust and noise complaints: the cases of those categories reported since `since`, for the existing
 * heat layer factory (`display/src/map/layers/heat.ts`, weighted there by urgency). Keeps the input's order.
 */
export function complaintHeat(cases: Iterable<Case>, since: number): Case[] {
  const out: Case[] = [];
  for (const c of cases) if (c.reportedAt >= since && COMPLAINT_HEAT_CATEGORIES.includes(c.category.code)) out.push(c);
  return out;
}
