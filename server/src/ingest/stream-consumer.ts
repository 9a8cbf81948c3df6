import type pino from 'pino';
import client from 'prom-client';
import type { RedisKeys } from '@egret/protocol';
import type { Fence } from '../domain/change.ts';
import { settle } from '../redis/commit.ts';
import type { Redis } from '../redis/connect.ts';
import { deadLetterCommands } from '../redis/deadletter.ts';
import { LuaScript } from '../redis/script.ts';
import { Lease } from '../replay/lease.ts';

/** One input entry that still has its fields. */
export interface LiveEntry {
  id: string;
  message: Record<string, string>;
}

/**
 * Handles entries in the order given and settles each one (applies and acknowledges it atomically, or dead-letters
 * and acknowledges it), every write behind `fence` when there is one. Throws to have them read again; throws
 * {@link EntryFailed} to name the entry it failed on, {@link Fenced} when a write found the lease gone.
 */
export type EntryHandler = (entries: LiveEntry[], fence: Fence | undefined) => Promise<void>;

/** The handler failed on this entry (those before it are settled). */
export class EntryFailed extends Error {
  constructor(
    readonly entryId: string,
    cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause), { cause });
  }
}

/** A fenced write was refused: this hub no longer holds the applier lease. */
export class Fenced extends Error {
  constructor() {
    super('the applier lease is no longer ours');
  }
}

/**
 * Reads for this consumer: its own pending entries from an id (`0-0`…) or new ones (`>`), only while the lease
 * token (if any) is still the lease's — the read and the check are one atomic step, so once another hub has taken
 * the lease an ex-leader cannot take a single entry more. Also returns the stream's newest id, for the blocking wait.
 * KEYS: 1 stream, 2 lease. ARGV: 1 group, 2 consumer, 3 count, 4 id, 5 token ('' = no lease).
 * An entry deleted while pending comes back as [id, nil]: node-redis' own XREADGROUP parser throws on those
 * ("Cannot read properties of null (reading 'length')"), which is how the positions ingest used to stay stuck.
 */
const READ = new LuaScript(`
if ARGV[5] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[5] then return {'fenced'} end
local reply = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], ARGV[4])
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local entries = {}
if reply then entries = reply[1][2] end
return {'ok', top and top[1] or '0-0', entries}
`);

/**
 * Moves pending entries idle at least ARGV[3] ms to this consumer (ids only), fenced like READ. Entries deleted from
 * the stream while pending are dropped from the group's pending list by XAUTOCLAIM itself and returned apart.
 * KEYS: 1 stream, 2 lease. ARGV: 1 group, 2 consumer, 3 min idle, 4 start id, 5 count, 6 token.
 */
const CLAIM = new LuaScript(`
if ARGV[6] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[6] then return {'fenced'} end
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
return {'ok', r[1], #r[2], r[3] or {}}
`);

export interface StreamConsumerOptions {
  /** Commands; shared with the rest of the hub. */
  redis: Redis;
  /** A connection of its own for the blocking wait (no command timeout); the consumer destroys it on stop. */
  blocking: Redis;
  keys: RedisKeys;
  stream: string;
  /** This hub's consumer name in the group. */
  consumer: string;
  batch: number;
  handle: EntryHandler;
  logger: pino.Logger;
  /** Real time (ms): claim schedule, lease renewal, stall age. */
  realNow: () => number;
  deadletterMaxLen: number;
  /** Counted lost and dead-lettered entries, errors, the stall gauges (registered once per registry). */
  registry: client.Registry;
  /**
   * One applier at a time: only the holder of this lease reads and applies, in stream order; the others stand by.
   * Without it every consumer of the group handles its own share (order is kept only within one consumer).
   */
  lease?: { key: string; ms: number };
  /** Entries pending this long on another consumer (a dead hub) are claimed (group mode). */
  claimIdleMs?: number;
  /** How often to look for such entries (group mode). */
  claimEveryMs?: number;
  /** Longest blocking wait for new entries. */
  blockMs?: number;
  /** Failures on one entry (with Redis answering) before it is dead-lettered as `internal`. */
  maxFailures?: number;
  /** Not ready when an entry delivered to this consumer stays unsettled this long… */
  stallAfterMs?: number;
  /** …or after this many failed rounds in a row. */
  stallAfterErrors?: number;
}

export interface StreamConsumer {
  /** Why this consumer's ingest is stalled (for /readyz), or undefined while it makes progress. */
  stalledBecause(): string | undefined;
  /** Whether it holds the applier lease (always false without a lease). */
  isApplier(): boolean;
  /** Stops reading; in lease mode gives the lease up so a standby takes over at once. */
  stop(): Promise<void>;
  /** Stops without releasing the lease, as a hub that died would. For tests. */
  abandon(): Promise<void>;
}

/** Creates the consumer group (and the stream) if missing; an existing group is fine. */
export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xGroupCreate(stream, group, '0', { MKSTREAM: true });
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('BUSYGROUP')) throw err;
  }
}

/** The key of the control-plane applier lease (next to the stream it guards, in the same hash slot). */
export const applierLeaseKey = (keys: RedisKeys) => `${keys.inEvents}:applier`;

interface ConsumerMetrics {
  backlog: client.Gauge<'stream'>;
  lost: client.Counter<'stream'>;
  errors: client.Counter<'stream'>;
  stalled: client.Gauge<'stream'>;
  age: client.Gauge<'stream'>;
  inRow: client.Gauge<'stream'>;
  applier: client.Gauge<'stream'>;
}

/** Gauges read every consumer registered in one registry (a hub has two: events and positions). */
const sources = new WeakMap<
  client.Registry,
  Map<string, () => { stalled: boolean; ageS: number; inRow: number; applier: boolean }>
>();

/** Per registry and stream: reads the group's backlog from Redis when /metrics is scraped. */
const backlogs = new WeakMap<client.Registry, Map<string, () => Promise<Backlog>>>();

/** Where the consumer group stands on its stream (XINFO GROUPS). */
export interface Backlog {
  /** Entries not yet delivered to any hub (the group's lag; XLEN, an upper bound, when Redis cannot tell). */
  undelivered: number;
  /** Entries delivered and not yet settled. */
  pending: number;
}

/** The group's backlog on `stream`: what a producer's MAXLEN must stay above (docs/integration.md). */
export async function readBacklog(redis: Redis, stream: string, group: string): Promise<Backlog> {
  const groups = (await redis.xInfoGroups(stream)) as unknown as Array<Record<string, unknown>>;
  const g = groups.find((x) => String(x.name) === group);
  if (!g) return { undelivered: await redis.xLen(stream), pending: 0 };
  const lag = g.lag;
  return {
    undelivered: typeof lag === 'number' ? lag : await redis.xLen(stream),
    pending: Number(g.pending ?? 0),
  };
}

function consumerMetrics(registry: client.Registry): ConsumerMetrics {
  const readings = () => sources.get(registry) ?? new Map();
  const metric = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const gauge = (
    name: string,
    help: string,
    pick: (r: { stalled: boolean; ageS: number; inRow: number; applier: boolean }) => number,
  ) =>
    metric(
      name,
      () =>
        new client.Gauge({
          name,
          help,
          labelNames: ['stream'] as const,
          registers: [registry],
          collect() {
            for (const [stream, read] of readings()) this.set({ stream }, pick(read()));
          },
        }),
    );
  return {
    backlog: metric(
      'egret_ingest_backlog_entries',
      () =>
        new client.Gauge({
          name: 'egret_ingest_backlog_entries',
          help: 'Input entries in the stream not yet applied: not yet delivered to a hub (the group lag) plus delivered and unsettled (pending). Alert on it: a producer whose MAXLEN is not far above it trims input the hubs have not read',
          labelNames: ['stream'] as const,
          registers: [registry],
          async collect() {
            for (const [stream, read] of backlogs.get(registry) ?? []) {
              // A scrape during a Redis outage still answers (the other metrics say what is wrong).
              const b = await read().catch(() => undefined);
              if (b) this.set({ stream }, b.undelivered + b.pending);
            }
          },
        }),
    ),
    lost: metric(
      'egret_ingest_lost_entries_total',
      () =>
        new client.Counter({
          name: 'egret_ingest_lost_entries_total',
          help: 'Input entries deleted from their stream (MAXLEN trim, XDEL) after delivery and before any hub handled them: acknowledged and dead-lettered as lost',
          labelNames: ['stream'] as const,
          registers: [registry],
        }),
    ),
    errors: metric(
      'egret_ingest_errors_total',
      () =>
        new client.Counter({
          name: 'egret_ingest_errors_total',
          help: 'Failed ingest rounds (Redis errors, entries the hub failed on), by stream',
          labelNames: ['stream'] as const,
          registers: [registry],
        }),
    ),
    stalled: gauge(
      'egret_ingest_stalled',
      '1 while this hub’s ingest of the stream is stalled (then /readyz answers 503)',
      (r) => (r.stalled ? 1 : 0),
    ),
    age: gauge(
      'egret_ingest_oldest_pending_age_seconds',
      'How long the oldest entry delivered to this hub has waited unsettled (0: none)',
      (r) => r.ageS,
    ),
    inRow: gauge(
      'egret_ingest_errors_in_row',
      'Failed ingest rounds in a row (0 once a round succeeds)',
      (r) => r.inRow,
    ),
    applier: gauge(
      'egret_ingest_applier',
      '1 while this hub holds the stream’s applier lease (the one hub that applies it, in order)',
      (r) => (r.applier ? 1 : 0),
    ),
  };
}

interface ReadResult {
  fenced: boolean;
  top: string;
  live: LiveEntry[];
  deleted: string[];
}

/**
 * The one stream consumer of the hub, used by both inputs (control plane and positions). It creates the group,
 * drains this consumer's own pending entries (left by a previous run under the same name) before new ones, claims
 * entries abandoned by dead consumers, acknowledges entries deleted while pending (counted lost, dead-lettered),
 * backs off on errors, dead-letters an entry it keeps failing on as `internal`, and says when it is stalled.
 *
 * In lease mode (the control plane) one hub at a time applies: the lease holder claims every pending entry of the
 * group at once when it takes over (the lease, not idleness, is the authority), handles them in id order, then new
 * ones. Its reads, claims and writes are all fenced by the lease token, so a paused ex-leader can neither take
 * entries nor apply one after its successor applied a later one.
 */
export function startStreamConsumer(o: StreamConsumerOptions): StreamConsumer {
  const { redis, blocking, keys, stream, logger } = o;
  const group = keys.ingestGroup;
  const claimIdleMs = o.claimIdleMs ?? 30_000;
  const claimEveryMs = o.claimEveryMs ?? 10_000;
  const blockMs = o.blockMs ?? 2_000;
  const maxFailures = o.maxFailures ?? 5;
  const stallAfterMs = o.stallAfterMs ?? 60_000;
  const stallAfterErrors = o.stallAfterErrors ?? 5;
  const metrics = consumerMetrics(o.registry);
  const lease = o.lease ? new Lease(redis, o.lease.key, o.lease.ms, o.consumer) : undefined;
  /** Renew well before expiry, and wait (blocking read, standby poll) no longer than that. */
  const renewEveryMs = lease ? Math.max(50, Math.floor(lease.ms / 5)) : Infinity;
  const waitMs = Math.max(10, Math.min(blockMs, renewEveryMs));
  /** A standby asks for the lease this often: a lease released by a clean stop is taken within this time. */
  const standbyPollMs = Math.min(waitMs, 500);

  let stopping = false;
  let applier = false;
  let renewedAt = 0;
  let lastClaim = -Infinity;
  let groupReady = false;
  /** '0-0'… while draining our own pending entries (the id after which to go on), then '>' for new ones. */
  let cursor = '0-0';
  let top = '0-0';
  let errorsInRow = 0;
  let lastError = '';
  /** Since when work delivered to us (or a failing round) has been waiting; undefined while caught up. */
  let waitingSince: number | undefined;
  const failures = new Map<string, number>();

  const fence = (): Fence | undefined => (lease ? { key: lease.key, token: lease.token } : undefined);
  const token = () => lease?.token ?? '';

  const health = () => {
    const ageMs = waitingSince === undefined ? 0 : Math.max(0, o.realNow() - waitingSince);
    return { ageMs, stalled: errorsInRow >= stallAfterErrors || ageMs > stallAfterMs };
  };
  if (!sources.has(o.registry)) sources.set(o.registry, new Map());
  if (!backlogs.has(o.registry)) backlogs.set(o.registry, new Map());
  backlogs.get(o.registry)!.set(stream, () => readBacklog(redis, stream, group));
  sources.get(o.registry)!.set(stream, () => {
    const h = health();
    return { stalled: h.stalled, ageS: h.ageMs / 1000, inRow: errorsInRow, applier };
  });

  async function read(id: string): Promise<ReadResult> {
    const reply = (await READ.run(
      redis,
      [stream, lease?.key ?? stream],
      [group, o.consumer, String(o.batch), id, token()],
    )) as unknown[];
    if (reply[0] === 'fenced') return { fenced: true, top, live: [], deleted: [] };
    const live: LiveEntry[] = [];
    const deleted: string[] = [];
    for (const raw of (reply[2] as Array<[string, string[] | null]>) ?? []) {
      const [entryId, fields] = raw;
      if (!fields) {
        deleted.push(String(entryId));
        continue;
      }
      const message: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) message[String(fields[i])] = String(fields[i + 1]);
      live.push({ id: String(entryId), message });
    }
    return { fenced: false, top: String(reply[1]), live, deleted };
  }

  /** Claims pending entries idle ≥ minIdle into our own pending list; false when fenced. Lost ones are settled. */
  async function claim(minIdleMs: number): Promise<boolean> {
    let start = '0-0';
    for (let round = 0; round < 10_000 && !stopping; round++) {
      const reply = (await CLAIM.run(
        redis,
        [stream, lease?.key ?? stream],
        [group, o.consumer, String(minIdleMs), start, String(Math.max(o.batch, 100)), token()],
      )) as unknown[];
      if (reply[0] === 'fenced') return false;
      const claimed = Number(reply[2]);
      const gone = ((reply[3] as unknown[]) ?? []).map(String);
      if (claimed > 0)
        logger.info({ stream, count: claimed }, 'claimed input entries left pending by another consumer');
      if (gone.length > 0) await lost(gone, false);
      start = String(reply[1]);
      if (start === '0-0') break;
    }
    cursor = '0-0'; // what was claimed is now ours: drain it, in id order, before new entries
    return true;
  }

  /** Entries deleted from the stream before anyone handled them: acknowledged, counted and dead-lettered as lost. */
  async function lost(ids: string[], ack: boolean): Promise<void> {
    logger.warn(
      { stream, count: ids.length, ids: ids.slice(0, 20) },
      'pending input entries were deleted from the stream before any hub handled them: counted as lost',
    );
    for (const entryId of ids) {
      const c = deadLetterCommands(
        keys,
        {
          source: stream,
          entryId,
          reason: 'lost',
          detail:
            'the entry was deleted from the stream (MAXLEN trim or XDEL) after it was delivered and before any hub handled it: its content is gone',
          data: '',
        },
        o.deadletterMaxLen,
        o.realNow(),
      );
      const r = await settle(redis, {
        keys,
        stream,
        entryIds: ack ? [entryId] : [],
        fence: fence(),
        deadLetter: { reason: 'lost', fields: c.xadd[1], maxLen: o.deadletterMaxLen },
      });
      if (r === 'fenced') throw new Fenced();
      metrics.lost.inc({ stream });
    }
  }

  /** An entry the hub keeps failing on while Redis answers: a bug, not bad input — it must not stall the stream. */
  async function giveUp(entries: LiveEntry[], err: unknown, n: number): Promise<void> {
    logger.error(
      { err, stream, entryIds: entries.map((e) => e.id) },
      'input entries failed repeatedly: dead-lettered as internal',
    );
    for (const e of entries) {
      const c = deadLetterCommands(
        keys,
        {
          source: stream,
          entryId: e.id,
          reason: 'internal',
          detail: `the hub failed on it ${n} times: ${(err as Error)?.message ?? String(err)}`,
          data: e.message.data ?? JSON.stringify(e.message),
        },
        o.deadletterMaxLen,
        o.realNow(),
      );
      if (
        (await settle(redis, {
          keys,
          stream,
          entryIds: [e.id],
          fence: fence(),
          deadLetter: { reason: 'internal', fields: c.xadd[1], maxLen: o.deadletterMaxLen },
        })) === 'fenced'
      )
        throw new Fenced();
    }
  }

  function standDown(why: string) {
    if (!applier) return;
    applier = false;
    logger.warn({ stream }, why);
  }

  /** Lease mode: take, keep or lose the lease. Returns whether to go on reading now. */
  async function keepLease(): Promise<boolean> {
    if (!lease) return true;
    const now = o.realNow();
    if (!applier) {
      if (!(await lease.acquire())) return false;
      applier = true;
      renewedAt = now;
      logger.info({ stream }, 'took the applier lease: this hub applies the stream now');
      // Everything pending (on dead or paused ex-leaders, or on us) comes first, in id order, whatever its idle time.
      if (!(await claim(0))) {
        standDown('lost the applier lease while taking over');
        return false;
      }
      return true;
    }
    if (now - renewedAt >= renewEveryMs) {
      const kept = await lease.keep();
      if (kept === 'lost') {
        standDown('lost the applier lease to another hub: standing by');
        return false;
      }
      renewedAt = now;
      // Expired during a stall and taken back: another applier may have come, claimed entries and gone meanwhile.
      // Take over again as if new: every pending entry first, in id order.
      if (kept === 'retaken' && !(await claim(0))) {
        standDown('lost the applier lease while taking it back');
        return false;
      }
    }
    return true;
  }

  async function waitForNew(): Promise<void> {
    // Non-group XREAD from the newest id seen: wakes as soon as anything newer is added, takes nothing.
    await blocking.xRead({ key: stream, id: top }, { BLOCK: waitMs, COUNT: 1 });
  }

  async function round(): Promise<void> {
    if (!groupReady) {
      await ensureGroup(redis, stream, group);
      groupReady = true;
    }
    if (!(await keepLease())) {
      waitingSince = undefined;
      await sleep(standbyPollMs);
      return;
    }
    if (!lease && o.realNow() - lastClaim >= claimEveryMs) {
      lastClaim = o.realNow();
      await claim(claimIdleMs);
    }
    const r = await read(cursor);
    if (r.fenced) {
      standDown('the applier lease passed to another hub: standing by');
      return;
    }
    top = r.top;
    const draining = cursor !== '>';
    if (r.live.length === 0 && r.deleted.length === 0) {
      waitingSince = undefined;
      if (draining) cursor = '>';
      else await waitForNew();
      return;
    }
    waitingSince ??= o.realNow();
    if (draining) cursor = [...r.live.map((e) => e.id), ...r.deleted].sort(compareIds).at(-1)!;
    if (r.deleted.length > 0) await lost(r.deleted, true);
    if (r.live.length > 0) {
      const first = r.live[0]!.id;
      try {
        await o.handle(r.live, fence());
        failures.clear();
      } catch (err) {
        if (err instanceof Fenced) throw err;
        const failedId = err instanceof EntryFailed ? err.entryId : first;
        const n = (failures.get(failedId) ?? 0) + 1;
        failures.set(failedId, n);
        // Only when Redis answers is the failure the entry's own; a Redis outage is waited out, never dead-lettered.
        if (
          n < maxFailures ||
          !(await redis.ping().then(
            () => true,
            () => false,
          ))
        )
          throw err;
        failures.delete(failedId);
        const from = r.live.findIndex((e) => e.id === failedId);
        await giveUp(
          err instanceof EntryFailed ? [r.live[from]!] : r.live.slice(Math.max(0, from)),
          err instanceof EntryFailed ? err.cause : err,
          n,
        );
        // The entries after it in this read were delivered to us but not handled: read our pending ones again.
        cursor = '0-0';
      }
    }
    waitingSince = undefined;
  }

  async function loop(): Promise<void> {
    let backoff = 100;
    while (!stopping) {
      try {
        await round();
        errorsInRow = 0;
        backoff = 100;
      } catch (err) {
        if (stopping) return;
        if (err instanceof Fenced) {
          standDown('the applier lease passed to another hub while applying: standing by');
          cursor = '0-0';
          continue;
        }
        errorsInRow++;
        metrics.errors.inc({ stream });
        waitingSince ??= o.realNow();
        const message = (err as Error)?.message ?? String(err);
        if (message.includes('NOGROUP')) {
          // The stream or the group is gone (a Redis that lost its data): make them again and go on.
          groupReady = false;
          logger.error({ stream }, 'ingest: the consumer group is gone; creating it again');
        } else if (message !== lastError || errorsInRow % 20 === 1) {
          logger.error(
            { err: err instanceof EntryFailed ? err.cause : err, stream, errorsInRow },
            'ingest failed; retrying (unhandled entries stay pending)',
          );
        }
        lastError = message;
        // After an error, read our own pending entries again first: one may have been delivered but not handled.
        cursor = '0-0';
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  const running = loop();

  async function halt(): Promise<void> {
    stopping = true;
    // Cut the blocking wait at once; an entry delivered but not settled stays pending and is handled again.
    blocking.destroy();
    await running;
    sources.get(o.registry)?.delete(stream);
    backlogs.get(o.registry)?.delete(stream);
  }

  return {
    stalledBecause() {
      const h = health();
      if (errorsInRow >= stallAfterErrors)
        return `ingest of ${stream} stalled: ${errorsInRow} failed rounds in a row (${lastError})`;
      if (h.stalled)
        return `ingest of ${stream} stalled: an entry has waited ${Math.round(h.ageMs / 1000)} s unsettled`;
      return undefined;
    },
    isApplier: () => applier,
    async stop() {
      await halt();
      if (lease && applier) await lease.release().catch(() => {});
      applier = false;
    },
    async abandon() {
      await halt();
      applier = false;
    },
  };
}

/** Orders stream ids (`ms-seq`) numerically. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
