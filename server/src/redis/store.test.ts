import { inject } from 'vitest';
import { redisKeys, type LogEvent } from '@egret/protocol';
import { storeContract } from '../../test/store-contract.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis } from './connect.ts';
import { redisStore } from './store.ts';

storeContract('the Redis (commit.lua)', async () => {
  const redis = await connectRedis(inject('redisUrl'));
  const keys = redisKeys(testNamespace('store'));
  const hashes = {
    case: keys.cases,
    unit: keys.units,
    task: keys.tasks,
    storm: keys.storms,
    sensor: keys.sensors,
    camera: keys.cameras,
    plan: keys.plans,
    inspection: keys.inspections,
    preposition: keys.prepositions,
  };
  return {
    store: redisStore(redis, keys, { logMaxLen: 10_000 }),
    async seed(...writes) {
      for (const w of writes) await redis.hSet(hashes[w.kind], w.entity.id, JSON.stringify(w.entity));
    },
    leaseKey: `${keys.inEvents}:applier`,
    stream: keys.inEvents,
    hold: async (fence) => void (await redis.set(fence.key, fence.token)),
    log: async () => ((await redis.xRange(keys.log, '-', '+')) ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent),
    close: () => redis.close(),
  };
});
