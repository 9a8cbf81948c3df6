import { connectBlocking } from '../redis/blocking.ts';
import type { Fence } from '../domain/change.ts';
import { handleBatch } from './handle-batch.ts';
import { handleEntry, type IngestContext } from './handle-entry.ts';
import {
  applierLeaseKey,
  EntryFailed,
  Fenced,
  startStreamConsumer,
  type LiveEntry,
  type StreamConsumer,
} from './stream-consumer.ts';

export { ensureGroup } from './stream-consumer.ts';

export interface ConsumerOptions {
  /** This hub's consumer name in the group. */
  hubId: string;
  /** Entries read per round (at least `applyBatch`). */
  batch: number;
  /**
   * Entries decided and committed together in one script call (commit-batch.lua): `DEFAULT_APPLY_BATCH` unless set;
   * 1 applies entry by entry, one commit each (the path before batches).
   */
  applyBatch?: number;
  /** The log's MAXLEN (settings `hub.logMaxLen`), for batch commits. */
  logMaxLen: number;
  /** How long the applier lease lasts: a dead applier is replaced after at most this long. */
  leaseMs?: number;
  /** How long one blocking wait for new entries lasts. */
  blockMs?: number;
  /** Not ready when an entry waits unsettled this long (or after several failed rounds in a row). */
  stallAfterMs?: number;
}

export type Consumer = Pick<StreamConsumer, 'stop' | 'abandon' | 'stalledBecause' | 'isApplier'>;

/** Control-plane entries committed per script call unless a hub is told otherwise (EGRET_INGEST_APPLY_BATCH). */
export const DEFAULT_APPLY_BATCH = 500;

/** Default lease of the control-plane applier: outlives the event-loop stalls of a loaded hub (seconds). */
export const APPLIER_LEASE_MS = 15_000;

/**
 * The control-plane ingest: ONE applier across all hubs. The hub holding the applier lease reads the input stream
 * and applies it entry by entry in stream order; the others stand by and take over when the lease expires (or at
 * once when the holder stops cleanly). That keeps every case's, unit's, task's and sensor's inputs in the order
 * written, whatever the number of hubs — two hubs sharing the group would each be in order only within their own
 * share. Every write is fenced by the lease token (commit.lua), and the commit marks the entry applied, so a
 * claimed entry is applied exactly once and never behind a later one.
 */
export async function startConsumer(ctx: IngestContext, stream: string, opts: ConsumerOptions): Promise<Consumer> {
  const blocking = await connectBlocking(ctx.redis, `egret-ingest-${opts.hubId}`);
  const applyBatch = Math.max(1, opts.applyBatch ?? DEFAULT_APPLY_BATCH);
  const oneByOne = async (entries: readonly LiveEntry[], fence: Fence | undefined) => {
    for (const entry of entries) {
      let outcome;
      try {
        outcome = await handleEntry(ctx, stream, entry, fence);
      } catch (err) {
        if (err instanceof Fenced) throw err;
        throw new EntryFailed(entry.id, err);
      }
      // Kept conflicting with concurrent commands: retried before any later entry, so the order holds.
      if (outcome === 'gave_up') throw new EntryFailed(entry.id, new Error('kept conflicting with concurrent changes'));
    }
  };
  const handle = async (entries: LiveEntry[], fence: Fence | undefined) => {
    for (let from = 0; from < entries.length; from += applyBatch) {
      const chunk = entries.slice(from, from + applyBatch);
      if (chunk.length > 1) {
        try {
          if ((await handleBatch(ctx, stream, chunk, fence, opts.logMaxLen)) === 'done') continue;
        } catch (err) {
          if (err instanceof Fenced) throw err;
          // A batch is committed whole or not at all: nothing of it was written. Entry by entry, a failure names
          // its entry (and only that one is ever given up on), so one bad input never sinks its batch.
          ctx.logger.warn({ err, stream, entries: chunk.length }, 'input batch failed; applying it entry by entry');
        }
      }
      await oneByOne(chunk, fence);
    }
  };
  return startStreamConsumer({
    redis: ctx.redis,
    blocking,
    keys: ctx.keys,
    stream,
    consumer: opts.hubId,
    batch: Math.max(opts.batch, applyBatch),
    handle,
    logger: ctx.logger,
    realNow: ctx.realNow,
    deadletterMaxLen: ctx.deadletterMaxLen,
    registry: ctx.metrics.registry,
    lease: { key: applierLeaseKey(ctx.keys), ms: opts.leaseMs ?? APPLIER_LEASE_MS },
    ...(opts.blockMs !== undefined ? { blockMs: opts.blockMs } : {}),
    ...(opts.stallAfterMs !== undefined ? { stallAfterMs: opts.stallAfterMs } : {}),
  });
}
