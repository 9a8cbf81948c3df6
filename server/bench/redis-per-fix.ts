/**
 * Redis CPU per position fix, the apply path alone, side by side: the scripts as they were before the fix codec
 * and SHA change (sent with EVAL, writing the GEO index), the same scripts called by SHA, and the hub's code now
 * (`applyFixes` and the ticker's script, by SHA, no GEO index). Run by hub.bench.ts after its configurations.
 *
 * Each variant applies every unit's fix once a second's worth — in the hub's shape: one apply per 25 ms batch
 * (1/40 of the units), one tick draining the dirty set per 100 ms — for `rounds` rounds, as fast as Redis takes
 * them, and divides redis-server's CPU time (/proc) by the fixes applied. The stream reads, XACKs and frames are the
 * same in every variant and left out.
 */
import { redisKeys, type Fix, type RedisKeys } from '@egret/protocol';
import { applyFixes } from '../src/positions/apply-fixes.ts';
import { TICK } from '../src/positions/ticker.ts';
import type { Redis } from '../src/redis/connect.ts';
import { LuaScript } from '../src/redis/script.ts';
import { cpuMsOf } from './measure.ts';

/** The fix applier's script before this change (commit edd5392~1), verbatim: HSET + GEOADD + SADD. */
const BEFORE_APPLY = `
local pos, geo, dirty = KEYS[1], KEYS[2], KEYS[3]
local applied, stale = 0, 0
local CHUNK = 1000
for base = 1, #ARGV, 4 * CHUNK do
  local last = math.min(#ARGV, base + 4 * CHUNK - 1)
  local ids = {}
  for i = base, last, 4 do ids[#ids + 1] = ARGV[i] end
  local current = redis.call('HMGET', pos, unpack(ids))
  local hset, geoadd, sadd = {}, {}, {}
  for k = 1, #ids do
    local i = base + (k - 1) * 4
    local id, lon, lat, at = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    local cur = current[k]
    local curAt = cur and tonumber(string.match(cur, '^[^,]*,[^,]*,(.*)$')) -- anchored at the start: linear
    if curAt and tonumber(at) < curAt then
      stale = stale + 1
    else
      hset[#hset + 1] = id
      hset[#hset + 1] = lon .. ',' .. lat .. ',' .. at
      if math.abs(tonumber(lat)) <= 85.05112878 then
        geoadd[#geoadd + 1] = lon
        geoadd[#geoadd + 1] = lat
        geoadd[#geoadd + 1] = id
      end
      sadd[#sadd + 1] = id
      applied = applied + 1
    end
  end
  if #hset > 0 then
    redis.call('HSET', pos, unpack(hset))
    redis.call('SADD', dirty, unpack(sadd))
  end
  if #geoadd > 0 then redis.call('GEOADD', geo, unpack(geoadd)) end
end
return { applied, stale }
`;

/** The ticker's script before this change, verbatim. */
const BEFORE_TICK = `
local lease, seq, dirty, pos, slots = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local holder = redis.call('GET', lease)
if holder and holder ~= ARGV[1] then return false end
redis.call('SET', lease, ARGV[1], 'PX', ARGV[2])
local out = { redis.call('INCR', seq) }
local ids = redis.call('SMEMBERS', dirty)
redis.call('DEL', dirty)
for base = 1, #ids, 1000 do
  local chunk = { unpack(ids, base, math.min(#ids, base + 999)) }
  local p = redis.call('HMGET', pos, unpack(chunk))
  local s = redis.call('HMGET', slots, unpack(chunk))
  for k = 1, #chunk do
    if p[k] and s[k] then
      out[#out + 1] = s[k]
      out[#out + 1] = p[k]
    end
  end
end
return out
`;

const BEFORE_APPLY_BY_SHA = new LuaScript(BEFORE_APPLY);
const BEFORE_TICK_BY_SHA = new LuaScript(BEFORE_TICK);

export interface RedisPerFixRow {
  label: string;
  fixes: number;
  redisCpuMs: number;
  /** Redis CPU time per fix, µs. */
  perFixUs: number;
  /** Entries in the GEO index afterwards (0: not written). */
  geoSize: number;
}

type Variant = {
  label: string;
  apply(redis: Redis, keys: RedisKeys, fixes: Fix[]): Promise<unknown>;
  tick(redis: Redis, keys: RedisKeys): Promise<unknown>;
};

/** The GEO index the old script wrote (the key is gone from protocol/src/keys.ts). */
const geoKey = (k: RedisKeys) => k.positions.replace(/:pos:latest$/, ':pos:geo');
const args = (fixes: Fix[]) => fixes.flatMap((f) => [f.unitId, String(f.lon), String(f.lat), String(f.at)]);
const tickKeys = (k: RedisKeys) => [k.tickerLease, k.tickerSeq, k.positionsDirty, k.positions, k.slots];
const TOKEN = 'bench-ticker';

const VARIANTS: Variant[] = [
  {
    label: 'before: EVAL every call, GEO index',
    apply: (r, k, fixes) =>
      r
        .multi()
        .eval(BEFORE_APPLY, { keys: [k.positions, geoKey(k), k.positionsDirty], arguments: args(fixes) })
        .exec(),
    tick: (r, k) => r.eval(BEFORE_TICK, { keys: tickKeys(k), arguments: [TOKEN, '10000'] }),
  },
  {
    label: 'by SHA, GEO index kept',
    apply: async (r, k, fixes) => {
      const keys = [k.positions, geoKey(k), k.positionsDirty];
      await BEFORE_APPLY_BY_SHA.load(r);
      return BEFORE_APPLY_BY_SHA.queue(r.multi(), keys, args(fixes)).exec();
    },
    tick: (r, k) => BEFORE_TICK_BY_SHA.run(r, tickKeys(k), [TOKEN, '10000']),
  },
  {
    label: 'now: by SHA, no GEO index',
    apply: (r, k, fixes) => applyFixes(r, k, { entryIds: [], fixes, rejections: [], deadletterMaxLen: 1000, now: 0 }),
    // The ticker reads each unit's slot once in its life (slots are never taken back): left out, as after warm-up.
    tick: (r, k) => TICK.run(r, tickKeys(k).slice(0, 4), [TOKEN, '10000']),
  },
];

export async function redisPerFix(
  redis: Redis,
  redisPid: number,
  units: number,
  rounds: number,
): Promise<RedisPerFixRow[]> {
  const rows: RedisPerFixRow[] = [];
  const ids = Array.from({ length: units }, (_, i) => `bench-unit-${i}`);
  const perBatch = Math.ceil(units / 40);
  for (const [v, variant] of VARIANTS.entries()) {
    await redis.flushAll();
    const keys = redisKeys(`bench-rpf-${v}`);
    await redis.hSet(keys.slots, Object.fromEntries(ids.map((id, i) => [id, String(i + 1)])));
    let at = 1_782_871_200_000;
    let fixes = 0;
    const cpu0 = cpuMsOf(redisPid);
    for (let round = 0; round < rounds; round++) {
      for (let b = 0; b < 40; b++) {
        at += 25;
        const batch = ids.slice(b * perBatch, (b + 1) * perBatch).map((unitId, i) => ({
          unitId,
          lon: 117.9 + ((round * 7 + i) % 4000) * 1e-4,
          lat: 24.4 + (i % 1000) * 1e-4,
          at,
        }));
        await variant.apply(redis, keys, batch);
        fixes += batch.length;
        if (b % 4 === 3) await variant.tick(redis, keys);
      }
    }
    const redisCpuMs = cpuMsOf(redisPid) - cpu0;
    rows.push({
      label: variant.label,
      fixes,
      redisCpuMs,
      perFixUs: (redisCpuMs * 1000) / fixes,
      geoSize: await redis.zCard(geoKey(keys)),
    });
  }
  return rows;
}
