-- The batch commit: commit.lua for a whole batch of control-plane input entries in one atomic step.
--
-- The applier decides a batch in TypeScript (ingest/decide-batch.ts: every entry in stream order, each seeing the
-- ones before it), then this script writes the batch's merged entity changes, appends every applied entry's log
-- events with gapless seqs, keeps the refused entries' dead letters, remembers the applied entries and acknowledges
-- every entry of the batch — all or nothing, so a hub dying at any instant leaves the batch either fully committed
-- and acknowledged or untouched and pending (then claimed and decided again). Same rules as commit.lua: every check
-- first, the one write that can fail (the first XADD with an explicit id) before every other write.
--
-- The fence: as commit.lua — a stale applier's batch is refused whole ('fenced'), nothing written, nothing acked.
-- An entry this batch would apply that the applied set already holds means the batch was decided on stale
-- knowledge (another applier came and went): 'conflict', and the caller loads and decides again.
--
-- KEYS: 1 applied (zset), 2 log:seq, 3 log (stream), 4 input stream, 5 cases, 6 units, 7 tasks, 8 clock,
--       9 storms, 10 sensors, 11 fence (the applier lease key), 12 slots, 13 cameras, 14 plans, 15 inspections,
--       16 prepositions, 17 dead-letter stream, 18 dead-letter counts (hash),
--       19 idempotency (hash)
-- ARGV: 1 consumer group, 2 log MAXLEN (~), 3 now (ms, the applied-set score), 4 retention (ms), 5 clock JSON or '',
--       6 fence token ('' none), 7 events E, 8 writes W, 9 applied ids A, 10 other ids to acknowledge K,
--       11 dead letters D, 12 dead-letter MAXLEN (~),
--       then E event JSONs without `seq`, then per write: kind, id, expected version (-1: must not exist), JSON,
--       then A entry ids applied, then K entry ids acknowledged only (noop, refused, applied before),
--       then per dead letter: reason and its 6 field/value pairs (12 strings)
-- Returns: {'ok', firstSeq, lastSeq} (firstSeq > lastSeq: no events) | {'conflict', kind, id} | {'fenced'}

if ARGV[6] ~= '' and redis.call('GET', KEYS[11]) ~= ARGV[6] then return {'fenced'} end

local group = ARGV[1]
local nEvents, nWrites, nApplied, nAck, nDead =
  tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
local firstEvent = 13
local firstWrite = firstEvent + nEvents
local firstApplied = firstWrite + nWrites * 4
local firstAck = firstApplied + nApplied
local firstDead = firstAck + nAck
local hashes = {
  case = KEYS[5], unit = KEYS[6], task = KEYS[7], storm = KEYS[9], sensor = KEYS[10], camera = KEYS[13],
  plan = KEYS[14], inspection = KEYS[15], preposition = KEYS[16],
}

for i = 0, nApplied - 1 do
  local id = ARGV[firstApplied + i]
  if redis.call('ZSCORE', KEYS[1], id) then return {'conflict', 'entry', id} end
end
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

local first = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
local seqText = ''
for i = 0, nEvents - 1 do
  seqText = string.format('%d', first + i)
  local event = '{"seq":' .. seqText .. ',' .. string.sub(ARGV[firstEvent + i], 2)
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], seqText .. '-0', 'e', event)
end
local last = first + nEvents - 1
if nEvents > 0 then redis.call('SET', KEYS[2], seqText) end

for i = 0, nWrites - 1 do
  local base = firstWrite + i * 4
  redis.call('HSET', hashes[ARGV[base]], ARGV[base + 1], ARGV[base + 3])
  -- As commit.lua: a new unit's frame slot is kept only now that its registration is committed.
  if ARGV[base] == 'unit' and tonumber(ARGV[base + 2]) < 0 then
    redis.call('HSETNX', KEYS[12], ARGV[base + 1], cjson.decode(ARGV[base + 3]).slot)
  end
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[8], ARGV[5]) end

for i = 0, nDead - 1 do
  local base = firstDead + i * 13
  redis.call('XADD', KEYS[17], 'MAXLEN', '~', ARGV[12], '*', unpack(ARGV, base + 1, base + 12))
  redis.call('HINCRBY', KEYS[18], ARGV[base], 1)
end

-- What was applied is remembered for `retention`, as commit.lua does (idempotency keys as 'idem:<field>', their
-- results leaving the idempotency hash with them); a bounded number is forgotten per commit.
local now = tonumber(ARGV[3])
local chunk = 500
for from = 0, nApplied - 1, chunk do
  local args = {}
  for i = from, math.min(from + chunk, nApplied) - 1 do
    args[#args + 1] = now
    args[#args + 1] = ARGV[firstApplied + i]
  end
  redis.call('ZADD', KEYS[1], unpack(args))
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[4])), 'LIMIT', 0, 500)
if #expired > 0 then
  for _, member in ipairs(expired) do
    if string.sub(member, 1, 5) == 'idem:' then redis.call('HDEL', KEYS[19], string.sub(member, 6)) end
  end
  redis.call('ZREM', KEYS[1], unpack(expired))
end

-- Every entry of the batch is acknowledged in the same step as its effects.
local total = nApplied + nAck
for from = 0, total - 1, chunk do
  redis.call('XACK', KEYS[4], group, unpack(ARGV, firstApplied + from, firstApplied + math.min(from + chunk, total) - 1))
end
return {'ok', first, last}
