import type { Case, CaseStatus } from './entities.ts';
import type { LogEvent } from './events.ts';
import { SequenceGapError } from './state.ts';
import { HELD_CASE_STATUSES, loggedCaseAction } from './workflow.ts';

/**
 * The 一张表: case-loop KPIs folded from the log, for the city and sliced by district, squad, category code and
 * source, per day and over everything. Live and replay fold the same events through `applyKpiEvent`, and the
 * figures depend on nothing but those events and `now`, so the two cannot disagree.
 *
 * Definitions (domain.md, "KPIs"). A table describes one cohort of cases, as they stand at `now`:
 * - the day's table: the cases first filed (立案) that day, a day running midnight to midnight in the city's time
 *   zone (its configured `timezone`, as the wall's clock shows it; Asia/Shanghai by default); 上报数 alone counts the
 *   cases *reported* that day;
 * - the `all` table: every case in the log.
 * Counting a cohort rather than the events of the day keeps the figures adding up:
 *   立案数 = 结案数 + 按时待处置数 + 超期未处置数, and 应结案数 = 立案数 − 按时待处置数 = 结案数 + 超期未处置数,
 * so every rate lies in [0, 1], and a day's rates keep improving as its cases close on later days.
 * - 上报数 `reported`: cases reported (all of them, whether later filed or rejected).
 * - 立案数 `filed`; 派遣数 `dispatched`: filed cases dispatched at least once; 处置中 `inProgress`: cases a squad holds
 *   now (dispatched or in progress); 挂账数 `parked`.
 * - 结案数 `closed`; 按期结案数 `closedOnTime`: closed at or before the deadline in force when they closed.
 * - 按时待处置数 `onTimeOpen`: open cases not overdue at `now` — parked cases included, since parking stops the
 *   clock (see `isCaseOverdue`); 超期未处置数 `overdueOpen`: open, not parked, past the deadline at `now`.
 * - 结案率 = 结案数 / 应结案数; 按期结案率 = 按期结案数 / 应结案数.
 * - 返工率 = 返工数 / 立案数, where 返工数 counts cases reworked at least once (so the rate stays within [0, 1]).
 * - 准确派遣率 = cases whose first dispatch was not returned / cases dispatched at least once (right squad first time).
 * - 平均处置时长 `avgHandlingMs`: over cases currently handled, verifying or closed, the mean of (latest 处理反馈 −
 *   first 派遣): the squads' part of the loop, from the dispatcher's decision to the report of the work done, rework
 *   cycles included (a case sent back is not done). Filing-to-dispatch is the dispatchers' time and is left out.
 * - 督办数 `supervised`: cases under supervision; 督办未处理数 `supervisedOpen`: of those, not yet reported handled.
 * - 跨区派遣率 `crossDistrictRate` = 跨区派遣数 / 派遣任务数: of the tasks created (派遣) that day — a cohort of tasks by
 *   the day they were created, not of cases —, those given to a unit of another district than the case's (属地管理;
 *   the unit's district as last registered). A task whose unit the fold has not seen registered is left out of both.
 * - `score`, the league-table score: 按期结案率×50 + 结案率×30 + (1 − 返工率)×10 + (10 − 0.5×督办数 − 督办未处理数),
 *   the last term floored at 0 (its 10 points are a budget of deductions, 扣完为止); 0–100.
 * Every ratio with a zero denominator is null (shown as "—"), never NaN.
 *
 * Slices: a case counts for its district, category code and source, and for the squad holding it — the squad of
 * its latest dispatch (still after a rework, until dispatched again; not after a return: it left that squad).
 * 准确派遣率 is sliced by the squad of the *first* dispatch, whose return is what it measures.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The time zone of the KPI days when none is passed in (Xiamen's, the first city's). */
export const DEFAULT_KPI_TIME_ZONE = 'Asia/Shanghai';

/** Per time zone: its day formatter, and the day of the last quarter hour asked for. */
const dayFormats = new Map<string, { format: Intl.DateTimeFormat; quarter: number; day: string }>();
const QUARTER_MS = 15 * 60_000;

/**
 * The calendar day ('YYYY-MM-DD') of a world time in an IANA time zone (`Asia/Shanghai`, `UTC`), daylight saving
 * included; an unknown zone throws a RangeError. Every zone's midnight falls on a quarter hour, so the day of the
 * last quarter hour asked for is kept: a fold asks for the same one again and again.
 */
export function kpiDay(t: number, timeZone = DEFAULT_KPI_TIME_ZONE): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, (f = { format, quarter: NaN, day: '' }));
  }
  const quarter = Math.floor(t / QUARTER_MS);
  if (quarter !== f.quarter) {
    const parts = f.format.formatToParts(t);
    const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
    f.quarter = quarter;
    f.day = `${get('year')}-${get('month')}-${get('day')}`;
  }
  return f.day;
}

/** The calendar day before `day` ('YYYY-MM-DD'). */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/**
 * Time-independent counts of one cohort slice, as a fixed-length array indexed by `N` (plain arrays, because the
 * fold adds these up millions of times and indexed adds stay fast where keyed ones do not); overdue-ness is worked
 * out at `now`.
 */
const N = {
  reported: 0,
  filed: 1,
  dispatched: 2,
  inProgress: 3,
  parked: 4,
  /** Open and not parked: filed, dispatched, in progress, handled or verifying. */
  open: 5,
  closed: 6,
  closedOnTime: 7,
  reworked: 8,
  returned: 9,
  supervised: 10,
  supervisedOpen: 11,
  firstDispatched: 12,
  accurateDispatched: 13,
  handled: 14,
  handlingMsSum: 15,
  /** Tasks created that day (by the task's day, not the case's filing day), and those to another district's unit. */
  tasks: 16,
  crossDistrictTasks: 17,
} as const;
const COUNT_LENGTH = 18;
/** How many counts a slice keeps: a fold stored with fewer (an older snapshot) is padded with zeros to this. */
export const KPI_COUNT_LENGTH = COUNT_LENGTH;
export type KpiCounts = number[];
type Counts = KpiCounts;
type CountName = keyof typeof N;

function zeroCounts(): Counts {
  return new Array<number>(COUNT_LENGTH).fill(0);
}

/** What the accumulator remembers of one case: enough to recount it when it changes. An internal detail. */
export interface KpiCaseRecord {
  district: string;
  category: string;
  source: string;
  /** The city, district, category and source slice keys of the case (kept, as they rarely change). */
  slices: string[];
  reportDay: string;
  status: CaseStatus;
  fileDay?: string;
  deadline?: number;
  /** Squad of the latest dispatch; cleared by a return. */
  squad?: string;
  /** Squad of the first dispatch. */
  firstSquad?: string;
  /** A task created before its dispatch event: the squad the next dispatch goes to. */
  pendingSquad?: string;
  dispatches: number;
  firstReturned: boolean;
  returned: boolean;
  reworked: boolean;
  supervised: boolean;
  firstDispatchAt?: number;
  handledAt?: number;
  closedOnTime?: boolean;
}

/**
 * The running fold of the log. Mutated in place by `applyKpiEvent`, like the world reducer (see WorldState); read it
 * through `kpiTable`/`kpiFigures`, its fields are not a contract. About 200 bytes per case seen.
 */
export interface KpiAccumulator {
  /** Last log seq folded in. */
  seq: number;
  /** IANA time zone of the calendar days (the city's). */
  timeZone: string;
  cases: Map<string, KpiCaseRecord>;
  /** Period ('all' or a day) → slice key → counts. */
  periods: Map<string, Map<string, Counts>>;
  /** Filed, open, unparked cases with a deadline: the only ones whose overdue-ness changes with `now`. */
  openWithDeadline: Map<string, KpiCaseRecord>;
  /** Unit → its district as last registered, for 跨区派遣率. */
  unitDistricts: Map<string, string>;
}

export interface KpiAccumulatorOptions {
  /** IANA time zone of the city's calendar days (config `city.timezone`); default Asia/Shanghai. */
  timeZone?: string;
  /** Log seq the fold starts after (0: the start of the log). */
  seq?: number;
}

export function createKpiAccumulator(opts: KpiAccumulatorOptions = {}): KpiAccumulator {
  const timeZone = opts.timeZone ?? DEFAULT_KPI_TIME_ZONE;
  kpiDay(0, timeZone); // an unknown zone fails here, where the fold is set up, not at the first case
  return {
    seq: opts.seq ?? 0,
    timeZone,
    cases: new Map(),
    periods: new Map(),
    openWithDeadline: new Map(),
    unitDistricts: new Map(),
  };
}

const OPEN_UNPARKED: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  'filed',
  'dispatched',
  'in_progress',
  'handled',
  'verifying',
]);
const DONE: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['handled', 'verifying', 'closed']);

const CITY = 'city';
function baseSlices(district: string, category: string, source: string): string[] {
  return [CITY, `district:${district}`, `category:${category}`, `source:${source}`];
}
function withSquad(r: KpiCaseRecord, squad: string | undefined): string[] {
  return squad === undefined ? r.slices : [...r.slices, `squad:${squad}`];
}

/** What one case adds to some slices of one period. */
interface Contribution {
  day: string;
  slices: string[];
  counts: Counts;
}
/** A case's contributions: as reported, as filed, and by its first dispatch. */
type Contributions = [Contribution, Contribution | undefined, Contribution | undefined];

function counts(values: Partial<Record<CountName, number>>): Counts {
  const c = zeroCounts();
  for (const k in values) c[N[k as CountName]] = values[k as CountName]!;
  return c;
}

/** Everything one case adds to the tables, given what is known of it now. */
function contributions(r: KpiCaseRecord): Contributions {
  const out: Contributions = [
    { day: r.reportDay, slices: r.slices, counts: counts({ reported: 1 }) },
    undefined,
    undefined,
  ];
  if (r.fileDay === undefined) return out;
  const done = DONE.has(r.status) && r.firstDispatchAt !== undefined && r.handledAt !== undefined;
  out[1] = {
    day: r.fileDay,
    slices: withSquad(r, r.squad),
    counts: counts({
      filed: 1,
      dispatched: r.dispatches > 0 ? 1 : 0,
      inProgress: HELD_CASE_STATUSES.has(r.status) ? 1 : 0,
      parked: r.status === 'parked' ? 1 : 0,
      open: OPEN_UNPARKED.has(r.status) ? 1 : 0,
      closed: r.status === 'closed' ? 1 : 0,
      closedOnTime: r.status === 'closed' && r.closedOnTime ? 1 : 0,
      reworked: r.reworked ? 1 : 0,
      returned: r.returned ? 1 : 0,
      supervised: r.supervised ? 1 : 0,
      supervisedOpen: r.supervised && !DONE.has(r.status) && r.status !== 'rejected' ? 1 : 0,
      handled: done ? 1 : 0,
      handlingMsSum: done ? r.handledAt! - r.firstDispatchAt! : 0,
    }),
  };
  if (r.dispatches > 0) {
    out[2] = {
      day: r.fileDay,
      slices: withSquad(r, r.firstSquad),
      counts: counts({ firstDispatched: 1, accurateDispatched: r.firstReturned ? 0 : 1 }),
    };
  }
  return out;
}

function add(acc: KpiAccumulator, { day, slices, counts }: Contribution, sign: 1 | -1): void {
  for (const period of ['all', day]) {
    let table = acc.periods.get(period);
    if (!table) acc.periods.set(period, (table = new Map()));
    for (const slice of slices) {
      let c = table.get(slice);
      if (!c) table.set(slice, (c = zeroCounts()));
      for (let k = 0; k < COUNT_LENGTH; k++) c[k]! += sign * counts[k]!;
    }
  }
}

const sameSlices = (a: readonly string[], b: readonly string[]) =>
  a === b || (a.length === b.length && a.every((s, i) => s === b[i]));

/**
 * Moves a case's counts from what it was to what it is. Most events change a status flag or two and no slice, so
 * where a contribution stays in the same slices only the difference is added.
 */
function recount(acc: KpiAccumulator, before: Contributions | undefined, after: Contributions): void {
  for (let i = 0; i < 3; i++) {
    const a = before?.[i];
    const b = after[i];
    if (a && b && a.day === b.day && sameSlices(a.slices, b.slices)) {
      let changed = false;
      for (let k = 0; k < COUNT_LENGTH; k++) {
        b.counts[k]! -= a.counts[k]!; // b is not used again: reuse it for the difference
        if (b.counts[k] !== 0) changed = true;
      }
      if (changed) add(acc, b, 1);
    } else {
      if (a) add(acc, a, -1);
      if (b) add(acc, b, 1);
    }
  }
}

function newRecord(c: Case, timeZone: string): KpiCaseRecord {
  return {
    district: c.district,
    category: c.category.code,
    source: c.source,
    slices: baseSlices(c.district, c.category.code, c.source),
    reportDay: kpiDay(c.reportedAt, timeZone),
    status: c.status,
    dispatches: 0,
    firstReturned: false,
    returned: false,
    reworked: false,
    supervised: false,
  };
}

/** Folds one case-bearing event into its record (which the caller has already un-counted). */
function updateRecord(acc: KpiAccumulator, r: KpiCaseRecord, c: Case, e: LogEvent): void {
  if (r.district !== c.district || r.category !== c.category.code || r.source !== c.source) {
    r.district = c.district;
    r.category = c.category.code;
    r.source = c.source;
    r.slices = baseSlices(r.district, r.category, r.source);
  }
  r.status = c.status;
  r.deadline = c.deadline;
  // The flag, not the event type, so any event carrying the case counts a supervision exactly once.
  r.supervised = c.supervised;

  const filedNow = c.status !== 'reported' && c.status !== 'accepted' && c.status !== 'rejected';
  if (r.fileDay === undefined && filedNow) r.fileDay = kpiDay(c.filedAt ?? e.at, acc.timeZone);

  if (e.type === 'case.transitioned') {
    switch (loggedCaseAction(e.from, e.to)) {
      case 'dispatch':
        r.dispatches += 1;
        r.squad = c.squadId ?? r.pendingSquad;
        delete r.pendingSquad;
        if (r.dispatches === 1) {
          r.firstDispatchAt = c.dispatchedAt ?? e.at;
          r.firstSquad = r.squad;
        }
        break;
      case 'return':
        r.returned = true;
        if (r.dispatches === 1) r.firstReturned = true;
        delete r.squad;
        break;
      case 'rework':
        r.reworked = true;
        break;
      case 'handle':
        r.handledAt = c.handledAt ?? e.at;
        break;
      case 'close': {
        const closedAt = c.closedAt ?? e.at;
        r.closedOnTime = c.deadline === undefined || closedAt <= c.deadline;
        break;
      }
      default:
        break;
    }
  }
  if (c.squadId !== undefined && HELD_CASE_STATUSES.has(c.status)) r.squad = c.squadId;
}

/** The squad named by a task: it holds the case now, or will at the case's next dispatch. */
function recordTask(r: KpiCaseRecord, squadId: string): void {
  if (HELD_CASE_STATUSES.has(r.status)) {
    r.squad = squadId;
    if (r.dispatches === 1 && r.firstSquad === undefined) r.firstSquad = squadId;
  } else {
    r.pendingSquad = squadId;
  }
}

/**
 * Folds one log event into the KPIs, in place, and returns the accumulator. Like `applyEvent`: an event at or
 * below the accumulator's seq is ignored (a resent event counts once); one beyond seq + 1 throws
 * `SequenceGapError`. Events that do not concern cases only advance the seq.
 */
export function applyKpiEvent(acc: KpiAccumulator, e: LogEvent): KpiAccumulator {
  if (e.seq <= acc.seq) return acc;
  if (e.seq !== acc.seq + 1) throw new SequenceGapError(acc.seq + 1, e.seq);
  acc.seq = e.seq;

  let id: string;
  let change: (r: KpiCaseRecord) => void;
  if (e.type === 'case.reported' || e.type === 'case.transitioned' || e.type === 'case.amended') {
    id = e.case.id;
    change = (r) => updateRecord(acc, r, e.case, e);
  } else if (e.type === 'task.created') {
    id = e.task.caseId;
    change = (r) => recordTask(r, e.task.squadId);
    countTask(acc, e.task.caseId, e.task.unitId, e.task.squadId, e.task.createdAt);
  } else {
    if (e.type === 'unit.registered' || e.type === 'unit.status_changed')
      acc.unitDistricts.set(e.unit.id, e.unit.district);
    return acc;
  }

  let r = acc.cases.get(id);
  let before: Contributions | undefined; // what the case counted for so far; nothing if it is new
  if (r) before = contributions(r);
  else {
    if (e.type === 'task.created') return acc; // a task for a case this fold never saw: nothing to attribute
    acc.cases.set(id, (r = newRecord(e.case, acc.timeZone)));
  }
  change(r);
  recount(acc, before, contributions(r));

  if (r.fileDay !== undefined && OPEN_UNPARKED.has(r.status) && r.deadline !== undefined)
    acc.openWithDeadline.set(id, r);
  else acc.openWithDeadline.delete(id);
  return acc;
}

/** 跨区派遣率: one task more for its day, in the case's slices and its squad's, crossing districts or not. */
function countTask(acc: KpiAccumulator, caseId: string, unitId: string, squadId: string, at: number): void {
  const r = acc.cases.get(caseId);
  const unitDistrict = acc.unitDistricts.get(unitId);
  if (!r || unitDistrict === undefined) return;
  const cross = unitDistrict !== r.district ? 1 : 0;
  add(
    acc,
    {
      day: kpiDay(at, acc.timeZone),
      slices: withSquad(r, squadId),
      counts: counts({ tasks: 1, crossDistrictTasks: cross }),
    },
    1,
  );
}

export function applyKpiEvents(acc: KpiAccumulator, events: readonly LogEvent[]): KpiAccumulator {
  for (const e of events) applyKpiEvent(acc, e);
  return acc;
}

/** The KPI figures of one slice of one cohort at one moment. Ratios are fractions in [0, 1]; null when undefined. */
export interface KpiFigures {
  /** 上报数 */ reported: number;
  /** 立案数 */ filed: number;
  /** 派遣数: cases dispatched at least once */ dispatched: number;
  /** 处置中: held by a squad now */ inProgress: number;
  /** 挂账数 */ parked: number;
  /** 结案数 */ closed: number;
  /** 按期结案数 */ closedOnTime: number;
  /** 按时待处置数 (parked included) */ onTimeOpen: number;
  /** 超期未处置数 */ overdueOpen: number;
  /** 应结案数 = 立案数 − 按时待处置数 */ due: number;
  /** 返工数: cases reworked at least once */ reworked: number;
  /** 退回数: cases returned at least once */ returned: number;
  /** 督办数 */ supervised: number;
  /** 督办未处理数 */ supervisedOpen: number;
  /** 结案率 */ closureRate: number | null;
  /** 按期结案率 */ onTimeClosureRate: number | null;
  /** 返工率 */ reworkRate: number | null;
  /** 准确派遣率 */ accurateDispatchRate: number | null;
  /** 平均处置时长, ms */ avgHandlingMs: number | null;
  /** League-table score, 0–100 */ score: number | null;
  /** 派遣任务数: tasks created that day */ tasks: number;
  /** 跨区派遣数: of those, to a unit of another district than the case's */ crossDistrictTasks: number;
  /** 跨区派遣率 */ crossDistrictRate: number | null;
}

/** A cohort's figures for the city and by slice. A slice appears while it has a case. */
export interface KpiTable {
  /** 'all', or the day ('YYYY-MM-DD') whose filings form the cohort. */
  period: string;
  city: KpiFigures;
  byDistrict: Record<string, KpiFigures>;
  bySquad: Record<string, KpiFigures>;
  byCategory: Record<string, KpiFigures>;
  bySource: Record<string, KpiFigures>;
}

/** What the wall shows: today beside yesterday, and everything in the log. */
export interface KpiReport {
  at: number;
  today: KpiTable;
  yesterday: KpiTable;
  all: KpiTable;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

function figures(c: Counts, overdueOpen: number): KpiFigures {
  const n = (name: CountName) => c[N[name]]!;
  const filed = n('filed');
  const onTimeOpen = n('open') - overdueOpen + n('parked');
  const due = filed - onTimeOpen;
  const closureRate = ratio(n('closed'), due);
  const onTimeClosureRate = ratio(n('closedOnTime'), due);
  const reworkRate = ratio(n('reworked'), filed);
  const score =
    closureRate === null || onTimeClosureRate === null || reworkRate === null
      ? null
      : onTimeClosureRate * 50 +
        closureRate * 30 +
        (1 - reworkRate) * 10 +
        Math.max(0, 10 - 0.5 * n('supervised') - n('supervisedOpen'));
  return {
    reported: n('reported'),
    filed,
    dispatched: n('dispatched'),
    inProgress: n('inProgress'),
    parked: n('parked'),
    closed: n('closed'),
    closedOnTime: n('closedOnTime'),
    onTimeOpen,
    overdueOpen,
    due,
    reworked: n('reworked'),
    returned: n('returned'),
    supervised: n('supervised'),
    supervisedOpen: n('supervisedOpen'),
    closureRate,
    onTimeClosureRate,
    reworkRate,
    accurateDispatchRate: ratio(n('accurateDispatched'), n('firstDispatched')),
    avgHandlingMs: ratio(n('handlingMsSum'), n('handled')),
    score,
    tasks: n('tasks'),
    crossDistrictTasks: n('crossDistrictTasks'),
    crossDistrictRate: ratio(n('crossDistrictTasks'), n('tasks')),
  };
}

/** The table of one period ('all' or a day) at `now`. */
export function kpiTable(acc: KpiAccumulator, period: string, now: number): KpiTable {
  const overdue = new Map<string, number>();
  for (const r of acc.openWithDeadline.values()) {
    if (!(now > r.deadline!) || (period !== 'all' && period !== r.fileDay)) continue;
    for (const s of withSquad(r, r.squad)) {
      overdue.set(s, (overdue.get(s) ?? 0) + 1);
    }
  }
  // Prototype-less maps: a slice named `__proto__` (any id upstream sends) is a row like the others, not a setter.
  const rows = (): Record<string, KpiFigures> => Object.create(null) as Record<string, KpiFigures>;
  const table: KpiTable = {
    period,
    city: figures(zeroCounts(), 0),
    byDistrict: rows(),
    bySquad: rows(),
    byCategory: rows(),
    bySource: rows(),
  };
  const groups = {
    district: table.byDistrict,
    squad: table.bySquad,
    category: table.byCategory,
    source: table.bySource,
  };
  for (const [slice, counts] of acc.periods.get(period) ?? []) {
    // Every case counts in at least one of these; a slice whose cases all moved elsewhere is left out.
    if (
      counts[N.reported] === 0 &&
      counts[N.filed] === 0 &&
      counts[N.firstDispatched] === 0 &&
      counts[N.tasks] === 0 &&
      slice !== CITY
    )
      continue;
    const f = figures(counts, overdue.get(slice) ?? 0);
    if (slice === CITY) {
      table.city = f;
      continue;
    }
    const colon = slice.indexOf(':');
    groups[slice.slice(0, colon) as keyof typeof groups][slice.slice(colon + 1)] = f;
  }
  return table;
}

/** Today's and yesterday's cohorts (in the accumulator's time zone) and the whole log, at `now`. */
export function kpiFigures(acc: KpiAccumulator, now: number): KpiReport {
  const today = kpiDay(now, acc.timeZone);
  return {
    at: now,
    today: kpiTable(acc, today, now),
    yesterday: kpiTable(acc, dayBefore(today), now),
    all: kpiTable(acc, 'all', now),
  };
}
