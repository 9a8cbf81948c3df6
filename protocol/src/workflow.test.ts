import { describe, expect, it } from 'vitest';
import { CLERK, HOUR, LEADER, MINUTE, makeCase, makeTask, makeUnit, unwrap, walk } from '../test/fixtures.ts';
import { Case, CaseStatus } from './entities.ts';
import {
  CASE_TRANSITIONS,
  canTransition,
  dispatchRefusal,
  extendDeadline,
  isCaseOverdue,
  isTaskActive,
  isTaskFinished,
  loggedCaseAction,
  superviseCase,
  taskHoldsCase,
  taskTransitionRefusal,
  transitionAction,
  transitionCase,
  unitRefusal,
} from './workflow.ts';

/** A legal path from a fresh report to each status. */
const PATH_TO: Record<CaseStatus, CaseStatus[]> = {
  reported: [],
  accepted: ['accepted'],
  rejected: ['rejected'],
  filed: ['accepted', 'filed'],
  parked: ['accepted', 'filed', 'parked'],
  dispatched: ['accepted', 'filed', 'dispatched'],
  in_progress: ['accepted', 'filed', 'dispatched', 'in_progress'],
  handled: ['accepted', 'filed', 'dispatched', 'in_progress', 'handled'],
  verifying: ['accepted', 'filed', 'dispatched', 'in_progress', 'handled', 'verifying'],
  closed: ['accepted', 'filed', 'dispatched', 'in_progress', 'handled', 'verifying', 'closed'],
};

/** The loop of domain.md, written out by hand (not read from the table under test), with each step's name. */
const LEGAL: Record<string, string> = {
  'reported→accepted': 'accept',
  'reported→rejected': 'reject',
  'accepted→filed': 'file',
  'accepted→rejected': 'reject',
  'filed→dispatched': 'dispatch',
  'filed→parked': 'park',
  'dispatched→in_progress': 'start',
  'dispatched→filed': 'return',
  'dispatched→parked': 'park',
  'in_progress→handled': 'handle',
  'in_progress→filed': 'return',
  'in_progress→parked': 'park',
  'handled→verifying': 'verify',
  'verifying→closed': 'close',
  'verifying→filed': 'rework',
  'parked→filed': 'resume',
};

const DEADLINE_SET_UPSTREAM = Date.UTC(2016, 8, 16);
const at = (c: Case) => c.history.at(-1)!.at + MINUTE;
const fullCtx = (c: Case) => ({ actor: CLERK, at: at(c), reason: 'r', deadlineMs: 4 * HOUR });

/** Freezes a case and everything in it, so any mutation throws. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

describe(transitionCase.name, () => {
  const pairs = CaseStatus.options.flatMap((from) => CaseStatus.options.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is legal exactly when the case loop says so', (from, to) => {
    const c = deepFreeze(walk(makeCase(), PATH_TO[from]));
    expect(c.status).toBe(from);
    const r = transitionCase(c, to, fullCtx(c));
    const action = LEGAL[`${from}→${to}`];
    expect(canTransition(from, to)).toBe(action !== undefined);
    expect(transitionAction(from, to)).toBe(action);
    if (action) {
      const next = unwrap(r);
      expect(next.status).toBe(to);
      expect(next.history).toHaveLength(c.history.length + 1);
      expect(next.history.at(-1)).toEqual({ to, at: at(c), actor: CLERK, reason: 'r', action });
      expect(next.version).toBe(c.version + 1);
    } else {
      expect(r).toEqual({ ok: false, error: 'illegal_transition', message: `case C1 cannot go from ${from} to ${to}` });
    }
  });

  it('has a table with exactly the legal transitions above', () => {
    const table = Object.entries(CASE_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}→${to}`));
    expect(table.sort()).toEqual(Object.keys(LEGAL).sort());
  });

  it('never closes a handled case without verification (核查)', () => {
    const c = walk(makeCase(), PATH_TO.handled);
    expect(transitionCase(c, 'closed', fullCtx(c))).toMatchObject({ ok: false, error: 'illegal_transition' });
  });

  it.each([
    ['rejected', PATH_TO.reported, 'rejected'],
    ['returned', PATH_TO.dispatched, 'filed'],
    ['returned from work', PATH_TO.in_progress, 'filed'],
    ['parked', PATH_TO.filed, 'parked'],
    ['reworked', PATH_TO.verifying, 'filed'],
  ] as const)('refuses a case %s without a reason, naming case, from and to', (_, path, to) => {
    const c = walk(makeCase(), path);
    for (const reason of [undefined, '', '   ']) {
      const r = transitionCase(c, to, { actor: CLERK, at: at(c), ...(reason === undefined ? {} : { reason }) });
      expect(r).toMatchObject({ ok: false, error: 'reason_required' });
      if (!r.ok) expect(r.message).toContain(`case C1: going from ${c.status} to ${to}`);
    }
  });

  it('accepts, dispatches and closes without a reason and trims the reason it keeps', () => {
    const c = walk(makeCase(), ['accepted', 'filed']);
    const next = unwrap(transitionCase(c, 'dispatched', { actor: CLERK, at: at(c), reason: '  nearest squad ' }));
    expect(next.history.at(-1)?.reason).toBe('nearest squad');
    const bare = unwrap(transitionCase(c, 'dispatched', { actor: CLERK, at: at(c) }));
    expect(bare.history.at(-1)).not.toHaveProperty('reason');
  });

  it('refuses the first filing without a positive deadline policy', () => {
    const c = walk(makeCase(), ['accepted']);
    for (const deadlineMs of [undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = transitionCase(c, 'filed', {
        actor: CLERK,
        at: at(c),
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
      });
      expect(r).toMatchObject({ ok: false, error: 'deadline_required' });
      if (!r.ok) expect(r.message).toContain('case C1: going from accepted to filed');
    }
  });

  it('sets the deadline and filedAt once, at the first filing, and keeps them through return, rework and parking', () => {
    const accepted = walk(makeCase(), ['accepted']);
    const filingAt = at(accepted);
    const filed = unwrap(transitionCase(accepted, 'filed', { actor: CLERK, at: filingAt, deadlineMs: 4 * HOUR }));
    expect(filed.deadline).toBe(filingAt + 4 * HOUR);
    expect(filed.filedAt).toBe(filingAt);

    // A different policy on every later step must not move it.
    const later = walk(
      filed,
      ['dispatched', 'filed', 'parked', 'filed', 'dispatched', 'in_progress', 'handled', 'verifying', 'filed'],
      {
        deadlineMs: 99 * HOUR,
      },
    );
    expect(later.deadline).toBe(filingAt + 4 * HOUR);
    expect(later.filedAt).toBe(filingAt);
  });

  it('keeps a deadline the case already carries when it is filed, and then needs no policy', () => {
    const c = { ...walk(makeCase(), ['accepted']), deadline: DEADLINE_SET_UPSTREAM };
    const filed = unwrap(transitionCase(c, 'filed', { actor: CLERK, at: at(c), deadlineMs: HOUR }));
    expect(filed.deadline).toBe(DEADLINE_SET_UPSTREAM);
    expect(unwrap(transitionCase(c, 'filed', { actor: CLERK, at: at(c) })).deadline).toBe(DEADLINE_SET_UPSTREAM);
  });

  it('counts returns and reworks, and takes a returned case off its squad and task', () => {
    const filed = walk(makeCase(), ['accepted', 'filed']);
    const dispatched = unwrap(
      transitionCase(filed, 'dispatched', { actor: CLERK, at: at(filed), squadId: 'SQ-A', taskId: 'T1' }),
    );
    expect(dispatched).toMatchObject({ squadId: 'SQ-A', taskId: 'T1', dispatchedAt: at(filed) });

    const returned = unwrap(
      transitionCase(dispatched, 'filed', {
        actor: { role: 'field', id: 'u1' },
        at: at(dispatched),
        reason: 'wrong territory',
      }),
    );
    expect(returned.returns).toBe(1);
    expect(returned).not.toHaveProperty('squadId');
    expect(returned).not.toHaveProperty('taskId');

    const again = unwrap(
      transitionCase(returned, 'dispatched', { actor: CLERK, at: at(returned), squadId: 'SQ-B', taskId: 'T2' }),
    );
    const reworked = walk(again, [
      'in_progress',
      'handled',
      'verifying',
      'filed',
      'dispatched',
      'in_progress',
      'handled',
      'verifying',
      'filed',
    ]);
    expect(reworked).toMatchObject({ returns: 1, reworks: 2, status: 'filed' });
    expect(reworked.history.map((s) => s.action)).toEqual([
      undefined,
      'accept',
      'file',
      'dispatch',
      'return',
      'dispatch',
      'start',
      'handle',
      'verify',
      'rework',
      'dispatch',
      'start',
      'handle',
      'verify',
      'rework',
    ]);
  });

  it('stamps handledAt and closedAt and drops the finished task on closing', () => {
    const c = walk(makeCase(), PATH_TO.in_progress, { taskId: 'T1', squadId: 'SQ-A' });
    const handled = unwrap(transitionCase(c, 'handled', { actor: CLERK, at: at(c) }));
    expect(handled.handledAt).toBe(at(c));
    const closed = walk(handled, ['verifying', 'closed']);
    expect(closed.closedAt).toBe(closed.history.at(-1)!.at);
    expect(closed).not.toHaveProperty('taskId');
    expect(closed.squadId).toBe('SQ-A');
  });

  it('grows the history by one step per transition and leaves the input untouched', () => {
    const start = deepFreeze(makeCase());
    const snapshot = structuredClone(start);
    let c: Case = start;
    const seen: Case[] = [];
    for (const to of PATH_TO.closed) {
      const next = unwrap(transitionCase(c, to, fullCtx(c)));
      expect(next).not.toBe(c);
      expect(next.history.slice(0, -1)).toEqual(c.history);
      seen.push(deepFreeze(next));
      c = next;
    }
    expect(c.history.map((s) => s.to)).toEqual(['reported', ...PATH_TO.closed]);
    expect(c.version).toBe(PATH_TO.closed.length);
    expect(start).toEqual(snapshot);
    expect(Case.safeParse(c).success).toBe(true);
  });
});

describe(extendDeadline.name, () => {
  const dispatched = deepFreeze(walk(makeCase(), PATH_TO.dispatched));
  const ctx = { actor: LEADER, at: at(dispatched), reason: 'waiting for the power company' };

  it('moves the deadline later, counts the extension and records it without changing status', () => {
    const once = unwrap(extendDeadline(dispatched, 2 * HOUR, ctx));
    expect(once.deadline).toBe(dispatched.deadline! + 2 * HOUR);
    expect(once).toMatchObject({ status: 'dispatched', extensions: 1, version: dispatched.version + 1 });
    expect(once.history.at(-1)).toEqual({
      to: 'dispatched',
      at: ctx.at,
      actor: LEADER,
      reason: ctx.reason,
      action: 'extend',
    });
    const twice = unwrap(extendDeadline(once, HOUR, { ...ctx, at: ctx.at + 1 }));
    expect(twice).toMatchObject({ extensions: 2, deadline: dispatched.deadline! + 3 * HOUR });
    expect(dispatched.extensions).toBeUndefined();
  });

  it('needs a reason', () => {
    expect(extendDeadline(dispatched, HOUR, { actor: LEADER, at: ctx.at })).toMatchObject({
      ok: false,
      error: 'reason_required',
    });
    expect(extendDeadline(dispatched, HOUR, { ...ctx, reason: ' ' })).toMatchObject({
      ok: false,
      error: 'reason_required',
    });
  });

  it.each([0, -HOUR, 1.5, Number.NaN])('refuses an extension of %s ms', (byMs) => {
    expect(extendDeadline(dispatched, byMs, ctx)).toMatchObject({ ok: false, error: 'invalid_extension' });
  });

  it('refuses a case that is already overdue', () => {
    const r = extendDeadline(dispatched, HOUR, { ...ctx, at: dispatched.deadline! + 1 });
    expect(r).toMatchObject({ ok: false, error: 'already_overdue' });
    expect(unwrap(extendDeadline(dispatched, HOUR, { ...ctx, at: dispatched.deadline! })).deadline).toBe(
      dispatched.deadline! + HOUR,
    );
  });

  it.each(['reported', 'accepted', 'handled', 'verifying', 'closed', 'rejected'] as const)(
    'refuses a %s case, naming it',
    (status) => {
      const c = walk(makeCase(), PATH_TO[status]);
      const r = extendDeadline(c, HOUR, { ...ctx, at: at(c) });
      expect(r).toMatchObject({ ok: false, error: 'not_extendable' });
      if (!r.ok) expect(r.message).toContain(`case C1 (${status})`);
    },
  );

  it('extends parked and in-progress cases', () => {
    for (const status of ['filed', 'parked', 'in_progress'] as const) {
      const c = walk(makeCase(), PATH_TO[status]);
      expect(unwrap(extendDeadline(c, HOUR, { ...ctx, at: at(c) })).extensions).toBe(1);
    }
  });

  it('refuses a filed case that somehow has no deadline', () => {
    const c = { ...walk(makeCase(), PATH_TO.filed) };
    delete c.deadline;
    expect(extendDeadline(c, HOUR, ctx)).toMatchObject({ ok: false, error: 'no_deadline' });
  });
});

describe(superviseCase.name, () => {
  it('raises the flag once, stamped and recorded, and refuses the second time', () => {
    const c = deepFreeze(walk(makeCase(), PATH_TO.in_progress));
    const flagged = unwrap(superviseCase(c, { actor: LEADER, at: at(c), reason: 'complained twice' }));
    expect(flagged).toMatchObject({
      supervised: true,
      supervisedAt: at(c),
      status: 'in_progress',
      version: c.version + 1,
    });
    expect(flagged.history.at(-1)).toMatchObject({ to: 'in_progress', action: 'supervise', actor: LEADER });
    expect(c.supervised).toBe(false);

    const again = superviseCase(flagged, { actor: LEADER, at: at(flagged) });
    expect(again).toEqual({
      ok: false,
      error: 'already_supervised',
      message: 'case C1 (in_progress) is already under supervision',
    });
  });

  it('supervises a fresh report but not a finished case', () => {
    expect(superviseCase(makeCase(), { actor: LEADER, at: 1 }).ok).toBe(true);
    for (const status of ['closed', 'rejected'] as const) {
      const c = walk(makeCase(), PATH_TO[status]);
      expect(superviseCase(c, { actor: LEADER, at: at(c) })).toMatchObject({ ok: false, error: 'case_finished' });
    }
  });
});

describe(isCaseOverdue.name, () => {
  const c = walk(makeCase(), PATH_TO.dispatched);
  const deadline = c.deadline!;

  it('is overdue only after the deadline, while open and not parked', () => {
    expect(isCaseOverdue(c, deadline)).toBe(false);
    expect(isCaseOverdue(c, deadline + 1)).toBe(true);
    expect(isCaseOverdue({ status: 'parked', deadline }, deadline + 1)).toBe(false);
    expect(isCaseOverdue({ status: 'closed', deadline }, deadline + 1)).toBe(false);
    expect(isCaseOverdue({ status: 'accepted' }, deadline + 1)).toBe(false);
  });
});

describe(loggedCaseAction.name, () => {
  it('names every legal step as transitionAction does', () => {
    for (const from of CaseStatus.options) {
      for (const to of CASE_TRANSITIONS[from]) expect(loggedCaseAction(from, to)).toBe(transitionAction(from, to));
    }
  });

  it('still names a step the table does not allow, so folds of older logs count it', () => {
    expect(transitionAction('handled', 'filed')).toBeUndefined();
    expect(loggedCaseAction('handled', 'filed')).toBe('rework');
    expect(loggedCaseAction('filed', 'filed')).toBe('file');
    expect(loggedCaseAction('handled', 'closed')).toBe('close');
    expect(loggedCaseAction('closed', 'reported')).toBeUndefined();
  });
});

describe('the task lifecycle', () => {
  const statuses = [
    'dispatched',
    'accepted',
    'en_route',
    'on_scene',
    'done',
    'declined',
    'timed_out',
    'recalled',
  ] as const;

  it('calls every task status either active or finished, never both', () => {
    for (const status of statuses) expect(isTaskActive({ status })).toBe(!isTaskFinished({ status }));
    expect(statuses.filter((status) => isTaskActive({ status }))).toEqual([
      'dispatched',
      'accepted',
      'en_route',
      'on_scene',
    ]);
  });

  it('lets an active task move anywhere but back to dispatched, and a finished one nowhere', () => {
    const t = makeTask({ id: 'T1', caseId: 'C1', unitId: 'U1', squadId: 'SQ1', status: 'on_scene' });
    expect(taskTransitionRefusal(t, 'accepted')).toBeUndefined();
    expect(taskTransitionRefusal(t, 'dispatched')).toMatchObject({ error: 'illegal_transition' });
    expect(taskTransitionRefusal({ ...t, status: 'done' }, 'on_scene')).toMatchObject({
      error: 'task_finished',
      message: 'task T1 is already done',
    });
  });

  it('holds a case only as its active task, while a squad holds the case', () => {
    const c = walk(makeCase(), PATH_TO.dispatched);
    const t = makeTask({ id: 'T1', caseId: c.id, unitId: 'U1', squadId: 'SQ1' });
    expect(taskHoldsCase(t, { ...c, taskId: 'T1' })).toBe(true);
    expect(taskHoldsCase(t, { ...c, taskId: 'T2' })).toBe(false);
    expect(taskHoldsCase({ ...t, status: 'recalled' }, { ...c, taskId: 'T1' })).toBe(false);
    expect(taskHoldsCase(t, { ...walk(makeCase(), PATH_TO.handled), taskId: 'T1' })).toBe(false);
  });
});

describe(dispatchRefusal.name, () => {
  it('lets only a filed case be dispatched, naming the squad that holds one already', () => {
    expect(dispatchRefusal(walk(makeCase(), PATH_TO.filed))).toBeUndefined();
    expect(dispatchRefusal({ id: 'C1', status: 'in_progress', squadId: 'SQ1', taskId: 'T1' })).toEqual({
      ok: false,
      error: 'case_already_dispatched',
      message: 'case C1 is already in progress to squad SQ1 (task T1)',
    });
    expect(dispatchRefusal({ id: 'C1', status: 'accepted' })).toMatchObject({ error: 'illegal_transition' });
  });
});

describe(unitRefusal.name, () => {
  it('refuses a unit on a task as busy and one off duty or offline as unavailable', () => {
    expect(unitRefusal(makeUnit({ id: 'U1', squadId: 'SQ1' }), undefined)).toBeUndefined();
    expect(unitRefusal(makeUnit({ id: 'U1', squadId: 'SQ1', status: 'en_route' }), undefined)).toMatchObject({
      error: 'unit_busy',
    });
    expect(unitRefusal(makeUnit({ id: 'U1', squadId: 'SQ1', taskId: 'T9' }), { id: 'T9', caseId: 'C9' })).toMatchObject(
      {
        error: 'unit_busy',
        message: 'squad SQ1 unit U1 is already dispatched to case C9 (task T9)',
      },
    );
    expect(unitRefusal(makeUnit({ id: 'U1', squadId: 'SQ1', status: 'offline' }), undefined)).toMatchObject({
      error: 'unit_unavailable',
    });
  });
});
