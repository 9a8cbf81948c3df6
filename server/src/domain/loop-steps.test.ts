import { describe, expect, it } from 'vitest';
import type { Actor, Case, Task, Unit } from '@egret/protocol';
import { ChangeSet } from './change-set.ts';
import { dispatchCase, endTaskUndone, fieldUpdate } from './loop-steps.ts';

const AT = Date.UTC(2026, 6, 1, 2, 0, 0);
const COMMANDER: Actor = { role: 'commander', id: 'alice' };
const FIELD: Actor = { role: 'field', id: 'U-1' };

const filed: Case = {
  id: 'C-1',
  category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
  source: 'hotline',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '',
  district: '350203',
  status: 'filed',
  reportedAt: AT - 60_000,
  deadline: AT + 86_400_000,
  filedAt: AT - 30_000,
  supervised: false,
  history: [{ to: 'reported', at: AT - 60_000, actor: COMMANDER }],
  version: 2,
};
const unit: Unit = {
  id: 'U-1',
  name: 'U-1',
  type: 'sanitation',
  squadId: 'SQ-1',
  district: '350203',
  status: 'available',
  slot: 3,
  version: 5,
};

function dispatched() {
  const ch = new ChangeSet();
  const r = dispatchCase(ch, filed, unit, undefined, { actor: COMMANDER, at: AT, taskId: 'T-C-1-1', note: '注意安全' });
  if (!r.ok) throw new Error(r.message);
  return { ch, ...r.data };
}

describe(dispatchCase.name, () => {
  it('creates the task and moves the case and the unit, logging task.created, case.transitioned and unit.status_changed', () => {
    const { ch, case: c, task, unit: u } = dispatched();
    expect(ch.events.map((e) => e.type)).toEqual(['task.created', 'case.transitioned', 'unit.status_changed']);
    expect(task).toMatchObject({
      id: 'T-C-1-1',
      caseId: 'C-1',
      unitId: 'U-1',
      squadId: 'SQ-1',
      status: 'dispatched',
      note: '注意安全',
      version: 0,
    });
    expect(c).toMatchObject({ status: 'dispatched', squadId: 'SQ-1', taskId: 'T-C-1-1', dispatchedAt: AT, version: 3 });
    expect(u).toMatchObject({ status: 'dispatched', taskId: 'T-C-1-1', version: 6 });
    expect(ch.writes.map((w) => [w.kind, w.entity.id, w.expectedVersion])).toEqual([
      ['task', 'T-C-1-1', null],
      ['case', 'C-1', 2],
      ['unit', 'U-1', 5],
    ]);
  });

  it('refuses a busy unit before looking at the case, naming the case it is on', () => {
    const busy = { ...unit, status: 'en_route' as const, taskId: 'T-C-9-1' };
    const onIt: Task = {
      id: 'T-C-9-1',
      caseId: 'C-9',
      unitId: 'U-1',
      squadId: 'SQ-1',
      status: 'en_route',
      createdAt: AT,
      updatedAt: AT,
      actor: COMMANDER,
      version: 1,
    };
    const r = dispatchCase(new ChangeSet(), { ...filed, status: 'closed' }, busy, onIt, {
      actor: COMMANDER,
      at: AT,
      taskId: 'T-C-1-1',
    });
    expect(r).toEqual({
      ok: false,
      error: 'unit_busy',
      message: 'squad SQ-1 unit U-1 is already dispatched to case C-9 (task T-C-9-1)',
    });
  });

  it('refuses an off-duty unit, a case a squad already holds and a case not yet filed', () => {
    const ctx = { actor: COMMANDER, at: AT, taskId: 'T-C-1-1' };
    expect(dispatchCase(new ChangeSet(), filed, { ...unit, status: 'off_duty' }, undefined, ctx)).toMatchObject({
      error: 'unit_unavailable',
    });
    expect(
      dispatchCase(
        new ChangeSet(),
        { ...filed, status: 'in_progress', squadId: 'SQ-2', taskId: 'T-X' },
        unit,
        undefined,
        ctx,
      ),
    ).toMatchObject({
      error: 'case_already_dispatched',
      message: 'case C-1 is already in progress to squad SQ-2 (task T-X)',
    });
    expect(dispatchCase(new ChangeSet(), { ...filed, status: 'accepted' }, unit, undefined, ctx)).toMatchObject({
      error: 'illegal_transition',
    });
  });
});

describe(fieldUpdate.name, () => {
  const parties = () => {
    const d = dispatched();
    return { task: d.task, case: d.case, unit: d.unit };
  };
  const update = (to: Task['status'], reason?: string) => {
    const ch = new ChangeSet();
    const r = fieldUpdate(ch, parties(), to, { actor: FIELD, at: AT + 60_000, reason });
    return {
      ch,
      r,
      types: ch.events.map((e) =>
        e.type === 'case.transitioned' || e.type === 'unit.status_changed' || e.type === 'task.updated'
          ? `${e.type} ${e.from}→${e.to}`
          : e.type,
      ),
    };
  };

  it('starts the case when the unit accepts, and leaves the unit dispatched', () => {
    expect(update('accepted').types).toEqual([
      'task.updated dispatched→accepted',
      'case.transitioned dispatched→in_progress',
    ]);
  });

  it('moves the unit with its task en route and on scene', () => {
    expect(update('en_route').types).toEqual([
      'task.updated dispatched→en_route',
      'case.transitioned dispatched→in_progress',
      'unit.status_changed dispatched→en_route',
    ]);
    expect(update('on_scene').types).toEqual([
      'task.updated dispatched→on_scene',
      'case.transitioned dispatched→in_progress',
      'unit.status_changed dispatched→on_scene',
    ]);
  });

  it('reports the case handled and frees the unit when the task is done', () => {
    const { types, ch } = update('done');
    expect(types).toEqual([
      'task.updated dispatched→done',
      'case.transitioned dispatched→in_progress',
      'case.transitioned in_progress→handled',
      'unit.status_changed dispatched→available',
    ]);
    const c = ch.writes.find((w) => w.kind === 'case')!;
    expect(c).toMatchObject({ expectedVersion: 3, entity: { status: 'handled', handledAt: AT + 60_000, version: 5 } });
    const u = ch.writes.find((w) => w.kind === 'unit')!.entity as Unit;
    expect(u.taskId).toBeUndefined();
  });

  it('returns the case with the unit’s reason when it declines, and with a reason of its own when it times out', () => {
    const declined = update('declined', '车辆故障');
    expect(declined.types).toEqual([
      'task.updated dispatched→declined',
      'case.transitioned dispatched→filed',
      'unit.status_changed dispatched→available',
    ]);
    const c = declined.ch.writes.find((w) => w.kind === 'case')!.entity as Case;
    expect(c).toMatchObject({ status: 'filed', returns: 1 });
    expect(c.squadId).toBeUndefined();
    expect(c.history.at(-1)).toMatchObject({ action: 'return', reason: '车辆故障', actor: FIELD });
    const timedOut = update('timed_out').ch.writes.find((w) => w.kind === 'case')!.entity as Case;
    expect(timedOut.history.at(-1)!.reason).toBe('task T-C-1-1 timed out by unit U-1, no reason given');
  });

  it('refuses a finished task and a step back to dispatched', () => {
    const p = parties();
    expect(
      fieldUpdate(new ChangeSet(), { ...p, task: { ...p.task, status: 'done' } }, 'en_route', { actor: FIELD, at: AT }),
    ).toMatchObject({ error: 'task_finished' });
    expect(
      fieldUpdate(new ChangeSet(), { ...p, task: { ...p.task, status: 'accepted' } }, 'dispatched', {
        actor: FIELD,
        at: AT,
      }),
    ).toMatchObject({ error: 'illegal_transition' });
  });

  it('leaves a case alone that the task no longer holds', () => {
    const p = parties();
    const ch = new ChangeSet();
    fieldUpdate(ch, { ...p, case: { ...p.case, status: 'parked', taskId: undefined } as Case }, 'done', {
      actor: FIELD,
      at: AT,
    });
    expect(ch.events.map((e) => e.type)).toEqual(['task.updated', 'unit.status_changed']);
  });
});

describe(endTaskUndone.name, () => {
  it('keeps an offline unit offline while taking it off the task, and says so in the log', () => {
    const d = dispatched();
    const ch = new ChangeSet();
    const r = endTaskUndone(ch, { task: d.task, case: d.case, unit: { ...d.unit, status: 'offline' } }, 'recalled', {
      actor: COMMANDER,
      at: AT,
      reason: '失联',
    });
    expect(r.ok).toBe(true);
    expect(ch.events.at(-1)).toMatchObject({
      type: 'unit.status_changed',
      from: 'offline',
      to: 'offline',
      unit: { status: 'offline' },
    });
    expect((ch.events.at(-1) as { unit: Unit }).unit.taskId).toBeUndefined();
  });
});

describe(ChangeSet.name, () => {
  it('writes an entity moved twice once, in its last state, checked against the version it was read at', () => {
    const ch = new ChangeSet();
    const once = ch.put('case', filed, { ...filed, status: 'dispatched', version: 3 });
    ch.put('case', once, { ...once, status: 'filed', version: 4 });
    expect(ch.writes).toEqual([
      { kind: 'case', expectedVersion: 2, entity: { ...filed, status: 'filed', version: 4 } },
    ]);
  });
});
