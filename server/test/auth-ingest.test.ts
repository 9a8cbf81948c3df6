import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputMessage, Task } from '@egret/protocol';
import { caseReport, now, waitFor } from './hub-fixture.ts';
import { fileCase, ok, registerUnit, stored } from './loop-fixture.ts';
import {
  addUser,
  PASSWORD,
  connectOutcome,
  screenWith,
  sendCommand,
  sessionCookie,
  startAuthHub,
  type AuthHub,
} from './auth-fixture.ts';

interface Letter {
  source: string;
  reason: string;
  detail: string;
  data: string;
}

describe('HTTP ingest: API keys for systems, tokens bound to one unit for field devices', () => {
  let hub: AuthHub;
  let device: string;
  let hotline: string;

  const post = (path: 'events' | 'positions', body: unknown, token?: string) =>
    fetch(`${hub.url}/api/ingest/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const letters = async (): Promise<Letter[]> =>
    ((await hub.redis.xRange(hub.keys.deadletter, '-', '+')) ?? []).map((e) => e.message as unknown as Letter);
  const fix = (unitId: string) => ({ unitId, lon: 118.09, lat: 24.46, at: now() });

  beforeAll(async () => {
    hub = await startAuthHub('auth-ingest', { authOptions: { limits: { ingest: { max: 40, windowMs: 60_000 } } } });
    device = (await hub.store.createDevice('U-MINE')).token;
    hotline = (await hub.store.createKey('hotline-12345', 'ingest')).token;
    await registerUnit(hub.redis, hub.keys, 'U-MINE');
    await registerUnit(hub.redis, hub.keys, 'U-OTHER');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('refuses ingest without a key (401) and from a person’s session (403)', async () => {
    expect((await post('events', caseReport('C-ANON'))).status).toBe(401);
    await addUser(hub.store, 'vera', 'viewer');
    const cookie = await sessionCookie(hub.url, 'vera', PASSWORD);
    const res = await fetch(`${hub.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(caseReport('C-VERA')),
    });
    expect(res.status).toBe(403);
  });

  it('takes a system’s reports with its ingest key', async () => {
    const res = await post('events', caseReport('C-HOTLINE'), hotline);
    expect(res.status).toBe(202);
    await waitFor('the hotline case', () => hub.app.world().cases.has('C-HOTLINE'));
  });

  it('takes a device’s own fixes and task updates, and refuses (403, dead-lettered forbidden_unit) those of another unit', async () => {
    expect((await post('positions', { fixes: [fix('U-MINE')] }, device)).status).toBe(202);

    const foreignFix = await post('positions', { fixes: [fix('U-MINE'), fix('U-OTHER')] }, device);
    expect(foreignFix.status).toBe(403);
    expect(await foreignFix.json()).toEqual({
      error: 'forbidden_unit',
      message: 'fixes[1].unitId: this device reports for unit U-MINE, not U-OTHER',
    });

    // A dispatched task of the other unit: the device cannot move it.
    await fileCase(hub.redis, hub.keys, 'C-OTHER');
    await fileCase(hub.redis, hub.keys, 'C-MINE');
    await waitFor('the cases filed', () => hub.app.world().cases.get('C-MINE')?.status === 'filed');
    await addUser(hub.store, 'dan', 'dispatcher');
    const desk = screenWith(hub.url, { cookie: await sessionCookie(hub.url, 'dan', PASSWORD) });
    expect(await connectOutcome(desk)).toBe('connected');
    const { taskId } = ok(await sendCommand(desk, 'case:dispatch', { caseId: 'C-OTHER', unitId: 'U-OTHER' }));
    const mine = ok(await sendCommand(desk, 'case:dispatch', { caseId: 'C-MINE', unitId: 'U-MINE' }));
    desk.close();
    const accept: InputMessage = {
      kind: 'task.update',
      taskId: mine.taskId,
      unitId: 'U-MINE',
      status: 'accepted',
      at: now(),
    };
    expect((await post('events', accept, device)).status).toBe(202);
    await waitFor(
      'the device’s own task accepted',
      () => hub.app.world().tasks.get(mine.taskId)?.status === 'accepted',
    );
    const update: InputMessage = { kind: 'task.update', taskId, unitId: 'U-OTHER', status: 'accepted', at: now() };
    const foreignUpdate = await post('events', update, device);
    expect(foreignUpdate.status).toBe(403);
    expect(await foreignUpdate.json()).toMatchObject({
      error: 'forbidden_unit',
      message: 'message.unitId: this device reports for unit U-MINE, not U-OTHER',
    });

    const report = await post(
      'events',
      [{ kind: 'unit.status', unitId: 'U-MINE', status: 'off_duty', at: now() }, caseReport('C-FROM-DEVICE')],
      device,
    );
    expect(report.status).toBe(403);
    expect(await report.json()).toMatchObject({
      error: 'forbidden_kind',
      message: expect.stringMatching(
        /^\[1\]\.kind: a field device may send task\.update, unit\.status and inspection\.check only, not case\.report$/,
      ),
    });

    const refused = (await letters()).filter((l) => l.reason.startsWith('forbidden_'));
    expect(refused.map((l) => [l.source, l.reason])).toEqual([
      ['http:/api/ingest/positions', 'forbidden_unit'],
      ['http:/api/ingest/events', 'forbidden_unit'],
      ['http:/api/ingest/events', 'forbidden_kind'],
    ]);
    expect(refused[1]!.data).toContain(taskId);
    expect(await hub.redis.hGet(hub.keys.deadletterCounts, 'forbidden_unit')).toBe('2');
    // Nothing moved: the other unit's task is still only dispatched.
    await new Promise((r) => setTimeout(r, 200));
    expect((await stored<Task>(hub.redis, hub.keys.tasks, taskId))?.status).toBe('dispatched');
    expect(hub.app.world().units.get('U-MINE')?.status).not.toBe('off_duty');

    // Its own status goes through.
    expect(
      (await post('events', { kind: 'unit.status', unitId: 'U-MINE', status: 'off_duty', at: now() }, device)).status,
    ).toBe(202);
    await waitFor('the device’s own status', () => hub.app.world().units.get('U-MINE')?.status === 'off_duty');
  });

  it('refuses clock.set from an ingest key (403 forbidden_kind, dead-lettered, counted), alone or in a batch, and moves no clock', async () => {
    const clockBefore = hub.app.world().clock;
    const set: InputMessage = {
      kind: 'clock.set',
      clock: { baseReal: now(), baseWorld: now() + 86_400_000, rate: 60, scenario: 'drill' },
      at: now() + 86_400_000,
    };
    const alone = await post('events', set, hotline);
    expect(alone.status).toBe(403);
    expect(await alone.json()).toEqual({
      error: 'forbidden_kind',
      message: expect.stringMatching(/^message\.kind: clock\.set is for drills only/),
    });
    const batch = await post('events', [caseReport('C-WITH-CLOCK'), set], hotline);
    expect(batch.status).toBe(403);
    expect(await batch.json()).toMatchObject({
      error: 'forbidden_kind',
      message: expect.stringMatching(/^\[1\]\.kind: clock\.set is for drills only/),
    });
    const clockLetters = (await letters()).filter((l) => l.reason === 'forbidden_kind' && l.data.includes('clock.set'));
    expect(clockLetters.map((l) => l.source)).toEqual(['http:/api/ingest/events', 'http:/api/ingest/events']);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/egret_deadletter_total\{reason="forbidden_kind"\} [2-9]/);
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.app.world().clock).toEqual(clockBefore);
    expect(hub.app.world().cases.has('C-WITH-CLOCK')).toBe(false);
  });

  it('refuses a device token on screens, and limits each key’s request rate (429 with Retry-After)', async () => {
    const socket = screenWith(hub.url, { token: device });
    expect(await connectOutcome(socket)).toMatch(/^forbidden: a field credential cannot open a screen/);
    socket.close();

    const busy = (await hub.store.createKey('busy-gateway', 'ingest')).token;
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await post('positions', { fixes: [fix('U-MINE')] }, busy)).status);
    expect(statuses.slice(0, 40).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429, 429, 429, 429]);
    // Another key is counted on its own.
    expect((await post('events', caseReport('C-HOTLINE-2'), hotline)).status).toBe(202);
  });
});
