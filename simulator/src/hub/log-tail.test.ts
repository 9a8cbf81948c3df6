import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { redisKeys, type LogEvent } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../publish/connect.ts';
import { LogTail, parseEntry } from './log-tail.ts';

const T0 = Date.parse('2026-11-22T10:00:00+08:00');
const clock = (seq: number): LogEvent => ({
  seq,
  at: T0 + seq,
  type: 'clock.changed',
  clock: { baseReal: 1, baseWorld: T0, rate: 60 },
});

describe(LogTail.name, () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis.close();
  });

  async function until(cond: () => boolean): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('reads what is logged after it opens, in order, and skips what does not parse', async () => {
    const ns = testNamespace('tail');
    const { log } = redisKeys(ns);
    await redis.xAdd(log, '1-0', { e: JSON.stringify(clock(1)) });
    const bad: string[] = [];
    const tail = await LogTail.open(redis, { ns, blockMs: 200, onBad: (id, reason) => bad.push(`${id}: ${reason}`) });
    const batches: number[][] = [];
    tail.subscribe((events) => batches.push(events.map((e) => e.seq)));
    await redis.xAdd(log, '2-0', { e: JSON.stringify(clock(2)) });
    await redis.xAdd(log, '3-0', { e: '{"seq":3,"type":"no.such.event"}' });
    await redis.xAdd(log, '4-0', { e: 'not json' });
    await redis.xAdd(log, '5-0', { other: 'field' });
    await redis.xAdd(log, '6-0', { e: JSON.stringify(clock(6)) });
    await until(() => tail.stats.events + tail.stats.bad === 5);
    expect(tail.drain().map((e) => e.seq)).toEqual([2, 6]);
    expect(tail.drain()).toEqual([]);
    expect(batches.flat()).toEqual([2, 6]);
    expect(bad).toEqual([
      expect.stringMatching(/^3-0: /),
      expect.stringMatching(/^4-0: field e is not JSON/),
      '5-0: no field e',
    ]);
    const started = Date.now();
    await tail.close(); // while blocked in XREAD
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('starts at the beginning of a log that is still empty', async () => {
    const ns = testNamespace('tail');
    const tail = await LogTail.open(redis, { ns, blockMs: 200 });
    await redis.xAdd(redisKeys(ns).log, '1-0', { e: JSON.stringify(clock(1)) });
    await until(() => tail.stats.events === 1);
    expect(tail.drain().map((e) => e.seq)).toEqual([1]);
    await tail.close();
  });
});

describe(parseEntry.name, () => {
  it('names what is wrong with an event', () => {
    const r = parseEntry({ e: JSON.stringify({ ...clock(1), at: 'noon' }) });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^at: /) });
  });
});
