import {
  isCaseOverdue,
  loggedCaseAction,
  campaignDayRows,
  PlanReportFold,
  planReportRows,
  type PlanDef,
  type CaseStatus,
  type DurationStats,
  type LogEvent,
  type ReplaySummary,
  type SquadSummary,
} from '@egret/protocol';

const HOUR_MS = 3_600_000;

interface CaseRecord {
  id: string;
  district: string;
  category: string;
  categoryName: string;
  reportedAt: number;
  status: CaseStatus;
  deadline?: number;
  firstDispatchAt?: number;
  squadId?: string;
  arrivedAt?: number;
  closedAt?: number;
  reworked: boolean;
  returned: boolean;
}

/** Nearest-rank percentiles of durations (ms). */
export function durationStats(values: number[]): DurationStats {
  if (values.length === 0) return { n: 0, p50: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return { n: sorted.length, p50: rank(0.5), p90: rank(0.9) };
}

/**
 * Folds the events of a window into the after-action summary (protocol `ReplaySummary`). Pure: feed it the events
 * (state at `from`, state at `to`], in seq order, then ask for the result at `to`.
 */
export class SummaryFold {
  private readonly cases = new Map<string, CaseRecord>();
  private events = 0;
  /** The plans' execution (issue #17), folded from the same events. */
  private readonly plans: PlanReportFold;

  /** `plans`: the command manual, for the names of plans and actions; `timeZone`: the city's, for the campaign's days. */
  constructor(
    plans: readonly PlanDef[] = [],
    private readonly timeZone?: string,
  ) {
    this.plans = new PlanReportFold(plans);
  }

  add(e: LogEvent): void {
    this.events++;
    this.plans.add(e);
    switch (e.type) {
      case 'case.reported': {
        const c = e.case;
        this.cases.set(c.id, {
          id: c.id,
          district: c.district,
          category: c.category.code,
          categoryName: c.category.name,
          reportedAt: c.reportedAt,
          status: c.status,
          reworked: false,
          returned: false,
          ...(c.deadline !== undefined ? { deadline: c.deadline } : {}),
        });
        break;
      }
      case 'case.transitioned': {
        const r = this.cases.get(e.case.id);
        if (!r) break;
        r.status = e.case.status;
        if (e.case.deadline !== undefined) r.deadline = e.case.deadline;
        if (e.to === 'dispatched' && r.firstDispatchAt === undefined) {
          r.firstDispatchAt = e.at;
          if (e.case.squadId !== undefined) r.squadId = e.case.squadId;
        }
        if (e.to === 'closed') r.closedAt = e.case.closedAt ?? e.at;
        const action = loggedCaseAction(e.from, e.to); // as the KPI fold names it, lenient with older logs
        if (action === 'rework') r.reworked = true;
        if (action === 'return') r.returned = true;
        break;
      }
      case 'case.amended': {
        const r = this.cases.get(e.case.id);
        if (r && e.case.deadline !== undefined) r.deadline = e.case.deadline;
        break;
      }
      case 'task.created': {
        const r = this.cases.get(e.task.caseId);
        if (r && r.squadId === undefined && r.firstDispatchAt !== undefined) r.squadId = e.task.squadId;
        break;
      }
      case 'task.updated': {
        const r = this.cases.get(e.task.caseId);
        if (r && e.to === 'on_scene' && r.arrivedAt === undefined) r.arrivedAt = e.at;
        break;
      }
      default:
        break;
    }
  }

  result(from: number, to: number): ReplaySummary {
    const all = [...this.cases.values()];
    const isOverdue = (r: CaseRecord) => isCaseOverdue(r, to);
    const span = (a: number | undefined, b: number | undefined) =>
      a !== undefined && b !== undefined ? b - a : undefined;
    const durations = (rs: CaseRecord[], f: (r: CaseRecord) => number | undefined) =>
      durationStats(rs.map(f).filter((v): v is number => v !== undefined));

    const byCategory = new Map<string, { code: string; name: string; reported: number; closed: number }>();
    const byDistrict = new Map<string, { district: string; reported: number; closed: number; overdueOpen: number }>();
    const bySquad = new Map<string, CaseRecord[]>();
    const hours = new Map<number, number>();
    for (const r of all) {
      const cat = byCategory.get(r.category) ?? { code: r.category, name: r.categoryName, reported: 0, closed: 0 };
      cat.reported++;
      if (r.closedAt !== undefined) cat.closed++;
      byCategory.set(r.category, cat);
      const d = byDistrict.get(r.district) ?? { district: r.district, reported: 0, closed: 0, overdueOpen: 0 };
      d.reported++;
      if (r.closedAt !== undefined) d.closed++;
      if (isOverdue(r)) d.overdueOpen++;
      byDistrict.set(r.district, d);
      if (r.squadId !== undefined) bySquad.set(r.squadId, [...(bySquad.get(r.squadId) ?? []), r]);
      const hour = Math.floor(r.reportedAt / HOUR_MS) * HOUR_MS;
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
    }

    const squads: SquadSummary[] = [...bySquad].map(([squadId, rs]) => ({
      squadId,
      cases: rs.length,
      closed: rs.filter((r) => r.closedAt !== undefined).length,
      dispatchToArrival: durations(rs, (r) => span(r.firstDispatchAt, r.arrivedAt)),
      reportToClose: durations(rs, (r) => span(r.reportedAt, r.closedAt)),
    }));
    squads.sort((a, b) => b.cases - a.cases || a.squadId.localeCompare(b.squadId));

    const overdue = all.filter(isOverdue).map((r) => ({
      caseId: r.id,
      district: r.district,
      category: r.category,
      deadline: r.deadline!,
      overdueMs: to - r.deadline!,
      ...(r.squadId !== undefined ? { squadId: r.squadId } : {}),
    }));
    overdue.sort((a, b) => b.overdueMs - a.overdueMs || a.caseId.localeCompare(b.caseId));

    return {
      from,
      to,
      events: this.events,
      totals: {
        reported: all.length,
        dispatched: all.filter((r) => r.firstDispatchAt !== undefined).length,
        arrived: all.filter((r) => r.arrivedAt !== undefined).length,
        closed: all.filter((r) => r.closedAt !== undefined).length,
        overdueOpen: overdue.length,
        closedLate: all.filter((r) => r.closedAt !== undefined && r.deadline !== undefined && r.closedAt > r.deadline)
          .length,
        reworked: all.filter((r) => r.reworked).length,
        returned: all.filter((r) => r.returned).length,
      },
      milestones: {
        reportToDispatch: durations(all, (r) => span(r.reportedAt, r.firstDispatchAt)),
        dispatchToArrival: durations(all, (r) => span(r.firstDispatchAt, r.arrivedAt)),
        arrivalToClose: durations(all, (r) => span(r.arrivedAt, r.closedAt)),
        reportToClose: durations(all, (r) => span(r.reportedAt, r.closedAt)),
      },
      byCategory: [...byCategory.values()].sort((a, b) => b.reported - a.reported || a.code.localeCompare(b.code)),
      byDistrict: [...byDistrict.values()].sort((a, b) => a.district.localeCompare(b.district)),
      bySquad: squads,
      overdue: overdue.slice(0, 200),
      busiestHours: [...hours]
        .map(([hourStart, reported]) => ({ hourStart, reported }))
        .sort((a, b) => b.reported - a.reported || a.hourStart - b.hourStart)
        .slice(0, 10),
      plans: this.plans.result(to),
      campaignDays: this.plans.campaignDays(to, this.cases, this.timeZone),
    };
  }
}

/** The summary as CSV: one section per table, a blank line between them (opens in any spreadsheet). */
export function summaryCsv(
  s: ReplaySummary,
  timeText: (t: number) => string = (t) => new Date(t).toISOString(),
): string {
  const q = (v: unknown) => {
    let text = v === null || v === undefined ? '' : String(v);
    // Free text (a commander's reason, a 督办 note) opening like a formula is kept as text: a spreadsheet would run
    // `=HYPERLINK(…)` or `@SUM(…)` (OWASP "CSV injection"). Numbers (and minutes as '-1.5') stay numbers.
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-\d+(\.\d+)?$/.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows: unknown[][] = [];
  const min = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));
  rows.push(['section', 'from', 'to', 'events'], ['window', timeText(s.from), timeText(s.to), s.events], []);
  rows.push(['totals', ...Object.keys(s.totals)], ['', ...Object.values(s.totals)], []);
  rows.push(['milestone', 'n', 'p50_min', 'p90_min']);
  for (const [k, d] of Object.entries(s.milestones)) rows.push([k, d.n, min(d.p50), min(d.p90)]);
  rows.push([], ['category', 'name', 'reported', 'closed']);
  for (const c of s.byCategory) rows.push([c.code, c.name, c.reported, c.closed]);
  rows.push([], ['district', 'reported', 'closed', 'overdue_open']);
  for (const d of s.byDistrict) rows.push([d.district, d.reported, d.closed, d.overdueOpen]);
  rows.push(
    [],
    [
      'squad',
      'cases',
      'closed',
      'dispatch_to_arrival_p50_min',
      'dispatch_to_arrival_p90_min',
      'report_to_close_p50_min',
      'report_to_close_p90_min',
    ],
  );
  for (const q2 of s.bySquad) {
    rows.push([
      q2.squadId,
      q2.cases,
      q2.closed,
      min(q2.dispatchToArrival.p50),
      min(q2.dispatchToArrival.p90),
      min(q2.reportToClose.p50),
      min(q2.reportToClose.p90),
    ]);
  }
  rows.push([], ['overdue_case', 'district', 'category', 'deadline', 'overdue_min', 'squad']);
  for (const o of s.overdue)
    rows.push([o.caseId, o.district, o.category, timeText(o.deadline), min(o.overdueMs), o.squadId]);
  rows.push([], ['busiest_hour', 'reported']);
  for (const h of s.busiestHours) rows.push([timeText(h.hourStart), h.reported]);
  if (s.plans && s.plans.length > 0) rows.push([], ...planReportRows(s.plans, timeText));
  if (s.campaignDays && s.campaignDays.length > 0) rows.push([], ...campaignDayRows(s.campaignDays));
  return rows.map((r) => r.map(q).join(',')).join('\n') + '\n';
}
