import type { Case } from './entities.ts';
import { DEFAULT_KPI_TIME_ZONE, kpiDay } from './kpi.ts';
import { inspectionOverdue, type Inspection, type PointKind } from './plans.ts';
import { isCaseOpen } from './workflow.ts';

/**
 * Campaign scores (issue #17): the 文明创建 daily score of each assessment point, district and squad with the district
 * ranking (流动红旗 / 黄旗). Pure: the world's inspections and cases and `now` are passed in; the wall, the console and
 * the after-action summary read the same figures. The 环保督察 site compliance is in campaign-compliance.ts.
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

/** One squad of the day's 文明创建 scores, as the wall lists them. */
export interface SquadScoreRow extends Score {
  squadId: string;
  district: string;
  /** 1 for the best; null for a squad with nothing settled today (listed last). */
  rank: number | null;
}

/**
 * The squads by today's 文明创建 score (the issue's "daily score per … squad"), best first — ties: more settled
 * inspections, then the squad id; squads with nothing settled yet last, unranked. No flags: the 流动红旗 is the
 * districts' (`redFlagRanking`).
 */
export function squadScoreRows(today: DailyScores): SquadScoreRow[] {
  const rows = [...today.bySquad.values()].sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      b.settled - a.settled ||
      (a.squadId < b.squadId ? -1 : a.squadId > b.squadId ? 1 : 0),
  );
  return rows.map((s, i) => ({ ...s, rank: s.score === null ? null : i + 1 }));
}
