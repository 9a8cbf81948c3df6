import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix, Result, SquadCandidate } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { caseReport, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';
import { caseReaches, Console, input, inputsHandled, registerUnit } from './loop-fixture.ts';

describe('squad candidates for a case', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let desk: Console;

  /** A garbage case (06010, group environment) in 湖里, near 江头. */
  const CASE_AT = { lon: 118.13, lat: 24.5 };

  beforeAll(async () => {
    const t = await testRedis('cands');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns);
    desk = new Console(hub.url, 'desk');

    await registerUnit(redis, keys, 'HL-SAN-1', { squadId: 'SQ-HL-SAN', district: '350206', type: 'sanitation' });
    await registerUnit(redis, keys, 'HL-ENF-1', { squadId: 'SQ-HL-ENF', district: '350206', type: 'enforcement' });
    await registerUnit(redis, keys, 'HC-SAN-1', { squadId: 'SQ-HC-SAN', district: '350205', type: 'sanitation' });
    await registerUnit(redis, keys, 'HL-BUSY-1', {
      squadId: 'SQ-HL-BUSY',
      district: '350206',
      type: 'sanitation',
      status: 'on_scene',
    });
    await registerUnit(redis, keys, 'HL-OFF-1', {
      squadId: 'SQ-HL-OFF',
      district: '350206',
      type: 'sanitation',
      status: 'off_duty',
    });
    for (let i = 1; i <= 7; i++)
      await registerUnit(redis, keys, `JM-${i}`, { squadId: `SQ-JM-${i}`, district: '350211', type: 'enforcement' });
    await inputsHandled(redis, keys);
    const at = Date.now();
    const fixes: Fix[] = [
      { unitId: 'HL-SAN-1', lon: 118.135, lat: 24.503, at }, // ~600 m away
      { unitId: 'HL-ENF-1', lon: 118.16, lat: 24.515, at }, // ~3.5 km away
      { unitId: 'HC-SAN-1', lon: 118.03, lat: 24.49, at }, // across the western channel
      { unitId: 'HL-BUSY-1', lon: 118.131, lat: 24.501, at }, // next door, but on a job
      { unitId: 'HL-OFF-1', lon: 118.131, lat: 24.501, at },
    ];
    await redis.xAdd(keys.inPositions, '*', { data: JSON.stringify({ fixes }) });
    await waitFor('the fixes in Redis', async () => Number(await redis.hLen(keys.positions)) === fixes.length);

    await input(
      redis,
      keys,
      caseReport('C-CAND', { category: { code: '06010', standard: 'GB/T 47678.5-2026' }, ...CASE_AT }),
    );
    await caseReaches(hub, 'C-CAND', 'reported');
    await waitFor('every unit in the mirror', () => hub.app.world().units.size === 12);
  });
  afterAll(async () => {
    desk.close();
    await hub.close();
    await redis.close();
  });

  it('ranks the near, suited squad of the case’s own district first, and says why for every squad', async () => {
    const emit = desk.socket.emitWithAck.bind(desk.socket);
    const r = (await emit('case:candidates', { caseId: 'C-CAND' })) as Result<SquadCandidate[]>;
    if (!r.ok) throw new Error(r.message);
    const squads = r.data;
    expect(squads).toHaveLength(10); // 12 squads, the best 10
    expect(squads.map((s) => s.squadId).slice(0, 3)).toEqual(['SQ-HL-SAN', 'SQ-HL-ENF', 'SQ-HC-SAN']);

    const [best, second, across] = squads;
    expect(best).toMatchObject({ status: 'available', district: '350206' });
    expect(best!.etaMs).toBeGreaterThan(0);
    expect(best!.etaMs!).toBeLessThan(second!.etaMs!);
    expect(best!.reasons).toEqual(
      expect.arrayContaining([
        { key: 'own_district' },
        { key: 'type_suited', params: { type: 'sanitation', group: 'environment' } },
      ]),
    );
    expect(across!.reasons).toEqual(
      expect.arrayContaining([{ key: 'out_of_district', params: { district: '350205' } }]),
    );
    expect(across!.reasons.find((x) => x.key === 'crossing')).toMatchObject({
      params: { via: expect.stringMatching(/^haicang-(bridge|tunnel)$/) },
    });

    // Squads that cannot go come after those that can, each with the reason.
    const byId = new Map(squads.map((s) => [s.squadId, s]));
    const statusOrder = squads.map((s) => ({ available: 0, unreachable: 1, unavailable: 2 })[s.status]);
    expect(statusOrder).toEqual([...statusOrder].sort((a, b) => a - b));
    expect(byId.get('SQ-JM-1')).toMatchObject({
      status: 'unreachable',
      reasons: expect.arrayContaining([{ key: 'no_position' }]),
    });
    expect([...byId.values()].some((s) => s.squadId === 'SQ-HL-BUSY' || s.squadId === 'SQ-HL-OFF')).toBe(false); // ranked 11th and 12th

    // The same over HTTP.
    const res = await fetch(`${hub.url}/api/cases/C-CAND/candidates`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(r);
  });

  it('lists a busy squad as unavailable with the reason when it is among the best ten', async () => {
    // Take every Jimei squad off duty so the busy and off-duty squads rank within ten.
    for (let i = 1; i <= 7; i++)
      await input(redis, keys, { kind: 'unit.status', unitId: `JM-${i}`, status: 'offline', at: Date.now() });
    await inputsHandled(redis, keys);
    await waitFor('offline Jimei units', () => hub.app.world().units.get('JM-7')?.status === 'offline');
    const res = (await (await fetch(`${hub.url}/api/cases/C-CAND/candidates`)).json()) as Result<SquadCandidate[]>;
    if (!res.ok) throw new Error(res.message);
    const busy = res.data.find((s) => s.squadId === 'SQ-HL-BUSY');
    expect(busy).toMatchObject({
      status: 'unavailable',
      reasons: expect.arrayContaining([{ key: 'busy', params: { status: 'on_scene' } }]),
    });
    expect(res.data.find((s) => s.squadId === 'SQ-HL-OFF')).toMatchObject({
      status: 'unavailable',
      reasons: expect.arrayContaining([{ key: 'off_duty' }]),
    });
  });

  /** The case's candidates over HTTP, by squad. */
  const candidatesOf = async (caseId: string) => {
    const r = (await (await fetch(`${hub.url}/api/cases/${caseId}/candidates`)).json()) as Result<SquadCandidate[]>;
    if (!r.ok) throw new Error(r.message);
    return { list: r.data, by: new Map(r.data.map((s) => [s.squadId, s])) };
  };
  const MIN = 60_000;

  it('follows the jurisdiction rule (属地管理): a neighbouring district’s squad is listed, held back until the case has waited', async () => {
    const reportedAt = hub.app.world().cases.get('C-CAND')!.reportedAt;
    const { list, by } = await candidatesOf('C-CAND');
    // Config settings.json: a normal case waits 30 min for its district before 海沧 (a neighbour of 湖里) is called.
    expect(by.get('SQ-HC-SAN')).toMatchObject({
      status: 'available',
      held: { until: reportedAt + 30 * MIN },
      reasons: expect.arrayContaining([{ key: 'waiting_for_district', params: { until: reportedAt + 30 * MIN } }]),
    });
    for (const s of list.filter((x) => x.district === '350206')) expect(s.held).toBeUndefined();
    // Held back, it is never proposed before a squad the rule allows that can go.
    const firstHeld = list.findIndex((s) => s.held);
    expect(list.slice(0, firstHeld).every((s) => s.status === 'available' && !s.held)).toBe(true);

    // A case in 思明: 海沧 is no neighbour of it, so its squad waits for the city-wide call.
    await input(redis, keys, caseReport('C-SM', { category: { code: '06010', standard: 'GB/T 47678.5-2026' } }));
    await caseReaches(hub, 'C-SM', 'reported');
    const sm = hub.app.world().cases.get('C-SM')!;
    expect(sm.district).toBe('350203');
    const far = (await candidatesOf('C-SM')).by.get('SQ-HC-SAN');
    expect(far).toMatchObject({
      held: { until: sm.reportedAt + 90 * MIN },
      reasons: expect.arrayContaining([{ key: 'not_neighbour', params: { until: sm.reportedAt + 90 * MIN } }]),
    });
    // 思明 has no squad here at all: its neighbour 湖里 is called at once, and says why.
    const huli = (await candidatesOf('C-SM')).by.get('SQ-HL-SAN');
    expect(huli?.held).toBeUndefined();
    expect(huli?.reasons).toEqual(
      expect.arrayContaining([{ key: 'neighbour_allowed', params: { because: 'no_own_squad' } }]),
    );
  });

  it('lets a critical case call the neighbours at once, and the typhoon mode opens the whole city for every case', async () => {
    await input(
      redis,
      keys,
      caseReport('C-CRIT', {
        category: { code: '06010', standard: 'GB/T 47678.5-2026' },
        urgency: 'critical',
        ...CASE_AT,
      }),
    );
    await caseReaches(hub, 'C-CRIT', 'reported');
    const crit = (await candidatesOf('C-CRIT')).by.get('SQ-HC-SAN');
    expect(crit?.held).toBeUndefined();
    expect(crit?.reasons).toEqual(
      expect.arrayContaining([{ key: 'neighbour_allowed', params: { because: 'urgent' } }]),
    );

    expect(await desk.send('mode:set', { mode: 'typhoon' })).toMatchObject({ ok: true });
    await waitFor('typhoon mode in the mirror', () => hub.app.world().mode === 'typhoon');
    try {
      const typhoon = (await candidatesOf('C-SM')).by.get('SQ-HC-SAN');
      expect(typhoon?.held).toBeUndefined();
      expect(typhoon?.reasons).toEqual(
        expect.arrayContaining([{ key: 'city_wide_allowed', params: { because: 'mode' } }]),
      );
    } finally {
      expect(await desk.send('mode:set', { mode: 'peacetime' })).toMatchObject({ ok: true });
      await waitFor('peacetime in the mirror', () => hub.app.world().mode === 'peacetime');
    }
    expect((await candidatesOf('C-SM')).by.get('SQ-HC-SAN')?.held).toBeDefined();
  });

  it('calls the neighbours at once while 文明创建 is in force at Ⅲ (a campaign level), and waits again once it ends', async () => {
    const hc = async () => (await candidatesOf('C-CAND')).by.get('SQ-HC-SAN');
    expect((await hc())?.held).toBeDefined();
    // At Ⅳ (常态测评) the rule lists nothing for the plan: 海沧 still waits for 湖里.
    expect(await desk.send('plan:activate', { planId: 'civilised-city', level: 'IV' })).toMatchObject({ ok: true });
    await waitFor('the plan at Ⅳ', () => hub.app.world().plans.get('civilised-city')?.level === 'IV');
    expect((await hc())?.held).toBeDefined();
    expect(await desk.send('plan:activate', { planId: 'civilised-city', level: 'III' })).toMatchObject({ ok: true });
    await waitFor('the plan at Ⅲ', () => hub.app.world().plans.get('civilised-city')?.level === 'III');
    try {
      const called = await hc();
      expect(called?.held).toBeUndefined();
      expect(called?.reasons).toEqual(
        expect.arrayContaining([{ key: 'neighbour_allowed', params: { because: 'plan' } }]),
      );
      // The neighbours only: for a 思明 case, 海沧 (no neighbour of 思明) still waits for the city-wide call.
      expect((await candidatesOf('C-SM')).by.get('SQ-HC-SAN')?.held).toBeDefined();
    } finally {
      expect(await desk.send('plan:end', { planId: 'civilised-city' })).toMatchObject({ ok: true });
      await waitFor('the plan ended', () => hub.app.world().plans.get('civilised-city')?.endedAt !== undefined);
      expect(await desk.send('mode:set', { mode: 'peacetime' })).toMatchObject({ ok: true });
      await waitFor('peacetime in the mirror', () => hub.app.world().mode === 'peacetime');
    }
    expect((await hc())?.held).toBeDefined();
  });

  it('answers unknown cases and bad requests with tagged refusals', async () => {
    expect(await (await fetch(`${hub.url}/api/cases/NOPE/candidates`)).json()).toMatchObject({
      ok: false,
      error: 'unknown_case',
    });
    const emit = desk.socket.emitWithAck.bind(desk.socket);
    expect(await emit('case:candidates', { caseId: '' })).toMatchObject({ ok: false, error: 'bad_request' });
  });
});
