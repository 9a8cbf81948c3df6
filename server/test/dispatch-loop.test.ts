import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, LogEvent, Task, Unit } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { Screen, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';
import {
  caseReaches,
  Console,
  fileCase,
  input,
  inputsHandled,
  logLength,
  mirrorCaughtUp,
  ok,
  postCommand,
  readLogEvents,
  registerUnit,
  stored,
  taskUpdate,
} from './loop-fixture.ts';

/** What a log event says, in a line: enough to check a sequence of events exactly. */
function gist(e: LogEvent): string {
  switch (e.type) {
    case 'case.reported':
      return `case.reported ${e.case.id}`;
    case 'case.transitioned':
      return `case ${e.case.id} ${e.from}→${e.to} by ${e.actor.role}:${e.actor.id}`;
    case 'case.amended':
      return `case ${e.case.id} ${e.change} by ${e.actor.role}:${e.actor.id}`;
    case 'unit.registered':
      return `unit.registered ${e.unit.id}`;
    case 'unit.status_changed':
      return `unit ${e.unit.id} ${e.from}→${e.to}`;
    case 'task.created':
      return `task.created ${e.task.id} ${e.task.unitId} by ${e.actor.role}:${e.actor.id}`;
    case 'task.updated':
      return `task ${e.task.id} ${e.from}→${e.to} by ${e.actor.role}:${e.actor.id}`;
    case 'mode.changed':
      return `mode ${e.mode} by ${e.actor.role}:${e.actor.id}`;
    case 'clock.changed':
      return 'clock.changed';
    case 'storm.updated':
      return `storm ${e.storm.id}`;
    case 'sensor.registered':
      return `sensor.registered ${e.sensor.id}`;
    case 'sensor.read':
      return `sensor ${e.sensor.id} ${e.from}→${e.to}`;
    case 'focus.changed':
      return `focus ${e.focus?.caseId ?? e.focus?.unitId ?? e.focus?.extent?.join(',') ?? 'overview'} by ${e.actor.role}:${e.actor.id}`;
    case 'layers.changed':
      return `layers ${e.layers?.join(',') ?? 'mode defaults'} by ${e.actor.role}:${e.actor.id}`;
    case 'terminal.changed':
      return `terminal ${e.unitId} ${e.terminal.state}`;
    case 'camera.registered':
    case 'camera.removed':
      return `${e.type} ${e.camera.id}`;
    case 'video.changed':
      return `video ${e.action} ${e.action === 'opened' ? e.window.cameraId : e.cameraId}`;
    case 'plan.changed':
      return `plan ${e.plan.planId} ${e.change} ${e.plan.level} by ${e.actor.role}:${e.actor.id}`;
    case 'inspections.issued':
      return `inspections.issued ${e.inspections.length}`;
    case 'inspection.checked':
      return `inspection ${e.inspection.id} ${e.inspection.status}`;
    case 'prepositions.changed':
      return `prepositions ${e.change} ${e.orders.length}`;
    case 'plan.supervised':
      return `plan.supervised ${e.supervision.planId} ${e.supervision.squadId}`;
  }
}

describe('the closed loop: commands from the console, task updates from the field', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let alice: Console;
  let bob: Console;

  beforeAll(async () => {
    const t = await testRedis('loop');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns);
    alice = new Console(hub.url, 'alice');
    bob = new Console(hub.url, 'bob');
  });
  afterAll(async () => {
    alice.close();
    bob.close();
    await hub.close();
    await redis.close();
  });

  it('takes a case from report to closed: accept, file, dispatch, the field’s progress, verify, close — with exactly these log events', async () => {
    const screen = new Screen(hub.url);
    try {
      await waitFor('the snapshot', () => screen.snapshots.length === 1);
      const from = await logLength(redis, keys);
      await registerUnit(redis, keys, 'U-HAPPY', { squadId: 'SQ-SM-1' });
      await fileCase(redis, keys, 'C-HAPPY');
      await caseReaches(hub, 'C-HAPPY', 'filed');

      const sent = ok(await alice.send('case:dispatch', { caseId: 'C-HAPPY', unitId: 'U-HAPPY', note: '带上油锯' }));
      expect(sent).toEqual({
        caseId: 'C-HAPPY',
        taskId: 'T-C-HAPPY-1',
        unitId: 'U-HAPPY',
        squadId: 'SQ-SM-1',
        seq: from + 7,
      });

      for (const status of ['accepted', 'en_route', 'on_scene', 'done'] as const)
        await taskUpdate(redis, keys, 'T-C-HAPPY-1', 'U-HAPPY', status);
      await caseReaches(hub, 'C-HAPPY', 'handled');
      const verified = ok(await bob.send('case:transition', { caseId: 'C-HAPPY', action: 'verify' }));
      expect(verified).toMatchObject({ from: 'handled', to: 'verifying', action: 'verify' });
      ok(await bob.send('case:transition', { caseId: 'C-HAPPY', action: 'close' }));
      await caseReaches(hub, 'C-HAPPY', 'closed');

      const events = (await readLogEvents(redis, keys)).filter((e) => e.seq > from);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => from + 1 + i));
      expect(events.map(gist)).toEqual([
        'unit.registered U-HAPPY',
        'case.reported C-HAPPY',
        'case C-HAPPY reported→accepted by dispatcher:clerk-1',
        'case C-HAPPY accepted→filed by dispatcher:clerk-1',
        'task.created T-C-HAPPY-1 U-HAPPY by commander:alice',
        'case C-HAPPY filed→dispatched by commander:alice',
        'unit U-HAPPY available→dispatched',
        'task T-C-HAPPY-1 dispatched→accepted by field:U-HAPPY',
        'case C-HAPPY dispatched→in_progress by field:U-HAPPY',
        'task T-C-HAPPY-1 accepted→en_route by field:U-HAPPY',
        'unit U-HAPPY dispatched→en_route',
        'task T-C-HAPPY-1 en_route→on_scene by field:U-HAPPY',
        'unit U-HAPPY en_route→on_scene',
        'task T-C-HAPPY-1 on_scene→done by field:U-HAPPY',
        'case C-HAPPY in_progress→handled by field:U-HAPPY',
        'unit U-HAPPY on_scene→available',
        'case C-HAPPY handled→verifying by commander:bob',
        'case C-HAPPY verifying→closed by commander:bob',
      ]);

      const c = (await stored<Case>(redis, keys.cases, 'C-HAPPY'))!;
      expect(c).toMatchObject({
        status: 'closed',
        dispatchedAt: expect.any(Number),
        handledAt: expect.any(Number),
        closedAt: expect.any(Number),
      });
      expect(c.taskId).toBeUndefined();
      expect(c.history.map((s) => s.action ?? s.to)).toEqual([
        'reported',
        'accept',
        'file',
        'dispatch',
        'start',
        'handle',
        'verify',
        'close',
      ]);
      expect(c.history[3]).toMatchObject({ reason: '带上油锯', actor: { role: 'commander', id: 'alice' } });
      expect(await stored<Task>(redis, keys.tasks, 'T-C-HAPPY-1')).toMatchObject({
        status: 'done',
        squadId: 'SQ-SM-1',
        note: '带上油锯',
      });
      const u = (await stored<Unit>(redis, keys.units, 'U-HAPPY'))!;
      expect(u.status).toBe('available');
      expect(u.taskId).toBeUndefined();

      // The wall saw the same events, in order, and draws the same world as the hub.
      await waitFor('the screen to see the close', () => screen.lastSeq >= events.at(-1)!.seq);
      expect(screen.events.filter((e) => e.seq > from)).toEqual(events);
      expect(screen.world()!.cases.get('C-HAPPY')).toEqual(c);
    } finally {
      screen.close();
    }
  });

  it('recalls a task: the task ends recalled, the case goes back to filed with the reason, the unit is free', async () => {
    await registerUnit(redis, keys, 'U-RECALL');
    await fileCase(redis, keys, 'C-RECALL');
    await caseReaches(hub, 'C-RECALL', 'filed');
    const { taskId } = ok(await alice.send('case:dispatch', { caseId: 'C-RECALL', unitId: 'U-RECALL' }));
    await taskUpdate(redis, keys, taskId, 'U-RECALL', 'en_route');
    await caseReaches(hub, 'C-RECALL', 'in_progress');
    const before = await logLength(redis, keys);

    const r = ok(await alice.send('task:recall', { taskId, reason: '风力过大，暂停作业' }));
    expect(r).toEqual({ taskId, caseId: 'C-RECALL', unitId: 'U-RECALL', seq: before + 3 });
    const events = (await readLogEvents(redis, keys)).filter((e) => e.seq > before);
    expect(events.map(gist)).toEqual([
      `task ${taskId} en_route→recalled by commander:alice`,
      'case C-RECALL in_progress→filed by commander:alice',
      'unit U-RECALL en_route→available',
    ]);
    const c = (await stored<Case>(redis, keys.cases, 'C-RECALL'))!;
    expect(c).toMatchObject({ status: 'filed', returns: 1 });
    expect(c.history.at(-1)).toMatchObject({ action: 'return', reason: '风力过大，暂停作业' });
    expect(c.taskId).toBeUndefined();
    expect(await stored<Task>(redis, keys.tasks, taskId)).toMatchObject({
      status: 'recalled',
      reason: '风力过大，暂停作业',
    });
    expect((await stored<Unit>(redis, keys.units, 'U-RECALL'))?.taskId).toBeUndefined();

    expect(await alice.send('task:recall', { taskId, reason: 'again' })).toMatchObject({
      ok: false,
      error: 'task_finished',
    });
    // Dispatched again, it gets the case's second task.
    expect(ok(await alice.send('case:dispatch', { caseId: 'C-RECALL', unitId: 'U-RECALL' })).taskId).toBe(
      'T-C-RECALL-2',
    );
  });

  it('reassigns a case in one step: the first task recalled and the second dispatched, six consecutive events', async () => {
    await registerUnit(redis, keys, 'U-RA-1', { squadId: 'SQ-RA-1' });
    await registerUnit(redis, keys, 'U-RA-2', { squadId: 'SQ-RA-2' });
    await fileCase(redis, keys, 'C-RA');
    await caseReaches(hub, 'C-RA', 'filed');
    ok(await alice.send('case:dispatch', { caseId: 'C-RA', unitId: 'U-RA-1' }));
    await mirrorCaughtUp(hub, redis, keys);
    const before = await logLength(redis, keys);

    const r = ok(await bob.send('case:reassign', { caseId: 'C-RA', unitId: 'U-RA-2', reason: '一中队在处置火情' }));
    expect(r).toEqual({
      caseId: 'C-RA',
      recalledTaskId: 'T-C-RA-1',
      taskId: 'T-C-RA-2',
      unitId: 'U-RA-2',
      squadId: 'SQ-RA-2',
      seq: before + 6,
    });
    expect((await readLogEvents(redis, keys)).filter((e) => e.seq > before).map(gist)).toEqual([
      'task T-C-RA-1 dispatched→recalled by commander:bob',
      'case C-RA dispatched→filed by commander:bob',
      'unit U-RA-1 dispatched→available',
      'task.created T-C-RA-2 U-RA-2 by commander:bob',
      'case C-RA filed→dispatched by commander:bob',
      'unit U-RA-2 available→dispatched',
    ]);
    expect(await stored<Case>(redis, keys.cases, 'C-RA')).toMatchObject({
      status: 'dispatched',
      squadId: 'SQ-RA-2',
      taskId: 'T-C-RA-2',
      returns: 1,
    });

    expect(await bob.send('case:reassign', { caseId: 'C-RA', unitId: 'U-RA-2', reason: 'x' })).toMatchObject({
      ok: false,
      error: 'same_unit',
    });
    expect(await bob.send('case:reassign', { caseId: 'C-RA', unitId: 'U-RA-2', reason: ' ' })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    await fileCase(redis, keys, 'C-RA-FILED');
    await caseReaches(hub, 'C-RA-FILED', 'filed');
    expect(await bob.send('case:reassign', { caseId: 'C-RA-FILED', unitId: 'U-RA-1', reason: 'x' })).toMatchObject({
      ok: false,
      error: 'case_not_dispatched',
    });
  });

  it('returns a case a unit declines, with the unit’s reason, and frees the unit', async () => {
    await registerUnit(redis, keys, 'U-DECLINE');
    await fileCase(redis, keys, 'C-DECLINE');
    await caseReaches(hub, 'C-DECLINE', 'filed');
    const { taskId } = ok(await alice.send('case:dispatch', { caseId: 'C-DECLINE', unitId: 'U-DECLINE' }));
    await mirrorCaughtUp(hub, redis, keys);
    const before = await logLength(redis, keys);
    await taskUpdate(redis, keys, taskId, 'U-DECLINE', 'declined', '不属于本中队辖区');
    await caseReaches(hub, 'C-DECLINE', 'filed');

    expect((await readLogEvents(redis, keys)).filter((e) => e.seq > before).map(gist)).toEqual([
      `task ${taskId} dispatched→declined by field:U-DECLINE`,
      'case C-DECLINE dispatched→filed by field:U-DECLINE',
      'unit U-DECLINE dispatched→available',
    ]);
    const c = (await stored<Case>(redis, keys.cases, 'C-DECLINE'))!;
    expect(c).toMatchObject({ status: 'filed', returns: 1 });
    expect(c.history.at(-1)).toMatchObject({
      to: 'filed',
      action: 'return',
      reason: '不属于本中队辖区',
      actor: { role: 'field', id: 'U-DECLINE' },
    });
    expect(await stored<Task>(redis, keys.tasks, taskId)).toMatchObject({
      status: 'declined',
      reason: '不属于本中队辖区',
    });
    expect(await stored<Unit>(redis, keys.units, 'U-DECLINE')).toMatchObject({ status: 'available' });

    // A task that timed out without a word is returned with a reason saying so.
    const again = ok(await alice.send('case:dispatch', { caseId: 'C-DECLINE', unitId: 'U-DECLINE' }));
    await taskUpdate(redis, keys, again.taskId, 'U-DECLINE', 'timed_out');
    await waitFor(
      'the time-out to return the case',
      async () => (await stored<Case>(redis, keys.cases, 'C-DECLINE'))?.returns === 2,
    );
    expect((await stored<Case>(redis, keys.cases, 'C-DECLINE'))!.history.at(-1)!.reason).toMatch(/timed out/);
  });

  it('ends the task and frees the unit when the case system itself parks a dispatched case', async () => {
    await registerUnit(redis, keys, 'U-PARK');
    await fileCase(redis, keys, 'C-UPARK');
    await caseReaches(hub, 'C-UPARK', 'filed');
    const { taskId } = ok(await alice.send('case:dispatch', { caseId: 'C-UPARK', unitId: 'U-PARK' }));
    await taskUpdate(redis, keys, taskId, 'U-PARK', 'accepted');
    await caseReaches(hub, 'C-UPARK', 'in_progress');
    await input(redis, keys, {
      kind: 'case.transition',
      caseId: 'C-UPARK',
      to: 'parked',
      actor: { role: 'dispatcher', id: 'clerk-1' },
      reason: '需市政协调',
      at: Date.now(),
    });
    await caseReaches(hub, 'C-UPARK', 'parked');
    await inputsHandled(redis, keys);
    expect(await stored<Task>(redis, keys.tasks, taskId)).toMatchObject({ status: 'recalled', reason: '需市政协调' });
    expect(await stored<Unit>(redis, keys.units, 'U-PARK')).toMatchObject({ status: 'available' });
  });

  it('sets the mode once, refuses setting it again, and logs who did it', async () => {
    const r = ok(await alice.send('mode:set', { mode: 'typhoon' }));
    expect(r.mode).toBe('typhoon');
    await waitFor('the mirror in typhoon mode', () => hub.app.world().mode === 'typhoon');
    expect(await bob.send('mode:set', { mode: 'typhoon' })).toMatchObject({ ok: false, error: 'already_in_mode' });
    const events = await readLogEvents(redis, keys);
    expect(events.filter((e) => e.type === 'mode.changed').map(gist)).toEqual(['mode typhoon by commander:alice']);
    ok(await bob.send('mode:set', { mode: 'peacetime' }));
  });

  it('answers the same commands over HTTP with 200, 400, 404 and 409 and the same Result shape', async () => {
    await registerUnit(redis, keys, 'U-HTTP');
    await fileCase(redis, keys, 'C-HTTP');
    await caseReaches(hub, 'C-HTTP', 'filed');
    const body = { caseId: 'C-HTTP', unitId: 'U-HTTP', idempotencyKey: 'http-key-1' };
    const first = await postCommand(hub.url, 'case:dispatch', body, 'auto-dispatcher');
    expect(first).toMatchObject({
      status: 200,
      result: { ok: true, data: { taskId: 'T-C-HTTP-1', squadId: 'SQ-U-HTTP' } },
    });
    expect(await stored<Task>(redis, keys.tasks, 'T-C-HTTP-1')).toMatchObject({
      actor: { role: 'commander', id: 'auto-dispatcher' },
    });
    // A retry of the same request answers the first result, again 200.
    expect(await postCommand(hub.url, 'case:dispatch', body)).toEqual(first);

    expect(await postCommand(hub.url, 'case:dispatch', { caseId: 'C-HTTP' })).toMatchObject({
      status: 400,
      result: { ok: false, error: 'bad_request', message: expect.stringContaining('unitId') },
    });
    expect(await postCommand(hub.url, 'case:dispatch', '{not json')).toMatchObject({
      status: 400,
      result: { ok: false, error: 'bad_request' },
    });
    expect(
      await postCommand(hub.url, 'case:dispatch', { ...body, caseId: 'C-NOPE', idempotencyKey: 'k2' }),
    ).toMatchObject({ status: 404, result: { error: 'unknown_case' } });
    expect(await postCommand(hub.url, 'case:launch', body)).toMatchObject({
      status: 404,
      result: { error: 'unknown_command' },
    });
    expect(
      await postCommand(hub.url, 'case:transition', { caseId: 'C-HTTP', action: 'close', idempotencyKey: 'k3' }),
    ).toMatchObject({
      status: 409,
      result: { ok: false, error: 'illegal_transition', message: expect.stringContaining('C-HTTP') },
    });
  });
});
