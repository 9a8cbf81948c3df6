import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import pino from 'pino';
import client from 'prom-client';
import { redisKeys, type RedisKeys } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import type { Fence } from '../domain/change.ts';
import { commit } from '../redis/commit.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import {
  Fenced,
  startStreamConsumer,
  type LiveEntry,
  type StreamConsumer,
  type StreamConsumerOptions,
} from './stream-consumer.ts';

const redisUrl = inject('redisUrl');
let redis: Redis;
let keys: RedisKeys;
let running: StreamConsumer[];

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  keys = redisKeys(testNamespace('consumer'));
  running = [];
});
afterEach(async () => {
  await Promise.all(running.map((c) => c.stop()));
  await redis.close();
});

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function start(
  name: string,
  handle: StreamConsumerOptions['handle'],
  over: Partial<StreamConsumerOptions> = {},
): Promise<StreamConsumer> {
  const c = startStreamConsumer({
    redis,
    blocking: await connectRedis(redisUrl),
    keys,
    stream: keys.inEvents,
    consumer: name,
    batch: 10,
    handle,
    logger: pino({ level: 'silent' }),
    realNow: () => Date.now(),
    deadletterMaxLen: 1000,
    registry: new client.Registry(),
    blockMs: 50,
    ...over,
  });
  running.push(c);
  return c;
}

/** Applies an entry the way the control plane does (commit.lua: mark applied + acknowledge, fenced), recording who did. */
function applier(
  name: string,
  applied: string[],
  stallOn?: { id: () => string | undefined; gate: Promise<void> },
  fencedOut?: string[],
) {
  return async (entries: LiveEntry[], fence: Fence | undefined) => {
    for (const e of entries) {
      if (stallOn && e.id === stallOn.id()) {
        stallOn.id = () => undefined; // once
        await stallOn.gate; // a GC pause, an event loop blocked: the lease runs out meanwhile
      }
      const r = await commit(redis, {
        keys,
        change: { writes: [], events: [] },
        logMaxLen: 1000,
        now: Date.now(),
        entry: { stream: keys.inEvents, id: e.id },
        ...(fence ? { fence } : {}),
      });
      if (r.status === 'fenced') {
        fencedOut?.push(`${name}:${e.message.n}`);
        throw new Fenced();
      }
      if (r.status === 'committed') applied.push(`${name}:${e.message.n}`);
    }
  };
}

const add = (n: number) => redis.xAdd(keys.inEvents, '*', { n: String(n) });
const lease = { ms: 400 };

describe(startStreamConsumer.name, () => {
  it('fences a stalled ex-applier: its successor applies the entries it held, in order, and its late commit writes nothing', async () => {
    const l = { ...lease, key: `${keys.inEvents}:applier` };
    const ids: string[] = [];
    for (let n = 1; n <= 6; n++) ids.push(await add(n));
    const applied: string[] = [];
    const fenced: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Hub A applies 1–4, then stalls on 5 with 5 and 6 delivered to it and unacknowledged.
    const a = await start('hub-a', applier('a', applied, { id: () => ids[4], gate }, fenced), { lease: l });
    await until('a applied 1–4 and stalled', () => applied.length === 4);
    const b = await start('hub-b', applier('b', applied), { lease: l });
    // B takes the lease once it expires, claims 5 and 6 from A regardless of idle time, and applies them before 7.
    await until('b applies 5 and 6', () => applied.length === 6);
    await add(7);
    await until('b applies 7', () => applied.length === 7);
    release();
    await until('a fenced out', () => fenced.length === 1);
    await until('a stands by', () => !a.isApplier());
    expect(applied).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'b:5', 'b:6', 'b:7']);
    expect(fenced).toEqual(['a:5']);
    expect(b.isApplier()).toBe(true);
    expect((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending).toBe(0);
  });

  it('hands over at once on a graceful stop, and after the lease runs out when the applier dies', async () => {
    const l = { ...lease, key: `${keys.inEvents}:applier`, ms: 600 };
    const applied: string[] = [];
    const a = await start('hub-a', applier('a', applied), { lease: l });
    await until('a applies', () => a.isApplier());
    const b = await start('hub-b', applier('b', applied), { lease: l });
    await add(1);
    await until('1 applied', () => applied.length === 1);
    await a.stop();
    await add(2);
    await until('2 applied', () => applied.length === 2);
    expect(applied).toEqual(['a:1', 'b:2']);
    // B dies holding the lease (no release): C waits for it to expire, then applies.
    const c = await start('hub-c', applier('c', applied), { lease: l });
    await b.abandon();
    await add(3);
    await until('3 applied', () => applied.length === 3);
    expect(applied).toEqual(['a:1', 'b:2', 'c:3']);
    expect(c.isApplier()).toBe(true);
  });

  it('a lone applier stalled past its lease takes it back and goes on in order, nothing lost or applied twice', async () => {
    const l = { ...lease, key: `${keys.inEvents}:applier`, ms: 300 };
    const ids: string[] = [];
    for (let n = 1; n <= 4; n++) ids.push(await add(n));
    const applied: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = await start('hub-a', applier('a', applied, { id: () => ids[1], gate }), { lease: l });
    await until('a applied 1 and stalled on 2', () => applied.length === 1);
    await until('the lease expired', async () => (await redis.exists(l.key)) === 0);
    release();
    await add(5);
    await until('everything applied', () => applied.length === 5);
    expect(applied).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'a:5']);
    expect(a.isApplier()).toBe(true);
    expect((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending).toBe(0);
  });

  it('says it is stalled when an entry waits unsettled past the bound, by its injected clock', async () => {
    let now = 1_000_000;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handled: string[] = [];
    const c = await start(
      'hub-a',
      async (entries) => {
        await gate;
        for (const e of entries) {
          handled.push(e.id);
          await redis.xAck(keys.inEvents, keys.ingestGroup, e.id);
        }
      },
      { realNow: () => now, stallAfterMs: 30_000 },
    );
    await add(1);
    await until('the entry in hand', async () => (await redis.xPending(keys.inEvents, keys.ingestGroup)).pending === 1);
    expect(c.stalledBecause()).toBeUndefined();
    now += 31_000;
    expect(c.stalledBecause()).toMatch(/stalled: an entry has waited 31 s unsettled/);
    release();
    await until('handled', () => handled.length === 1);
    await until('caught up', () => c.stalledBecause() === undefined);
  });
});
