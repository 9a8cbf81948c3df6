import { Agent, get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import type { Redis } from '../src/redis/connect.ts';
import { now, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';
import { startAuthHub, type AuthHub } from './auth-fixture.ts';

/** Edges of the hub that were left out: metrics, headers and acknowledgements every other path already has. */
describe('the hub’s edges', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];

  beforeAll(async () => {
    const t = await testRedis('edges');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns);
  });
  afterAll(async () => {
    await hub.close();
    await redis.close();
  });

  const deadletterMetric = async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^egret_deadletter_total\{reason="([^"]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
    return out;
  };

  it('counts the positions stream’s dead letters in egret_deadletter_total, like every other dead letter', async () => {
    await redis.xAdd(keys.inPositions, '*', { data: '{"fixes": [' });
    await redis.xAdd(keys.inPositions, '*', {
      data: JSON.stringify({ fixes: [{ unitId: 'NOBODY-1', lon: 118.1, lat: 24.5, at: now() }] }),
    });
    await redis.xAdd(keys.inPositions, '*', { nodata: 'x' });
    const letters = async () =>
      ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).filter((e) => e.message.source === keys.inPositions);
    await waitFor('three positions dead letters', async () => (await letters()).length === 3);
    const byReason: Record<string, number> = {};
    for (const l of await letters()) byReason[l.message.reason!] = (byReason[l.message.reason!] ?? 0) + 1;
    expect(Object.keys(byReason).sort()).toEqual(['invalid_json', 'missing_data', 'unknown_unit']);
    await waitFor(
      'the metric',
      async () => {
        const m = await deadletterMetric();
        return Object.entries(byReason).every(([reason, n]) => m[reason] === n);
      },
      5_000,
    );
  });

  it('keeps an idle keep-alive connection past Node’s 5 s, so a client reusing it is not reset (ECONNRESET)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = httpGet(`${hub.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6_000));
      // With Node's default 5 s the hub would have closed it: the agent would have opened a new one.
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('sends the security headers on Socket.IO’s polling answers too', async () => {
    const res = await fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    await res.text();
    for (const h of [
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-resource-policy',
      'permissions-policy',
      'cross-origin-opener-policy',
    ]) {
      expect(res.headers.get(h), h).toBeTruthy();
    }
    expect(
      res.headers.get('content-security-policy') ?? res.headers.get('content-security-policy-report-only'),
    ).toMatch(/default-src 'self'/);
    const bad = await fetch(`${hub.url}/socket.io/?EIO=4&transport=polling&sid=nope`);
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers an unknown socket event that asks for an acknowledgement with unknown_command', async () => {
    const socket = connectClient(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await new Promise<void>((done, fail) => {
        socket.once('connect', () => done());
        socket.once('connect_error', fail);
      });
      const emit = socket.timeout(5_000).emitWithAck.bind(socket) as unknown as (
        event: string,
        arg: unknown,
      ) => Promise<unknown>;
      for (const event of ['case:nope', 'constructor', '__proto__', 'log:ranges']) {
        expect(await emit(event, { x: 1 }), event).toEqual({
          ok: false,
          error: 'unknown_command',
          message: expect.stringContaining('case:dispatch'),
        });
      }
      // The known events still answer as before.
      expect(await emit('log:range', { afterSeq: 0, toSeq: 0 })).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });
});

describe('unknown socket events on a hub that requires accounts', () => {
  let hub: AuthHub;
  beforeAll(async () => {
    hub = await startAuthHub('edges-auth');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('answers them unknown_command too, and keeps them in the audit stream with who sent them', async () => {
    const { addUser, sessionCookie, screenWith, connectOutcome, PASSWORD, auditEntries } =
      await import('./auth-fixture.ts');
    await addUser(hub.store, 'una', 'viewer');
    const socket = screenWith(hub.url, { cookie: await sessionCookie(hub.url, 'una', PASSWORD) });
    try {
      expect(await connectOutcome(socket)).toBe('connected');
      const emit = socket.timeout(5_000).emitWithAck.bind(socket) as unknown as (
        event: string,
        arg: unknown,
      ) => Promise<unknown>;
      expect(await emit('case:nope', { x: 1 })).toMatchObject({ ok: false, error: 'unknown_command' });
      const audit = await auditEntries(hub.redis, hub.keys);
      expect(audit.map((a) => [a.command, a.error, a.actor.id])).toEqual([['case:nope', 'unknown_command', 'una']]);
    } finally {
      socket.close();
    }
  });
});
