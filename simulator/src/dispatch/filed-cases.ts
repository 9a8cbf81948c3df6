import { isCaseOpen, type Case, type LogEvent } from '@egret/protocol';

/** A filed case waiting for a squad, as the auto-dispatcher tracks it. */
export interface FiledCase {
  caseId: string;
  /** Which filing this is: 1 the first (立案), 2 after a return or a rework … — the case's own count of filings. */
  round: number;
  /** The case's district (属地). */
  district: string;
  /** When the auto-dispatcher tries it next (world ms). */
  dueAt: number;
  /** Dispatches tried this round: each unit tried gets its own idempotency key. */
  tries: number;
  /** A dispatch sent whose answer never came (the hub did not answer): sent again with the same key first. */
  pending?: { unitId: string; idempotencyKey: string };
  /**
   * No unit could take it at the last try: it waits for one to come free (`unit.status_changed` to available), or
   * until `dueAt`, whichever is first. Set by `waitForUnit`.
   */
  waitingForUnit?: boolean;
  /**
   * Real time (ms) before which the dispatcher does not try it again, however fast world time runs: cleared when a
   * unit comes free for it.
   */
  notBeforeReal?: number;
}

/** How many times a case has been filed: its history's steps to `filed`. */
export function filingRound(c: Pick<Case, 'history'>): number {
  return c.history.reduce((n, s) => n + (s.to === 'filed' ? 1 : 0), 0);
}

/** The idempotency key of one dispatch try: the same case, round and try always make the same key. */
export function dispatchKey(f: Pick<FiledCase, 'caseId' | 'round' | 'tries'>): string {
  return `sim-auto:${f.caseId}:${f.round}:${f.tries}`;
}

/**
 * Which cases are filed and not yet with a squad, learnt from the log: a case becomes due `afterMs` after it was
 * filed (first filing, return, rework or resumption) and leaves as soon as anything else happens to it (a person
 * dispatched or parked it …). Also remembers the units that declined a case or let it time out, so it is not sent
 * to them again. A case no unit could take waits for a unit to come free: each unit that becomes available makes
 * the waiting case tried longest ago due at once (one unit takes one case; asking for every waiting case on every freed
 * unit had the simulator rank squads thousands of times a second at 1200×). Pure: time comes in with the events and
 * with `due(now)`.
 */
export class FiledCases {
  private readonly cases = new Map<string, FiledCase>();
  private readonly turnedDown = new Map<string, Set<string>>();

  constructor(private readonly afterMs: number) {}

  get size(): number {
    return this.cases.size;
  }

  observe(events: readonly LogEvent[]): void {
    for (const e of events) {
      if (e.type === 'case.transitioned') {
        const id = e.case.id;
        if (e.to === 'filed')
          this.cases.set(id, {
            caseId: id,
            round: filingRound(e.case),
            district: e.case.district,
            dueAt: e.at + this.afterMs,
            tries: 0,
          });
        else this.cases.delete(id);
        if (!isCaseOpen({ status: e.to })) this.turnedDown.delete(id);
      } else if (e.type === 'unit.status_changed' && e.to === 'available') {
        this.wakeLongestWaiting(e.at, e.unit.district);
      } else if (e.type === 'task.updated' && (e.to === 'declined' || e.to === 'timed_out')) {
        let units = this.turnedDown.get(e.task.caseId);
        if (!units) this.turnedDown.set(e.task.caseId, (units = new Set()));
        units.add(e.task.unitId);
      }
    }
  }

  /** The case, while it is filed and waiting. */
  get(caseId: string): FiledCase | undefined {
    return this.cases.get(caseId);
  }

  /** Cases due by `now`, the longest waiting first. */
  due(now: number): FiledCase[] {
    const out: FiledCase[] = [];
    for (const c of this.cases.values()) if (c.dueAt <= now) out.push(c);
    return out.sort((a, b) => a.dueAt - b.dueAt || (a.caseId < b.caseId ? -1 : 1));
  }

  /** Tries the case again at `at` (no unit free now, or the hub's answer is awaited in the log). */
  postpone(caseId: string, at: number): void {
    const c = this.cases.get(caseId);
    if (!c) return;
    c.dueAt = at;
    c.waitingForUnit = false;
  }

  /** No unit could take the case now: it is due again when one comes free, or at `at` at the latest. */
  waitForUnit(caseId: string, at: number): void {
    const c = this.cases.get(caseId);
    if (!c) return;
    c.dueAt = at;
    c.waitingForUnit = true;
  }

  /**
   * A unit of `district` came free at `at`: of the cases waiting for one, the one tried longest ago (earliest due, then
   * by id) is due then — of the unit's own district if any waits there (属地: its squad is the one ranked first), else
   * of any.
   */
  private wakeLongestWaiting(at: number, district: string): void {
    let oldest: FiledCase | undefined;
    let oldestHere: FiledCase | undefined;
    const earlier = (c: FiledCase, than: FiledCase | undefined) =>
      !than || c.dueAt < than.dueAt || (c.dueAt === than.dueAt && c.caseId < than.caseId);
    for (const c of this.cases.values()) {
      if (!c.waitingForUnit) continue;
      if (earlier(c, oldest)) oldest = c;
      if (c.district === district && earlier(c, oldestHere)) oldestHere = c;
    }
    oldest = oldestHere ?? oldest;
    if (!oldest) return;
    oldest.waitingForUnit = false;
    delete oldest.notBeforeReal;
    oldest.dueAt = Math.min(oldest.dueAt, at);
  }

  /** Units that turned this case down. */
  excluded(caseId: string): ReadonlySet<string> {
    return this.turnedDown.get(caseId) ?? NONE;
  }
}

const NONE: ReadonlySet<string> = new Set();
