import { Clock, InputMessage, worldNow as clockWorldNow, type RedisKeys } from '@egret/protocol';
import type pino from 'pino';
import {
  applyInput,
  currentEntities,
  entitiesNeeded,
  type ApplyContext,
  type CurrentEntities,
} from '../domain/apply-input.ts';
import { parseInput } from '../domain/parse-input.ts';
import type { Refusal } from '../domain/rejection.ts';
import type { Fence } from '../domain/change.ts';
import type { EntityStore } from '../domain/store.ts';
import { settle } from '../redis/commit.ts';
import type { Redis } from '../redis/connect.ts';
import { deadLetterCommands } from '../redis/deadletter.ts';
import type { Metrics } from '../metrics.ts';
import { Fenced } from './stream-consumer.ts';

/** One input stream entry as node-redis returns it (null fields: the entry was deleted before it was read). */
export interface StreamEntry {
  id: string;
  message: Record<string, string> | null;
}

export interface IngestContext {
  /** Entities read and changes committed (commit.lua in the hub): the same store as the commands'. */
  store: EntityStore;
  /** Settles (acknowledges, dead-letters) entries and reads the clock and frame slots. */
  redis: Redis;
  keys: RedisKeys;
  /** Everything `applyInput` needs but the clock. */
  apply: Omit<ApplyContext, 'worldNow' | 'realNow'>;
  /** The world clock as the mirror knows it. */
  clock: () => Clock;
  realNow: () => number;
  deadletterMaxLen: number;
  metrics: Metrics;
  logger: pino.Logger;
}

export type EntryOutcome = 'applied' | 'noop' | 'already_applied' | 'rejected' | 'gave_up';

/** Attempts when entities keep changing under us; then the entry stays pending and is claimed again later. */
const MAX_ATTEMPTS = 20;

/**
 * Handles one control-plane input entry end to end: validate, decide, commit atomically — or dead-letter it with
 * its reason and acknowledge it in one atomic step. Every write is behind `fence` (the applier lease) when given.
 * Never throws for bad input; throws when Redis fails (the entry then stays pending and is handled again) and
 * {@link Fenced} when the lease is no longer ours (nothing was written).
 */
export async function handleEntry(
  ctx: IngestContext,
  stream: string,
  entry: StreamEntry,
  fence?: Fence,
): Promise<EntryOutcome> {
  const data = entry.message?.data;
  const raw = data ?? (entry.message ? JSON.stringify(entry.message) : '(entry deleted before it was read)');
  const parsed = parseInput(InputMessage, data);
  if (!parsed.ok) return reject(ctx, stream, entry.id, parsed, raw, fence);
  const input = parsed.value;

  let clock = ctx.clock();
  let recheckedClock = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await readCurrent(ctx, input);
    const realNow = ctx.realNow();
    const result = applyInput(input, current, { ...ctx.apply, worldNow: clockWorldNow(clock, realNow), realNow });
    if (!result.ok) {
      // The mirror may not have seen a clock change another hub just committed: check Redis once before refusing.
      if (result.reason === 'far_future' && !recheckedClock) {
        recheckedClock = true;
        const stored = await ctx.redis.get(ctx.keys.clock);
        const fresh = stored ? Clock.safeParse(JSON.parse(stored)) : undefined;
        if (fresh?.success) {
          clock = fresh.data;
          attempt--;
          continue;
        }
      }
      // A re-claimed entry that was applied before now looks like a duplicate (its case exists): it is not one.
      if (await ctx.store.applied(entry.id)) {
        await acknowledge(ctx, stream, entry.id, fence);
        return count(ctx, stream, 'already_applied');
      }
      return reject(ctx, stream, entry.id, result, raw, fence);
    }
    // Nothing to write or log (a repeated status report): acknowledge only. A change with writes but no events (a
    // sensor reading between two logged ones) still commits, so Redis holds the latest reading.
    if (result.events.length === 0 && result.writes.length === 0) {
      await acknowledge(ctx, stream, entry.id, fence);
      return count(ctx, stream, 'noop');
    }
    const outcome = await ctx.store.commit({
      entry: { stream, id: entry.id },
      change: result,
      now: realNow,
      ...(fence ? { fence } : {}),
    });
    if (outcome.status === 'fenced') throw new Fenced();
    if (outcome.status === 'committed') return count(ctx, stream, 'applied');
    if (outcome.status === 'already_applied') return count(ctx, stream, 'already_applied');
    ctx.metrics.commitConflicts.inc();
  }
  ctx.logger.warn(
    { stream, entryId: entry.id },
    'input entry kept conflicting with concurrent changes; left pending to be claimed again',
  );
  return 'gave_up';
}

function count(ctx: IngestContext, stream: string, result: EntryOutcome): EntryOutcome {
  ctx.metrics.ingestEntries.inc({ stream, result });
  return result;
}

/** Acknowledges an entry that changes nothing, behind the fence. */
async function acknowledge(
  ctx: IngestContext,
  stream: string,
  entryId: string,
  fence: Fence | undefined,
): Promise<void> {
  if (
    (await settle(ctx.redis, { keys: ctx.keys, stream, entryIds: [entryId], ...(fence ? { fence } : {}) })) === 'fenced'
  )
    throw new Fenced();
}

/** Dead-letters an entry and acknowledges it, in one atomic step behind the fence. */
export async function reject(
  ctx: IngestContext,
  stream: string,
  entryId: string,
  refusal: Refusal,
  data: string,
  fence?: Fence,
): Promise<EntryOutcome> {
  const c = deadLetterCommands(
    ctx.keys,
    { source: stream, entryId, reason: refusal.reason, detail: refusal.detail, data },
    ctx.deadletterMaxLen,
    ctx.realNow(),
  );
  const settled = await settle(ctx.redis, {
    keys: ctx.keys,
    stream,
    entryIds: [entryId],
    ...(fence ? { fence } : {}),
    deadLetter: { reason: refusal.reason, fields: c.xadd[1], maxLen: ctx.deadletterMaxLen },
  });
  if (settled === 'fenced') throw new Fenced();
  ctx.metrics.deadletters.inc({ reason: refusal.reason });
  ctx.logger.debug({ stream, entryId, reason: refusal.reason, detail: refusal.detail }, 'input dead-lettered');
  return count(ctx, stream, 'rejected');
}

/** Reads the entities an input touches (and, for task updates and case steps, the task, case and unit linked) from Redis. */
async function readCurrent(ctx: IngestContext, input: InputMessage): Promise<CurrentEntities> {
  const { follow, ...ids } = entitiesNeeded(input);
  const { redis, keys } = ctx;
  const current = currentEntities(input, await ctx.store.load(ids, follow));
  if (input.kind === 'unit.register' && !current.unit) current.slot = await reserveSlot(redis, keys, input.unitId);
  return current;
}

/**
 * The frame slot a unit registering for the first time would get: its slot if it has one, else the next number of
 * the counter. Only the commit keeps it in the slots hash (commit.lua), once the registration is decided and
 * applied: a refused registration leaves no slot, so its unit's fixes stay `unknown_unit`. A number taken for a
 * refused registration is simply never used. (One applier at a time, so two hubs never race for one new unit.)
 */
export async function reserveSlot(redis: Redis, keys: RedisKeys, unitId: string): Promise<number> {
  const existing = await redis.hGet(keys.slots, unitId);
  if (existing !== null && existing !== undefined) return Number(existing);
  return (await redis.incr(keys.slotSeq)) - 1;
}
