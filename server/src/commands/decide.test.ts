import { describe, expect, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { Case, Task, Unit } from '@egret/protocol';
import { ALICE, AT, availableUnit, filedCase } from '../../test/entities.ts';
import type { LoadedEntities } from '../domain/store.ts';
import { commandNeeds, decideCommand, taskIdFor, type DecideContext } from './decide.ts';

const config = loadConfig();
const base = filedCase('C-1');
const unit = availableUnit;
const ctx: DecideContext = { actor: ALICE, at: AT, categories: config.categories, mode: 'peacetime' };

function world(cases: Case[], units: Unit[] = [], tasks: Task[] = []): LoadedEntities {
  return {
    cases: new Map(cases.map((c) => [c.id, c])),
    units: new Map(units.map((u) => [u.id, u])),
    tasks: new Map(tasks.map((t) => [t.id, t])),
    storms: new Map(),
    sensors: new Map(),
    cameras: new Map(),
    plans: new Map(),
    inspections: new Map(),
    prepositions: new Map(),
  };
}

describe(taskIdFor.name, () => {
  it('numbers a case’s tasks by its dispatches, and hashes a case id too long to fit', () => {
    expect(taskIdFor(base)).toBe('T-C-1-1');
    const twice = {
      ...base,
      history: [
        ...base.history,
        { to: 'dispatched' as const, at: AT, actor: ALICE },
        { to: 'filed' as const, at: AT, actor: ALICE },
      ],
    };
    expect(taskIdFor(twice)).toBe('T-C-1-2');
    const long = taskIdFor({ ...base, id: 'X'.repeat(64) });
    expect(long).toMatch(/^T-[0-9a-f]{24}-1$/);
    expect(long.length).toBeLessThanOrEqual(64);
  });
});

describe(decideCommand.name, () => {
  it('dispatches: three writes, three events, and the receipt without a seq', () => {
    const r = decideCommand(
      'case:dispatch',
      { caseId: 'C-1', unitId: 'U-1', idempotencyKey: 'k' },
      world([base], [unit('U-1')]),
      ctx,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.data.receipt).toEqual({ caseId: 'C-1', taskId: 'T-C-1-1', unitId: 'U-1', squadId: 'SQ-U-1' });
    expect(r.data.change.events.map((e) => e.type)).toEqual([
      'task.created',
      'case.transitioned',
      'unit.status_changed',
    ]);
  });

  it('parks a case a squad holds by recalling its task and freeing its unit in the same change', () => {
    const task: Task = {
      id: 'T-C-1-1',
      caseId: 'C-1',
      unitId: 'U-1',
      squadId: 'SQ-U-1',
      status: 'accepted',
      createdAt: AT,
      updatedAt: AT,
      actor: ALICE,
      version: 1,
    };
    const held = { ...base, status: 'in_progress' as const, taskId: task.id, squadId: 'SQ-U-1' };
    const r = decideCommand(
      'case:transition',
      { caseId: 'C-1', action: 'park', reason: '需跨部门', idempotencyKey: 'k' },
      world([held], [unit('U-1', { status: 'dispatched', taskId: task.id })], [task]),
      ctx,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.data.receipt).toEqual({
      caseId: 'C-1',
      from: 'in_progress',
      to: 'parked',
      action: 'park',
      recalledTaskId: 'T-C-1-1',
    });
    expect(r.data.change.events.map((e) => e.type)).toEqual([
      'task.updated',
      'case.transitioned',
      'unit.status_changed',
    ]);
  });

  it('names the steps that are possible when one is not', () => {
    const r = decideCommand(
      'case:transition',
      { caseId: 'C-1', action: 'close', idempotencyKey: 'k' },
      world([base]),
      ctx,
    );
    expect(r).toEqual({
      ok: false,
      error: 'illegal_transition',
      message: 'case C-1 is filed: "close" is not a step from there (possible: dispatch, park)',
    });
    const done = decideCommand(
      'case:transition',
      { caseId: 'C-1', action: 'resume', idempotencyKey: 'k' },
      world([{ ...base, status: 'closed' }]),
      ctx,
    );
    expect(done).toMatchObject({ message: expect.stringContaining('possible: none: it is finished') });
  });

  it('files with the deadline of the city’s policy for the category', () => {
    const r = decideCommand(
      'case:transition',
      { caseId: 'C-1', action: 'file', idempotencyKey: 'k' },
      world([{ ...base, status: 'accepted', deadline: undefined, filedAt: undefined }]),
      ctx,
    );
    if (!r.ok) throw new Error(r.message);
    const c = r.data.change.writes[0]!.entity as Case;
    expect(c.deadline).toBe(AT + config.categories.deadlineMs('GB/T 47678.5-2026', '06010', 'normal'));
  });

  it('extends by whole hours and refuses a case that does not exist', () => {
    const r = decideCommand(
      'case:extend',
      { caseId: 'C-1', hours: 1.5, reason: '等待配件', idempotencyKey: 'k' },
      world([base]),
      ctx,
    );
    expect(r).toMatchObject({ ok: true, data: { receipt: { caseId: 'C-1', deadline: base.deadline! + 5_400_000 } } });
    expect(
      decideCommand('case:extend', { caseId: 'C-9', hours: 1, reason: 'x', idempotencyKey: 'k' }, world([base]), ctx),
    ).toMatchObject({ error: 'unknown_case' });
  });

  it('changes the mode with a compare-and-set on the mode Redis holds, and refuses the mode in force', () => {
    const r = decideCommand('mode:set', { mode: 'typhoon', idempotencyKey: 'k' }, world([]), ctx);
    expect(r).toMatchObject({
      ok: true,
      data: {
        change: {
          mode: { expected: 'peacetime', next: 'typhoon' },
          events: [{ type: 'mode.changed', mode: 'typhoon', actor: ALICE }],
        },
      },
    });
    expect(decideCommand('mode:set', { mode: 'peacetime', idempotencyKey: 'k' }, world([]), ctx)).toMatchObject({
      error: 'already_in_mode',
    });
  });
});

describe(commandNeeds.name, () => {
  it('asks for the ids the command names', () => {
    expect(commandNeeds('case:reassign', { caseId: 'C', unitId: 'U', reason: 'r', idempotencyKey: 'k' })).toEqual({
      caseIds: ['C'],
      unitIds: ['U'],
    });
    expect(commandNeeds('task:recall', { taskId: 'T', reason: 'r', idempotencyKey: 'k' })).toEqual({ taskIds: ['T'] });
    expect(commandNeeds('mode:set', { mode: 'typhoon', idempotencyKey: 'k' })).toEqual({});
  });
});
