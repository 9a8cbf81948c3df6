import pino from 'pino';
import type { LogEvent, RedisKeys } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { startHistoryWriter, type HistoryWriter } from '../src/replay/history-writer.ts';

/**
 * Writes `events` to the log as the hub numbers them and has the real history writer fold them (snapshots every
 * `snapshotEveryEvents` events or `snapshotEveryMinutes` world minutes), returned once it has caught up with the
 * last: the replay tests' history, built the way a hub builds it.
 */
export async function loggedHistory(
  redis: Redis,
  keys: RedisKeys,
  events: readonly LogEvent[],
  o: { hubId: string; snapshotEveryEvents: number; snapshotEveryMinutes: number },
): Promise<HistoryWriter> {
  const m = redis.multi();
  for (const e of events) m.xAdd(keys.log, `${e.seq}-0`, { e: JSON.stringify(e) });
  await m.exec();
  const writer = startHistoryWriter({
    redis,
    keys,
    hubId: o.hubId,
    logger: pino({ level: 'silent' }),
    blockMs: 100,
    settings: {
      snapshotEveryEvents: o.snapshotEveryEvents,
      snapshotEveryMinutes: o.snapshotEveryMinutes,
      positionStepMs: 10_000,
      retentionDays: 30,
      exportAfterDays: 0,
      archiveDir: 'unused',
    },
  });
  await writer.caughtUp(events.at(-1)!.seq, 60_000);
  return writer;
}
