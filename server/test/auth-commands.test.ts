import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '@egret/protocol';
import { waitFor } from './hub-fixture.ts';
import { caseReaches, fileCase, logLength, ok, readLogEvents, registerUnit } from './loop-fixture.ts';
import {
  addUser,
  auditEntries,
  connectOutcome,
  PASSWORD,
  postAs,
  screenWith,
  sendCommand,
  sessionCookie,
  startAuthHub,
  type AuthHub,
  type AuthSocket,
} from './auth-fixture.ts';

describe('permissions: the hub decides who may act, never the display', () => {
  let hub: AuthHub;
  const sockets: AuthSocket[] = [];
  const screenOf = async (user: string): Promise<AuthSocket> => {
    const socket = screenWith(hub.url, { cookie: await sessionCookie(hub.url, user, PASSWORD) });
    sockets.push(socket);
    expect(await connectOutcome(socket)).toBe('connected');
    return socket;
  };

  beforeAll(async () => {
    hub = await startAuthHub('auth-cmd');
    for (const [user, role] of [
      ['vera', 'viewer'],
      ['dan', 'dispatcher'],
      ['cora', 'commander'],
      ['ada', 'admin'],
    ] as const)
      await addUser(hub.store, user, role);
    for (const id of ['U-P1', 'U-P2', 'U-P3']) await registerUnit(hub.redis, hub.keys, id);
    for (const id of ['C-P1', 'C-P2', 'C-P3', 'C-P4']) await fileCase(hub.redis, hub.keys, id);
    await caseReaches(hub, 'C-P4', 'filed');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub.closeAll();
  });

  it('refuses a viewer’s dispatch as forbidden, changes nothing, and audits who, when, what and why', async () => {
    const wall = await screenOf('vera');
    const before = await logLength(hub.redis, hub.keys);
    const sentAt = Date.now();
    const r = await sendCommand(wall, 'case:dispatch', { caseId: 'C-P1', unitId: 'U-P1' });
    expect(r).toEqual({
      ok: false,
      error: 'forbidden',
      message: 'case:dispatch needs the dispatcher role; this account is viewer',
    });
    expect(await logLength(hub.redis, hub.keys)).toBe(before);
    expect(hub.app.world().cases.get('C-P1')?.status).toBe('filed');

    const audit = (await auditEntries(hub.redis, hub.keys)).at(-1)!;
    expect(audit).toMatchObject({
      command: 'case:dispatch',
      actor: { role: 'viewer', id: 'vera' },
      error: 'forbidden',
      message: r.ok ? '' : r.message,
    });
    expect(JSON.parse(audit.payload)).toMatchObject({ caseId: 'C-P1', unitId: 'U-P1' });
    expect(audit.at).toBeGreaterThanOrEqual(sentAt);

    // Over HTTP as well, with its status.
    const cookie = await sessionCookie(hub.url, 'vera', PASSWORD);
    const http = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-P1', unitId: 'U-P1', idempotencyKey: 'vera-http-1' },
      { cookie },
    );
    expect(http.status).toBe(403);
    expect(http.result).toMatchObject({ ok: false, error: 'forbidden' });
    expect((await auditEntries(hub.redis, hub.keys)).at(-1)).toMatchObject({
      command: 'case:dispatch',
      actor: { role: 'viewer', id: 'vera' },
      error: 'forbidden',
    });
  });

  it('lets a dispatcher dispatch, but keeps mode changes, supervision and loop overrides for commanders', async () => {
    const desk = await screenOf('dan');
    const sent = ok(await sendCommand(desk, 'case:dispatch', { caseId: 'C-P2', unitId: 'U-P2' }));
    expect(sent.caseId).toBe('C-P2');
    const before = await logLength(hub.redis, hub.keys);
    expect(await sendCommand(desk, 'mode:set', { mode: 'typhoon' })).toMatchObject({
      ok: false,
      error: 'forbidden',
      message: expect.stringContaining('needs the commander role'),
    });
    expect(await sendCommand(desk, 'case:supervise', { caseId: 'C-P3' })).toMatchObject({
      ok: false,
      error: 'forbidden',
    });
    expect(
      await sendCommand(desk, 'case:transition', { caseId: 'C-P3', action: 'park', reason: '等待产权单位' }),
    ).toMatchObject({
      ok: false,
      error: 'forbidden',
      message: expect.stringContaining('case:transition park overrides the case loop'),
    });
    expect(await logLength(hub.redis, hub.keys)).toBe(before);

    const chief = await screenOf('cora');
    ok(await sendCommand(chief, 'case:transition', { caseId: 'C-P3', action: 'park', reason: '等待产权单位' }));
    ok(await sendCommand(chief, 'case:supervise', { caseId: 'C-P4' }));
    const admin = await screenOf('ada');
    const mode = ok(await sendCommand(admin, 'mode:set', { mode: 'typhoon' }));
    const events = await readLogEvents(hub.redis, hub.keys);
    const changed = events.find(
      (e): e is Extract<LogEvent, { type: 'mode.changed' }> => e.type === 'mode.changed' && e.seq === mode.seq,
    );
    expect(changed?.actor).toEqual({ role: 'admin', id: 'ada' });
  });

  it('runs a service API key’s dispatch as that key (X-Egret-User is ignored), and refuses commands from an ingest key', async () => {
    await registerUnit(hub.redis, hub.keys, 'U-SVC');
    await fileCase(hub.redis, hub.keys, 'C-SVC');
    await caseReaches(hub, 'C-SVC', 'filed');
    const { token } = await hub.store.createKey('sim-auto-dispatcher', 'dispatcher');
    const r = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-SVC', unitId: 'U-SVC', idempotencyKey: 'svc-1' },
      { authorization: `Bearer ${token}`, 'x-egret-user': 'the-chief' },
    );
    expect(r.status).toBe(200);
    const events = await readLogEvents(hub.redis, hub.keys);
    const created = events.find(
      (e): e is Extract<LogEvent, { type: 'task.created' }> => e.type === 'task.created' && e.task.caseId === 'C-SVC',
    );
    expect(created?.actor).toEqual({ role: 'dispatcher', id: 'sim-auto-dispatcher' });
    // It reads candidates over HTTP too.
    const candidates = await fetch(`${hub.url}/api/cases/C-P1/candidates`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(candidates.status).toBe(200);

    const ingest = await hub.store.createKey('hotline', 'ingest');
    const refused = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-P1', unitId: 'U-P1', idempotencyKey: 'ingest-1' },
      { authorization: `Bearer ${ingest.token}` },
    );
    expect(refused.status).toBe(403);
    const unknownKey = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-P1', unitId: 'U-P1', idempotencyKey: 'x-1' },
      { authorization: `Bearer ${token.slice(0, -2)}xx` },
    );
    expect(unknownKey.status).toBe(401);
    // A revoked key stops working at once.
    await hub.store.revokeKey('sim-auto-dispatcher');
    expect(
      (await fetch(`${hub.url}/api/cases/C-P1/candidates`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });

  it('answers a malformed or oversized command with a clear error and changes nothing; an oversized socket message costs only that socket', async () => {
    const cookie = await sessionCookie(hub.url, 'dan', PASSWORD);
    const before = await logLength(hub.redis, hub.keys);
    const notJson = await postAs(hub.url, 'case:dispatch', '{"caseId": ', { cookie });
    expect(notJson).toMatchObject({
      status: 400,
      result: { ok: false, error: 'bad_request', message: expect.stringMatching(/^the body is not JSON/) },
    });
    const bad = await postAs(hub.url, 'case:dispatch', { caseId: 'C-P1', idempotencyKey: 'dan-bad-1' }, { cookie });
    expect(bad).toMatchObject({
      status: 400,
      result: { ok: false, error: 'bad_request', message: expect.stringMatching(/unitId/) },
    });
    const big = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-P1', unitId: 'U-P1', idempotencyKey: 'dan-big-1', note: 'x'.repeat(100_000) },
      { cookie },
    );
    expect(big).toMatchObject({
      status: 413,
      result: { ok: false, error: 'bad_request', message: 'the body is larger than 64 kB' },
    });
    // The refusals are audited under the real user, not "api".
    const audit = await auditEntries(hub.redis, hub.keys);
    expect(audit.slice(-3).map((a) => [a.error, a.actor.id])).toEqual([
      ['bad_request', 'dan'],
      ['bad_request', 'dan'],
      ['bad_request', 'dan'],
    ]);

    const desk = await screenOf('dan');
    const wrong = await sendCommand(desk, 'case:dispatch', { caseId: 42 } as never);
    expect(wrong).toMatchObject({
      ok: false,
      error: 'bad_request',
      message: expect.stringMatching(/^case:dispatch: /),
    });
    const flooded = await screenOf('dan');
    flooded.emit(
      'case:dispatch',
      { caseId: 'C-P1', unitId: 'U-P1', idempotencyKey: 'flood-1', note: 'x'.repeat(200_000) } as never,
      () => {},
    );
    await waitFor('the hub to close the socket that sent 200 kB', () => !flooded.connected);
    // The hub and other screens go on; nothing was written.
    expect(await sendCommand(desk, 'case:dispatch', { caseId: 'C-GHOST', unitId: 'U-P1' })).toMatchObject({
      ok: false,
      error: 'unknown_case',
    });
    expect(desk.connected).toBe(true);
    expect(hub.app.world().cases.get('C-P1')?.status).toBe('filed');
    expect(await logLength(hub.redis, hub.keys)).toBe(before);
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
  });
});

describe('command rate limits', () => {
  let hub: AuthHub;
  beforeAll(async () => {
    hub = await startAuthHub('auth-cmdrate', { authOptions: { limits: { commands: { max: 3, windowMs: 60_000 } } } });
    await addUser(hub.store, 'dan', 'dispatcher');
    await addUser(hub.store, 'dina', 'dispatcher');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('refuses a user’s commands past the limit with rate_limited (429 over HTTP), without touching another user', async () => {
    const socket = screenWith(hub.url, { cookie: await sessionCookie(hub.url, 'dan', PASSWORD) });
    expect(await connectOutcome(socket)).toBe('connected');
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await sendCommand(socket, 'case:dispatch', { caseId: `C-NONE-${i}`, unitId: 'U-NONE' }));
    expect(answers.map((a) => (a.ok ? 'ok' : a.error))).toEqual([
      'unknown_case',
      'unknown_case',
      'unknown_case',
      'rate_limited',
    ]);
    socket.close();

    const cookie = await sessionCookie(hub.url, 'dan', PASSWORD);
    const http = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-NONE', unitId: 'U-NONE', idempotencyKey: 'rl-1' },
      { cookie },
    );
    expect(http.status).toBe(429);
    expect(Number(http.headers.get('retry-after'))).toBeGreaterThan(0);

    const other = await postAs(
      hub.url,
      'case:dispatch',
      { caseId: 'C-NONE', unitId: 'U-NONE', idempotencyKey: 'rl-2' },
      { cookie: await sessionCookie(hub.url, 'dina', PASSWORD) },
    );
    expect(other.status).toBe(404);
  });
});
