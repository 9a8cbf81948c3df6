import { LuaScript } from '../redis/script.ts';
import type { ChunkLine } from './archive.ts';
import { packText } from './compress.ts';
import { encodeSnapshotText } from './replay-snapshot.ts';
import type { RedisHistory } from './redis-history.ts';

/** Max(current, value) on a string key, atomically. */
const RAISE = new LuaScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end
return 0
`);
const RAISE_FIELD = new LuaScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0
`);

/**
 * Loads exported chunks back into Redis (the same keys a hub writes), oldest first: the log events, the snapshots,
 * the position segments, the report counts and the periods. Meant for a namespace that does not hold this history
 * yet — replaying an archive on another machine, or restoring one. Stream ids only go up, so anything the target
 * already holds at or past a chunk's ids is skipped; the log sequence and the writer's cursor are raised past the
 * import so a hub on that namespace carries on after it.
 */
export async function importChunk(
  history: RedisHistory,
  lines: ChunkLine[],
): Promise<{ events: number; snapshots: number; segments: number }> {
  const { redis, keys } = history;
  const head = lines[0];
  if (head?.kind !== 'chunk') throw new Error('not a chunk: the first line is not its header');
  const topId = async (key: string) => {
    const [top] = (await redis.xRevRange(key, '+', '-', { COUNT: 1 })) ?? [];
    return top ? Number(top.id.slice(0, top.id.indexOf('-'))) : -1;
  };
  const logTop = await topId(keys.log);
  const snapTop = await topId(keys.replaySnapshots);
  const posTop = await topId(keys.posHistory);
  const periodTop = await topId(keys.replayPeriods);
  const coldTop = await topId(keys.replayCold);
  for (const line of lines) {
    if (line.kind === 'cold' && line.seq > coldTop)
      await redis.xAdd(keys.replayCold, `${line.seq}-0`, { z: await packText(line.text) });
  }
  let events = 0;
  let snapshots = 0;
  let segments = 0;
  let batch = redis.multi();
  let pending = 0;
  const flush = async () => {
    if (pending) await batch.exec();
    batch = redis.multi();
    pending = 0;
  };
  for (const line of lines) {
    if (line.kind === 'event' && line.e.seq > logTop) {
      batch.xAdd(keys.log, `${line.e.seq}-0`, { e: JSON.stringify(line.e) });
      events++;
      if (++pending >= 1_000) await flush();
    } else if (line.kind === 'positions' && line.minute > posTop) {
      batch.xAdd(keys.posHistory, `${line.minute}-0`, { d: Buffer.from(line.d, 'base64') });
      segments++;
      if (++pending >= 1_000) await flush();
    }
  }
  await flush();
  for (const line of lines) {
    if (
      line.kind === 'snapshot' &&
      line.seq > snapTop &&
      (await history.writeSnapshot({ seq: line.seq, at: line.at }, encodeSnapshotText(line.snapshot)))
    )
      snapshots++;
  }
  for (const p of head.periods) {
    if (p.seq > periodTop)
      await redis.xAdd(keys.replayPeriods, `${p.seq}-0`, { at: String(p.at), scenario: p.scenario });
  }
  for (const [minute, n] of head.reports) await redis.hSet(keys.replayReports, String(minute), String(n));
  await RAISE.run(redis, [keys.logSeq], [String(head.toSeq)]);
  await RAISE_FIELD.run(redis, [keys.replayCursor], ['countedSeq', String(head.toSeq)]);
  return { events, snapshots, segments };
}
