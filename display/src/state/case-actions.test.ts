import { describe, expect, it } from 'vitest';
import type { Case, Task } from '@egret/protocol';
import { aCase, T0 } from '../../test/fixtures.ts';
import { canDispatch, canReassign, caseActions, needsReason, refusedStepKey } from './case-actions.ts';

const HOUR = 3_600_000;

function aTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'T1',
    caseId: 'C1',
    unitId: 'U1',
    squadId: 'SQ-350203-01',
    status: 'en_route',
    createdAt: T0,
    updatedAt: T0,
    actor: { role: 'commander', id: 'console' },
    version: 0,
    ...overrides,
  };
}

const filed = (o: Partial<Case> = {}) => aCase({ status: 'filed', filedAt: T0, deadline: T0 + 4 * HOUR, ...o });

describe(caseActions.name, () => {
  it('offers accept and reject on a reported case, and no deadline steps', () => {
    expect(caseActions(aCase({ status: 'reported' }), undefined, T0)).toEqual(['accept', 'reject', 'supervise']);
  });

  it('offers file on an accepted case', () => {
    expect(caseActions(aCase({ status: 'accepted' }), undefined, T0)).toEqual(['file', 'reject', 'supervise']);
  });

  it('offers park, extend and supervise on a filed case (dispatch goes through the candidates)', () => {
    expect(caseActions(filed(), undefined, T0 + HOUR)).toEqual(['park', 'extend', 'supervise']);
  });

  it('stops offering an extension once the deadline has passed', () => {
    expect(caseActions(filed(), undefined, T0 + 5 * HOUR)).not.toContain('extend');
  });

  it('offers recall only while the case’s task is active', () => {
    const c = filed({ status: 'dispatched', taskId: 'T1' });
    expect(caseActions(c, aTask(), T0)).toContain('recall');
    expect(caseActions(c, aTask({ status: 'done' }), T0)).not.toContain('recall');
    expect(caseActions(c, aTask({ caseId: 'C9' }), T0)).not.toContain('recall');
  });

  it('offers verify on a handled case, then close or rework while verifying', () => {
    expect(caseActions(filed({ status: 'handled' }), undefined, T0)).toEqual(['verify', 'supervise']);
    expect(caseActions(filed({ status: 'verifying' }), undefined, T0)).toEqual(['close', 'rework', 'supervise']);
  });

  it('does not offer rework where → filed would be a return (dispatched, in progress)', () => {
    expect(caseActions(filed({ status: 'in_progress' }), undefined, T0)).not.toContain('rework');
  });

  it('offers resume on a parked case and nothing on a closed one', () => {
    expect(caseActions(filed({ status: 'parked' }), undefined, T0)).toContain('resume');
    expect(caseActions(filed({ status: 'closed' }), undefined, T0)).toEqual([]);
  });

  it('does not offer supervision twice', () => {
    expect(caseActions(filed({ supervised: true }), undefined, T0)).not.toContain('supervise');
  });
});

describe(canDispatch.name, () => {
  it('is true only for a filed case', () => {
    expect(canDispatch(filed())).toBe(true);
    expect(canDispatch(filed({ status: 'dispatched' }))).toBe(false);
    expect(canDispatch(aCase({ status: 'accepted' }))).toBe(false);
  });
});

describe(canReassign.name, () => {
  it('is true while a unit works on the case', () => {
    expect(canReassign(filed({ status: 'dispatched' }), aTask({ status: 'dispatched' }))).toBe(true);
    expect(canReassign(filed({ status: 'in_progress' }), aTask({ status: 'on_scene' }))).toBe(true);
    expect(canReassign(filed({ status: 'handled' }), aTask({ status: 'done' }))).toBe(false);
    expect(canReassign(filed({ status: 'dispatched' }), undefined)).toBe(false);
  });
});

describe(needsReason.name, () => {
  it('asks for a reason where the hub requires one', () => {
    for (const a of ['reject', 'park', 'rework', 'extend', 'recall', 'reassign'] as const)
      expect(needsReason(a)).toBe(true);
    for (const a of ['accept', 'file', 'verify', 'close', 'resume', 'supervise'] as const)
      expect(needsReason(a)).toBe(false);
  });
});

describe(refusedStepKey.name, () => {
  it('names the case step each refused command asked for', () => {
    expect(refusedStepKey('case:dispatch', { unitId: 'U1' })).toBe('caseAction.dispatch');
    expect(refusedStepKey('case:reassign', {})).toBe('caseAction.reassign');
    expect(refusedStepKey('task:recall', {})).toBe('caseAction.recall');
    expect(refusedStepKey('case:extend', { hours: 4 })).toBe('caseAction.extend');
    expect(refusedStepKey('case:supervise', {})).toBe('caseAction.supervise');
    expect(refusedStepKey('case:transition', { action: 'close' })).toBe('caseAction.close');
  });

  it('names nothing for a transition without an action or a command that is not a case step', () => {
    expect(refusedStepKey('case:transition', {})).toBeNull();
    expect(refusedStepKey('case:transition', { action: 7 })).toBeNull();
    expect(refusedStepKey('case:transition', { action: 'dispatch' })).toBeNull();
    expect(refusedStepKey('case:transition', { action: 'Close' })).toBeNull();
    expect(refusedStepKey('wall:focus', { caseId: 'C1' })).toBeNull();
    expect(refusedStepKey('toString', {})).toBeNull();
  });
});
