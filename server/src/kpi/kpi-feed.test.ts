import pino from 'pino';
import { inject, describe, expect, it } from 'vitest';
import { redisKeys, type Case, type LogEvent } from '@egret/protocol';
import { connectRedis } from '../redis/connect.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { KpiFeed } from './kpi-feed.ts';

const AT = Date.UTC(2026, 6, 1, 2, 0, 0);
const reported = (seq: number): LogEvent => ({
  seq,
  at: AT,
  type: 'case.reported',
  case: {
    id: `C-${seq}`,
    category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
    source: 'hotline',
    urgency: 'normal',
    position: [118.09, 24.46],
    address: '',
    district: '350203',
    status: 'reported',
    reportedAt: AT,
    supervised: false,
    history: [],
    version: 0,
  } satisfies Case,
});

async function setup(events: LogEvent[]) {
  const redis = await connectRedis(inject('redisUrl'));
  const keys = redisKeys(testNamespace('kpifeed'));
  for (const e of events) await redis.xAdd(keys.log, `${e.seq}-0`, { e: JSON.stringify(e) });
  return { redis, keys, feed: new KpiFeed({ redis, keys, logger: pino({ level: 'silent' }) }) };
}

describe(KpiFeed.name, () => {
  it('folds the whole log at start and has no report before', async () => {
    const { redis, feed } = await setup([1, 2, 3].map(reported));
    try {
      expect(feed.report(AT)).toBeUndefined();
      await feed.start();
      expect(feed.report(AT)!.all.city.reported).toBe(3);
      expect(feed.since).toBe(1);
    } finally {
      await redis.close();
    }
  });

  it('folds from the first event a trimmed log still holds, and says where it started', async () => {
    const { redis, keys, feed } = await setup([1, 2, 3, 4, 5].map(reported));
    try {
      await redis.xTrim(keys.log, 'MINID', '3-0');
      await feed.start();
      expect(feed.since).toBe(3);
      expect(feed.report(AT)!.all.city.reported).toBe(3);
    } finally {
      await redis.close();
    }
  });
});
