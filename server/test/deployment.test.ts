import { connect as tcpConnect } from 'node:net';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  redisKeys,
  type ClientToServerEvents,
  type LogEvent,
  type RedisKeys,
  type ServerToClientEvents,
} from '@egret/protocol';
import { AccountStore } from '../src/auth/accounts.ts';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { freePort } from '../src/redis/embedded-redis.ts';
import { closeSentinelEndpoints } from '../src/redis/sentinel.ts';
import { testNamespace } from '../../test/namespace.ts';
import { asData, caseReport } from './hub-fixture.ts';
import { startHubProcess, type HubProcess } from './hub-process.ts';
import {
  deploymentBinaries,
  hubEnvironment,
  killStackProcesses,
  redisCommand,
  sentinelMasterPort,
  stackDir,
  startProxy,
  startRedisSet,
  until,
  type Proxy,
  type RedisSet,
} from './deployment-stack.ts';

/**
 * The deployment of docker-compose.yml run for real, without Docker: Debian's nginx with the project's own proxy
 * template in front of two hub processes, which find their Redis through three Sentinels watching a master and a
 * replica. Through the proxy: log in, pair a wall, connect a wall and a console; then kill a hub in the middle of a
 * burst (its screens resume on the other, gapless) and kill the Redis master (Sentinel promotes the replica, the hubs
 * and the producer follow, no acknowledged input is lost). Figures go to docs/operations.md (Failover).
 */

const PASSWORD = 'correct-horse-battery-42';

type ProxySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A screen through the proxy, as the display runs it: reconnects by itself and resumes from its last seq. */
class ProxyScreen {
  readonly socket: ProxySocket;
  /** The seq of each snapshot received. */
  snapshots: number[] = [];
  /** Every log event's seq, in arrival order. */
  seqs: number[] = [];
  /** The hub of each (re)connection, from hub:hello. */
  hubs: string[] = [];
  disconnects: Array<{ at: number; reason: string }> = [];
  /** When each (re)connection was made. */
  connects: number[] = [];
  /** When each log:events batch arrived. */
  batchTimes: number[] = [];
  events: LogEvent[] = [];
  lastEventAt = 0;
  lastSeq = 0;

  constructor(url: string, headers: { cookie: string; origin: string }) {
    this.socket = connectClient(url, {
      transports: ['websocket'],
      extraHeaders: headers,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
      forceNew: true,
      auth: (cb) =>
        cb(this.lastSeq > 0 ? { protocol: PROTOCOL_VERSION, lastSeq: this.lastSeq } : { protocol: PROTOCOL_VERSION }),
    });
    this.socket.on('hub:hello', (h) => this.hubs.push(h.hubId));
    this.socket.on('wall:snapshot', (s) => {
      this.snapshots.push(s.seq);
      this.lastSeq = s.seq;
    });
    this.socket.on('log:events', (batch) => {
      for (const e of batch) {
        this.seqs.push(e.seq);
        this.events.push(e);
        this.lastSeq = Math.max(this.lastSeq, e.seq);
      }
      this.lastEventAt = Date.now();
      this.batchTimes.push(this.lastEventAt);
    });
    this.socket.on('connect', () => this.connects.push(Date.now()));
    this.socket.on('disconnect', (reason) => this.disconnects.push({ at: Date.now(), reason }));
  }

  /** Resolves once connected, or with the refusal's message. */
  connected(timeoutMs = 15_000): Promise<'connected' | string> {
    if (this.socket.connected) return Promise.resolve('connected');
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the screen neither connected nor was refused')), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        done('connected');
      });
      this.socket.once('connect_error', (err) => {
        clearTimeout(timer);
        done(err.message);
      });
    });
  }

  /** Every seq after the first snapshot, each once, none missing, up to `to`; and no second snapshot. */
  gapless(to: number): { ok: boolean; why: string } {
    const from = this.snapshots[0] ?? 0;
    if (this.snapshots.length !== 1) return { ok: false, why: `snapshots at ${this.snapshots.join(', ')}` };
    const want = Array.from({ length: to - from }, (_, i) => from + 1 + i);
    const dup = this.seqs.length - new Set(this.seqs).size;
    const missing = want.filter((s) => !this.seqs.includes(s));
    const ok = dup === 0 && missing.length === 0 && this.seqs.every((s, i) => s === from + 1 + i);
    return {
      ok,
      why: `from ${from} to ${to}: ${this.seqs.length} events, ${dup} seen twice, ${missing.length} missing (${missing.slice(0, 5).join(',')})`,
    };
  }

  /** The longest wait between two batches of events in [from, to], in seconds. */
  longestSilence(from: number, to: number): number {
    const times = [from, ...this.batchTimes.filter((t) => t > from && t < to), to];
    return Math.max(...times.slice(1).map((t, i) => t - times[i]!)) / 1000;
  }

  close(): void {
    this.socket.close();
  }
}

/** A raw HTTP/1.1 GET with the exact request target given (fetch would normalise `//`, `/./` and the like). */
function rawGet(port: number, target: string): Promise<number> {
  return new Promise((done, fail) => {
    const s = tcpConnect({ host: '127.0.0.1', port });
    let buf = '';
    s.setTimeout(5_000, () => s.destroy(new Error(`no answer to GET ${target}`)));
    s.on('data', (b) => {
      buf += b.toString();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      if (m) {
        s.destroy();
        done(Number(m[1]));
      }
    });
    s.on('error', fail);
    s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

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

const reportedIds = (log: readonly LogEvent[]) => log.flatMap((e) => (e.type === 'case.reported' ? [e.case.id] : []));

describe('the deployment: nginx + two hubs + Redis master, replica and three Sentinels', () => {
  const stack = stackDir();
  let set: RedisSet | undefined;
  let proxy: Proxy | undefined;
  const hubs = new Map<string, HubProcess>();
  const screens: ProxyScreen[] = [];
  let redis: Redis | undefined;
  let ns = '';
  let keys: RedisKeys;
  let hubPorts: [number, number] = [0, 0];
  let hubEnv: (id: string, port: number) => Record<string, string>;
  let origin = '';
  let wall: ProxyScreen;
  let console_: ProxyScreen;
  /** Every case id the producer sent and Redis acknowledged. */
  const acked: string[] = [];

  const startHub = async (id: string, port: number) => {
    const env = hubEnv(id, port);
    const hub = await startHubProcess(env as { REDIS_URL: string; EGRET_NS: string; HUB_ID: string }, 45_000);
    hubs.set(id, hub);
    return hub;
  };

  beforeAll(async () => {
    const bins = deploymentBinaries();
    const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
    if (new Set(ports).size !== ports.length) throw new Error('freePort gave the same port twice; run again');
    const [masterPort, replicaPort, s1, s2, s3, h1, h2, proxyPort] = ports as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    hubPorts = [h1, h2];
    set = await startRedisSet(stack.dir, { master: masterPort, replica: replicaPort, sentinels: [s1, s2, s3] }, bins);
    // The test's own client goes through the Sentinels too: it follows the failover like the hubs.
    redis = await connectRedis(set.sentinelUrl, { name: 'deploy-test' });
    ns = testNamespace('deploy');
    keys = redisKeys(ns);
    const store = new AccountStore(redis, keys);
    await store.add('ops', 'dispatcher', PASSWORD);
    // The environment docker-compose.yml gives its hubs (same names; compose's values are service names). REDIS_URL
    // is cleared in case the test runner has one: the hubs must find Redis through the Sentinels.
    hubEnv = (id, port) => ({
      REDIS_URL: '',
      ...hubEnvironment({ sentinelPorts: set!.sentinelPorts, ns, hubId: id, port }),
    });
    await Promise.all([startHub('hub-1', h1), startHub('hub-2', h2)]);
    proxy = await startProxy(stack.dir, proxyPort, hubPorts, bins);
    origin = proxy.url;
  }, 120_000);

  afterAll(async () => {
    for (const s of screens) s.close();
    for (const h of hubs.values()) await h.kill();
    await killStackProcesses(); // nginx, Redis, Sentinels: also those of a start that failed half-way
    redis?.destroy();
    closeSentinelEndpoints();
    stack.remove();
  });

  it('logs in, pairs a wall and connects a wall and a console through the proxy (no bad_origin)', async () => {
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(`${proxy!.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
    const login = await post('/api/auth/login', { user: 'ops', password: PASSWORD });
    const loginBody = await login.json();
    expect({ status: login.status, body: loginBody }).toMatchObject({
      status: 200,
      body: { ok: true, data: { id: 'ops', role: 'dispatcher' } },
    });
    const userCookie = /^(egret_session=[^;]*)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const me = await fetch(`${proxy!.url}/api/auth/me`, { headers: { cookie: userCookie } });
    expect(await me.json()).toMatchObject({ ok: true, data: { id: 'ops' } });

    const token = await new AccountStore(redis!, keys).createPairing('lobby');
    const paired = await post('/api/auth/pair', { token });
    expect(paired.status).toBe(200);
    const wallCookie = /^(egret_session=[^;]*)/.exec(paired.headers.get('set-cookie') ?? '')![1]!;

    wall = new ProxyScreen(proxy!.url, { cookie: wallCookie, origin });
    console_ = new ProxyScreen(proxy!.url, { cookie: userCookie, origin });
    screens.push(wall, console_);
    expect(await wall.connected()).toBe('connected');
    expect(await console_.connected()).toBe('connected');
    await until('both snapshots', () => wall.snapshots.length === 1 && console_.snapshots.length === 1, 15_000);

    // A foreign page is still refused through the proxy.
    const foreign = await fetch(`${proxy!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ user: 'ops', password: PASSWORD }),
    });
    expect(foreign.status).toBe(403);
  });

  it('keeps /metrics inside whatever the letter case, encoding or slashes', async () => {
    const port = Number(new URL(proxy!.url).port);
    for (const target of [
      '/metrics',
      '/METRICS',
      '/Metrics',
      '/metrics/',
      '//metrics',
      '/%6detrics',
      '/%6Detrics',
      '/./metrics',
      '/api/../metrics',
      '/metrics?x=1',
      '/mEtRiCs/',
    ]) {
      expect({ target, status: await rawGet(port, target) }).toEqual({ target, status: 403 });
    }
    // The hub itself serves them (scraped directly, inside).
    expect((await fetch(`http://127.0.0.1:${hubPorts[0]}/metrics`)).status).toBe(200);
  });

  it('a hub killed mid-burst: its screens reconnect through the proxy to the other and resume gapless; nothing applied twice', async () => {
    const burst = Array.from({ length: 1_200 }, (_, i) => `DEPLOY-${String(i + 1).padStart(5, '0')}`);
    const servedBy = wall.hubs.at(-1)!;
    expect(console_.hubs.at(-1)).toBe(servedBy); // one client address: the hash sends both to one hub
    const victim = hubs.get(servedBy)!;
    const seqAtStart = Number((await redis!.get(keys.logSeq)) ?? 0);

    let killedAt = 0;
    const producing = (async () => {
      for (let i = 0; i < burst.length; i += 40) {
        const m = redis!.multi();
        for (const id of burst.slice(i, i + 40)) m.xAdd(keys.inEvents, '*', asData(caseReport(id)));
        await m.exec();
        acked.push(...burst.slice(i, i + 40));
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await until('the burst under way on the screens', () => wall.lastSeq >= seqAtStart + 200, 60_000, 10);
    await victim.kill();
    killedAt = Date.now();
    // Mid-burst indeed: part of it is still to be applied.
    expect(Number(await redis!.get(keys.logSeq))).toBeLessThan(seqAtStart + burst.length);
    await producing;

    const survivor = [...hubs.keys()].find((id) => id !== servedBy)!;
    await until(
      'every case in the log',
      async () => Number(await redis!.get(keys.logSeq)) >= seqAtStart + burst.length,
      90_000,
      200,
    );
    const log = await readLog(redis!, keys.log);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    const reported = reportedIds(log).filter((id) => id.startsWith('DEPLOY-'));
    expect(reported.length).toBe(burst.length);
    expect(new Set(reported).size).toBe(burst.length);
    expect(await redis!.xLen(keys.deadletter)).toBe(0);

    for (const screen of [wall, console_]) {
      await until('the screen at the end of the log', () => screen.lastSeq === log.length, 30_000);
      expect(screen.hubs.at(-1)).toBe(survivor);
      expect(screen.disconnects.length).toBeGreaterThanOrEqual(1);
      const g = screen.gapless(log.length);
      expect(g.ok, g.why).toBe(true);
    }
    const reconnectedAt = wall.connects.find((t) => t > killedAt)!;
    const firstBatchAfter = wall.batchTimes.find((t) => t > reconnectedAt)!;
    process.stderr.write(
      `deployment: hub ${servedBy} killed; the wall reconnected through the proxy to ${survivor} after ${((reconnectedAt - killedAt) / 1000).toFixed(1)} s, ` +
        `events again after ${((firstBatchAfter - killedAt) / 1000).toFixed(1)} s; burst done at ${((wall.lastEventAt - killedAt) / 1000).toFixed(1)} s\n`,
    );

    // The killed hub comes back on its port with its name, as `restart: unless-stopped` does.
    await startHub(servedBy, servedBy === 'hub-1' ? hubPorts[0] : hubPorts[1]);
  }, 150_000);

  it('the Redis master killed: Sentinel promotes the replica, the hubs and the producer follow, no acknowledged input is lost', async () => {
    const s = set!;
    const ids = Array.from({ length: 600 }, (_, i) => `FAILOVER-${String(i + 1).padStart(5, '0')}`);
    // The producer: its own connection through the Sentinels, offline queue off, retrying each XADD until acknowledged
    // (a retried XADD may have been written already: the hub dead-letters the second report as a duplicate).
    const producer = await connectRedis(s.sentinelUrl, { name: 'deploy-producer', offlineQueue: false });
    let retries = 0;
    let firstFailAt = 0;
    let backAt = 0;
    const send = async (id: string) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await producer.xAdd(keys.inEvents, '*', asData(caseReport(id)));
          if (firstFailAt && !backAt) backAt = Date.now();
          acked.push(id);
          return;
        } catch {
          retries++;
          if (!firstFailAt) firstFailAt = Date.now();
          await new Promise((r) => setTimeout(r, Math.min(500, 20 * 2 ** attempt)));
        }
      }
    };
    const readiness: Array<{ at: number; hub: string; status: number }> = [];
    let watching = true;
    const watchReady = (async () => {
      while (watching) {
        for (const [i, port] of hubPorts.entries()) {
          const status = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
            (r) => r.status,
            () => 0,
          );
          readiness.push({ at: Date.now(), hub: `hub-${i + 1}`, status });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const seqBefore = wall.lastSeq;
    let killedAt = 0;
    const sending = (async () => {
      for (const [i, id] of ids.entries()) {
        if (i === 200) {
          await s.master.kill();
          killedAt = Date.now();
        }
        await send(id);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await until('the master killed', () => killedAt > 0, 60_000, 10);
    await until(
      'Sentinel names the replica as master',
      async () => (await sentinelMasterPort(s.sentinelPorts[0]!)) === s.replicaPort,
      60_000,
      100,
    );
    const promotedAt = Date.now();
    await sending;
    const log0 = Number(await redis!.get(keys.logSeq));
    await until(
      'every acknowledged case in the log',
      async () => {
        const log = await readLog(redis!, keys.log);
        const seen = new Set(reportedIds(log));
        return acked.every((id) => seen.has(id));
      },
      60_000,
      500,
    ).catch(async (err: Error) => {
      const seen = new Set(reportedIds(await readLog(redis!, keys.log)));
      throw new Error(
        `${err.message}: ${acked.filter((id) => !seen.has(id)).length} acknowledged cases missing (log at ${log0})`,
      );
    });
    watching = false;
    await watchReady;

    const log = await readLog(redis!, keys.log);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    const reported = reportedIds(log);
    expect(new Set(reported).size).toBe(reported.length); // each case applied once
    for (const id of ids) expect(reported).toContain(id);
    const dead = (await redis!.xRange(keys.deadletter, '-', '+')) ?? [];
    expect(dead.every((d) => d.message.reason === 'duplicate')).toBe(true);
    expect(dead.length).toBeLessThanOrEqual(retries);
    expect(String(await redisCommand(s.replicaPort, ['ROLE']))).toMatch(/^master/);

    // The screens: still connected to their hub, no gap, the events after the failover arrive.
    for (const screen of [wall, console_]) {
      await until('the screen at the end of the log', () => screen.lastSeq === log.length, 30_000);
      const g = screen.gapless(log.length);
      expect(g.ok, g.why).toBe(true);
    }
    const firstAfter = wall.events.find(
      (e) =>
        e.seq > seqBefore &&
        e.type === 'case.reported' &&
        e.case.id.startsWith('FAILOVER-') &&
        Number(e.case.id.slice(9)) > 200,
    );
    const notReady = readiness.filter((r) => r.status !== 200 && r.at >= killedAt);
    const spans = ['hub-1', 'hub-2'].map((h) => {
      const bad = notReady.filter((r) => r.hub === h);
      return bad.length
        ? `${h} not ready ${((bad.at(-1)!.at - bad[0]!.at) / 1000).toFixed(1)} s (${[...new Set(bad.map((b) => b.status))].join('/')})`
        : `${h} ready throughout`;
    });
    process.stderr.write(
      [
        `deployment: Redis master killed; Sentinel promoted the replica after ${((promotedAt - killedAt) / 1000).toFixed(1)} s;`,
        ` producer's first failure ${firstFailAt ? ((firstFailAt - killedAt) / 1000).toFixed(1) : '-'} s, acknowledged again after ${backAt ? ((backAt - killedAt) / 1000).toFixed(1) : '-'} s (${retries} retries);`,
        ` screens disconnected ${wall.disconnects.filter((d) => d.at >= killedAt).length} times, longest wait between events on the wall ${wall.longestSilence(killedAt, wall.lastEventAt).toFixed(1)} s; ${spans.join(', ')};`,
        ` acknowledged ${acked.length}, lost 0, dead-lettered duplicates ${dead.length}; first post-kill case on the wall ${firstAfter ? 'seen' : 'not seen'}\n`,
      ].join(''),
    );
    await producer.close().catch(() => producer.destroy());
  }, 150_000);
});
