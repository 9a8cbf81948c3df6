import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import pino from 'pino';
import client from 'prom-client';
import { MAX_FUTURE_SKEW_MS, MAX_INPUT_BYTES, redisKeys, type Fix, type RedisKeys } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { startIngest } from './ingest.ts';
import { positionMetrics, type PositionMetrics } from './metrics.ts';
import { eventually, publishFixes, registerUnits } from './test-hub.ts';

const redisUrl = inject('redisUrl');
const now = Date.now();
const fix = (unitId: string, at: number, lon = 118.1): Fix => ({ unitId, lon, lat: 24.5, at });

let redis: Redis;
let keys: RedisKeys;
let metrics: PositionMetrics;
let registry: client.Registry;
let stops: Array<() => Promise<void>>;

async function start(hubId = 'hub-1', extra: { claimIdleMs?: number; claimEveryMs?: number } = {}) {
  const ingest = startIngest({
    redis,
    blocking: await connectRedis(redisUrl),
    keys,
    hubId,
    batchSize: 100,
    deadletterMaxLen: 1000,
    logger: pino({ level: 'silent' }),
    metrics,
    registry,
    realNow: () => Date.now(),
    worldNow: () => Date.now(),
    ...extra,
  });
  stops.push(() => ingest.stop());
  return ingest;
}

async function deadLetters() {
  const entries = await redis.xRange(keys.deadletter, '-', '+');
  return (entries ?? []).map((e) => e.message);
}

async function pendingCount() {
  const info = await redis.xPending(keys.inPositions, keys.ingestGroup);
  return info.pending;
}

async function fixesCounted(result: string) {
  const { values } = await metrics.fixes.get();
  return values.find((v) => v.labels.result === result)?.value ?? 0;
}

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  keys = redisKeys(testNamespace('ingest'));
  registry = new client.Registry();
  metrics = positionMetrics(registry);
  stops = [];
});

afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  await redis.close();
});

describe(startIngest.name, () => {
  it('applies fixes of registered units and dead-letters unknown units and far-future fixes of the same batch', async () => {
    await registerUnits(redis, keys, ['u-1', 'u-2']);
    await start();
    const entryId = await publishFixes(redis, keys, [
      fix('u-1', now - 1000, 118.11),
      fix('ghost', now),
      fix('u-2', now + MAX_FUTURE_SKEW_MS + 60_000),
      fix('u-1', now, 118.12),
    ]);
    const letters = await eventually(
      async () => ((await deadLetters()).length === 2 ? deadLetters() : undefined),
      5000,
      'two dead letters',
    );
    expect(letters.map((l) => [l.entryId, l.reason])).toEqual([
      [entryId, 'unknown_unit'],
      [entryId, 'far_future'],
    ]);
    expect(JSON.parse(letters[0]!.data!)).toEqual(fix('ghost', now));
    expect(await redis.hGetAll(keys.positions)).toEqual({ 'u-1': `118.12,24.5,${now}` });
    expect(await redis.sMembers(keys.positionsDirty)).toEqual(['u-1']);
    expect(await redis.hGetAll(keys.deadletterCounts)).toEqual({ unknown_unit: '1', far_future: '1' });
    expect(await pendingCount()).toBe(0);
    expect(await fixesCounted('applied')).toBe(1);
    expect(await fixesCounted('coalesced')).toBe(1);
  });

  it('dead-letters whole entries that lack data, are too large, are not JSON or are off the schema, and acknowledges them', async () => {
    await registerUnits(redis, keys, ['u-1']);
    await start();
    await redis.xAdd(keys.inPositions, '*', { payload: 'x' });
    await redis.xAdd(keys.inPositions, '*', { data: 'x'.repeat(MAX_INPUT_BYTES + 1) });
    await redis.xAdd(keys.inPositions, '*', { data: '{not json' });
    await redis.xAdd(keys.inPositions, '*', {
      data: JSON.stringify({ fixes: [{ unitId: 'u-1', lon: 500, lat: 24.5, at: now }] }),
    });
    await publishFixes(redis, keys, [fix('u-1', now)]);
    const letters = await eventually(
      async () => ((await deadLetters()).length === 4 ? deadLetters() : undefined),
      5000,
      'four dead letters',
    );
    expect(letters.map((l) => l.reason)).toEqual(['missing_data', 'oversized', 'invalid_json', 'schema']);
    expect(letters[3]!.detail).toContain('fixes[0].lon');
    expect(letters[1]!.data!.length).toBeLessThan(MAX_INPUT_BYTES);
    await eventually(async () => ((await redis.hGet(keys.positions, 'u-1')) ? true : undefined), 5000, 'the good fix');
    expect(await pendingCount()).toBe(0);
  });

  it('ignores a fix older than the one already stored, and counts it as out of order', async () => {
    await registerUnits(redis, keys, ['u-1']);
    await start();
    await publishFixes(redis, keys, [fix('u-1', now, 118.2)]);
    await eventually(async () => ((await redis.hGet(keys.positions, 'u-1')) ? true : undefined));
    await redis.del(keys.positionsDirty);
    await publishFixes(redis, keys, [fix('u-1', now - 10_000, 118.1)]);
    await eventually(
      async () => ((await fixesCounted('out_of_order')) === 1 ? true : undefined),
      5000,
      'out-of-order count',
    );
    expect(await redis.hGet(keys.positions, 'u-1')).toBe(`118.2,24.5,${now}`);
    expect(await redis.sMembers(keys.positionsDirty)).toEqual([]);
    expect(await redis.xLen(keys.deadletter)).toBe(0);
  });

  it('applies a city’s worth of units arriving in one read', async () => {
    const count = 30_000; // 120,000 script arguments if sent in one call: more than a call's argument spread allows
    const ids = Array.from({ length: count }, (_, i) => `u-${i}`);
    for (let i = 0; i < count; i += 5_000) {
      await redis.hSet(keys.slots, Object.fromEntries(ids.slice(i, i + 5_000).map((id, k) => [id, String(i + k + 1)])));
    }
    for (let i = 0; i < count; i += 500)
      await publishFixes(
        redis,
        keys,
        ids.slice(i, i + 500).map((id) => fix(id, now)),
      );
    await start();
    await eventually(
      async () => ((await fixesCounted('applied')) === count ? true : undefined),
      15_000,
      `${count} applied fixes`,
    );
    expect(await redis.hLen(keys.positions)).toBe(count);
    expect(await redis.sCard(keys.positionsDirty)).toBe(count);
    expect(await pendingCount()).toBe(0);
  });

  it('takes over entries another hub read and never acknowledged', async () => {
    await registerUnits(redis, keys, ['u-1']);
    await redis.xGroupCreate(keys.inPositions, keys.ingestGroup, '0', { MKSTREAM: true });
    await publishFixes(redis, keys, [fix('u-1', now, 118.3)]);
    // A hub that reads the entry and dies before applying it.
    await redis.xReadGroup(keys.ingestGroup, 'hub-dead', { key: keys.inPositions, id: '>' }, { COUNT: 10 });
    expect(await pendingCount()).toBe(1);
    await start('hub-2', { claimIdleMs: 200, claimEveryMs: 100 });
    await eventually(async () => (await redis.hGet(keys.positions, 'u-1')) ?? undefined, 5000, 'the claimed fix');
    expect(await redis.hGet(keys.positions, 'u-1')).toBe(`118.3,24.5,${now}`);
    await eventually(async () => ((await pendingCount()) === 0 ? true : undefined), 2000, 'no pending entries');
  });
});
