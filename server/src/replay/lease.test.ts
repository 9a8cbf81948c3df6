import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { Lease } from './lease.ts';

let redis: Redis;
let key: string;
beforeEach(async () => {
  redis = await connectRedis(inject('redisUrl'));
  key = `${testNamespace('lease')}:lease`;
});
afterEach(async () => {
  await redis.close();
});

describe(Lease.name, () => {
  it('is renewed while it holds our token, taken back when it expired unheld, and lost to another holder', async () => {
    const a = new Lease(redis, key, 200, 'hub-a');
    const b = new Lease(redis, key, 10_000, 'hub-b');
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await a.keep()).toBe('renewed');
    // A stall past the TTL with nobody else asking: ours again, flagged so a holder with state can start over.
    await redis.del(key);
    expect(await a.keep()).toBe('retaken');
    expect(await a.held()).toBe(true);
    await redis.del(key);
    expect(await b.acquire()).toBe(true);
    expect(await a.keep()).toBe('lost');
    expect(await a.renew()).toBe(false);
    await a.release(); // not ours: nothing happens
    expect(await b.held()).toBe(true);
    await b.release();
    expect(await redis.exists(key)).toBe(0);
  });
});
