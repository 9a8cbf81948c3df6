import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { redisKeys } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from './connect.ts';
import { lastCaseSerials } from './resume.ts';

describe(lastCaseSerials.name, () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis.close();
  });

  it('finds the highest serial per source and day on the tail of in:events, skipping other entries', async () => {
    const ns = testNamespace('resume');
    const key = redisKeys(ns).inEvents;
    const add = (data: string) => redis.xAdd(key, '*', { data });
    await add(JSON.stringify({ kind: 'case.report', caseId: '12345-20261122-000007' }));
    await add(JSON.stringify({ kind: 'case.report', caseId: '12345-20261122-000012' }));
    await add(JSON.stringify({ kind: 'case.report', caseId: '12345-20261121-000900' }));
    await add(JSON.stringify({ kind: 'case.report', caseId: 'SZCG-20261122-000003' }));
    await add(JSON.stringify({ kind: 'case.transition', caseId: 'SZCG-20261122-000099', to: 'accepted' }));
    await add('{"kind":"case.report", broken');
    await add(JSON.stringify({ kind: 'case.report', caseId: 'someone-elses-42' }));
    const last = await lastCaseSerials(redis, ns);
    expect(Object.fromEntries(last)).toEqual({ '12345-20261122': 12, '12345-20261121': 900, 'SZCG-20261122': 3 });
  });

  it('finds nothing on an empty stream', async () => {
    expect((await lastCaseSerials(redis, testNamespace('resume'))).size).toBe(0);
  });
});
