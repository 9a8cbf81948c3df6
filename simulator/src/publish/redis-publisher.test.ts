import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { redisKeys, type InputMessage } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from './connect.ts';
import { RedisPublisher } from './redis-publisher.ts';

const report = (n: number): InputMessage => ({
  kind: 'case.report',
  caseId: `12345-20261122-${String(n).padStart(6, '0')}`,
  category: { code: '09010', standard: 'GB/T 47678.5-2026' },
  source: 'hotline',
  urgency: 'normal',
  lon: 118.1,
  lat: 24.47,
  address: '思明区 湖滨南路 附近',
  at: 1_795_300_000_000 + n,
});

describe(RedisPublisher.name, () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis.close();
  });

  it('appends events in order to in:events, one JSON message per entry in field data', async () => {
    const ns = testNamespace('pub');
    const pub = new RedisPublisher(redis, { ns, chunk: 7 });
    const messages = Array.from({ length: 20 }, (_, i) => report(i));
    await pub.events(messages);
    const entries = (await redis.xRange(redisKeys(ns).inEvents, '-', '+')) ?? [];
    expect(entries.map((e) => JSON.parse(e.message.data!))).toEqual(messages);
    expect(pub.stats.events).toBe(20);
  });

  it('keeps the streams bounded with MAXLEN ~', async () => {
    const ns = testNamespace('pub');
    const pub = new RedisPublisher(redis, { ns, eventsMaxLen: 500, positionsMaxLen: 100 });
    await pub.events(Array.from({ length: 3000 }, (_, i) => report(i)));
    await pub.fixes(
      Array.from({ length: 1000 }, (_, i) =>
        JSON.stringify({ fixes: [{ unitId: 'U-1', lon: 118.1, lat: 24.5, at: i }] }),
      ),
    );
    const events = await redis.xLen(redisKeys(ns).inEvents);
    const positions = await redis.xLen(redisKeys(ns).inPositions);
    expect(events).toBeGreaterThanOrEqual(500);
    expect(events).toBeLessThan(1000);
    expect(positions).toBeGreaterThanOrEqual(100);
    expect(positions).toBeLessThan(300);
  });

  it('retries a failed write with backoff until Redis takes it, keeping the same caseId', async () => {
    const ns = testNamespace('pub');
    const key = redisKeys(ns).inEvents;
    await redis.set(key, 'not a stream'); // a real Redis error: XADD on a string is WRONGTYPE
    const retries: number[] = [];
    const pub = new RedisPublisher(redis, {
      ns,
      backoff: { firstMs: 20, maxMs: 80 },
      onRetry: (_, attempt) => retries.push(attempt),
    });
    setTimeout(() => void redis.del(key), 300);
    await pub.events([report(42)]);
    const entries = (await redis.xRange(key, '-', '+')) ?? [];
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.message.data!).caseId).toBe('12345-20261122-000042');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(pub.stats.retries).toBe(retries.length);
  });

  it('gives up a fix batch after its attempts and counts it, instead of stalling on stale positions', async () => {
    const ns = testNamespace('pub');
    await redis.set(redisKeys(ns).inPositions, 'not a stream');
    const pub = new RedisPublisher(redis, { ns, fixAttempts: 2, backoff: { firstMs: 10, maxMs: 10 } });
    await pub.fixes([JSON.stringify({ fixes: [{ unitId: 'U-1', lon: 118.1, lat: 24.5, at: 1 }] })]);
    expect(pub.stats.droppedFixBatches).toBe(1);
    expect(pub.stats.fixBatches).toBe(0);
  });

  it('stops retrying when told to stop', async () => {
    const ns = testNamespace('pub');
    await redis.set(redisKeys(ns).inEvents, 'not a stream');
    const stop = new AbortController();
    const pub = new RedisPublisher(redis, { ns, signal: stop.signal, backoff: { firstMs: 50, maxMs: 50 } });
    setTimeout(() => stop.abort(new Error('stopping')), 150);
    await expect(pub.events([report(1)])).rejects.toThrow('stopping');
  });
});
