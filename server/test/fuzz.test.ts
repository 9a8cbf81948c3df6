import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, MAX_INPUT_BYTES, type LogEvent } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, now, Screen, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';
import { seeded } from '../../test/seeded.ts';

/**
 * A fuzz test: thousands of malformed inputs — random bytes, wrong types, huge strings, deep nesting, bad
 * coordinates, unknown ids — at the input stream, the HTTP ingest and the socket commands, with valid traffic
 * around them. The hub must stay up, apply the valid traffic in order, and dead-letter or refuse every bad input
 * with its reason. Seeded, so a failure is reproducible: FUZZ_SEED=<n> npx vitest run server/test/fuzz.test.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20160915);

/** A seeded PRNG, enough for picking mutations. */
const rng = seeded;

const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (n: number) => Math.floor(random() * n);
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))).toString('latin1');
const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });
const wrongValue = () =>
  pick<unknown>([null, true, 42, -1e308, 'string', '', [], {}, [1, 2], { lon: 1 }, 'x'.repeat(5_000)]);

/** A case report broken in one of the ways an upstream system gets it wrong; every one of them is invalid. */
function brokenReport(n: number): Record<string, unknown> {
  const r = caseReport(`FZ-${n}`) as Record<string, unknown>;
  const fields = ['kind', 'caseId', 'category', 'source', 'urgency', 'lon', 'lat', 'address', 'at'];
  switch (int(10)) {
    case 0: {
      const { [pick(['kind', 'caseId', 'category', 'lon', 'lat', 'at'])]: _, ...rest } = r;
      return rest;
    }
    case 1:
      return { ...r, [pick(fields)]: pick<unknown>([null, [], {}, { deep: nested(50) }, -1]) };
    case 2:
      return { ...r, lat: pick([91, -91, 1e9, '24.46', null]) };
    case 3:
      return { ...r, lon: pick([181, -181, 1e308, '118.09', []]) };
    case 4:
      return { ...r, kind: pick(['case.reprot', '', 'CASE.REPORT', 'drop table', 42]) };
    case 5:
      return { ...r, caseId: pick(['x'.repeat(65), 'has space', '', '../../etc/passwd', 'é']) };
    case 6:
      return { ...r, description: nested(2_000) };
    case 7:
      return { ...r, category: { code: pick(['99999', 'ZZZZZ', '00000']), standard: 'GB/T 47678.5-2026' } };
    case 8:
      return { ...r, lon: 118.5, lat: 24.3 }; // the sea south of Xiamen
    default:
      return pick<Record<string, unknown>>([
        { kind: 'unit.status', unitId: `GHOST-${n}`, status: 'available', at: now() },
        { kind: 'task.update', taskId: `T-GHOST-${n}`, unitId: 'U-1', status: 'accepted', at: now() },
        { kind: 'case.transition', caseId: `NO-${n}`, to: 'accepted', actor: { role: 'upstream', id: 'x' }, at: now() },
        { kind: 'sensor.reading', sensorId: `S-GHOST-${n}`, value: 1, at: now() },
        { kind: 'storm.update', at: now(), storm: { id: '1614', center: [wrongValue(), 24] } },
      ]);
  }
}

/** The `data` field of one bad stream entry, or an entry without one. */
function badEntry(n: number): Record<string, string> {
  switch (int(6)) {
    case 0:
      return { data: bytes(1 + int(200)) };
    case 1:
      return { data: JSON.stringify(wrongValue()) };
    case 2:
      return { data: JSON.stringify(brokenReport(n)).slice(0, -1 - int(5)) }; // truncated
    case 3:
      return { other: 'field', [`f${n}`]: bytes(10) };
    case 4:
      return {
        data: JSON.stringify({ ...caseReport(`BIG-${n}`), description: 'x'.repeat(MAX_INPUT_BYTES + int(1_000)) }),
      };
    default:
      return asData(brokenReport(n));
  }
}

describe('fuzzing the hub’s inputs', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let screen: Screen;

  beforeAll(async () => {
    const t = await testRedis('fuzz');
    ({ redis, keys } = t);
    hub = await startHub(t.ns);
    screen = new Screen(hub.url);
    await waitFor('the snapshot', () => screen.snapshots.length === 1);
  });
  afterAll(async () => {
    screen.close();
    await hub.close();
    await redis.close();
  });

  it(`dead-letters each of 3,000 bad stream entries with a reason and applies the 300 valid ones around them, in order (seed ${SEED})`, async () => {
    const valid: string[] = [];
    let bad = 0;
    for (let i = 0; i < 3_300; i += 100) {
      const m = redis.multi();
      for (let k = i; k < i + 100; k++) {
        if (k % 11 === 0) {
          valid.push(`OK-${k}`);
          m.xAdd(keys.inEvents, '*', asData(caseReport(`OK-${k}`)));
        } else {
          bad++;
          m.xAdd(keys.inEvents, '*', badEntry(k));
        }
      }
      await m.exec();
    }
    await waitFor(
      'every entry handled',
      async () => (await redis.xLen(keys.deadletter)) === bad && screen.events.length >= valid.length,
      120_000,
    );
    expect((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending).toBe(0);
    const reported = screen.events
      .filter((e): e is Extract<LogEvent, { type: 'case.reported' }> => e.type === 'case.reported')
      .map((e) => e.case.id);
    expect(reported).toEqual(valid);
    const dead = (await redis.xRange(keys.deadletter, '-', '+')) ?? [];
    const unexplained = dead.filter((d) => !/^[a-z_]+$/.test(d.message.reason ?? '') || !d.message.detail);
    expect(unexplained).toEqual([]);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    const counted = [...metrics.matchAll(/^egret_deadletter_total\{reason="[a-z_]+"\} (\d+)$/gm)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
    expect(counted).toBe(bad);
  }, 180_000);

  it('refuses 300 bad HTTP ingest bodies — 400 naming the field, or 413 — or dead-letters what passed the schema, and still takes a good one', async () => {
    const deadBefore = await redis.xLen(keys.deadletter);
    let expectDead = 0;
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const [body, badMessages] = pick<() => [string, number]>([
        () => [bytes(1 + int(300)), 1],
        () => [JSON.stringify(brokenReport(10_000 + i)), 1],
        () => [JSON.stringify([caseReport(`HB-${i}`), brokenReport(20_000 + i)]), 1],
        () => [JSON.stringify(nested(3_000)), 1],
        () => [JSON.stringify({ fixes: [{ unitId: 'U', lon: 'x', lat: 1, at: 1 }] }), 1],
        () => ['x'.repeat(300_000), 0],
      ])();
      const res = await fetch(`${hub.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      statuses.add(res.status);
      // 400: refused and dead-lettered whole; 202: valid to the schema, so the domain checks refuse the bad message
      // (unknown category, a point in the sea, an unknown id) in the dead-letter stream; 413: refused unread.
      expect([202, 400, 413]).toContain(res.status);
      const answer = (await res.json()) as { error?: string; message?: string; ids?: string[] };
      if (res.status === 202) expect(answer.ids?.length).toBeGreaterThan(0);
      else expect([typeof answer.error, typeof answer.message]).toEqual(['string', 'string']);
      if (res.status !== 413) expectDead += badMessages;
    }
    expect([...statuses].sort()).toEqual([202, 400, 413]);
    await waitFor(
      'every bad body dead-lettered',
      async () => (await redis.xLen(keys.deadletter)) === deadBefore + expectDead,
      30_000,
    );
    const good = await fetch(`${hub.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(caseReport('HTTP-OK')),
    });
    expect(good.status).toBe(202);
    await waitFor('the good one applied', () => hub.app.world().cases.has('HTTP-OK'), 10_000);
  }, 120_000);

  it('refuses 500 malformed socket commands with a reason each, changing nothing, and stays up', async () => {
    const seqBefore = Number(await redis.get(keys.logSeq));
    const auditBefore = await redis.xLen(keys.audit);
    for (let i = 0; i < 500; i++) {
      const name = pick(COMMAND_NAMES);
      const payload = pick<unknown>([
        undefined,
        null,
        42,
        'dispatch',
        [],
        { caseId: wrongValue() },
        { caseId: `NO-${i}`, unitId: `NO-${i}`, idempotencyKey: 'k'.repeat(10_000) },
        { caseId: `NO-${i}`, unitId: wrongValue(), idempotencyKey: `fz-${i}` },
        { mode: 'wartime', idempotencyKey: `fz-${i}` },
        nested(500),
        { caseId: `NO-${i}`, action: 'teleport', idempotencyKey: `fz-${i}` },
      ]);
      const res = (await (
        screen.socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } }
      )
        .timeout(5_000)
        .emitWithAck(name, payload)) as { ok: boolean; error?: string };
      expect(res.ok).toBe(false);
      expect(typeof res.error).toBe('string');
    }
    expect(Number(await redis.get(keys.logSeq))).toBe(seqBefore);
    // Refused commands are on record, who asked what and why.
    expect(await redis.xLen(keys.audit)).toBeGreaterThan(auditBefore);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    expect(screen.socket.connected).toBe(true);
  }, 120_000);
});
