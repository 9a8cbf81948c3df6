-- The commit: the one atomic step that turns a validated input entry into state and history.
--
-- Why a script: a hub can die at any instant, and several hubs work the same input stream. Applying the change,
-- appending its log event and acknowledging the input entry must happen all together or not at all, or a claimed
-- entry would be applied twice (or lost). The domain decision is made in TypeScript beforehand; this script only
-- does compare-and-set on entity versions and the bookkeeping that must be atomic with it.
--
-- Redis does not roll a script back when a command fails half-way, so every check comes first and the one write
-- that can fail (XADD with an explicit id) comes before every other write.
--
-- KEYS: 1 applied (zset), 2 log:seq, 3 log (stream), 4 input stream, 5 cases, 6 units, 7 tasks, 8 clock
-- ARGV: 1 input entry id, 2 consumer group, 3 event JSON without `seq` (starts with '{'), 4 log MAXLEN (~),
--       5 now (ms, the applied-set score), 6 applied retention (ms), 7 clock JSON or '', 8 number of writes,
--       then per write: kind ('case' | 'unit' | 'task'), id, expected version (-1: must not exist), entity JSON
-- Returns: {'ok', seq} | {'applied'} (entry already applied: only acknowledged) | {'conflict', kind, id}

local entryId = ARGV[1]

if redis.call('ZSCORE', KEYS[1], entryId) then
  redis.call('XACK', KEYS[4], ARGV[2], entryId)
  return {'applied'}
end

local hashes = { case = KEYS[5], unit = KEYS[6], task = KEYS[7] }
local n = tonumber(ARGV[8])
for i = 0, n - 1 do
  local base = 9 + i * 4
  local kind, id, expected = ARGV[base], ARGV[base + 1], tonumber(ARGV[base + 2])
  local current = redis.call('HGET', hashes[kind], id)
  if expected < 0 then
    if current then return {'conflict', kind, id} end
  else
    if not current or cjson.decode(current).version ~= expected then return {'conflict', kind, id} end
  end
end

local seq = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
local seqText = string.format('%d', seq)
local event = '{"seq":' .. seqText .. ',' .. string.sub(ARGV[3], 2)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], seqText .. '-0', 'e', event)
redis.call('SET', KEYS[2], seqText)

for i = 0, n - 1 do
  local base = 9 + i * 4
  redis.call('HSET', hashes[ARGV[base]], ARGV[base + 1], ARGV[base + 3])
end
if ARGV[7] ~= '' then redis.call('SET', KEYS[8], ARGV[7]) end

local now = tonumber(ARGV[5])
redis.call('ZADD', KEYS[1], now, entryId)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[6])))
redis.call('XACK', KEYS[4], ARGV[2], entryId)
return {'ok', seq}
