import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inspection, InputMessage, LogEvent } from '@egret/protocol';
import { waitFor } from './hub-fixture.ts';
import { input, readLogEvents, registerUnit } from './loop-fixture.ts';
import {
  addUser,
  auditEntries,
  connectOutcome,
  pair,
  PASSWORD,
  postAs,
  screenWith,
  sendCommand,
  sessionCookie,
  startAuthHub,
  type AuthHub,
  type AuthSocket,
} from './auth-fixture.ts';
import { planConfig } from './plans-fixture.ts';

const POINTS = 40;

describe('plan commands and inspection checks (issue #17): the one command path, its guards and the input', () => {
  let hub: AuthHub;
  const sockets: AuthSocket[] = [];
  const screenOf = async (user: string): Promise<AuthSocket> => {
    const socket = screenWith(hub.url, { cookie: await sessionCookie(hub.url, user, PASSWORD) });
    sockets.push(socket);
    expect(await connectOutcome(socket)).toBe('connected');
    return socket;
  };
  let cora: AuthSocket;
  let dan: AuthSocket;
  const events = () => readLogEvents(hub.redis, hub.keys);
  const inspections = async () =>
    Object.values(await hub.redis.hGetAll(hub.keys.inspections)).map((t) => JSON.parse(t) as Inspection);
  const deadletters = async () => ((await hub.redis.xRange(hub.keys.deadletter, '-', '+')) ?? []).map((e) => e.message);

  beforeAll(async () => {
    // The leader's pass is slowed right down: these tests drive the plan by commands alone.
    hub = await startAuthHub('plans-cmd', { config: planConfig(POINTS), planTickMs: 3_600_000 });
    for (const [user, role] of [
      ['vera', 'viewer'],
      ['dan', 'dispatcher'],
      ['cora', 'commander'],
    ] as const)
      await addUser(hub.store, user, role);
    cora = await screenOf('cora');
    dan = await screenOf('dan');
    await registerUnit(hub.redis, hub.keys, 'U-SM-1', { squadId: 'SQ-350203-01', district: '350203' });
    await registerUnit(hub.redis, hub.keys, 'U-SM-2', { squadId: 'SQ-350203-02', district: '350203' });
    await registerUnit(hub.redis, hub.keys, 'U-HL-1', { squadId: 'SQ-350206-01', district: '350206' });
    await waitFor('units registered', () => hub.app.world().units.size === 3);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub?.closeAll();
  });

  it('delivers the manual’s plans to screens in /api/config, not the point sets', async () => {
    const cookie = await sessionCookie(hub.url, 'vera', PASSWORD);
    const config = (await (await fetch(`${hub.url}/api/config`, { headers: { cookie } })).json()) as {
      plans?: Array<{ id: string; levels: unknown[] }>;
      pointSets?: unknown;
    };
    expect(config.plans?.map((p) => [p.id, p.levels.length])).toEqual([['test-typhoon', 2]]);
    expect(config.pointSets).toBeUndefined();
  });

  it('refuses a viewer, a wall and a dispatcher activating a plan, as forbidden, and audits them', async () => {
    const vera = await screenOf('vera');
    const wallCookie = (await pair(hub.url, await hub.store.createPairing('hall'))).cookie!;
    const wall = screenWith(hub.url, { cookie: wallCookie });
    sockets.push(wall);
    expect(await connectOutcome(wall)).toBe('connected');
    for (const s of [vera, wall, dan])
      expect(await sendCommand(s, 'plan:activate', { planId: 'test-typhoon', level: 'IV' })).toMatchObject({
        ok: false,
        error: 'forbidden',
      });
    expect(await sendCommand(dan, 'plan:end', { planId: 'test-typhoon' })).toMatchObject({ error: 'forbidden' });
    // The same over HTTP with the wall's session: 403, nothing written.
    const http = await postAs(
      hub.url,
      'plan:activate',
      { planId: 'test-typhoon', level: 'IV', idempotencyKey: randomUUID() },
      { cookie: wallCookie },
    );
    expect([http.status, http.result]).toMatchObject([403, { ok: false, error: 'forbidden' }]);
    expect(hub.app.world().plans.size).toBe(0);
    const audited = (await auditEntries(hub.redis, hub.keys)).filter((a) => a.command === 'plan:activate');
    expect(audited.map((a) => a.error)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden']);
    expect(audited.map((a) => a.actor.role)).toEqual(['viewer', 'viewer', 'dispatcher', 'viewer']);
  });

  it('refuses an unknown plan (any letter case), a level not in the schema or not in the plan, and ending what is not active', async () => {
    for (const planId of ['nope', 'TEST-TYPHOON', 'Test-Typhoon', 'test-typhoon '])
      expect(await sendCommand(cora, 'plan:activate', { planId, level: 'IV' })).toMatchObject({
        ok: false,
        error: planId.endsWith(' ') ? 'bad_request' : 'unknown_plan',
      });
    expect(await sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'V' as never })).toMatchObject({
      error: 'bad_request',
    });
    expect(await sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'iv' as never })).toMatchObject({
      error: 'bad_request',
    });
    expect(await sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'III' })).toMatchObject({
      error: 'unknown_level',
    });
    expect(await sendCommand(cora, 'plan:end', { planId: 'test-typhoon' })).toMatchObject({ error: 'plan_not_active' });
    expect(
      await sendCommand(dan, 'plan:supervise', { planId: 'test-typhoon', actionId: 'boards', squadId: 'SQ-350203-01' }),
    ).toMatchObject({ error: 'plan_not_active' });
    expect((await events()).some((e) => e.type.startsWith('plan') || e.type === 'inspections.issued')).toBe(false);
  });

  it('activates once: plan.changed with the mode in one commit, the round issued; a replay answers the same receipt', async () => {
    const key = randomUUID();
    const first = await sendCommand(cora, 'plan:activate', {
      planId: 'test-typhoon',
      level: 'IV',
      reason: '蓝色预警',
      idempotencyKey: key,
    });
    expect(first).toMatchObject({
      ok: true,
      data: { planId: 'test-typhoon', level: 'IV', issued: { inspections: POINTS, prepositions: 0 } },
    });
    const again = await sendCommand(cora, 'plan:activate', {
      planId: 'test-typhoon',
      level: 'IV',
      reason: '蓝色预警',
      idempotencyKey: key,
    });
    expect(again).toEqual(first);
    expect(await sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'IV' })).toMatchObject({
      error: 'already_at_level',
    });
    const log = await events();
    const changed = log.find((e) => e.type === 'plan.changed')!;
    const mode = log.find((e) => e.type === 'mode.changed')!;
    expect(mode.seq).toBe(changed.seq + 1);
    expect(changed).toMatchObject({ change: 'activated', plan: { level: 'IV', reason: '蓝色预警' } });
    expect((await inspections()).length).toBe(POINTS);
    const issued = log.filter((e) => e.type === 'inspections.issued');
    expect(issued.flatMap((e) => (e.type === 'inspections.issued' ? e.inspections : [])).length).toBe(POINTS);
    await waitFor('the mirror holds the round', () => hub.app.world().inspections.size === POINTS);
    expect(hub.app.world().mode).toBe('typhoon');
  });

  const open = (squadId: string) =>
    [...hub.app.world().inspections.values()].find((i) => i.squadId === squadId && i.status === 'open')!;
  const check = (over: Partial<Extract<InputMessage, { kind: 'inspection.check' }>>): InputMessage => ({
    kind: 'inspection.check',
    inspectionId: 'x',
    unitId: 'U-SM-1',
    result: 'passed',
    at: Date.now(),
    ...over,
  });

  it('inspection.check: another squad’s unit is dead-lettered unit_mismatch, a replayed check duplicate, a problem without a case schema', async () => {
    const mine = open('SQ-350203-01');
    await input(hub.redis, hub.keys, check({ inspectionId: mine.id, unitId: 'U-HL-1' }));
    await input(hub.redis, hub.keys, check({ inspectionId: mine.id, unitId: 'U-SM-2' }));
    await input(hub.redis, hub.keys, check({ inspectionId: mine.id.toUpperCase(), unitId: 'U-SM-1' }));
    await input(hub.redis, hub.keys, check({ inspectionId: mine.id, unitId: 'U-SM-1', result: 'problem' }));
    await input(hub.redis, hub.keys, check({ inspectionId: mine.id, unitId: 'U-SM-1', note: '牢固' }));
    await input(hub.redis, hub.keys, check({ inspectionId: mine.id, unitId: 'U-SM-1' }));
    await waitFor('checked', () => hub.app.world().inspections.get(mine.id)?.status === 'passed');
    await waitFor('five dead letters', async () => (await deadletters()).length >= 5);
    expect((await deadletters()).map((d) => d.reason)).toEqual([
      'unit_mismatch',
      'unit_mismatch',
      'unknown_inspection',
      'schema',
      'duplicate',
    ]);
    expect(hub.app.world().inspections.get(mine.id)).toMatchObject({
      status: 'passed',
      unitId: 'U-SM-1',
      note: '牢固',
    });
  });

  it('a unit’s phone checks a point over HTTP ingest with its device token; in another unit’s name it is 403 forbidden_unit', async () => {
    const token = (await hub.store.createDevice('U-SM-1')).token;
    const post = (body: unknown) =>
      fetch(`${hub.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const mine = open('SQ-350203-01');
    expect((await post(check({ inspectionId: mine.id, unitId: 'U-SM-2' }))).status).toBe(403);
    expect((await post(check({ inspectionId: mine.id, unitId: 'U-SM-1' }))).status).toBe(202);
    await waitFor('checked from the phone', () => hub.app.world().inspections.get(mine.id)?.status === 'passed');
    expect((await deadletters()).at(-1)).toMatchObject({ reason: 'forbidden_unit' });
  });

  it('a problem found reports its case in the same commit as the check: patrol, the round’s category, the campaign’s deadline, the point’s place', async () => {
    const mine = open('SQ-350203-02');
    const at = Date.now();
    await input(
      hub.redis,
      hub.keys,
      check({ inspectionId: mine.id, unitId: 'U-SM-2', result: 'problem', caseId: 'P-1', at }),
    );
    await waitFor('the problem checked', () => hub.app.world().inspections.get(mine.id)?.status === 'problem');
    const log = await events();
    const reported = log.find((e): e is Extract<LogEvent, { type: 'case.reported' }> => e.type === 'case.reported')!;
    const checked = log.find((e) => e.type === 'inspection.checked' && e.inspection.id === mine.id)!;
    expect(checked.seq).toBe(reported.seq + 1);
    expect(reported.case).toMatchObject({
      id: 'P-1',
      source: 'patrol',
      urgency: 'urgent',
      category: { code: '08004' },
      deadline: at + 6 * 3_600_000,
      position: mine.position,
      district: '350203',
      status: 'reported',
    });
    expect(hub.app.world().inspections.get(mine.id)).toMatchObject({ caseId: 'P-1', unitId: 'U-SM-2' });
    // The same case id again, on another inspection: a duplicate case, nothing checked.
    const other = open('SQ-350203-02');
    await input(
      hub.redis,
      hub.keys,
      check({ inspectionId: other.id, unitId: 'U-SM-2', result: 'problem', caseId: 'P-1' }),
    );
    await waitFor(
      'dead-lettered',
      async () => (await deadletters()).at(-1)?.reason === 'duplicate' && (await deadletters()).length === 7,
    );
    expect(hub.app.world().inspections.get(other.id)?.status).toBe('open');
  });

  it('level up pre-positions the nearest available units, 督办 by a dispatcher, end releases the orders', async () => {
    const up = await sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'II' });
    expect(up).toMatchObject({ ok: true, data: { level: 'II', issued: { inspections: 0, prepositions: 2 } } });
    await waitFor('two orders', () => hub.app.world().prepositions.size === 2);
    const orders = [...hub.app.world().prepositions.values()];
    expect(orders.map((o) => o.unitId).sort()).toEqual(['U-SM-1', 'U-SM-2']);
    expect((await inspections()).length).toBe(POINTS);

    expect(
      await sendCommand(dan, 'plan:supervise', { planId: 'test-typhoon', actionId: 'nope', squadId: 'SQ-350203-01' }),
    ).toMatchObject({ error: 'unknown_action' });
    expect(
      await sendCommand(dan, 'plan:supervise', { planId: 'test-typhoon', actionId: 'boards', squadId: 'SQ-999999-01' }),
    ).toMatchObject({ error: 'bad_request' });
    const sup = await sendCommand(dan, 'plan:supervise', {
      planId: 'test-typhoon',
      actionId: 'boards',
      squadId: 'SQ-350203-01',
      note: '尽快完成',
    });
    expect(sup).toMatchObject({
      ok: true,
      data: { planId: 'test-typhoon', actionId: 'boards', squadId: 'SQ-350203-01' },
    });
    await waitFor('supervised', () => hub.app.world().supervisions.length === 1);
    expect(hub.app.world().supervisions[0]).toMatchObject({
      actor: { role: 'dispatcher', id: 'dan' },
      note: '尽快完成',
    });

    const end = await sendCommand(cora, 'plan:end', { planId: 'test-typhoon', reason: '解除' });
    expect(end).toMatchObject({ ok: true, data: { planId: 'test-typhoon', released: 2 } });
    await waitFor('orders released', () =>
      [...hub.app.world().prepositions.values()].every((o) => o.releasedAt !== undefined),
    );
    expect(hub.app.world().plans.get('test-typhoon')?.endedAt).toBeDefined();
    expect(await sendCommand(cora, 'plan:end', { planId: 'test-typhoon' })).toMatchObject({ error: 'plan_not_active' });
    // Open inspections stay on record; a check after the end still counts.
    expect([...hub.app.world().inspections.values()].filter((i) => i.status === 'open').length).toBe(POINTS - 3);
    // Activated again after the end: the round goes on as round 2, with new ids; the first round stays on record.
    // A burst of activations with their own keys: one activates, the others are told it already holds the level.
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'IV' })),
    );
    expect(burst.filter((r) => r.ok)).toHaveLength(1);
    expect(burst.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(Array(5).fill('already_at_level'));
    expect(burst.find((r) => r.ok)).toMatchObject({ data: { issued: { inspections: POINTS, prepositions: 0 } } });
    await waitFor('the second round', () => hub.app.world().inspections.size === 2 * POINTS);
    expect([...hub.app.world().inspections.values()].filter((i) => i.round === 2)).toHaveLength(POINTS);
    expect(hub.app.world().plans.get('test-typhoon')).toMatchObject({ level: 'IV' });
    expect(hub.app.world().plans.get('test-typhoon')?.endedAt).toBeUndefined();
  });
});
