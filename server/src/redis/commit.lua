-- The commit: the one atomic step that turns a decided change — from an input entry or from a command — into
-- state and history.
--
-- Why a script: a hub can die at any instant, and several hubs work the same input stream and take commands at
-- the same time. Applying the change, appending its log events and recording what was applied (the input entry
-- id, acknowledged; or the command's idempotency key with its result) must happen all together or not at all, or
-- a claimed entry or a retried command would be applied twice (or lost). The domain decision is made in
-- TypeScript beforehand; this script only does compare-and-set on entity versions and the bookkeeping that must be
-- atomic with it.
--
-- Redis does not roll a script back when a command fails half-way, so every check comes first and the one write
-- that can fail (the first XADD with an explicit id) comes before every other write; later XADDs have higher ids.
--
-- The fence: the control-plane input has one applier at a time, the holder of a lease (server/src/ingest). An
-- applier that stalled while its lease expired and passed to another hub must never apply an entry after its
-- successor applied a later one, so the lease token it believes it holds is checked here, in the same atomic step
-- as the write: a stale token writes nothing (not even the acknowledgement) and answers 'fenced'.
--
-- KEYS: 1 applied (zset), 2 log:seq, 3 log (stream), 4 input stream, 5 cases, 6 units, 7 tasks, 8 clock,
--       9 idempotency (hash), 10 mode, 11 storms (hash), 12 sensors (hash), 13 fence (the applier lease key),
--       14 slots (hash: unit id → frame slot), 15 cameras (hash), 16 plans, 17 inspections, 18 prepositions (hashes,
--       issue #17)
-- ARGV: 1 input entry id ('' for a command), 2 consumer group, 3 idempotency field ('' for none),
--       4 result JSON to keep under it (starts with '{'; the script adds `seq`: the last event's), 5 log MAXLEN (~),
--       6 now (ms, the applied-set score), 7 retention (ms), 8 clock JSON or '', 9 mode expected or '',
--       10 mode to set or '', 11 number of events E, 12 number of writes W, 13 fence token ('' for none),
--       then E event JSONs without `seq` (each starts with '{'),
--       then per write: kind ('case' | 'unit' | 'task' | 'storm' | 'sensor' | 'camera' | 'plan' | 'inspection' |
--       'preposition'), id, expected version (-1: must not exist), entity JSON
-- Returns: {'ok', firstSeq, lastSeq} | {'applied'} (entry already applied: only acknowledged)
--        | {'replayed', resultJson} (idempotency key already used: nothing written) | {'conflict', kind, id}
--        | {'fenced'} (the fence token is not the lease's: nothing written)

local entryId, group, idemField = ARGV[1], ARGV[2], ARGV[3]

if ARGV[13] ~= '' and redis.call('GET', KEYS[13]) ~= ARGV[13] then return {'fenced'} end

if entryId ~= '' and redis.call('ZSCORE', KEYS[1], entryId) then
  redis.call('XACK', KEYS[4], group, entryId)
  return {'applied'}
end
if idemField ~= '' then
  local kept = redis.call('HGET', KEYS[9], idemField)
  if kept then return {'replayed', kept} end
end

local nEvents, nWrites = tonumber(ARGV[11]), tonumber(ARGV[12])
local firstWrite = 14 + nEvents
local hashes = {
  case = KEYS[5], unit = KEYS[6], task = KEYS[7], storm = KEYS[11], sensor = KEYS[12], camera = KEYS[15],
  plan = KEYS[16], inspection = KEYS[17], preposition = KEYS[18],
}
for i = 0, nWrites - 1 do
  local base = firstWrite + i * 4
  local kind, id, expected = ARGV[base], ARGV[base + 1], tonumber(ARGV[base + 2])
  local current = redis.call('HGET', hashes[kind], id)
  if expected < 0 then
    if current then return {'conflict', kind, id} end
  else
    if not current or cjson.decode(current).version ~= expected then return {'conflict', kind, id} end
  end
end
if ARGV[9] ~= '' and (redis.call('GET', KEYS[10]) or 'peacetime') ~= ARGV[9] then
  return {'conflict', 'mode', 'mode'}
end

local first = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
local seqText = ''
for i = 0, nEvents - 1 do
  seqText = string.format('%d', first + i)
  local event = '{"seq":' .. seqText .. ',' .. string.sub(ARGV[14 + i], 2)
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], seqText .. '-0', 'e', event)
end
local last = first + nEvents - 1
if nEvents > 0 then redis.call('SET', KEYS[2], seqText) end

for i = 0, nWrites - 1 do
  local base = firstWrite + i * 4
  redis.call('HSET', hashes[ARGV[base]], ARGV[base + 1], ARGV[base + 3])
  -- A new unit's frame slot is kept only now that its registration is committed: the positions ingest accepts the
  -- fixes of units that have a slot, so a slot taken for a registration that was then refused would let them in.
  if ARGV[base] == 'unit' and tonumber(ARGV[base + 2]) < 0 then
    redis.call('HSETNX', KEYS[14], ARGV[base + 1], cjson.decode(ARGV[base + 3]).slot)
  end
end
if ARGV[8] ~= '' then redis.call('SET', KEYS[8], ARGV[8]) end
if ARGV[10] ~= '' then redis.call('SET', KEYS[10], ARGV[10]) end

-- What was applied is remembered for `retention`: input entry ids as themselves, idempotency keys as 'idem:<field>'
-- (their results live in the idempotency hash and leave it with them). A bounded number is forgotten per commit.
local now = tonumber(ARGV[6])
if entryId ~= '' then redis.call('ZADD', KEYS[1], now, entryId) end
if idemField ~= '' then
  redis.call('HSET', KEYS[9], idemField, '{"seq":' .. string.format('%d', last) .. ',' .. string.sub(ARGV[4], 2))
  redis.call('ZADD', KEYS[1], now, 'idem:' .. idemField)
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[7])), 'LIMIT', 0, 500)
if #expired > 0 then
  for _, member in ipairs(expired) do
    if string.sub(member, 1, 5) == 'idem:' then redis.call('HDEL', KEYS[9], string.sub(member, 6)) end
  end
  redis.call('ZREM', KEYS[1], unpack(expired))
end
if entryId ~= '' then redis.call('XACK', KEYS[4], group, entryId) end
return {'ok', first, last}
