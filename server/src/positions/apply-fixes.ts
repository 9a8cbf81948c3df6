import type { Fix, RedisKeys } from '@egret/protocol';
import { MultiErrorReply } from 'redis';
import type { Redis } from '../redis/connect.ts';
import { deadLetterCommands, type Rejection } from '../redis/deadletter.ts';
import { isNoScript, LuaScript } from '../redis/script.ts';
import { LUA_STORED_FIX } from './stored-fix.ts';

/**
 * Writes each unit's fix unless Redis already holds a newer one (two hubs may apply fixes of one unit at once,
 * so the comparison happens here, atomically), and marks the unit dirty for the ticker. Commands are chunked to
 * stay under Lua's `unpack` limit. Returns { applied, outOfOrder }.
 *
 * No GEO index: one was written here for every fix and never read. Ranking candidates reads every unit's fix
 * anyway (a squad's workload and duty district count whatever its distance), and the GEOADD was about a third
 * of Redis's time per fix (docs/performance.md, "Redis per fix").
 */
const APPLY_FIXES = new LuaScript(`${LUA_STORED_FIX}
local pos, dirty = KEYS[1], KEYS[2]
local applied, stale = 0, 0
local CHUNK = 1000
for base = 1, #ARGV, 4 * CHUNK do
  local last = math.min(#ARGV, base + 4 * CHUNK - 1)
  local ids = {}
  for i = base, last, 4 do ids[#ids + 1] = ARGV[i] end
  local current = redis.call('HMGET', pos, unpack(ids))
  local hset, sadd = {}, {}
  for k = 1, #ids do
    local i = base + (k - 1) * 4
    local id, lon, lat, at = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    local cur = current[k]
    local curAt = stored_fix_at(cur)
    if curAt and tonumber(at) < curAt then
      stale = stale + 1
    else
      hset[#hset + 1] = id
      hset[#hset + 1] = stored_fix(lon, lat, at)
      sadd[#sadd + 1] = id
      applied = applied + 1
    end
  end
  if #hset > 0 then
    redis.call('HSET', pos, unpack(hset))
    redis.call('SADD', dirty, unpack(sadd))
  end
end
return { applied, stale }
`);

/** Units per Lua call. */
export const FIXES_PER_SCRIPT = 5_000;

export interface ApplyInput {
  /** Ids of the input entries this read covers: acknowledged in the same transaction. */
  entryIds: readonly string[];
  /** The latest fix per unit to write. */
  fixes: Iterable<Fix>;
  rejections: readonly Rejection[];
  deadletterMaxLen: number;
  /** Real time, stamped on dead letters. */
  now: number;
}

/**
 * Applies one read of the positions stream in one MULTI: the fixes (Lua, compare-and-set per unit), the dead
 * letters, and the XACK of every entry, so a hub that dies half-way leaves the entries pending for another hub
 * to claim rather than half-applied.
 */
export async function applyFixes(
  redis: Redis,
  keys: RedisKeys,
  input: ApplyInput,
): Promise<{ applied: number; outOfOrder: number }> {
  // Several scripts of at most FIXES_PER_SCRIPT units in the one MULTI: node-redis spreads a command's arguments
  // into a function call, which overflows the stack at some 100,000 arguments (a city's worth of units).
  const chunks: string[][] = [];
  let args: string[] = [];
  for (const f of input.fixes) {
    if (args.length >= FIXES_PER_SCRIPT * 4) {
      chunks.push(args);
      args = [];
    }
    args.push(f.unitId, String(f.lon), String(f.lat), String(f.at));
  }
  if (args.length > 0) chunks.push(args);
  const scriptKeys = [keys.positions, keys.positionsDirty];
  await APPLY_FIXES.load(redis);
  const multi = redis.multi();
  for (const chunk of chunks) APPLY_FIXES.queue(multi, scriptKeys, chunk);
  for (const r of input.rejections) {
    const c = deadLetterCommands(keys, r, input.deadletterMaxLen, input.now);
    multi
      .xAdd(c.xadd[0], '*', c.xadd[1], { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: c.xadd[2] } })
      .hIncrBy(...c.hincrby);
  }
  if (input.entryIds.length > 0) multi.xAck(keys.inPositions, keys.ingestGroup, [...input.entryIds]);
  let replies: unknown[];
  try {
    replies = await multi.exec();
  } catch (err) {
    if (
      !(err instanceof MultiErrorReply) ||
      !err.errorIndexes.every((i) => i < chunks.length && isNoScript(err.replies[i]))
    )
      throw err;
    // Redis lost the script since we loaded it (a restart, SCRIPT FLUSH): the dead letters and the XACK went
    // through, the fixes did not. Apply them now (the compare-and-set makes a late write safe); only a hub dying
    // in between loses them, and each unit's next fix replaces them within seconds anyway.
    APPLY_FIXES.forget(redis);
    replies = err.replies;
    for (const i of err.errorIndexes) replies[i] = await APPLY_FIXES.run(redis, scriptKeys, chunks[i]!);
  }
  let applied = 0;
  let outOfOrder = 0;
  for (let i = 0; i < chunks.length; i++) {
    const [a, o] = replies[i] as unknown as [number, number];
    applied += a;
    outOfOrder += o;
  }
  return { applied, outOfOrder };
}
