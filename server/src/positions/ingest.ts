import type pino from 'pino';
import type { Fix, RedisKeys } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import type { Rejection } from '../redis/deadletter.ts';
import { applyFixes } from './apply-fixes.ts';
import { readFixEntry } from './fix-entry.ts';
import type { PositionMetrics } from './metrics.ts';
import { planFixes } from './plan-fixes.ts';
import { streamEntries, type StreamEntry } from './stream-entries.ts';

/** Entries pending longer than this on a consumer are taken over (that hub is presumed dead). */
export const CLAIM_IDLE_MS = 30_000;
const CLAIM_EVERY_MS = 10_000;
const BLOCK_MS = 2_000;
const RETRY_MS = 500;

export interface IngestDeps {
  redis: Redis;
  /** A connection of its own (XREADGROUP BLOCK holds it); the ingest owns it and destroys it on stop. */
  blocking: Redis;
  keys: RedisKeys;
  hubId: string;
  batchSize: number;
  deadletterMaxLen: number;
  logger: pino.Logger;
  metrics: PositionMetrics;
  realNow: () => number;
  worldNow: () => number;
  /** Overrides of {@link CLAIM_IDLE_MS} and how often to look for abandoned entries (tests shorten them). */
  claimIdleMs?: number;
  claimEveryMs?: number;
}

/**
 * The positions ingest: this hub's consumer in the shared group on the positions stream. Each read is validated,
 * coalesced and applied with its acknowledgement in one transaction; entries another hub left pending for more
 * than {@link CLAIM_IDLE_MS} are claimed and handled the same way.
 */
export function startIngest(deps: IngestDeps): { stop(): Promise<void> } {
  const { redis, blocking, keys, hubId, logger } = deps;
  let stopping = false;
  let lastClaim = deps.realNow();

  async function ensureGroup(): Promise<void> {
    try {
      await redis.xGroupCreate(keys.inPositions, keys.ingestGroup, '0', { MKSTREAM: true });
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async function read(id: '0' | '>'): Promise<StreamEntry[]> {
    const reply = await blocking.xReadGroup(keys.ingestGroup, hubId, { key: keys.inPositions, id }, {
      COUNT: deps.batchSize,
      ...(id === '>' ? { BLOCK: Math.min(BLOCK_MS, deps.claimEveryMs ?? CLAIM_EVERY_MS) } : {}),
    });
    return streamEntries(reply);
  }

  async function claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const res = await redis.xAutoClaim(keys.inPositions, keys.ingestGroup, hubId, deps.claimIdleMs ?? CLAIM_IDLE_MS, cursor, { COUNT: deps.batchSize });
      const entries: StreamEntry[] = [];
      for (const m of res.messages) if (m) entries.push({ id: String(m.id), message: m.message as Record<string, string> });
      const gone = res.deletedMessages.map(String);
      if (entries.length > 0 || gone.length > 0) {
        logger.info({ claimed: entries.length, deleted: gone.length }, 'claimed position entries left pending by another hub');
        await handle([...entries, ...gone.map((id) => ({ id, message: null }))]);
      }
      cursor = String(res.nextId);
    } while (cursor !== '0-0' && !stopping);
  }

  async function handle(entries: StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const batches: Array<{ entryId: string; fixes: Fix[] }> = [];
    const rejections: Rejection[] = [];
    const entryResults: string[] = [];
    for (const e of entries) {
      if (!e.message) continue; // deleted from the stream while pending: nothing left to apply, only to acknowledge
      const verdict = readFixEntry(e.message);
      entryResults.push(verdict.ok ? 'ok' : verdict.reason);
      if (verdict.ok) batches.push({ entryId: e.id, fixes: verdict.batch.fixes });
      else rejections.push({ source: keys.inPositions, entryId: e.id, reason: verdict.reason, detail: verdict.detail, data: e.message.data ?? JSON.stringify(e.message) });
    }
    const unitIds = [...new Set(batches.flatMap((b) => b.fixes.map((f) => f.unitId)))];
    const slots = await slotsOf(unitIds);
    const registered = new Set(unitIds.filter((_, i) => slots[i] != null));
    const plan = planFixes({ batches, hasSlot: (id) => registered.has(id), now: deps.worldNow() });
    for (const r of plan.rejections) {
      rejections.push({ source: keys.inPositions, entryId: r.entryId, reason: r.reason, detail: r.detail, data: JSON.stringify(r.fix) });
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
    for (const r of plan.rejections) metrics.fixes.inc({ result: r.reason });
    metrics.fixes.inc({ result: 'applied' }, result.applied);
    metrics.fixes.inc({ result: 'coalesced' }, plan.coalesced);
    metrics.fixes.inc({ result: 'out_of_order' }, plan.outOfOrder + result.outOfOrder);
  }

  /** HMGET in slices: node-redis spreads arguments into a call, which overflows the stack at ~100,000. */
  async function slotsOf(unitIds: string[]): Promise<Array<string | null>> {
    const out: Array<string | null> = [];
    for (let i = 0; i < unitIds.length; i += 10_000) out.push(...(await redis.hmGet(keys.slots, unitIds.slice(i, i + 10_000))));
    return out;
  }

  async function loop(): Promise<void> {
    let drainedOwn = false;
    while (!stopping) {
      try {
        if (!drainedOwn) {
          // Entries delivered to this consumer name before a restart and never acknowledged.
          await ensureGroup();
          const own = await read('0');
          await handle(own);
          if (own.length === 0) drainedOwn = true;
          continue;
        }
        if (deps.realNow() - lastClaim >= (deps.claimEveryMs ?? CLAIM_EVERY_MS)) {
          lastClaim = deps.realNow();
          await claimAbandoned();
        }
        await handle(await read('>'));
      } catch (err) {
        if (stopping) break;
        const message = (err as Error).message ?? String(err);
        if (message.includes('NOGROUP')) drainedOwn = false; // stream or group deleted: recreate it
        logger.warn({ err: message }, 'positions ingest failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  const running = loop();
  return {
    async stop() {
      stopping = true;
      blocking.destroy(); // unblocks a pending XREADGROUP at once
      await running;
    },
  };
}
