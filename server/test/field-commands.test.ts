import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldNow, type Case, type Clock, type LogEvent, type PhotoRef } from '@egret/protocol';
import { addUser, auditEntries, PASSWORD, sessionCookie } from './auth-fixture.ts';
import { call, Phone, postField, startFieldHub, uploadPhoto, type FieldHub } from './field-fixture.ts';
import { waitFor } from './hub-fixture.ts';
import { caseReaches, fileCase, input, inputsHandled, readLogEvents, registerUnit } from './loop-fixture.ts';

/**
 * The field terminal's commands (issue #16) against a real hub in required mode over the test Redis, with real
 * Socket.IO phones on `/field`, real HTTP and real photos: a squad member's steps on their task, an inspector's
 * report and verification, and every bad input the issue lists — each refused with its code, counted and kept.
 */

const G1 = 'G1FIELD01';
const G2 = 'G2FIELD02';

describe('field commands: a unit’s task from dispatch to handled, an inspector’s report and verification', () => {
  let hub: FieldHub;
  let dispatcher: Record<string, string>;
  let ivy: Record<string, string>; // inspector of G1
  let ian: Record<string, string>; // inspector of G2
  let t1: string; // U-F1's device token
  let t2: string; // U-F2's device token
  let phone1: Phone;
  let phone2: Phone;
  let after: PhotoRef;
  let before: PhotoRef;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  /** Dispatches case `caseId` to `unitId` from the console's HTTP API; answers the task id. */
  async function dispatch(caseId: string, unitId: string): Promise<string> {
    const r = await call(hub.url, 'POST', '/api/commands/case:dispatch', dispatcher, {
      caseId,
      unitId,
      idempotencyKey: randomUUID(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.data as { taskId: string }).taskId;
  }
  const events = async (pred: (e: LogEvent) => boolean) => (await readLogEvents(hub.redis, hub.keys)).filter(pred);

  beforeAll(async () => {
    hub = await startFieldHub('field-cmds');
    await addUser(hub.store, 'dora', 'dispatcher');
    await hub.store.add('ivy', 'inspector', PASSWORD, [G1]);
    await hub.store.add('ian', 'inspector', PASSWORD, [G2]);
    dispatcher = { cookie: await sessionCookie(hub.url, 'dora', PASSWORD) };
    ivy = { cookie: await sessionCookie(hub.url, 'ivy', PASSWORD) };
    ian = { cookie: await sessionCookie(hub.url, 'ian', PASSWORD) };
    for (const u of ['U-F1', 'U-F2', 'U-F3']) await registerUnit(hub.redis, hub.keys, u);
    for (const c of ['C-F1', 'C-F2', 'C-F3', 'C-F4']) await fileCase(hub.redis, hub.keys, c, { grid: G1 });
    await inputsHandled(hub.redis, hub.keys);
    await caseReaches(hub, 'C-F4', 'filed');
    t1 = (await hub.store.createDevice('U-F1')).token;
    t2 = (await hub.store.createDevice('U-F2')).token;
    phone1 = new Phone(hub.url, { token: t1 });
    phone2 = new Phone(hub.url, { token: t2 });
    expect(await phone1.outcome()).toBe('connected');
    expect(await phone2.outcome()).toBe('connected');
    after = await uploadPhoto(hub.url, bearer(t1), 'after');
    before = await uploadPhoto(hub.url, bearer(t1), 'before');
  });

  afterAll(async () => {
    phone1?.close();
    phone2?.close();
    await hub?.closeField();
  });

  it('pushes a dispatched task to its unit’s phone within 2 s, with the case and the commander’s note', async () => {
    await waitFor('the first field:state', () => phone1.state !== undefined);
    expect(phone1.state!.me).toMatchObject({ kind: 'unit', unit: { id: 'U-F1' } });
    expect(phone1.state!.tasks).toEqual([]);
    const sent = Date.now();
    const r = await call(hub.url, 'POST', '/api/commands/case:dispatch', dispatcher, {
      caseId: 'C-F1',
      unitId: 'U-F1',
      note: '带上夹子',
      idempotencyKey: randomUUID(),
    });
    expect(r.status).toBe(200);
    await waitFor('the task on the phone', () => phone1.state!.tasks.length === 1, 2_000);
    expect(Date.now() - sent).toBeLessThan(2_000);
    const [view] = phone1.state!.tasks;
    expect(view!.task).toMatchObject({ caseId: 'C-F1', unitId: 'U-F1', status: 'dispatched', note: '带上夹子' });
    expect(view!.case).toMatchObject({ id: 'C-F1', status: 'dispatched', grid: G1 });
    // The other unit's phone hears nothing of it.
    expect(phone2.state!.tasks).toEqual([]);
  });

  it('takes the unit’s steps once per idempotency key, and refuses a reused key with another body', async () => {
    const taskId = phone1.state!.tasks[0]!.task.id;
    const key = randomUUID();
    const body = { taskId, status: 'accepted', idempotencyKey: key, at: Date.now() };
    const first = await phone1.send('task:progress', body);
    expect(first).toMatchObject({ ok: true, result: { taskId, caseId: 'C-F1', status: 'accepted' } });
    // An outbox resending the same action (same key, same body) gets the first answer; nothing is applied twice.
    const again = await phone1.send('task:progress', body);
    expect(again).toEqual(first);
    const http = await postField(hub.url, 'task:progress', body, bearer(t1));
    expect(http.status).toBe(200);
    expect(http.answer).toEqual(first);
    const accepted = await events((e) => e.type === 'task.updated' && e.task.id === taskId && e.to === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ actor: { role: 'field', id: 'U-F1' } });
    const reused = await phone1.send('task:progress', { taskId, status: 'en_route', idempotencyKey: key });
    expect(reused).toMatchObject({ ok: false, refusal: { code: 'idempotency_key_reused' } });
    await caseReaches(hub, 'C-F1', 'in_progress');
  });

  it('refuses a unit acting on another unit’s task, an illegal step, and a step it already took', async () => {
    const taskId = phone1.state!.tasks[0]!.task.id;
    const other = await phone2.send('task:progress', { taskId, status: 'done', photos: [after] });
    expect(other).toMatchObject({ ok: false, refusal: { code: 'not_your_task' } });
    const viaHttp = await postField(
      hub.url,
      'task:progress',
      { taskId, status: 'declined', reason: 'x', at: 1, idempotencyKey: randomUUID() },
      bearer(t2),
    );
    expect(viaHttp.status).toBe(403);
    expect(viaHttp.answer).toMatchObject({ ok: false, refusal: { code: 'not_your_task' } });
    const same = await phone1.send('task:progress', { taskId, status: 'accepted' });
    expect(same).toMatchObject({ ok: false, refusal: { code: 'illegal_step' } });
    // Steps no phone may take: the schema knows only the field's.
    for (const status of ['dispatched', 'recalled', 'timed_out', 'DONE']) {
      const r = await phone1.send('task:progress', { taskId, status });
      expect(r).toMatchObject({ ok: false, refusal: { code: 'bad_request' } });
    }
    // A device naming another unit in the body: the schema is strict, the unit is the token's.
    const smuggled = await phone2.send('task:progress', { taskId, unitId: 'U-F2', status: 'en_route' });
    expect(smuggled).toMatchObject({ ok: false, refusal: { code: 'bad_request' } });
    expect(hub.app.world().tasks.get(taskId)?.status).toBe('accepted');
  });

  it('needs an after photo (处置后) to report done, refuses unknown photos, and keeps the photos on the case', async () => {
    const taskId = phone1.state!.tasks[0]!.task.id;
    const none = await phone1.send('task:progress', { taskId, status: 'done' });
    expect(none).toMatchObject({ ok: false, refusal: { code: 'photo_required' } });
    const beforeOnly = await phone1.send('task:progress', { taskId, status: 'done', photos: [before] });
    expect(beforeOnly).toMatchObject({ ok: false, refusal: { code: 'photo_required' } });
    const ghost = { id: 'f'.repeat(64), role: 'after', at: Date.now() };
    const unknown = await phone1.send('task:progress', { taskId, status: 'done', photos: [before, ghost] });
    expect(unknown).toMatchObject({ ok: false, refusal: { code: 'unknown_photo' } });
    const upper = await phone1.send('task:progress', {
      taskId,
      status: 'done',
      photos: [{ ...after, id: after.id.toUpperCase() }],
    });
    expect(upper).toMatchObject({ ok: false, refusal: { code: 'bad_request' } });
    const wrongRole = await phone1.send('task:progress', {
      taskId,
      status: 'done',
      photos: [{ ...after, role: 'verify' }],
    });
    expect(wrongRole).toMatchObject({ ok: false, refusal: { code: 'bad_request' } });
    const withPhotoEarly = await phone1.send('task:progress', { taskId, status: 'on_scene', photos: [after] });
    expect(withPhotoEarly).toMatchObject({ ok: false, refusal: { code: 'bad_request' } });
    const http = await postField(
      hub.url,
      'task:progress',
      { taskId, status: 'done', at: 1, idempotencyKey: randomUUID() },
      bearer(t1),
    );
    expect(http.status).toBe(422);
    const done = await phone1.send('task:progress', { taskId, status: 'done', photos: [before, after] });
    expect(done).toMatchObject({ ok: true, result: { status: 'done' } });
    await caseReaches(hub, 'C-F1', 'handled');
    const c = hub.app.world().cases.get('C-F1')!;
    expect(c.photos).toEqual([
      { ...before, by: 'U-F1' },
      { ...after, by: 'U-F1' },
    ]);
    await waitFor('the finished task to leave the phone', () => phone1.state!.tasks.length === 0);
    const finished = await phone1.send('task:progress', { taskId, status: 'en_route' });
    expect(finished).toMatchObject({ ok: false, refusal: { code: 'illegal_step' } });
  });

  it('needs a reason to decline, and a declined task goes back to filed', async () => {
    const taskId = await dispatch('C-F2', 'U-F2');
    await waitFor('the task on phone 2', () => phone2.state!.tasks.length === 1);
    for (const reason of [undefined, '', '   ']) {
      const r = await phone2.send('task:progress', {
        taskId,
        status: 'declined',
        ...(reason !== undefined ? { reason } : {}),
      });
      expect(r).toMatchObject({ ok: false, refusal: { code: 'reason_required' } });
    }
    const ok = await phone2.send('task:progress', { taskId, status: 'declined', reason: '车辆故障' });
    expect(ok).toMatchObject({ ok: true });
    await caseReaches(hub, 'C-F2', 'filed');
    expect(hub.app.world().tasks.get(taskId)).toMatchObject({ status: 'declined', reason: '车辆故障' });
  });

  it('counts and keeps every refusal in the audit stream, with who asked', async () => {
    const audit = await auditEntries(hub.redis, hub.keys);
    const codes = new Set(audit.filter((a) => a.command === 'task:progress').map((a) => a.error));
    for (const code of [
      'not_your_task',
      'illegal_step',
      'photo_required',
      'unknown_photo',
      'reason_required',
      'idempotency_key_reused',
      'bad_request',
    ])
      expect(codes, code).toContain(code);
    expect(audit.find((a) => a.error === 'not_your_task')!.actor).toEqual({ role: 'field', id: 'U-F2' });
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/egret_commands_total\{command="task:progress",result="not_your_task"\} [1-9]/);
    expect(metrics).toMatch(/egret_commands_total\{command="task:progress",result="replayed"\} [1-9]/);
  });

  it('lets an inspector verify a handled case in their grids only, with a photo: confirm closes it', async () => {
    const inspector = new Phone(hub.url, { cookie: ivy.cookie! });
    const other = new Phone(hub.url, { cookie: ian.cookie! });
    try {
      expect(await inspector.outcome()).toBe('connected');
      expect(await other.outcome()).toBe('connected');
      await waitFor('the verification on the inspector’s phone', () =>
        (inspector.state?.verifications ?? []).some((c) => c.id === 'C-F1'),
      );
      expect(inspector.state!.me).toEqual({ kind: 'inspector', name: 'ivy', grids: [G1] });
      expect(other.state!.verifications).toEqual([]);
      const verify = await uploadPhoto(hub.url, ivy, 'verify');
      const notMine = await other.send('case:verify', { caseId: 'C-F1', outcome: 'confirm', photos: [verify] });
      expect(notMine).toMatchObject({ ok: false, refusal: { code: 'not_your_grid' } });
      const noPhoto = await inspector.send('case:verify', { caseId: 'C-F1', outcome: 'confirm', photos: [] });
      expect(noPhoto).toMatchObject({ ok: false, refusal: { code: 'bad_request' } });
      const notHandled = await inspector.send('case:verify', { caseId: 'C-F3', outcome: 'confirm', photos: [verify] });
      expect(notHandled).toMatchObject({ ok: false, refusal: { code: 'not_verifiable' } });
      const byDevice = await phone1.send('case:verify', { caseId: 'C-F1', outcome: 'confirm', photos: [verify] });
      expect(byDevice).toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
      const http = await postField(
        hub.url,
        'case:verify',
        { caseId: 'C-F1', outcome: 'confirm', photos: [verify], at: 1, idempotencyKey: randomUUID() },
        ian,
      );
      expect(http.status).toBe(403);
      const ok = await inspector.send('case:verify', { caseId: 'C-F1', outcome: 'confirm', photos: [verify] });
      expect(ok).toMatchObject({ ok: true, result: { caseId: 'C-F1', to: 'closed' } });
      await caseReaches(hub, 'C-F1', 'closed');
      const c: Case = hub.app.world().cases.get('C-F1')!;
      expect(c.photos?.map((p) => [p.role, p.by])).toEqual([
        ['before', 'U-F1'],
        ['after', 'U-F1'],
        ['verify', 'ivy'],
      ]);
      expect(c.history.slice(-2).map((s) => [s.to, s.actor.role, s.actor.id])).toEqual([
        ['verifying', 'inspector', 'ivy'],
        ['closed', 'inspector', 'ivy'],
      ]);
      await waitFor('the verification to leave the phone', () => inspector.state!.verifications.length === 0);
    } finally {
      inspector.close();
      other.close();
    }
  });

  it('sends a case back for rework (返工) only with a reason', async () => {
    const taskId = await dispatch('C-F3', 'U-F3');
    const t3 = (await hub.store.createDevice('U-F3')).token;
    const photo = await uploadPhoto(hub.url, bearer(t3), 'after');
    const done = await postField(
      hub.url,
      'task:progress',
      { taskId, status: 'done', photos: [photo], at: Date.now(), idempotencyKey: randomUUID() },
      bearer(t3),
    );
    expect(done.status, JSON.stringify(done.answer)).toBe(200);
    await caseReaches(hub, 'C-F3', 'handled');
    const rework = await uploadPhoto(hub.url, ivy, 'rework');
    const body = { caseId: 'C-F3', outcome: 'rework', photos: [rework], at: Date.now() };
    const noReason = await postField(hub.url, 'case:verify', { ...body, idempotencyKey: randomUUID() }, ivy);
    expect(noReason).toMatchObject({ status: 409, answer: { ok: false, refusal: { code: 'reason_required' } } });
    const ok = await postField(
      hub.url,
      'case:verify',
      { ...body, reason: '垃圾未清运干净', idempotencyKey: randomUUID() },
      ivy,
    );
    expect(ok).toMatchObject({ status: 200, answer: { ok: true, result: { to: 'filed' } } });
    await caseReaches(hub, 'C-F3', 'filed');
    expect(hub.app.world().cases.get('C-F3')).toMatchObject({ reworks: 1 });
  });

  it('lets an inspector report a case with photos; the hub names it, and a replay names the same case once', async () => {
    const photo = await uploadPhoto(hub.url, ivy, 'report');
    const body = {
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      lon: 118.09,
      lat: 24.46,
      address: '思明南路 100 号',
      description: '井盖缺失',
      photos: [photo],
      at: Date.now(),
      idempotencyKey: randomUUID(),
    };
    const first = await postField(hub.url, 'case:report', body, ivy);
    expect(first.status, JSON.stringify(first.answer)).toBe(200);
    const caseId = (first.answer as unknown as { result: { caseId: string } }).result.caseId;
    expect(caseId).toMatch(/^I-[0-9A-F]{12}$/);
    const again = await postField(hub.url, 'case:report', body, ivy);
    expect(again.answer).toEqual(first.answer);
    await caseReaches(hub, caseId, 'reported');
    expect(hub.app.world().cases.get(caseId)).toMatchObject({
      source: 'inspector',
      district: '350203',
      description: '井盖缺失',
      photos: [{ ...photo, by: 'ivy' }],
      history: [{ to: 'reported', actor: { role: 'inspector', id: 'ivy' } }],
    });
    expect(await events((e) => e.type === 'case.reported' && e.case.id === caseId)).toHaveLength(1);
    // Another inspector using the same key reports a case of their own.
    const theirs = await postField(hub.url, 'case:report', body, ian);
    expect((theirs.answer as unknown as { result: { caseId: string } }).result.caseId).not.toBe(caseId);
    const outside = await postField(hub.url, 'case:report', { ...body, lon: 120.5, idempotencyKey: randomUUID() }, ivy);
    expect(outside).toMatchObject({ status: 422, answer: { refusal: { code: 'outside_city' } } });
    const category = await postField(
      hub.url,
      'case:report',
      { ...body, category: { code: '99999', standard: 'local' }, idempotencyKey: randomUUID() },
      ivy,
    );
    expect(category).toMatchObject({ status: 422, answer: { refusal: { code: 'unknown_category' } } });
    const byDevice = await postField(hub.url, 'case:report', { ...body, idempotencyKey: randomUUID() }, bearer(t1));
    expect(byDevice).toMatchObject({ status: 403, answer: { refusal: { code: 'forbidden' } } });
    const byDispatcher = await postField(hub.url, 'case:report', { ...body, idempotencyKey: randomUUID() }, dispatcher);
    expect(byDispatcher).toMatchObject({ status: 403, answer: { refusal: { code: 'forbidden' } } });
    const nobody = await postField(hub.url, 'case:report', body, {});
    expect(nobody.status).toBe(401);
  });

  it('refuses a forged device token, an unknown command and a body that is not JSON, never with a 500', async () => {
    const forged = `egret_d_${'0'.repeat(12)}_${'A'.repeat(43)}`;
    const r = await postField(hub.url, 'task:progress', {}, bearer(forged));
    expect(r.status).toBe(401);
    const swapped = t1.replace(/_(.)/g, (m, c: string) => `_${c === 'a' ? 'b' : 'a'}`);
    expect((await postField(hub.url, 'task:progress', {}, bearer(swapped))).status).toBe(401);
    const unknown = await postField(hub.url, 'task:explode', { idempotencyKey: 'k' }, bearer(t1));
    expect(unknown).toMatchObject({ status: 409, answer: { ok: false, refusal: { code: 'unknown_command' } } });
    const notJson = await postField(hub.url, 'task:progress', '{"taskId":', bearer(t1));
    expect(notJson).toMatchObject({ status: 400, answer: { ok: false, refusal: { code: 'bad_request' } } });
    const viaSocket = await phone1.send('task:explode', {});
    expect(viaSocket).toMatchObject({ ok: false });
  });

  it('refuses a fix far from the unit’s last one in no time (implausible_jump), counted and kept', async () => {
    const post = (fixes: unknown[]) =>
      fetch(`${hub.url}/api/ingest/positions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(t1) },
        body: JSON.stringify({ fixes }),
      });
    const at = Date.now();
    const first = await post([{ unitId: 'U-F1', lon: 118.09, lat: 24.46, at: at - 2_000, accuracy: 8 }]);
    expect(first.status).toBe(202);
    await waitFor('the fix to be stored', async () => (await hub.redis.hGet(hub.keys.positions, 'U-F1')) !== null);
    // 30 m in a second: a walk.
    expect((await post([{ unitId: 'U-F1', lon: 118.0903, lat: 24.46, at: at - 1_000, accuracy: 5 }])).status).toBe(202);
    // Five kilometres a second later: no unit does that.
    const jump = await post([{ unitId: 'U-F1', lon: 118.14, lat: 24.46, at }]);
    expect(jump.status).toBe(422);
    expect(await jump.json()).toMatchObject({ error: 'implausible_jump' });
    // Within one batch too.
    const inBatch = await post([
      { unitId: 'U-F1', lon: 118.0904, lat: 24.46, at: at + 1_000 },
      { unitId: 'U-F1', lon: 118.2, lat: 24.6, at: at + 2_000 },
    ]);
    expect(inBatch.status).toBe(422);
    const dead = ((await hub.redis.xRange(hub.keys.deadletter, '-', '+')) ?? []).filter(
      (e) => e.message.reason === 'implausible_jump',
    );
    expect(dead).toHaveLength(2);
    expect(dead[0]!.message.detail).toMatch(/m\/s/);
    // Another unit's fix: refused as before.
    expect((await post([{ unitId: 'U-F2', lon: 118.09, lat: 24.46, at }])).status).toBe(403);
  });

  it('tells the phone the world clock (a drill runs its own time), and tells it again when the clock moves', async () => {
    // Deadlines are world times: a phone counting them by its own clock in a drill read "overdue 176 days".
    expect(phone1.state!.clock).toEqual(hub.app.world().clock);
    const setClock = async (clock: Clock) => {
      const pushes = phone1.states.length;
      await input(hub.redis, hub.keys, { kind: 'clock.set', at: clock.baseWorld, clock });
      await waitFor('a push with the new clock', () =>
        phone1.states.slice(pushes).some((s) => s.clock?.baseWorld === clock.baseWorld),
      );
    };
    const drill = { baseReal: Date.now(), baseWorld: Date.UTC(2016, 8, 14, 12), rate: 20, scenario: 'typhoon' };
    try {
      await setClock(drill);
      const s = phone1.state!;
      expect(s.clock).toMatchObject({ baseWorld: drill.baseWorld, rate: 20 });
      // The world time at the push, as the phone works it out: the drill's, not today's.
      expect(Math.abs(worldNow(s.clock!, s.at) - drill.baseWorld)).toBeLessThan(60_000);
    } finally {
      const now = Date.now();
      await setClock({ baseReal: now, baseWorld: now, rate: 1 });
    }
  });
});
