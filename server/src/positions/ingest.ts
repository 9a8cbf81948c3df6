import type pino from 'pino';
import type client from 'prom-client';
import type { Fix, RedisKeys } from '@egret/protocol';
import { startStreamConsumer, type LiveEntry, type StreamConsumer } from '../ingest/stream-consumer.ts';
import type { Redis } from '../redis/connect.ts';
import type { Rejection } from '../redis/deadletter.ts';
import { applyFixes } from './apply-fixes.ts';
import { readFixEntry } from './fix-entry.ts';
import type { PositionMetrics } from './metrics.ts';
import { planFixes } from './plan-fixes.ts';

/** Entries pending longer than this on a consumer are taken over (that hub is presumed dead). */
export const CLAIM_IDLE_MS = 30_000;

export interface IngestDeps {
  redis: Redis;
  /** A connection of its own (the blocking wait holds it); the ingest owns it and destroys it on stop. */
  blocking: Redis;
  keys: RedisKeys;
  hubId: string;
  batchSize: number;
  deadletterMaxLen: number;
  logger: pino.Logger;
  metrics: PositionMetrics;
  /** Where the stream consumer's own metrics (lost entries, stall gauges) are registered. */
  registry: client.Registry;
  realNow: () => number;
  worldNow: () => number;
  /** Overrides of {@link CLAIM_IDLE_MS} and how often to look for abandoned entries (tests shorten them). */
  claimIdleMs?: number;
  claimEveryMs?: number;
  /** Not ready when an entry waits unsettled this long. */
  stallAfterMs?: number;
}

export type PositionsIngest = Pick<StreamConsumer, 'stop' | 'stalledBecause'>;

/**
 * The positions ingest: this hub's consumer in the shared group on the positions stream (every hub takes a share:
 * order does not matter here, the newest fix per unit wins by its time, compared in Redis). Each read is validated,
 * coalesced and applied with its acknowledgement in one transaction. The stream consumer (shared with the control
 * plane) drains this hub's own pending entries first, claims those another hub left pending for more than
 * {@link CLAIM_IDLE_MS}, and acknowledges entries the producer's MAXLEN trimmed away while pending (counted lost).
 */
export function startIngest(deps: IngestDeps): PositionsIngest {
  const { redis, keys } = deps;
  /**
   * Units known to have a frame slot. A slot, once given, is never taken back, so only units not seen yet are looked
   * up (HMGET slots): per read, the lookup was a Redis hash access per fix. One entry per unit of the city.
   */
  const registered = new Set<string>();

  async function handle(entries: LiveEntry[]): Promise<void> {
    const batches: Array<{ entryId: string; fixes: Fix[] }> = [];
    const rejections: Rejection[] = [];
    const entryResults: string[] = [];
    for (const e of entries) {
      const verdict = readFixEntry(e.message);
      entryResults.push(verdict.ok ? 'ok' : verdict.reason);
      if (verdict.ok) batches.push({ entryId: e.id, fixes: verdict.batch.fixes });
      else
        rejections.push({
          source: keys.inPositions,
          entryId: e.id,
          reason: verdict.reason,
          detail: verdict.detail,
          data: e.message.data ?? JSON.stringify(e.message),
        });
    }
    const unknown = [...new Set(batches.flatMap((b) => b.fixes.map((f) => f.unitId)))].filter(
      (id) => !registered.has(id),
    );
    const slots = await slotsOf(unknown);
    for (const [i, id] of unknown.entries()) if (slots[i] != null) registered.add(id);
    const plan = planFixes({ batches, hasSlot: (id) => registered.has(id), now: deps.worldNow() });
    for (const r of plan.rejections) {
      rejections.push({
        source: keys.inPositions,
        entryId: r.entryId,
        reason: r.reason,
        detail: r.detail,
        data: JSON.stringify(r.fix),
      });
    }
    const result = await applyFixes(redis, keys, {
      entryIds: entries.map((e) => e.id),
      fixes: plan.latest.values(),
      rejections,
      deadletterMaxLen: deps.deadletterMaxLen,
      now: deps.realNow(),
    });
    // Counted once applied: a read that fails is retried (claimed again) and must not count twice.
    const { metrics } = deps;
    for (const r of entryResults) metrics.entries.inc({ result: r });
    for (const r of rejections) metrics.deadletters.inc({ reason: r.reason });
    for (const r of plan.rejections) metrics.fixes.inc({ result: r.reason });
    metrics.fixes.inc({ result: 'applied' }, result.applied);
    metrics.fixes.inc({ result: 'coalesced' }, plan.coalesced);
    metrics.fixes.inc({ result: 'out_of_order' }, plan.outOfOrder + result.outOfOrder);
  }

  /** HMGET in slices: node-redis spreads arguments into a call, which overflows the stack at ~100,000. */
  async function slotsOf(unitIds: string[]): Promise<Array<string | null>> {
    const out: Array<string | null> = [];
    for (let i = 0; i < unitIds.length; i += 10_000)
      out.push(...(await redis.hmGet(keys.slots, unitIds.slice(i, i + 10_000))));
    return out;
  }

  return startStreamConsumer({
    redis,
    blocking: deps.blocking,
    keys,
    stream: keys.inPositions,
    consumer: deps.hubId,
    batch: deps.batchSize,
    handle,
    logger: deps.logger,
    realNow: deps.realNow,
    deadletterMaxLen: deps.deadletterMaxLen,
    registry: deps.registry,
    claimIdleMs: deps.claimIdleMs ?? CLAIM_IDLE_MS,
    ...(deps.claimEveryMs !== undefined
      ? { claimEveryMs: deps.claimEveryMs, blockMs: Math.min(2_000, deps.claimEveryMs) }
      : {}),
    ...(deps.stallAfterMs !== undefined ? { stallAfterMs: deps.stallAfterMs } : {}),
  });
}
