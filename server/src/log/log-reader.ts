import type { LogEvent, RedisKeys } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';

/** A log stream entry → its event. The log is written only by the commit script, so it is trusted (no schema). */
export function parseLogEntry(entry: { id: string; message: Record<string, string> }): LogEvent {
  const text = entry.message.e;
  if (text === undefined) throw new Error(`log entry ${entry.id} has no field e`);
  return JSON.parse(text) as LogEvent;
}

/** Log events with seq in [fromSeq, toSeq], at most `count`, read from Redis. */
export async function readLog(
  redis: Redis,
  keys: RedisKeys,
  fromSeq: number,
  toSeq: number | '+',
  count: number,
): Promise<LogEvent[]> {
  const entries = await redis.xRange(keys.log, `${fromSeq}-0`, toSeq === '+' ? '+' : `${toSeq}-0`, { COUNT: count });
  return (entries ?? []).map((e) => parseLogEntry(e as { id: string; message: Record<string, string> }));
}

/**
 * The events (afterSeq, toSeq] from the Redis log, or undefined when part of that range has been trimmed away
 * (the first event held is not afterSeq + 1). Read in pages of `page` events.
 */
export async function readLogRange(
  redis: Redis,
  keys: RedisKeys,
  afterSeq: number,
  toSeq: number,
  page = 2_000,
): Promise<LogEvent[] | undefined> {
  const out: LogEvent[] = [];
  let next = afterSeq + 1;
  while (next <= toSeq) {
    const events = await readLog(redis, keys, next, toSeq, page);
    if (events.length === 0 || events[0]!.seq !== next) return undefined;
    for (const e of events) {
      if (e.seq !== next) return undefined;
      out.push(e);
      next++;
    }
  }
  return out;
}
