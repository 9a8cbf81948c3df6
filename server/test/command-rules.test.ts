import { describe, expect, it } from 'vitest';
import type { Actor, LogEvent } from '@egret/protocol';
import { MemoryLoop, ok } from './memory-loop.ts';

/**
 * The command rules through the command path — read, decide, commit — on the in-memory store: what a command does
 * and refuses, with no hub and no Redis. (Moved from dispatch-loop.test.ts and command-races.test.ts, whose tests
 * about Redis, races between hubs, sockets and the mirror stay there.)
 */

const ALICE: Actor = { role: 'commander', id: 'alice' };
const BOB: Actor = { role: 'commander', id: 'bob' };
const CAROL: Actor = { role: 'commander', id: 'carol' };

const amendment = (e: LogEvent) =>
  e.type === 'case.amended' ? `case ${e.case.id} ${e.change} by ${e.actor.role}:${e.actor.id}` : e.type;

describe('the command rules (in-memory store)', () => {
  it('extends a deadline and raises the supervision flag as case.amended events', async () => {
    const loop = new MemoryLoop();
    await loop.fileCase('C-AMEND');
    const before = loop.store.entities.cases.get('C-AMEND')!;
    const ext = ok(await loop.send(ALICE, 'case:extend', { caseId: 'C-AMEND', hours: 24, reason: '等待配件' }));
    expect(ext.deadline).toBe(before.deadline! + 24 * 3_600_000);
    ok(await loop.send(BOB, 'case:supervise', { caseId: 'C-AMEND', reason: '市领导关注' }));
    expect(await loop.send(BOB, 'case:supervise', { caseId: 'C-AMEND' })).toMatchObject({
      ok: false,
      error: 'already_supervised',
    });
    const amended = loop.store.log.filter((e) => e.type === 'case.amended' && e.case.id === 'C-AMEND');
    expect(amended.map(amendment)).toEqual([
      'case C-AMEND deadline_extended by commander:alice',
      'case C-AMEND supervised by commander:bob',
    ]);
    expect(loop.store.entities.cases.get('C-AMEND')).toMatchObject({
      supervised: true,
      extensions: 1,
      deadline: ext.deadline,
    });
  });

  it('refuses steps that need a reason without one, extensions of finished or overdue cases, and supervision of closed ones', async () => {
    const loop = new MemoryLoop();
    await loop.fileCase('C-RULES');
    // C-RULES-CLOSED: filed, dispatched, done in the field, verified, closed.
    await loop.registerUnit('U-C-RULES-CLOSED');
    await loop.fileCase('C-RULES-CLOSED');
    const { taskId } = ok(
      await loop.send(ALICE, 'case:dispatch', { caseId: 'C-RULES-CLOSED', unitId: 'U-C-RULES-CLOSED' }),
    );
    await loop.taskUpdate(taskId, 'U-C-RULES-CLOSED', 'accepted');
    await loop.taskUpdate(taskId, 'U-C-RULES-CLOSED', 'done');
    ok(await loop.send(ALICE, 'case:transition', { caseId: 'C-RULES-CLOSED', action: 'verify' }));
    ok(await loop.send(ALICE, 'case:transition', { caseId: 'C-RULES-CLOSED', action: 'close' }));
    expect(loop.store.entities.cases.get('C-RULES-CLOSED')?.status).toBe('closed');

    const logBefore = loop.store.seq;
    const before = structuredClone(loop.store.entities.cases);
    expect(await loop.send(CAROL, 'case:transition', { caseId: 'C-RULES', action: 'park' })).toMatchObject({
      ok: false,
      error: 'reason_required',
    });
    expect(await loop.send(CAROL, 'case:extend', { caseId: 'C-RULES-CLOSED', hours: 4, reason: 'x' })).toMatchObject({
      ok: false,
      error: 'not_extendable',
    });
    expect(await loop.send(CAROL, 'case:supervise', { caseId: 'C-RULES-CLOSED' })).toMatchObject({
      ok: false,
      error: 'case_finished',
    });
    expect(await loop.send(CAROL, 'case:extend', { caseId: 'C-RULES', hours: -1, reason: 'x' })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    expect(await loop.send(CAROL, 'case:dispatch', { caseId: 'C-RULES', unitId: 'U-NOBODY' })).toMatchObject({
      ok: false,
      error: 'unknown_unit',
    });
    expect(await loop.send(CAROL, 'task:recall', { taskId: 'T-NOPE', reason: 'x' })).toMatchObject({
      ok: false,
      error: 'unknown_task',
    });
    expect(loop.store.seq).toBe(logBefore);
    expect(loop.store.entities.cases).toEqual(before);
  });

  it('refuses an off-duty unit, and dispatches to an overdue case filed days ago', async () => {
    const loop = new MemoryLoop();
    await loop.registerUnit('U-OFF', { status: 'off_duty' });
    await loop.fileCase('C-OLD', Date.now() - 5 * 24 * 3_600_000);
    expect(loop.store.entities.cases.get('C-OLD')?.status).toBe('filed');
    expect(await loop.send(ALICE, 'case:dispatch', { caseId: 'C-OLD', unitId: 'U-OFF' })).toMatchObject({
      ok: false,
      error: 'unit_unavailable',
      message: 'squad SQ-U-OFF unit U-OFF is off duty',
    });
    await loop.registerUnit('U-ON');
    ok(await loop.send(ALICE, 'case:dispatch', { caseId: 'C-OLD', unitId: 'U-ON' }));
    expect(await loop.send(ALICE, 'case:extend', { caseId: 'C-OLD', hours: 4, reason: 'too late' })).toMatchObject({
      ok: false,
      error: 'already_overdue',
    });
    expect(loop.store.entities.cases.get('C-OLD')!.status).toBe('dispatched');
  });
});
