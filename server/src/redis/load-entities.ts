import type { RedisKeys } from '@egret/protocol';
import { loadWithLinks, type EntityIds, type EntityOf, type LoadedEntities } from '../domain/store.ts';
import type { Redis } from './connect.ts';

/**
 * Reads entities from Redis — the source of truth, never the possibly lagging mirror — and, with `follow`, what
 * they link to (domain/store.ts `loadWithLinks`: a case's task, a task's case and unit, a unit's task, a sensor's
 * case). One round trip per level of links (the HMGETs of a round are pipelined).
 */
export function loadEntities(redis: Redis, keys: RedisKeys, ids: EntityIds, follow = true): Promise<LoadedEntities> {
  return loadWithLinks(ids, follow, async (kind, wanted) =>
    (await redis.hmGet(keys[kind], wanted)).map((text) =>
      text ? (JSON.parse(text) as EntityOf<typeof kind>) : undefined,
    ),
  );
}
