import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUTURE_SKEW_MS, MAX_INPUT_BYTES } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import {
  asData,
  caseReport,
  now,
  Screen,
  startHub,
  testRedis,
  waitFor,
  xaddInput,
  type TestHub,
} from './hub-fixture.ts';

interface DeadLetter {
  source: string;
  entryId: string;
  reason: string;
  detail: string;
  data: string;
}

describe('malformed input', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];

  beforeAll(async () => {
    const t = await testRedis('bad');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns);
  });
  afterAll(async () => {
    await hub.close();
    await redis.close();
  });

  const deadLetters = async (): Promise<DeadLetter[]> =>
    ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).map((e) => e.message as unknown as DeadLetter);

  it('dead-letters every malformed kind with its reason while the valid entries around them are applied in order', async () => {
    const { caseId: _, ...withoutCaseId } = caseReport('X') as Record<string, unknown>;
    const bad: Array<[reason: string, fields: Record<string, string>, detail?: RegExp]> = [
      ['invalid_json', { data: '{"kind":"case.report", "caseId": ' }],
      ['schema', asData(withoutCaseId), /^caseId:/],
      ['schema', asData({ ...caseReport('BAD-LAT'), lat: 123 }), /^lat: Too big/],
      ['schema', asData({ ...caseReport('BAD-STR'), lon: '118.09', lat: '24.46' }), /^lon: .*string/],
      [
        'unknown_category',
        asData(caseReport('BAD-CAT', { category: { code: '99999', standard: 'GB/T 47678.5-2026' } })),
        /99999/,
      ],
      ['unknown_unit', asData({ kind: 'unit.status', unitId: 'GHOST-1', status: 'off_duty', at: now() }), /GHOST-1/],
      ['far_future', asData(caseReport('BAD-TIME', { at: now() + MAX_FUTURE_SKEW_MS + 3_600_000 })), /^at:/],
      ['oversized', asData({ ...caseReport('BAD-BIG'), description: 'x'.repeat(MAX_INPUT_BYTES) })],
      ['missing_data', { payload: JSON.stringify(caseReport('BAD-FIELD')) }],
      ['outside_city', asData(caseReport('BAD-SEA', { lon: 118.5, lat: 24.3 }))],
    ];
    const screen = new Screen(hub.url);
    await waitFor('the snapshot', () => screen.snapshots.length === 1);

    const ids: Record<string, string> = {};
    let n = 0;
    for (const [reason, fields] of bad) {
      await xaddInput(redis, keys, asData(caseReport(`OK-${n++}`)));
      ids[`${reason}:${n}`] = await xaddInput(redis, keys, fields);
    }
    await xaddInput(redis, keys, asData(caseReport(`OK-${n++}`)));

    await waitFor('every valid case on the screen', () => screen.events.length === n);
    expect(screen.events.map((e) => (e.type === 'case.reported' ? e.case.id : e.type))).toEqual(
      Array.from({ length: n }, (_, i) => `OK-${i}`),
    );
    expect(screen.events.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));

    await waitFor('every bad entry dead-lettered', async () => (await deadLetters()).length === bad.length);
    const letters = await deadLetters();
    bad.forEach(([reason, , detail], i) => {
      const letter = letters[i]!;
      expect(letter.reason, `entry ${i}`).toBe(reason);
      expect(letter.source).toBe(keys.inEvents);
      expect(letter.entryId).toBe(Object.values(ids)[i]);
      if (detail) expect(letter.detail).toMatch(detail);
    });
    expect(letters.find((l) => l.reason === 'oversized')!.data.length).toBeLessThan(MAX_INPUT_BYTES);
    expect(letters.find((l) => l.reason === 'missing_data')!.data).toContain('BAD-FIELD');

    const counts = await redis.hGetAll(keys.deadletterCounts);
    expect(counts).toMatchObject({
      schema: '3',
      invalid_json: '1',
      unknown_category: '1',
      far_future: '1',
      oversized: '1',
      missing_data: '1',
    });
    // Nothing is left pending: every entry, good or bad, was acknowledged.
    const pending = await redis.xPending(keys.inEvents, keys.ingestGroup);
    expect(Number(pending.pending)).toBe(0);

    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/egret_deadletter_total\{reason="schema"\} 3/);
    expect(metrics).toMatch(/egret_ingest_entries_total\{stream="[^"]+",result="rejected"\} 10/);

    // And the hub still serves.
    await xaddInput(redis, keys, asData(caseReport('AFTER')));
    await waitFor(
      'a case after the bad ones',
      () => screen.events.at(-1)?.type === 'case.reported' && hub.app.world().cases.has('AFTER'),
    );
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    screen.close();
  });

  it('dead-letters an entry the hub keeps failing on (here: corrupt stored state) instead of stalling the stream', async () => {
    await redis.hSet(keys.cases, 'CORRUPT-1', 'not json');
    const poison = await xaddInput(
      redis,
      keys,
      asData({
        kind: 'case.transition',
        caseId: 'CORRUPT-1',
        to: 'accepted',
        actor: { role: 'dispatcher', id: 'd' },
        at: now(),
      }),
    );
    await xaddInput(redis, keys, asData(caseReport('AFTER-POISON')));
    await waitFor('the case after the poison entry', () => hub.app.world().cases.has('AFTER-POISON'), 15_000);
    const letter = (await deadLetters()).find((l) => l.entryId === poison);
    expect(letter).toMatchObject({ reason: 'internal', detail: expect.stringContaining('5 times') });
    expect(Number((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending)).toBe(0);
  });

  it('answers a bad HTTP ingest with 400 naming the field, and dead-letters it', async () => {
    const post = (body: string) =>
      fetch(`${hub.url}/api/ingest/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const one = await post(JSON.stringify({ ...caseReport('H-1'), lon: 'east' }));
    expect(one.status).toBe(400);
    expect(await one.json()).toMatchObject({ error: 'schema', message: expect.stringMatching(/^lon: /) });

    const batch = await post(
      JSON.stringify([caseReport('H-2'), caseReport('H-3'), { ...caseReport('H-4'), lat: -91 }]),
    );
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({
      error: 'schema',
      message: expect.stringMatching(/^\[2\]\.lat: Too small/),
    });

    const notJson = await post('{"kind": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_json' });

    const fixes = await fetch(`${hub.url}/api/ingest/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fixes: [
          { unitId: 'U-1', lon: 118.1, lat: 24.5, at: now() },
          { unitId: 'U-2', lon: 181, lat: 24.5, at: now() },
        ],
      }),
    });
    expect(fixes.status).toBe(400);
    expect(await fixes.json()).toMatchObject({
      error: 'schema',
      message: expect.stringMatching(/^fixes\[1\]\.lon: Too big/),
    });

    const http = (await deadLetters()).filter((l) => l.source.startsWith('http:'));
    expect(http.map((l) => [l.source, l.reason])).toEqual([
      ['http:/api/ingest/events', 'schema'],
      ['http:/api/ingest/events', 'schema'],
      ['http:/api/ingest/events', 'invalid_json'],
      ['http:/api/ingest/positions', 'schema'],
    ]);
    expect(http[1]!.data).toContain('H-4');
    // The refused batch was not written at all: nothing of it reached the stream.
    expect(hub.app.world().cases.has('H-2')).toBe(false);
    const entries = (await redis.xRange(keys.inEvents, '-', '+')) ?? [];
    expect(entries.some((e) => e.message.data?.includes('H-2'))).toBe(false);
  });

  it('answers what the hub cannot read with a clear 4xx, never 500: a 10,000-deep body (400, dead-lettered), an unknown encoding (415)', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${hub.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepObject = `{"kind":"case.report","caseId":"DEEP","extra":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    for (const body of [deepArray, deepObject]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'too_deep',
        message: expect.stringMatching(/nested deeper than \d+ levels/),
      });
    }
    const deepPositions = await fetch(`${hub.url}/api/ingest/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deepArray,
    });
    expect(deepPositions.status).toBe(400);
    const letters = (await deadLetters()).filter((l) => l.reason === 'too_deep');
    expect(letters.map((l) => l.source)).toEqual([
      'http:/api/ingest/events',
      'http:/api/ingest/events',
      'http:/api/ingest/positions',
    ]);
    expect(letters[1]!.data).toMatch(/^\{"kind":"case\.report","caseId":"DEEP"/);

    const bogus = await post(JSON.stringify(caseReport('ENC-1')), { 'content-encoding': 'x-bogus' });
    expect(bogus.status).toBe(415);
    expect(await bogus.json()).toEqual({ error: 'unsupported_encoding', message: expect.stringMatching(/x-bogus/) });
    expect((await deadLetters()).filter((l) => l.reason === 'unsupported_encoding').map((l) => l.source)).toEqual([
      'http:/api/ingest/events',
    ]);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/egret_deadletter_total\{reason="too_deep"\} 3/);
    expect(metrics).toMatch(/egret_deadletter_total\{reason="unsupported_encoding"\} 1/);
  });

  it('answers a replay time out of range with 400 and a clear message, not 500', async () => {
    for (const t of [
      '-99999999999999999',
      '99999999999999999',
      '8640000000000001',
      '0',
      '1000',
      '-1',
      '59999',
      '1970-01-01T00:00:01Z',
    ]) {
      for (const path of [
        `/api/replay/state?t=${t}`,
        `/api/replay/kpi?t=${t}`,
        `/api/replay/positions?t=${t}`,
        `/api/replay/case?t=${t}&id=X`,
        `/api/replay/events?from=${t}&to=${Date.now()}`,
        `/api/replay/trails?from=${t}&to=${Date.now()}`,
        `/api/replay/histogram?from=${t}&to=${Date.now()}`,
      ]) {
        const res = await fetch(`${hub.url}${encodeURI(path)}`);
        expect(res.status, path).toBe(400);
        expect(await res.json(), path).toEqual({
          error: 'bad_request',
          message: expect.stringMatching(/between 2000-01-01 and 2100-01-01/),
        });
      }
    }
  });
});
