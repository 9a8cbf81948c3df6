/**
 * What one applier costs: control-plane inputs applied per second with 1 and with 2 hub processes.
 *
 *   npx tsx server/bench/ingest.bench.ts [entries=5000] [runs=2]
 *
 * Starts a private redis-server and real hub processes (server/src/main.ts), writes `entries` case reports to the
 * control-plane stream in one MULTI once every hub is up, and times until the log holds them all. With the
 * leased applier the second hub stands by, so the figure should not move with the number of hubs; before it,
 * two hubs shared the work (and broke per-entity order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeys } from '@egret/protocol';
import { connectRedis } from '../src/redis/connect.ts';
import { startEmbeddedRedis } from '../src/redis/embedded-redis.ts';
import { startHubProcess, type HubProcess } from '../test/hub-process.ts';

const entries = Number(process.argv[2] ?? 5_000);
const runs = Number(process.argv[3] ?? 2);
const dataDir = mkdtempSync(join(tmpdir(), 'egret-ingest-bench-'));
const server = await startEmbeddedRedis({ dataDir, persist: false, install: false });
const redis = await connectRedis(server.url);

async function run(hubCount: number, round: number): Promise<number> {
  const ns = `bench-ingest-${hubCount}-${round}-${process.pid}`;
  const keys = redisKeys(ns);
  const hubs: HubProcess[] = [];
  try {
    for (let i = 0; i < hubCount; i++)
      hubs.push(await startHubProcess({ REDIS_URL: server.url, EGRET_NS: ns, HUB_ID: `bench-${i}` }));
    const at = Date.now() - 60_000;
    const multi = redis.multi();
    for (let i = 0; i < entries; i++) {
      multi.xAdd(keys.inEvents, '*', {
        data: JSON.stringify({
          kind: 'case.report',
          caseId: `B-${i}`,
          category: { code: '04002', standard: 'GB/T 47678.5-2026' },
          source: 'hotline',
          urgency: 'normal',
          lon: 118.09,
          lat: 24.46,
          address: '思明南路',
          at,
        }),
      });
    }
    const t0 = performance.now();
    await multi.exec();
    while (Number((await redis.get(keys.logSeq)) ?? 0) < entries) await new Promise((r) => setTimeout(r, 20));
    return entries / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(hubs.map((h) => h.stop()));
  }
}

try {
  for (let round = 0; round < runs; round++) {
    for (const n of [1, 2])
      console.log(`${n} hub${n > 1 ? 's' : ''}: ${Math.round(await run(n, round))} inputs/s (${entries} case reports)`);
  }
} finally {
  await redis.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
