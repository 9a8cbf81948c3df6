import type { Actor, Case, CaseStatus, Task, Unit } from '../src/entities.ts';
import type { LogEvent, NewLogEvent } from '../src/events.ts';
import type { Result } from '../src/result.ts';
import { extendDeadline, superviseCase, transitionCase, type TransitionContext } from '../src/workflow.ts';

/** Hand-made entities for protocol tests: small, valid, and overridable field by field. */

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** 2016-09-15 00:00 Asia/Shanghai (= 09-14 16:00 UTC): the day Meranti made landfall. */
export const DAY0 = Date.UTC(2016, 8, 14, 16, 0, 0);

export const CLERK: Actor = { role: 'dispatcher', id: 'clerk-1' };
export const LEADER: Actor = { role: 'commander', id: 'leader-1' };

export function makeCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'C1',
    category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
    source: 'hotline',
    urgency: 'normal',
    position: [118.09, 24.48],
    address: '思明区 湖滨南路',
    district: '350203',
    status: 'reported',
    reportedAt: DAY0,
    supervised: false,
    history: [{ to: 'reported', at: DAY0, actor: CLERK }],
    version: 0,
    ...overrides,
  };
}

export function makeUnit(overrides: Partial<Unit> & Pick<Unit, 'id' | 'squadId'>): Unit {
  return {
    name: overrides.id,
    type: 'enforcement',
    district: '350203',
    status: 'available',
    slot: 0,
    version: 0,
    ...overrides,
  };
}

export function makeTask(overrides: Partial<Task> & Pick<Task, 'id' | 'caseId' | 'unitId' | 'squadId'>): Task {
  return { status: 'dispatched', createdAt: DAY0, updatedAt: DAY0, actor: CLERK, version: 0, ...overrides };
}

/** The data of an ok result; fails the test with the refusal's message otherwise. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error}: ${r.message}`);
  return r.data;
}

/** Walks a case through statuses, one minute apart, with a reason and a 48-hour deadline policy on every step. */
export function walk(c: Case, path: readonly CaseStatus[], extra: Partial<TransitionContext> = {}): Case {
  let at = c.history.at(-1)?.at ?? c.reportedAt;
  for (const to of path) {
    at += MINUTE;
    c = unwrap(transitionCase(c, to, { actor: CLERK, at, reason: 'because', deadlineMs: 48 * HOUR, ...extra }));
  }
  return c;
}

/**
 * Writes a log by hand: every case step goes through the real workflow functions, and each change becomes the
 * event the hub would append, numbered from `firstSeq`.
 */
export class LogBuilder {
  readonly events: LogEvent[] = [];
  readonly cases = new Map<string, Case>();
  private nextSeq: number;
  private tasks = 0;

  constructor(firstSeq = 1) {
    this.nextSeq = firstSeq;
  }

  private push(e: NewLogEvent): LogEvent {
    const event = { ...e, seq: this.nextSeq++ } as LogEvent;
    this.events.push(event);
    return event;
  }

  private get(id: string): Case {
    const c = this.cases.get(id);
    if (!c) throw new Error(`no case ${id} in this log`);
    return c;
  }

  report(id: string, at: number, overrides: Partial<Case> = {}): this {
    const c = makeCase({ id, reportedAt: at, history: [{ to: 'reported', at, actor: CLERK }], ...overrides });
    this.cases.set(id, c);
    this.push({ type: 'case.reported', at, case: c });
    return this;
  }

  /** One transition; filings use a 4-hour deadline policy unless told otherwise, and every step has a reason. */
  move(id: string, to: CaseStatus, at: number, ctx: Partial<TransitionContext> = {}): this {
    const before = this.get(id);
    const c = unwrap(transitionCase(before, to, { actor: CLERK, at, reason: 'r', deadlineMs: 4 * HOUR, ...ctx }));
    this.cases.set(id, c);
    this.push({ type: 'case.transitioned', at, from: before.status, to, actor: CLERK, reason: 'r', case: c });
    return this;
  }

  /** Several transitions at the given times. */
  steps(id: string, ...steps: Array<[CaseStatus, number]>): this {
    for (const [to, at] of steps) this.move(id, to, at);
    return this;
  }

  /**
   * Dispatch to a squad the way a hub might log it: the case names its squad (`case`), or only the task does,
   * logged before (`task-first`) or after (`task-after`) the case's transition.
   */
  dispatch(id: string, squadId: string, at: number, how: 'case' | 'task-first' | 'task-after' = 'case'): this {
    const taskId = `T${++this.tasks}`;
    const task = (): void => {
      this.push({
        type: 'task.created',
        at,
        actor: CLERK,
        task: makeTask({ id: taskId, caseId: id, unitId: `${squadId}-u1`, squadId, createdAt: at, updatedAt: at }),
      });
    };
    if (how === 'task-first') task();
    this.move(id, 'dispatched', at, how === 'case' ? { squadId, taskId } : {});
    if (how !== 'case') task();
    return this;
  }

  supervise(id: string, at: number): this {
    const c = unwrap(superviseCase(this.get(id), { actor: LEADER, at, reason: 'leader' }));
    this.cases.set(id, c);
    this.push({ type: 'case.amended', at, change: 'supervised', actor: LEADER, reason: 'leader', case: c });
    return this;
  }

  extend(id: string, byMs: number, at: number): this {
    const c = unwrap(extendDeadline(this.get(id), byMs, { actor: LEADER, at, reason: 'needs a crane' }));
    this.cases.set(id, c);
    this.push({
      type: 'case.amended',
      at,
      change: 'deadline_extended',
      actor: LEADER,
      reason: 'needs a crane',
      case: c,
    });
    return this;
  }

  /**
   * The log in time order, renumbered from the first seq: lets a test write each case's story in one place and still
   * get the interleaved log a hub would have written (a stable sort keeps each case's own steps in order).
   */
  chronological(): LogEvent[] {
    const first = this.events[0]?.seq ?? 1;
    return [...this.events].sort((a, b) => a.at - b.at).map((e, i) => ({ ...e, seq: first + i }));
  }

  /** Any other event, numbered next. */
  other(e: NewLogEvent): this {
    this.push(e);
    return this;
  }
}
