import type pino from 'pino';
import { connectBlocking } from '../redis/blocking.ts';
import type { Redis } from '../redis/connect.ts';
import { handleEntry, reject, type IngestContext, type StreamEntry } from './handle-entry.ts';

/** Failures of one entry (with Redis reachable) before it is dead-lettered as `internal`. */
const MAX_FAILURES = 5;

export interface ConsumerOptions {
  /** This hub's consumer name in the group. */
  hubId: string;
  batch: number;
  /** Entries pending this long on another consumer (a dead hub) are claimed. */
  claimIdleMs?: number;
  /** How often to look for such entries. */
  claimEveryMs?: number;
  /** How long one XREADGROUP blocks; bounds how late a claim pass runs. */
  blockMs?: number;
}

export interface Consumer {
  stop(): Promise<void>;
}

/** Creates the consumer group (and the stream) if missing; an existing group is fine. */
export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xGroupCreate(stream, group, '0', { MKSTREAM: true });
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('BUSYGROUP')) throw err;
  }
}

/**
 * The ingest loop of one hub on the control-plane stream: first this consumer's own pending entries (left by a
 * previous run under the same hub id), then new ones, one at a time and in order; every `claimEveryMs` it claims
 * entries idle for `claimIdleMs` on other consumers (hubs that died) and handles them the same way — the commit
 * script makes one that was in fact applied a mere acknowledgement.
 */
export async function startConsumer(ctx: IngestContext, stream: string, opts: ConsumerOptions): Promise<Consumer> {
  const { redis, keys, logger } = ctx;
  const group = keys.ingestGroup;
  const claimIdleMs = opts.claimIdleMs ?? 30_000;
  const claimEveryMs = opts.claimEveryMs ?? 10_000;
  const blockMs = opts.blockMs ?? 2_000;
  await ensureGroup(redis, stream, group);
  const blocking = await connectBlocking(redis, `egret-ingest-${opts.hubId}`);
  let stopping = false;
  let lastClaim = 0;
  /** '0…' while draining our own pending entries (the id after which to continue), then '>' for new ones. */
  let cursor = '0-0';

  /** Failures per entry id: an entry the hub keeps failing on (a bug, not bad input) must not stall the stream. */
  const failures = new Map<string, number>();
  const handleOne = async (entry: StreamEntry) => {
    try {
      await handleEntry(ctx, stream, entry);
      failures.delete(entry.id);
    } catch (err) {
      const n = (failures.get(entry.id) ?? 0) + 1;
      failures.set(entry.id, n);
      // Only when Redis answers is the failure this entry's own; a Redis outage is waited out, never dead-lettered.
      if (n < MAX_FAILURES || !(await redis.ping().then(() => true, () => false))) throw err;
      failures.delete(entry.id);
      logger.error({ err, stream, entryId: entry.id }, 'input entry failed repeatedly: dead-lettered as internal');
      const raw = entry.message?.data ?? JSON.stringify(entry.message);
      await reject(ctx, stream, entry.id, { ok: false, reason: 'internal', detail: `the hub failed on it ${n} times: ${(err as Error).message}` }, raw);
    }
  };
  const handleAll = async (entries: StreamEntry[]) => {
    for (const entry of entries) {
      if (stopping) return;
      await handleOne(entry);
    }
  };

  const claim = async () => {
    let start = '0-0';
    for (let round = 0; round < 100 && !stopping; round++) {
      const r = await redis.xAutoClaim(stream, group, opts.hubId, claimIdleMs, start, { COUNT: opts.batch });
      const claimed = r.messages.filter((m): m is NonNullable<typeof m> => m !== null) as unknown as StreamEntry[];
      if (claimed.length) logger.info({ stream, count: claimed.length }, 'claimed input entries left pending by another hub');
      if (r.deletedMessages.length) logger.warn({ stream, ids: r.deletedMessages }, 'pending input entries were deleted before any hub handled them');
      await handleAll(claimed);
      start = String(r.nextId);
      if (start === '0-0') return;
    }
  };

  const loop = async () => {
    let backoff = 100;
    while (!stopping) {
      try {
        if (Date.now() - lastClaim >= claimEveryMs) {
          lastClaim = Date.now();
          await claim();
        }
        const draining = cursor !== '>';
        const reply = await blocking.xReadGroup(group, opts.hubId, { key: stream, id: cursor }, draining ? { COUNT: opts.batch } : { COUNT: opts.batch, BLOCK: blockMs });
        const entries = ((reply as Array<{ messages: StreamEntry[] }> | null)?.[0]?.messages ?? []);
        if (draining) {
          if (entries.length === 0) cursor = '>';
          else cursor = entries[entries.length - 1]!.id;
        }
        await handleAll(entries);
        backoff = 100;
      } catch (err) {
        if (stopping) return;
        if (err instanceof Error && err.message.startsWith('NOGROUP')) {
          // The stream or the group is gone (a Redis that lost its data): make them again and go on.
          logger.error({ stream }, 'ingest: the consumer group is gone; creating it again');
          await ensureGroup(redis, stream, group).catch(() => {});
        } else {
          logger.error({ err, stream }, 'ingest: Redis failed; retrying (unhandled entries stay pending)');
        }
        // After an error, re-read our own pending entries first: one may have been delivered but not handled.
        cursor = '0-0';
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  };
  const running = loop();

  return {
    async stop() {
      stopping = true;
      // Cut the blocking read at once; an entry delivered but not handled stays pending and is handled again.
      blocking.destroy();
      await running;
    },
  };
}
