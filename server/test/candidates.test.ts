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

  it('answers unknown cases and bad requests with tagged refusals', async () => {
    expect(await (await fetch(`${hub.url}/api/cases/NOPE/candidates`)).json()).toMatchObject({
      ok: false,
      error: 'unknown_case',
    });
    const emit = desk.socket.emitWithAck.bind(desk.socket);
    expect(await emit('case:candidates', { caseId: '' })).toMatchObject({ ok: false, error: 'bad_request' });
  });
});
