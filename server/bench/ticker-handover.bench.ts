/**
 * How long position frames stop when the ticker leader stops cleanly and the standby takes over.
 *
 *   npx tsx server/bench/ticker-handover.bench.ts [handovers=10] [tickMs=100]
 *
 * Two tickers (the production lease, TICKER_LEASE_MS) on a private redis-server; the leader is stopped (it releases
 * its lease) `handovers` times, a fresh standby started each time. The gap is the time between the last frame of the
 * old leader and the first of the new one (frame times are real time here), against the tick interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import client from 'prom-client';
import { RESP_TYPES } from 'redis';
import { decodeFrame, redisKeys } from '@egret/protocol';
import { positionMetrics } from '../src/positions/metrics.ts';
import { startTicker, type Ticker } from '../src/positions/ticker.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { startEmbeddedRedis } from '../src/redis/embedded-redis.ts';

const handovers = Number(process.argv[2] ?? 10);
const tickMs = Number(process.argv[3] ?? 100);
const dataDir = mkdtempSync(join(tmpdir(), 'egret-handover-bench-'));
const server = await startEmbeddedRedis({ dataDir, persist: false, install: false });
const redis = await connectRedis(server.url);
const keys = redisKeys(`bench-handover-${process.pid}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;
const start = (): Ticker =>
  startTicker({
    redis,
    keys,
    hubId: `hub-${n++}`,
    tickMs,
    framesMaxLen: 100_000,
    logger: pino({ level: 'silent' }),
    metrics: positionMetrics(new client.Registry()),
    realNow: Date.now,
    worldNow: Date.now,
  });

try {
  let leader = start();
  while (!leader.isLeader()) await sleep(tickMs);
  let standby = start();
  const gaps: number[] = [];
  for (let i = 0; i < handovers; i++) {
    await sleep(tickMs * 10);
    await leader.stop();
    while (!standby.isLeader()) await sleep(10);
    await sleep(tickMs * 3);
    [leader, standby] = [standby, start()];
  }
  const raw = (await redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).xRange(keys.frames, '-', '+')) ?? [];
  const frames = raw.map((e) => ({ hub: String(e.message.h), at: decodeFrame(e.message.f as Buffer).at }));
  for (let i = 1; i < frames.length; i++)
    if (frames[i]!.hub !== frames[i - 1]!.hub) gaps.push(frames[i]!.at - frames[i - 1]!.at);
  gaps.sort((a, b) => a - b);
  console.log(
    `tick ${tickMs} ms, ${gaps.length} clean hand-overs: frames stopped for median ${gaps[gaps.length >> 1]} ms, max ${gaps.at(-1)} ms (gaps: ${gaps.join(', ')})`,
  );
  await Promise.all([leader.stop(), standby.stop()]);
} finally {
  await redis.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
