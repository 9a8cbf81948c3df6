import { describe, expect, it } from 'vitest';
import type { Actor, NewLogEvent } from '@egret/protocol';
import type { Change } from '../src/domain/change.ts';
import { APPLIED_RETENTION_MS, commit } from '../src/redis/commit.ts';
import { testRedis } from './hub-fixture.ts';
import { readLogEvents } from './loop-fixture.ts';

const ACTOR: Actor = { role: 'commander', id: 'alice' };
const modeEvent = (mode: 'typhoon' | 'peacetime', at: number): NewLogEvent => ({
  type: 'mode.changed',
  at,
  mode,
  actor: ACTOR,
});

describe('the commit script with commands', () => {
  it('appends several events with consecutive seqs in one step and answers the first and the last', async () => {
    const { redis, keys } = await testRedis('commit-many');
    try {
      const change: Change = {
        writes: [],
        events: [modeEvent('typhoon', 1), modeEvent('peacetime', 2), modeEvent('typhoon', 3)],
      };
      expect(await commit(redis, { keys, change, logMaxLen: 1_000, now: 10 })).toEqual({
        status: 'committed',
        firstSeq: 1,
        seq: 3,
      });
      expect((await readLogEvents(redis, keys)).map((e) => [e.seq, e.at])).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
      ]);
      expect(await redis.get(keys.logSeq)).toBe('3');
    } finally {
      await redis.close();
    }
  });

  it('keeps the result under the idempotency key with its seq, and answers it again without writing', async () => {
    const { redis, keys } = await testRedis('commit-idem');
    try {
      const first = {
        keys,
        change: {
          writes: [],
          events: [modeEvent('typhoon', 1)],
          mode: { expected: 'peacetime' as const, next: 'typhoon' as const },
        },
        logMaxLen: 1_000,
        now: 10,
        idempotency: { field: 'mode:set:k1', result: '{"data":{"mode":"typhoon"}}' },
      };
      expect(await commit(redis, first)).toMatchObject({ status: 'committed', seq: 1 });
      expect(await redis.get(keys.mode)).toBe('typhoon');
      expect(await commit(redis, first)).toEqual({ status: 'replayed', result: '{"seq":1,"data":{"mode":"typhoon"}}' });
      expect(await redis.get(keys.logSeq)).toBe('1');
      // Another key deciding on a stale mode conflicts instead of logging a second change.
      expect(await commit(redis, { ...first, idempotency: { field: 'mode:set:k2', result: '{}' } })).toEqual({
        status: 'conflict',
        kind: 'mode',
        id: 'mode',
      });
    } finally {
      await redis.close();
    }
  });

  it('forgets idempotency keys after the retention period', async () => {
    const { redis, keys } = await testRedis('commit-forget');
    try {
      const event = (at: number): Change => ({ writes: [], events: [modeEvent('typhoon', at)] });
      await commit(redis, {
        keys,
        change: event(1),
        logMaxLen: 1_000,
        now: 1_000,
        idempotency: { field: 'x:old', result: '{}' },
      });
      await commit(redis, {
        keys,
        change: event(2),
        logMaxLen: 1_000,
        now: 1_000 + APPLIED_RETENTION_MS + 1,
        idempotency: { field: 'x:new', result: '{}' },
      });
      expect(await redis.hKeys(keys.idempotency)).toEqual(['x:new']);
      expect(await redis.zRange(keys.applied, 0, -1)).toEqual(['idem:x:new']);
    } finally {
      await redis.close();
    }
  });
});
