import { randomUUID } from 'node:crypto';
import type pino from 'pino';
import { encodeFrame, type FrameVersion, type RedisKeys, type SlotFix } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import { LuaScript } from '../redis/script.ts';
import type { PositionMetrics } from './metrics.ts';
import { slotFix } from './stored-fix.ts';

/**
 * One tick, atomically, only while the lease is ours: renew the lease, take the next tick number, drain the dirty
 * set and read those units' latest fix. A lease that expired while nobody else took it (our event loop stalled
 * past it) is simply taken back: no one ticked meanwhile. Returns nil when the lease belongs to someone else,
 * otherwise `[tick, unitId1, pos1, unitId2, pos2, …]` (pos: a stored fix, `stored-fix.ts`); the ticker knows the
 * units' slots itself. Called by its SHA: sent with EVAL every 100 ms, its text was most of the tick's bytes.
 */
export const TICK = new LuaScript(`
local lease, seq, dirty, pos = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local holder = redis.call('GET', lease)
if holder and holder ~= ARGV[1] then return false end
redis.call('SET', lease, ARGV[1], 'PX', ARGV[2])
local out = { redis.call('INCR', seq) }
local ids = redis.call('SMEMBERS', dirty)
redis.call('DEL', dirty)
for base = 1, #ids, 1000 do
  local chunk = { unpack(ids, base, math.min(#ids, base + 999)) }
  local p = redis.call('HMGET', pos, unpack(chunk))
  for k = 1, #chunk do
    if p[k] then
      out[#out + 1] = chunk[k]
      out[#out + 1] = p[k]
    end
  end
end
return out
`);

/** Gives the lease up only if it is still ours (a lease that expired may already be someone else's). */
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Moves the tick counter up to the newest frame's id. Needed when the counter and the frames stream disagree
 * (the counter key was lost while the stream survived): XADD with an explicit id refuses to go backwards.
 */
const RESYNC = new LuaScript(`
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if not last then return 0 end
local top = tonumber(string.match(last[1], '^(%d+)'))
if top > (tonumber(redis.call('GET', KEYS[1])) or 0) then redis.call('SET', KEYS[1], top) end
return top
`);

export interface TickerDeps {
  redis: Redis;
  keys: RedisKeys;
  hubId: string;
  tickMs: number;
  framesMaxLen: number;
  /** The frame version to write (default the newest: protocol/src/frame.ts). */
  frameVersion?: FrameVersion;
  logger: pino.Logger;
  metrics: PositionMetrics;
  realNow: () => number;
  worldNow: () => number;
  /** How long the lease lasts (default {@link TICKER_LEASE_MS}); tests of a dead leader shorten it. */
  leaseMs?: number;
}

/**
 * The ticker lease: renewed every tick, it must outlast the event-loop stalls and GC pauses of a loaded hub (seconds:
 * at load average ~12 on 2 cores a lease of three 100 ms ticks was lost over and over, and walls flickered). A leader
 * that stops cleanly hands over within a tick or two (it releases); one that dies, after this long.
 */
export const TICKER_LEASE_MS = 10_000;

export interface Ticker {
  /** Whether this instance held the lease at its last tick. */
  isLeader(): boolean;
  /** Stops ticking and gives the lease up so another hub takes over at its next tick. */
  stop(): Promise<void>;
  /** Stops ticking but keeps the lease, as a crashed hub would: others wait for it to expire. For tests. */
  abandon(): Promise<void>;
}

/**
 * The position ticker. Every hub runs one; only the holder of the lease in Redis ticks. Each tick the leader turns
 * the units that moved since the last tick into one binary frame, appended to the frames stream with the tick
 * number as its id (`<tick>-0`): numbers stay consecutive across leaders, and a leader that lost its lease while
 * paused cannot append behind its successor. The lease ({@link TICKER_LEASE_MS}) is renewed every tick: a leader
 * that dies is replaced once it expires, one that stops cleanly at the standby's next tick.
 */
export function startTicker(deps: TickerDeps): Ticker {
  const { redis, keys, logger, metrics } = deps;
  const token = `${deps.hubId}:${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? TICKER_LEASE_MS;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let due = deps.realNow();

  function setLeader(value: boolean, why: string) {
    if (leader === value) return;
    leader = value;
    metrics.leader.set(value ? 1 : 0);
    logger.info({ hubId: deps.hubId }, why);
  }

  /**
   * unitId → frame slot. A slot, once given, is never taken back, so each unit's is read from Redis once, outside
   * the tick's script: reading every moved unit's slot in it cost up to a sixth of Redis's time per fix.
   */
  const slotOf = new Map<string, string>();

  async function learnSlots(unitIds: string[]): Promise<void> {
    const missing = unitIds.filter((id) => !slotOf.has(id));
    // HMGET in slices: node-redis spreads arguments into a call, which overflows the stack at ~100,000.
    for (let i = 0; i < missing.length; i += 10_000) {
      const chunk = missing.slice(i, i + 10_000);
      const slots = await redis.hmGet(keys.slots, chunk);
      chunk.forEach((id, k) => {
        if (slots[k] != null) slotOf.set(id, slots[k]);
      });
    }
  }

  async function tick(): Promise<boolean> {
    const reply = (await TICK.run(
      redis,
      [keys.tickerLease, keys.tickerSeq, keys.positionsDirty, keys.positions],
      [token, String(leaseMs)],
    )) as Array<string | number> | null;
    if (!reply) return false;
    const tickNo = Number(reply[0]);
    const unitIds: string[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) unitIds.push(String(reply[i]));
    await learnSlots(unitIds);
    const fixes: SlotFix[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      const fix = slotFix(slotOf.get(String(reply[i])), String(reply[i + 1]));
      if (fix) fixes.push(fix);
    }
    const frame = encodeFrame(tickNo, deps.worldNow(), false, fixes, { version: deps.frameVersion });
    try {
      await redis.xAdd(
        keys.frames,
        `${tickNo}-0`,
        { f: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), h: deps.hubId },
        {
          TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: deps.framesMaxLen },
        },
      );
      metrics.ticks.inc();
    } catch (err) {
      if (!String((err as Error).message).includes('equal or smaller')) throw err;
      const top = await RESYNC.run(redis, [keys.tickerSeq, keys.frames], []);
      logger.warn(
        { tick: tickNo, top },
        'tick counter was behind the frames stream; moved it up (this tick is skipped)',
      );
    }
    return true;
  }

  async function step(): Promise<void> {
    if (!leader) {
      const won = await redis.set(keys.tickerLease, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: leaseMs },
      });
      if (won === 'OK') setLeader(true, 'took the position ticker lease');
    }
    if (leader && !(await tick())) setLeader(false, 'lost the position ticker lease');
  }

  function schedule() {
    if (stopped) return;
    // Ticks stay on a fixed grid; a slow tick is not followed by a burst of catch-up ticks.
    const now = deps.realNow();
    due = Math.max(due + deps.tickMs, now);
    timer = setTimeout(() => {
      running = step()
        .catch((err: unknown) => {
          // A Redis hiccup: we cannot know whether the lease is still ours, so act as a follower until we get it again.
          setLeader(false, 'position tick failed; standing down');
          logger.warn({ err: (err as Error).message }, 'position tick failed');
        })
        .finally(schedule);
    }, due - now);
  }

  running = step()
    .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'position tick failed'))
    .finally(schedule);

  async function halt() {
    stopped = true;
    clearTimeout(timer);
    await running;
  }

  return {
    isLeader: () => leader,
    async stop() {
      await halt();
      if (leader) await RELEASE.run(redis, [keys.tickerLease], [token]).catch(() => {});
      setLeader(false, 'released the position ticker lease');
    },
    async abandon() {
      await halt();
      leader = false;
    },
  };
}
