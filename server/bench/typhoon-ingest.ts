/**
 * Does a hub keep up with Typhoon Meranti played fast? (issue #19: "the typhoon at 600× applied with no backlog")
 *
 *   npx tsx server/bench/typhoon-ingest.ts [rate=600] [seconds=180] [start=2016-09-14T12:00:00+08:00]
 *
 * A private redis-server, one hub process and the simulator's `typhoon-meranti` at `rate` from `start` (by default
 * twelve world-hours before landfall, so the run crosses the storm's peak), each in its own process as deployed.
 * Every 5 s: the control plane's backlog as the hub's /metrics reports it (`egret_ingest_backlog_entries`), the log
 * seq, the inputs written and whether any were trimmed unread. Ends with the largest backlog seen.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redisKeys } from '@egret/protocol';
import { connectRedis } from '../src/redis/connect.ts';
import { startEmbeddedRedis } from '../src/redis/embedded-redis.ts';
import { startHubProcess } from '../test/hub-process.ts';

const rate = process.argv[2] ?? '600';
const seconds = Number(process.argv[3] ?? 180);
const start = process.argv[4] ?? '2016-09-14T12:00:00+08:00';
const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'egret-typhoon-ingest-'));
const server = await startEmbeddedRedis({ dataDir, persist: false, install: false });
const redis = await connectRedis(server.url);
const ns = `typhoon-ingest-${process.pid}`;
const keys = redisKeys(ns);
const hub = await startHubProcess({ REDIS_URL: server.url, EGRET_NS: ns, HUB_ID: 'typhoon-0' });
const sim = spawn(process.execPath, ['--import', 'tsx', 'simulator/src/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    REDIS_URL: server.url,
    EGRET_NS: ns,
    HUB_URL: hub.url,
    SIM_SCENARIO: 'typhoon-meranti',
    SIM_RATE: rate,
    SIM_START: start,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

async function backlog(): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('egret_ingest_backlog_entries') && l.includes('in:events'));
  return Number(line?.split(' ').pop() ?? NaN);
}

/** Fields of an XINFO reply (a flat list of names and values). */
function fields(reply: unknown): Record<string, unknown> {
  const list = reply as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  return out;
}

/** Whether unread input was trimmed: more entries added than the hub's group has read, than the stream still holds. */
async function trimmedUnread(): Promise<boolean> {
  const stream = fields(await redis.sendCommand(['XINFO', 'STREAM', keys.inEvents]).catch(() => []));
  const [group] = ((await redis.sendCommand(['XINFO', 'GROUPS', keys.inEvents]).catch(() => [])) as unknown[]).map(
    fields,
  );
  const added = Number(stream['entries-added']);
  const read = Number(group?.['entries-read']);
  return Number.isFinite(added) && Number.isFinite(read) && added - read > Number(stream.length);
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()[0]!.toFixed(1)}; typhoon at ${rate}× from ${start}`,
);
let worst = 0;
let lost = false;
const t0 = Date.now();
try {
  while (Date.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 5_000));
    const [b, seq, len] = [
      await backlog(),
      Number((await redis.get(keys.logSeq)) ?? 0),
      await redis.xLen(keys.inEvents),
    ];
    lost ||= await trimmedUnread();
    worst = Math.max(worst, b);
    console.log(
      `${Math.round((Date.now() - t0) / 1000)} s: backlog ${b}, log seq ${seq}, in:events ${len}` +
        `, load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
  console.log(`largest backlog ${worst} entries; input trimmed unread: ${lost ? 'yes' : 'no'}`);
} finally {
  sim.kill('SIGTERM');
  await hub.stop();
  await redis.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
