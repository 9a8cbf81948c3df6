import {
  dailyScores,
  previousDay,
  redFlagRanking,
  squadScoreRows,
  type RankingRow,
  type ScoredCase,
  type SquadScoreRow,
} from './campaign-scores.ts';
import type { Actor } from './entities.ts';
import type { LogEvent } from './events.ts';
import { DEFAULT_KPI_TIME_ZONE, kpiDay } from './kpi.ts';
import {
  countInspection,
  countPreposition,
  emptyInspectionTally,
  emptyPrepositionTally,
  type InspectionTally,
  type PrepositionTally,
} from './plan-progress.ts';
import {
  actionsAt,
  levelRank,
  type Inspection,
  type PlanActionKind,
  type PlanDef,
  type PlanLevel,
  type PrepositionOrder,
} from './plans.ts';

/**
 * The after-action report of plans (issue #17): over a window of the log, what the command manual's plans ordered
 * (activations, level changes, ends, with the actions each level ordered), and how the orders were carried out —
 * what was done by when, what was late — by action, district and squad. Part of the replay summary
 * (`ReplaySummary.plans`), in its CSV and on its printable page.
 *
 * The cohort, as the summary's cases are the cases reported in the window: the inspections issued and the
 * pre-position orders given in the window, as they stand at its end (checks and arrivals after it are not seen).
 * Done, pending and overdue are plan-progress's definitions (`countInspection`, `countPreposition`): the wall's plan
 * panel and the report never disagree on what counts as done or late. On top, **done late**: an inspection checked
 * after its deadline, a unit in place after its order's. Pure: feed the window's events in seq order.
 */

/** What was done, by when: one action's, district's or squad's inspections or pre-position orders. */
export interface ExecutionTally {
  total: number;
  /** Checked / arrived. */
  done: number;
  /** Of `done`: after the deadline. */
  doneLate: number;
  /** Open, deadline not passed at the window's end (on the way, for orders). */
  pending: number;
  /** Open past the deadline at the window's end (not arrived past it, for orders). */
  overdue: number;
  /** Of `done`: checks that found a problem (0 for orders). */
  problems: number;
  /** Orders released before their unit arrived (0 for inspections). */
  released: number;
}

/** One change of a plan in the window: what was ordered and when. */
export interface PlanOrderRecord {
  at: number;
  change: 'activated' | 'level_changed' | 'ended';
  level: PlanLevel;
  /** The level before a level change. */
  fromLevel?: PlanLevel;
  actor: Actor;
  reason?: string;
  /** The actions the level ordered (its own and every lower level's), by id; empty for an end or an unknown plan. */
  actions: string[];
}

export interface ActionExecution extends ExecutionTally {
  actionId: string;
  /** 'round' or 'preposition'; from the manual when known, else from what the log carries. */
  kind: Extract<PlanActionKind, 'round' | 'preposition'>;
  /** The action's name in the manual (absent when the plan is not in the config given), and in English when it gives one. */
  name?: string;
  nameEn?: string;
  /** First issue / order in the window, and the latest deadline. */
  firstAt: number;
  lastDue: number;
  byDistrict: Array<ExecutionTally & { district: string }>;
  /** Squads with the most late (overdue plus done late) first. */
  bySquad: Array<ExecutionTally & { squadId: string; district: string }>;
}

/** One late inspection or order: open past its deadline at the window's end, or done after it. */
export interface LateItem {
  kind: 'inspection' | 'preposition';
  id: string;
  actionId: string;
  pointId: string;
  district: string;
  squadId: string;
  unitId?: string;
  due: number;
  /** When it was done (checked, arrived); absent while still open. */
  doneAt?: number;
  /** How late: done − due, or the window's end − due while open. */
  lateMs: number;
}

export interface PlanExecution {
  planId: string;
  name?: string;
  nameEn?: string;
  orders: PlanOrderRecord[];
  actions: ActionExecution[];
  inspections: ExecutionTally;
  prepositions: ExecutionTally;
  /** 督办 raised in the window, oldest first. */
  supervisions: Array<{ at: number; actionId: string; squadId: string; actor: Actor; note?: string }>;
  /** The late items (at most `LATE_LIST_MAX`), latest first. */
  late: LateItem[];
}

/** The manual's names of a plan or action, English too when it gives one; none when the config does not know it. */
function namesIn(named: { name: string; nameEn?: string | undefined } | undefined): { name?: string; nameEn?: string } {
  if (!named) return {};
  return named.nameEn ? { name: named.name, nameEn: named.nameEn } : { name: named.name };
}

/** The most late items a plan's report lists (the tallies count them all). */
export const LATE_LIST_MAX = 200;

export const emptyExecutionTally = (): ExecutionTally => ({
  total: 0,
  done: 0,
  doneLate: 0,
  pending: 0,
  overdue: 0,
  problems: 0,
  released: 0,
});

const fromInspections = (t: InspectionTally, doneLate: number): ExecutionTally => ({
  total: t.total,
  done: t.done,
  doneLate,
  pending: t.due,
  overdue: t.overdue,
  problems: t.problems,
  released: 0,
});
const fromPrepositions = (t: PrepositionTally): ExecutionTally => ({
  total: t.total,
  done: t.arrived,
  doneLate: t.arrivedLate,
  pending: t.onTheWay,
  overdue: t.late,
  problems: 0,
  released: t.released,
});

/** An inspection checked after its deadline. */
export const inspectionDoneLate = (i: Inspection): boolean =>
  i.status !== 'open' && i.checkedAt !== undefined && i.checkedAt > i.due;

function inspectionTally(list: readonly Inspection[], to: number): ExecutionTally {
  const t = emptyInspectionTally();
  for (const i of list) countInspection(t, i, to);
  return fromInspections(t, list.filter(inspectionDoneLate).length);
}
function prepositionTally(list: readonly PrepositionOrder[], to: number): ExecutionTally {
  const t = emptyPrepositionTally();
  for (const o of list) countPreposition(t, o, to);
  return fromPrepositions(t);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const lateOf = (t: ExecutionTally) => t.overdue + t.doneLate;

/** Folds a window's events into each plan's execution (see the file's comment). */
export class PlanReportFold {
  private readonly orders = new Map<string, PlanOrderRecord[]>();
  private readonly levels = new Map<string, PlanLevel>();
  private readonly inspections = new Map<string, Inspection>();
  private readonly prepositions = new Map<string, PrepositionOrder>();
  private readonly supervisions = new Map<string, PlanExecution['supervisions']>();

  /** `defs`: the manual's plans, for the names of plans and actions and what each level ordered. */
  constructor(private readonly defs: readonly PlanDef[] = []) {}

  /** The plan's level before the window, when its state there is known (a hub's seek); improves `fromLevel`. */
  seed(planId: string, level: PlanLevel): void {
    this.levels.set(planId, level);
  }

  add(e: LogEvent): void {
    switch (e.type) {
      case 'plan.changed': {
        const p = e.plan;
        const def = this.defs.find((d) => d.id === p.planId);
        const before = this.levels.get(p.planId);
        const list = this.orders.get(p.planId) ?? [];
        list.push({
          at: e.at,
          change: e.change,
          level: p.level,
          ...(e.change === 'level_changed' && before !== undefined ? { fromLevel: before } : {}),
          actor: e.actor,
          ...(p.reason !== undefined ? { reason: p.reason } : {}),
          actions: e.change === 'ended' || !def ? [] : actionsAt(def, p.level).map((a) => a.id),
        });
        this.orders.set(p.planId, list);
        this.levels.set(p.planId, p.level);
        break;
      }
      case 'inspections.issued':
        for (const i of e.inspections) this.inspections.set(i.id, i);
        break;
      case 'inspection.checked':
        // Only the cohort's: an inspection issued before the window is not the window's to report.
        if (this.inspections.has(e.inspection.id)) this.inspections.set(e.inspection.id, e.inspection);
        break;
      case 'prepositions.changed':
        for (const o of e.orders)
          if (e.change === 'ordered' || this.prepositions.has(o.id)) this.prepositions.set(o.id, o);
        break;
      case 'plan.supervised': {
        const s = e.supervision;
        const list = this.supervisions.get(s.planId) ?? [];
        list.push({
          at: s.at,
          actionId: s.actionId,
          squadId: s.squadId,
          actor: s.actor,
          ...(s.note !== undefined ? { note: s.note } : {}),
        });
        this.supervisions.set(s.planId, list);
        break;
      }
      default:
        break;
    }
  }

  /** The 文明创建 ranking of each day of the window's assessment inspections (`campaignDays`). */
  campaignDays(to: number, cases: ReadonlyMap<string, ScoredCase>, timeZone?: string): CampaignDay[] {
    return campaignDays(this.inspections.values(), cases, to, timeZone);
  }

  /** Each plan seen in the window (changed, or with inspections, orders or 督办 of the window), by id. */
  result(to: number): PlanExecution[] {
    const plans = new Set<string>([
      ...this.orders.keys(),
      ...this.supervisions.keys(),
      ...[...this.inspections.values()].map((i) => i.planId),
      ...[...this.prepositions.values()].map((o) => o.planId),
    ]);
    return [...plans].sort().map((planId) => this.plan(planId, to));
  }

  private plan(planId: string, to: number): PlanExecution {
    const def = this.defs.find((d) => d.id === planId);
    const top = def?.levels.reduce((a, b) => (levelRank(b.level) > levelRank(a.level) ? b : a)).level;
    const everyAction = def && top ? actionsAt(def, top) : [];
    const allActions = def ? def.levels.flatMap((l) => l.actions) : [];
    const order = (id: string) => {
      const k = allActions.findIndex((a) => a.id === id);
      return k < 0 ? Number.MAX_SAFE_INTEGER : k;
    };
    const namesOf = (id: string) =>
      namesIn(everyAction.find((a) => a.id === id) ?? allActions.find((a) => a.id === id));
    const inspections = [...this.inspections.values()].filter((i) => i.planId === planId);
    const orders = [...this.prepositions.values()].filter((o) => o.planId === planId);

    const actions: ActionExecution[] = [];
    for (const [actionId, list] of groupBy(inspections, (i) => i.actionId)) {
      actions.push({
        actionId,
        kind: 'round',
        ...namesOf(actionId),
        ...inspectionTally(list, to),
        firstAt: Math.min(...list.map((i) => i.issuedAt)),
        lastDue: Math.max(...list.map((i) => i.due)),
        byDistrict: groupBy(list, (i) => i.district).map(([district, l]) => ({ district, ...inspectionTally(l, to) })),
        bySquad: groupBy(list, (i) => i.squadId)
          .map(([squadId, l]) => ({ squadId, district: l[0]!.district, ...inspectionTally(l, to) }))
          .sort((a, b) => lateOf(b) - lateOf(a)),
      });
    }
    for (const [actionId, list] of groupBy(orders, (o) => o.actionId)) {
      actions.push({
        actionId,
        kind: 'preposition',
        ...namesOf(actionId),
        ...prepositionTally(list, to),
        firstAt: Math.min(...list.map((o) => o.orderedAt)),
        lastDue: Math.max(...list.map((o) => o.due)),
        byDistrict: groupBy(list, (o) => o.district).map(([district, l]) => ({ district, ...prepositionTally(l, to) })),
        bySquad: groupBy(list, (o) => o.squadId)
          .map(([squadId, l]) => ({ squadId, district: l[0]!.district, ...prepositionTally(l, to) }))
          .sort((a, b) => lateOf(b) - lateOf(a)),
      });
    }
    actions.sort((a, b) => order(a.actionId) - order(b.actionId) || a.firstAt - b.firstAt);

    const late: LateItem[] = [];
    for (const i of inspections) {
      const open = i.status === 'open';
      if (open ? to <= i.due : !inspectionDoneLate(i)) continue;
      late.push({
        kind: 'inspection',
        id: i.id,
        actionId: i.actionId,
        pointId: i.pointId,
        district: i.district,
        squadId: i.squadId,
        ...(i.unitId !== undefined ? { unitId: i.unitId } : {}),
        due: i.due,
        ...(open ? {} : { doneAt: i.checkedAt! }),
        lateMs: (open ? to : i.checkedAt!) - i.due,
      });
    }
    for (const o of orders) {
      const arrived = o.arrivedAt !== undefined;
      if (arrived ? o.arrivedAt! <= o.due : o.releasedAt !== undefined || to <= o.due) continue;
      late.push({
        kind: 'preposition',
        id: o.id,
        actionId: o.actionId,
        pointId: o.pointId,
        district: o.district,
        squadId: o.squadId,
        unitId: o.unitId,
        due: o.due,
        ...(arrived ? { doneAt: o.arrivedAt! } : {}),
        lateMs: (arrived ? o.arrivedAt! : to) - o.due,
      });
    }
    late.sort((a, b) => b.lateMs - a.lateMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    return {
      planId,
      ...namesIn(def),
      orders: this.orders.get(planId) ?? [],
      actions,
      inspections: inspectionTally(inspections, to),
      prepositions: prepositionTally(orders, to),
      supervisions: this.supervisions.get(planId) ?? [],
      late: late.slice(0, LATE_LIST_MAX),
    };
  }
}

/** One day's 流动红旗 ranking in an after-action summary. */
export interface CampaignDay {
  /** 'YYYY-MM-DD' in the city's time zone. */
  day: string;
  rows: RankingRow[];
  /** The day's score of each squad, best first (`squadScoreRows`: ties by more settled, then the squad id). */
  squads: SquadScoreRow[];
}

/**
 * The 文明创建 ranking (protocol `campaign-scores`) of every day on which assessment points were inspected, first day
 * first, each judged at `to` (a problem fixed after the window's end is not seen) with its change against the day before.
 */
export function campaignDays(
  inspections: Iterable<Inspection>,
  cases: ReadonlyMap<string, ScoredCase>,
  to: number,
  timeZone = DEFAULT_KPI_TIME_ZONE,
): CampaignDay[] {
  const list = [...inspections].filter((i) => i.kind === 'assessment_point');
  const days = [...new Set(list.map((i) => kpiDay(i.issuedAt, timeZone)))].sort();
  return days.map((day) => {
    const today = dailyScores({ inspections: list, cases, day, now: to, timeZone });
    const before = dailyScores({ inspections: list, cases, day: previousDay(day), now: to, timeZone });
    return { day, rows: redFlagRanking(today, before), squads: squadScoreRows(today) };
  });
}

/** The campaign days' part of the summary's CSV: one row per district and day, then per squad and day. */
export function campaignDayRows(days: readonly CampaignDay[]): unknown[][] {
  const rows: unknown[][] = [
    [
      'campaign_day',
      'rank',
      'district',
      'score',
      'change',
      'flag',
      'inspections',
      'settled',
      'passed',
      'problems',
      'overdue',
      'fixed_on_time',
      'fixed_late',
    ],
  ];
  for (const d of days)
    for (const r of d.rows)
      rows.push([
        d.day,
        r.rank ?? '',
        r.district,
        r.score ?? '',
        r.change ?? '',
        r.flag ?? '',
        r.inspections,
        r.settled,
        r.passed,
        r.problems,
        r.overdue,
        r.fixedOnTime,
        r.fixedLate,
      ]);
  rows.push(
    [],
    [
      'campaign_squad',
      'squad',
      'district',
      'score',
      'inspections',
      'settled',
      'passed',
      'problems',
      'overdue',
      'fixed_on_time',
      'fixed_late',
    ],
  );
  for (const d of days)
    for (const q of d.squads)
      rows.push([
        d.day,
        q.squadId,
        q.district,
        q.score ?? '',
        q.inspections,
        q.settled,
        q.passed,
        q.problems,
        q.overdue,
        q.fixedOnTime,
        q.fixedLate,
      ]);
  return rows;
}

/** The plans' part of the summary's CSV: one section per table, as `summaryCsv` writes its own. */
export function planReportRows(plans: readonly PlanExecution[], timeText: (t: number) => string): unknown[][] {
  const rows: unknown[][] = [];
  const min = (ms: number) => (ms / 60_000).toFixed(1);
  const tallyHead = ['total', 'done', 'done_late', 'pending', 'overdue', 'problems', 'released'];
  const tally = (t: ExecutionTally) => [t.total, t.done, t.doneLate, t.pending, t.overdue, t.problems, t.released];
  rows.push(['plan_order', 'plan', 'at', 'change', 'level', 'from_level', 'actor', 'reason', 'actions']);
  for (const p of plans)
    for (const o of p.orders)
      rows.push([
        p.planId,
        p.name ?? '',
        timeText(o.at),
        o.change,
        o.level,
        o.fromLevel ?? '',
        `${o.actor.role}:${o.actor.id}`,
        o.reason ?? '',
        o.actions.join(' '),
      ]);
  rows.push([], ['plan_action', 'action', 'name', 'kind', 'first_at', 'last_due', ...tallyHead]);
  for (const p of plans)
    for (const a of p.actions)
      rows.push([p.planId, a.actionId, a.name ?? '', a.kind, timeText(a.firstAt), timeText(a.lastDue), ...tally(a)]);
  rows.push([], ['plan_district', 'action', 'district', ...tallyHead]);
  for (const p of plans)
    for (const a of p.actions) for (const d of a.byDistrict) rows.push([p.planId, a.actionId, d.district, ...tally(d)]);
  rows.push([], ['plan_squad', 'action', 'squad', 'district', ...tallyHead]);
  for (const p of plans)
    for (const a of p.actions)
      for (const s of a.bySquad) rows.push([p.planId, a.actionId, s.squadId, s.district, ...tally(s)]);
  rows.push([], ['plan_supervision', 'at', 'action', 'squad', 'actor', 'note']);
  for (const p of plans)
    for (const s of p.supervisions)
      rows.push([p.planId, timeText(s.at), s.actionId, s.squadId, `${s.actor.role}:${s.actor.id}`, s.note ?? '']);
  rows.push(
    [],
    ['plan_late', 'kind', 'id', 'action', 'point', 'district', 'squad', 'unit', 'due', 'done_at', 'late_min'],
  );
  for (const p of plans)
    for (const l of p.late)
      rows.push([
        p.planId,
        l.kind,
        l.id,
        l.actionId,
        l.pointId,
        l.district,
        l.squadId,
        l.unitId ?? '',
        timeText(l.due),
        l.doneAt === undefined ? '' : timeText(l.doneAt),
        min(l.lateMs),
      ]);
  return rows;
}
