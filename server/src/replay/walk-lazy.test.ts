import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisKeys, type Case, type LogEvent } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';

const T0 = Date.parse('2026-09-14T00:00:00+08:00');
const MIN = 60_000;

function reported(seq: number, at: number): LogEvent {
  const c: Case = {
    id: `W${seq}`,
    category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树' },
    source: 'hotline',
    urgency: 'normal',
    position: [118.09, 24.46],
    address: '思明南路',
    district: '350203',
    description: `第 ${seq} 棵`,
    status: 'reported',
    reportedAt: at,
    supervised: false,
    history: [{ to: 'reported', at, actor: { role: 'system', id: 'walk-test' } }],
    photos: [],
    version: 1,
  };
  return { seq, at, type: 'case.reported', case: c };
}

describe('a seek parses the log only up to its instant (the rest of the page is never parsed)', () => {
  let redis: Redis;
  const keys = redisKeys(testNamespace('walklazy'));

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
    const m = redis.multi();
    for (let seq = 1; seq <= 11; seq++)
      m.xAdd(keys.log, `${seq}-0`, { e: JSON.stringify(reported(seq, T0 + seq * MIN)) });
    // Past every instant asked below, in the same page of the log: an entry that is not JSON at all.
    m.xAdd(keys.log, '12-0', { e: '{"seq":12,' });
    await m.exec();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('folds to an instant before the unreadable entry, and still refuses it when the fold reaches it', async () => {
    const history = new RedisHistory(redis, keys);
    const reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      live: () => ({ seq: 12, at: T0 + 20 * MIN }),
    });
    // The walk stops at seq 11 (past t), so seq 12 is never parsed: before, the whole page was parsed first.
    expect(await reader.seqAt(T0 + 10 * MIN)).toEqual({ seq: 10, at: T0 + 10 * MIN });
    const { world } = await reader.stateAt(T0 + 10 * MIN + 30_000);
    expect([...world.cases.keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `W${i + 1}`));
    expect(JSON.parse((await reader.stateJson(T0 + 5 * MIN, 'open')).toString()).world.cases).toHaveLength(5);
    // Reaching it is still an error, as it was.
    await expect(reader.seqAt(T0 + 30 * MIN)).rejects.toThrow(SyntaxError);
  });
});
