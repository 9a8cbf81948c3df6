import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { redisKeys, type Fix, type RedisKeys } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { applyFixes } from './apply-fixes.ts';
import { decodeStoredFix } from './stored-fix.ts';

const redisUrl = inject('redisUrl');

let redis: Redis;
let keys: RedisKeys;

const fix = (unitId: string, at: number, lon = 118.1): Fix => ({ unitId, lon, lat: 24.5, at });
const apply = (fixes: Fix[]) =>
  applyFixes(redis, keys, { entryIds: [], fixes, rejections: [], deadletterMaxLen: 100, now: 0 });

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  keys = redisKeys(testNamespace('apply-fixes'));
});

afterEach(async () => {
  await redis.close();
});

describe(applyFixes.name, () => {
  it('writes each unit’s fix unless Redis already holds a newer one', async () => {
    expect(await apply([fix('u-1', 2_000, 118.2), fix('u-2', 1_000)])).toEqual({ applied: 2, outOfOrder: 0 });
    expect(await apply([fix('u-1', 1_500, 118.3), fix('u-2', 3_000, 118.4)])).toEqual({ applied: 1, outOfOrder: 1 });
    expect(decodeStoredFix(await redis.hGet(keys.positions, 'u-1'))).toEqual({ lon: 118.2, lat: 24.5, at: 2_000 });
    expect(decodeStoredFix(await redis.hGet(keys.positions, 'u-2'))).toEqual({ lon: 118.4, lat: 24.5, at: 3_000 });
    expect((await redis.sMembers(keys.positionsDirty)).sort()).toEqual(['u-1', 'u-2']);
  });

  it('sends its script’s text once, then calls it by its SHA', async () => {
    const monitor = await connectRedis(redisUrl);
    const seen: string[] = [];
    await monitor.monitor((line) => {
      if (line.includes(keys.positions)) seen.push(line);
    });
    try {
      for (let i = 1; i <= 5; i++) await apply([fix('u-1', i * 1_000)]);
      await redis.ping();
    } finally {
      await monitor.close();
    }
    const calls = seen.filter((l) => /"(eval|evalsha)"/i.test(l));
    expect(calls).toHaveLength(5);
    expect(calls.every((l) => /"evalsha"/i.test(l))).toBe(true);
  });

  it('still applies the fixes after Redis forgot its scripts (a restart, SCRIPT FLUSH)', async () => {
    await apply([fix('u-1', 1_000)]);
    await redis.scriptFlush();
    expect(await apply([fix('u-1', 2_000, 118.5)])).toEqual({ applied: 1, outOfOrder: 0 });
    expect(decodeStoredFix(await redis.hGet(keys.positions, 'u-1'))).toEqual({ lon: 118.5, lat: 24.5, at: 2_000 });
    expect(await apply([fix('u-1', 3_000, 118.6)])).toEqual({ applied: 1, outOfOrder: 0 });
  });
});
