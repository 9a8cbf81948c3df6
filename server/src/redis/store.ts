import { Mode, type RedisKeys } from '@egret/protocol';
import type { EntityStore } from '../domain/store.ts';
import { commit } from './commit.ts';
import type { Redis } from './connect.ts';
import { loadEntities } from './load-entities.ts';

/**
 * The hub's store: entities read from Redis' hashes, changes committed by commit.lua (compare-and-set on versions,
 * the log, idempotency, the applied set and the fence, in one atomic step).
 */
export function redisStore(redis: Redis, keys: RedisKeys, o: { logMaxLen: number }): EntityStore {
  return {
    load: (ids, follow = true) => loadEntities(redis, keys, ids, follow),
    async mode() {
      const stored = Mode.safeParse((await redis.get(keys.mode)) ?? 'peacetime');
      return stored.success ? stored.data : 'peacetime';
    },
    async kept(field) {
      return (await redis.hGet(keys.idempotency, field)) ?? undefined;
    },
    async applied(entryId) {
      return (await redis.zScore(keys.applied, entryId)) !== null;
    },
    commit: (c) => commit(redis, { keys, logMaxLen: o.logMaxLen, ...c }),
  };
}
