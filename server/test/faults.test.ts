import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { redisKeys, type LogEvent, type WorldState } from '@egret/protocol';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { findRedisServer, freePort } from '../src/redis/embedded-redis.ts';
import { asData, caseReport, Screen, testRedis, waitFor } from './hub-fixture.ts';
import { startHubProcess, type HubProcess } from './hub-process.ts';
import { testNamespace } from '../../test/namespace.ts';

/**
 * Faults survived, with real processes: hubs killed with SIGKILL and a redis-server restarted in the middle of a
 * burst. What must hold: every input entry applied exactly once (no loss, no duplicate in the log), nothing left
 * pending, and every connected screen ending with the state the log adds up to.
 */

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')}`);

/** The log as events. */
async function readLog(redis: Redis, key: string): Promise<LogEvent[]> {
  const out: LogEvent[] = [];
  let start = '-';
  for (;;) {
    const page = (await redis.xRange(key, start, '+', { COUNT: 5_000 })) ?? [];
    for (const e of page) out.push(JSON.parse(e.message.e!) as LogEvent);
    if (page.length < 5_000) return out;
    start = `(${page.at(-1)!.id}`;
  }
}

/** Every case of the log reported once, with no gap in the seqs and nothing else but these cases. */
function expectExactlyOnce(log: readonly LogEvent[], expected: readonly string[]): void {
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  const reported = log.filter((e) => e.type === 'case.reported').map((e) => e.case.id);
  expect(reported.length).toBe(expected.length);
  expect(new Set(reported).size).toBe(expected.length);
  expect([...reported].sort()).toEqual([...expected].sort());
}

const caseIdsOf = (w: WorldState | undefined) => [...(w?.cases.keys() ?? [])].sort();

async function pending(redis: Redis, stream: string, group: string): Promise<number> {
  return (await redis.xPending(stream, group)).pending;
}

describe('a hub killed mid-burst', () => {
  const hubs: HubProcess[] = [];
  const screens: Screen[] = [];
  let redis: Redis | undefined;
  afterAll(async () => {
    for (const s of screens) s.close();
    for (const h of hubs) await h.kill();
    await redis?.close();
  });

  it('loses and repeats nothing of 10,000 entries: the living hub and the restarted one finish the burst, screens agree', async () => {
    const t = await testRedis('fault-kill');
    redis = t.redis;
    const { ns, keys } = t;
    const env = { REDIS_URL: inject('redisUrl'), EGRET_NS: ns };
    const [a, b] = await Promise.all([
      startHubProcess({ ...env, HUB_ID: 'fault-a' }),
      startHubProcess({ ...env, HUB_ID: 'fault-b' }),
    ]);
    hubs.push(a, b);
    const onA = new Screen(a.url);
    const onB = new Screen(b.url);
    screens.push(onA, onB);
    await waitFor('both screens’ snapshots', () => onA.snapshots.length === 1 && onB.snapshots.length === 1);

    // The whole burst in the stream at once: a batched applier outruns a producer writing 500 at a time, and the
    // kill below must find it with a backlog, mid-burst, not idle and caught up.
    const burst = ids(10_000, 'KILL');
    const m = redis.multi();
    for (const id of burst) m.xAdd(keys.inEvents, '*', asData(caseReport(id)));
    await m.exec();
    await waitFor('the burst under way', async () => Number(await redis!.get(keys.logSeq)) >= 1_500, 60_000);
    // One hub applies the control plane at a time (the applier lease): kill that one, mid-burst.
    const applier = async (url: string) =>
      /^egret_ingest_applier\{stream="[^"]*in:events"\} 1$/m.test(await (await fetch(`${url}/metrics`)).text());
    const aApplies = await applier(a.url);
    const [dying, onDying, onLiving, dyingId] = aApplies ? [a, onA, onB, 'fault-a'] : [b, onB, onA, 'fault-b'];
    // Killed with entries in hand (read, not acknowledged): frozen first (SIGSTOP), and killed only once Redis shows it
    // holding some — a batched applier holds a batch most of the time, but not between one commit and the next read.
    const inHand = async () =>
      Number(
        (await redis!.xPending(keys.inEvents, keys.ingestGroup)).consumers?.find((c) => c.name === dyingId)
          ?.deliveriesCounter ?? 0,
      );
    for (;;) {
      process.kill(dying.pid, 'SIGSTOP');
      if ((await inHand()) > 0) break;
      process.kill(dying.pid, 'SIGCONT');
      if (Number(await redis.get(keys.logSeq)) >= 10_000) throw new Error('the applier finished the burst unkilled');
      await new Promise((r) => setTimeout(r, 5));
    }
    await dying.kill();
    // The next applier claims what the killed hub held, whatever its idle time, once the killed hub's lease expired.
    expect(await inHand()).toBeGreaterThan(0);
    const restarted = await startHubProcess({ ...env, HUB_ID: 'fault-a-restarted' });
    hubs.push(restarted);

    await waitFor('every entry in the log', async () => Number(await redis!.get(keys.logSeq)) >= 10_000, 150_000);
    await waitFor(
      'nothing left pending',
      async () => (await pending(redis!, keys.inEvents, keys.ingestGroup)) === 0,
      60_000,
    );
    const log = await readLog(redis, keys.log);
    expectExactlyOnce(log, burst);
    expect(await redis.xLen(keys.deadletter)).toBe(0);

    // The screen on the living hub saw all of it; the one on the killed hub saw a prefix, in the same order.
    await waitFor('the living hub’s screen at the end of the log', () => onLiving.lastSeq === log.length, 30_000);
    expect(caseIdsOf(onLiving.world())).toEqual([...burst].sort());
    const seenByDying = onDying.events.map((e) => `${e.seq}:${e.type === 'case.reported' ? e.case.id : e.type}`);
    const seenByLiving = onLiving.events.map((e) => `${e.seq}:${e.type === 'case.reported' ? e.case.id : e.type}`);
    expect(seenByDying.length).toBeGreaterThan(0);
    expect(seenByLiving.slice(0, seenByDying.length)).toEqual(seenByDying);

    // 40 screens come back at once to the restarted hub, each from where it left off: each gets exactly the rest.
    const back = Array.from({ length: 40 }, (_, i) => new Screen(restarted.url, { lastSeq: 9_000 + i * 10 }));
    screens.push(...back);
    await waitFor('40 screens caught up', () => back.every((s) => s.lastSeq === log.length), 60_000);
    back.forEach((s, i) => {
      expect(s.snapshots).toHaveLength(0);
      expect(s.events.map((e) => e.seq)).toEqual(
        Array.from({ length: log.length - (9_000 + i * 10) }, (_, k) => 9_001 + i * 10 + k),
      );
    });
  }, 300_000);
});

/** A redis-server of the test's own, with AOF, on a fixed port so that it can be restarted where clients look for it. */
class OwnRedis {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'egret-fault-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const bin = findRedisServer();
    if (!bin) throw new Error('redis-server is needed for this test (npm test installs it)');
    this.child = spawn(
      bin,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--logfile',
        '',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const c = await connectRedis(this.url);
        await c.ping();
        await c.close();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  /** SIGTERM: redis-server writes the AOF out and exits, as on a restart for an upgrade. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((done) => c.once('exit', done));
    c.kill('SIGTERM');
    await exited;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('Redis restarted mid-burst', () => {
  let own: OwnRedis | undefined;
  let hub: HubProcess | undefined;
  let screen: Screen | undefined;
  afterAll(async () => {
    screen?.close();
    await hub?.kill();
    await own?.stop();
    own?.remove();
  });

  it('loses and repeats nothing of 4,000 entries sent by a producer that retries, and the screen ends with the log', async () => {
    own = new OwnRedis(await freePort());
    await own.start();
    const ns = testNamespace('fault-redis');
    const keys = redisKeys(ns);
    hub = await startHubProcess({ REDIS_URL: own.url, EGRET_NS: ns, HUB_ID: 'fault-redis' });
    screen = new Screen(hub.url);
    await waitFor('the snapshot', () => screen!.snapshots.length === 1);

    const producer = await connectRedis(own.url);
    const burst = ids(4_000, 'RST');
    let retries = 0;
    const send = async (id: string) => {
      // A producer that retries with backoff: a retried XADD may have been written already, and the hub refuses
      // the second report of a case as a duplicate, so the case is applied once either way.
      for (let attempt = 0; ; attempt++) {
        try {
          await producer.xAdd(keys.inEvents, '*', asData(caseReport(id)));
          return;
        } catch {
          retries++;
          await new Promise((r) => setTimeout(r, Math.min(1_000, 20 * 2 ** attempt)));
        }
      }
    };
    let restarted = false;
    const restart = async () => {
      await own!.stop();
      await new Promise((r) => setTimeout(r, 500));
      await own!.start();
      restarted = true;
    };
    let restarting: Promise<void> | undefined;
    for (const [i, id] of burst.entries()) {
      if (i === 1_500) restarting = restart();
      await send(id);
    }
    await restarting;
    expect(restarted).toBe(true);

    const check = await connectRedis(own.url);
    try {
      await waitFor(
        'every case in the log',
        async () => {
          const log = await readLog(check, keys.log);
          return (
            new Set(
              log.filter((e) => e.type === 'case.reported').map((e) => (e.type === 'case.reported' ? e.case.id : '')),
            ).size === burst.length
          );
        },
        120_000,
      );
      await waitFor(
        'nothing left pending',
        async () => (await pending(check, keys.inEvents, keys.ingestGroup)) === 0,
        60_000,
      );
      const log = await readLog(check, keys.log);
      expectExactlyOnce(log, burst);
      const dead = (await check.xRange(keys.deadletter, '-', '+')) ?? [];
      // Only retried sends can be dead-lettered, and only as the duplicates they are.
      expect(dead.every((d) => d.message.reason === 'duplicate')).toBe(true);
      expect(dead.length).toBeLessThanOrEqual(retries);
      await waitFor('the screen at the end of the log', () => screen!.lastSeq === log.length, 30_000);
      expect(caseIdsOf(screen.world())).toEqual([...burst].sort());
    } finally {
      await check.close();
      await producer.close().catch(() => producer.destroy());
    }
  }, 300_000);
});
