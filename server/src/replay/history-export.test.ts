import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyEvent, applyKpiEvent, createKpiAccumulator, emptyWorld, redisKeys, type LogEvent } from '@egret/protocol';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { Archive } from './archive.ts';
import { applyRetention, exportHistory } from './history-export.ts';
import { MINUTE_MS } from './position-segment.ts';
import { RedisHistory } from './redis-history.ts';
import { encodeSnapshotText, takeReplaySnapshot } from './replay-snapshot.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00+08:00');

/** Ten days of a tiny history: a mode change every 6 hours, a snapshot every day, one position segment an hour. */
async function tenDays(redis: Redis, ns: string): Promise<{ history: RedisHistory; events: LogEvent[] }> {
  const keys = redisKeys(ns);
  const history = new RedisHistory(redis, keys);
  const world = emptyWorld();
  const kpi = createKpiAccumulator();
  const events: LogEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const e: LogEvent = {
      seq: i + 1,
      at: T0 + i * 6 * 3_600_000,
      type: 'mode.changed',
      mode: i % 2 ? 'typhoon' : 'peacetime',
      actor: { role: 'system', id: 't' },
    };
    events.push(e);
    await redis.xAdd(keys.log, `${e.seq}-0`, { e: JSON.stringify(e) });
    applyEvent(world, e);
    applyKpiEvent(kpi, e);
    if (e.seq % 4 === 0)
      await history.writeSnapshot({ seq: e.seq, at: world.at }, encodeSnapshotText(takeReplaySnapshot(world, kpi)));
  }
  for (let h = 0; h < 240; h++) {
    const minute = (T0 + h * 3_600_000) / MINUTE_MS;
    const key = {
      at: minute * MINUTE_MS,
      slots: Uint32Array.of(1),
      lonE6: Int32Array.of(118_000_000 + h),
      latE6: Int32Array.of(24_000_000),
    };
    await history.writeSegment({ minute, stepMs: 10_000, key, steps: [] });
    await redis.hSet(keys.replayReports, String(minute), '1');
  }
  // The hubs' own snapshot (mirror): the log after it must survive any trim.
  await redis.xAdd(keys.snapshots, '36-0', { s: '{}' });
  return { history, events };
}

describe(exportHistory.name, () => {
  let redis: Redis;
  const dir = mkdtempSync(join(tmpdir(), 'egret-archive-'));
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the days before the cut into one file per snapshot interval and keeps Redis from the last of them on', async () => {
    const ns = testNamespace('export');
    const { history, events } = await tenDays(redis, ns);
    const archive = new Archive(dir, ns);
    const { chunks, trimmedTo } = await exportHistory({ history, archive, before: T0 + 4 * DAY + 1 });
    // Snapshots at seq 4, 8, 12, 16 (days 0.75 … 3.75) lie before the cut: chunks (0,4], (4,8], (8,12], (12,16].
    expect(chunks.map((c) => [c.fromSeq, c.toSeq])).toEqual([
      [0, 4],
      [4, 8],
      [8, 12],
      [12, 16],
    ]);
    expect(trimmedTo?.seq).toBe(16);
    expect(readdirSync(join(dir, ns)).filter((f) => f.endsWith('.jsonl.br'))).toHaveLength(4);
    expect(await history.firstLogSeq()).toBe(17);
    expect((await history.oldestSnapshot())?.seq).toBe(16);
    expect(await history.oldestSegmentMinute()).toBe(Math.floor(events[15]!.at / MINUTE_MS));
    // Every exported event and every position minute is in exactly one file.
    const all = (await Promise.all(chunks.map((c) => archive.readEvents(c.fromSeq + 1, 100)))).flat();
    expect(all.map((e) => e.seq)).toEqual(events.slice(0, 16).map((e) => e.seq));
    expect((await archive.segments(0, Number.MAX_SAFE_INTEGER)).length).toBe(90); // hourly, hours 0–89

    // Exporting again goes on from where the archive ends.
    const more = await exportHistory({ history, archive, before: T0 + 6 * DAY + 1 });
    expect(more.chunks.map((c) => [c.fromSeq, c.toSeq])).toEqual([
      [16, 20],
      [20, 24],
    ]);
  });

  it('deletes history past retention from the files and from Redis, and never the log the hubs start from', async () => {
    const ns = testNamespace('retention');
    const { history } = await tenDays(redis, ns);
    const archive = new Archive(dir, ns);
    await exportHistory({ history, archive, before: T0 + 3 * DAY });
    expect((await archive.manifest()).chunks).toHaveLength(3);
    // Three days of retention at day 9.75: everything before day 6.75 goes.
    await applyRetention({ history, archive, worldAt: T0 + 9.75 * DAY, retentionDays: 3 });
    expect((await archive.manifest()).chunks).toHaveLength(0);
    expect(readdirSync(join(dir, ns)).filter((f) => f.endsWith('.jsonl.br'))).toHaveLength(0);
    expect((await history.oldestSnapshot())?.seq).toBe(28); // the newest snapshot at or before day 6.75
    expect(await history.firstLogSeq()).toBe(29);
    // Two days of retention at day 12: Redis history starts at the snapshot of seq 40, but the hubs' newest snapshot
    // is at seq 36, so the log after it stays whatever retention says.
    await applyRetention({ history, archive, worldAt: T0 + 12 * DAY, retentionDays: 2 });
    expect((await history.oldestSnapshot())?.seq).toBe(40);
    expect(await history.firstLogSeq()).toBe(37);
  });
});
