import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { createClient } from 'redis';

/**
 * Redis Sentinel for a plain node-redis client. The process keeps a local TCP endpoint on 127.0.0.1; every
 * connection to it is forwarded to the server the Sentinels name as the master *at that moment*, and when they name
 * another one (a failover) the forwarded connections to the old one are cut, so each client reconnects — with its
 * usual backoff — to the new master. This is the pattern of HAProxy in front of Sentinel (`tcp-check … role:master`),
 * inside the process.
 *
 * Why not node-redis' `createSentinel`: it answers a `RedisSentinel`, a pool of clients behind a different type
 * (no `isReady`; blocking reads need `acquire()`d leases; `duplicate()` makes another pool), while every part of the
 * hub and the simulator holds a `RedisClientType` and opens dedicated blocking connections with `duplicate()`.
 * Here every client, its duplicates and its Lua scripts work unchanged, and a failover looks to them like the
 * Redis restart they already survive (faults.test.ts).
 */

export interface RedisNode {
  host: string;
  port: number;
}

export interface SentinelTarget {
  sentinels: RedisNode[];
  masterName: string;
  username?: string;
  password?: string;
  database?: number;
  sentinelPassword?: string;
}

/** How often the Sentinels are asked whether the master changed (besides every new connection). */
const WATCH_MS = 1_000;
/** Connecting to a Sentinel, and to the master it names, is bounded. */
const ASK_TIMEOUT_MS = 1_500;

/** Asks the Sentinels in turn for the master's address; throws when none answers with one. */
export async function askSentinels(target: SentinelTarget): Promise<RedisNode> {
  const why: string[] = [];
  for (const s of target.sentinels) {
    const client = createClient({
      socket: { host: s.host, port: s.port, connectTimeout: ASK_TIMEOUT_MS, reconnectStrategy: false },
      ...(target.sentinelPassword ? { password: target.sentinelPassword } : {}),
    });
    client.on('error', () => {
      /* reported through the commands below */
    });
    try {
      await client.connect();
      const reply = (await client.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', target.masterName])) as
        string[] | null;
      if (reply && reply.length === 2) return { host: reply[0]!, port: Number(reply[1]) };
      why.push(`${s.host}:${s.port} does not know a master named ${target.masterName}`);
    } catch (err) {
      why.push(`${s.host}:${s.port}: ${(err as Error).message}`);
    } finally {
      client.destroy();
    }
  }
  throw new Error(`no Sentinel named the master "${target.masterName}" (${why.join('; ')})`);
}

const sameNode = (a: RedisNode | undefined, b: RedisNode | undefined) =>
  !!a && !!b && a.host === b.host && a.port === b.port;

/** The local endpoint forwarding to the current master; one per Sentinel target in a process. */
class SentinelForwarder {
  private server?: Server;
  private watch?: NodeJS.Timeout;
  private master?: RedisNode;
  private readonly links = new Set<{ master: RedisNode; down: Socket; up: Socket }>();
  /** Master changes seen, for tests and logs. */
  readonly changes: Array<{ at: number; from?: RedisNode; to: RedisNode }> = [];

  constructor(
    private readonly target: SentinelTarget,
    /** Real time, for the recorded master changes. */
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<RedisNode> {
    this.master = await askSentinels(this.target);
    this.server = createServer((down) => this.forward(down));
    this.server.unref();
    await new Promise<void>((done, fail) => {
      this.server!.once('error', fail);
      this.server!.listen(0, '127.0.0.1', () => done());
    });
    this.watch = setInterval(() => void this.recheck(), WATCH_MS);
    this.watch.unref();
    const { port } = this.server.address() as { port: number };
    return { host: '127.0.0.1', port };
  }

  /** The master as last named by the Sentinels. */
  current(): RedisNode | undefined {
    return this.master;
  }

  private async recheck(): Promise<RedisNode | undefined> {
    try {
      const named = await askSentinels(this.target);
      this.moveTo(named);
      return named;
    } catch {
      return undefined; // no Sentinel reachable just now: keep the connections there are
    }
  }

  /** A new master: cut every connection to another one, so its client reconnects here and is sent to the new one. */
  private moveTo(named: RedisNode): void {
    if (sameNode(named, this.master)) return;
    this.changes.push({ at: this.now(), from: this.master, to: named });
    this.master = named;
    for (const link of this.links) {
      if (!sameNode(link.master, named)) {
        link.down.destroy();
        link.up.destroy();
      }
    }
  }

  private forward(down: Socket): void {
    down.pause();
    down.on('error', () => down.destroy());
    // Every new connection asks afresh: a client reconnecting after a master's death must not be sent back to it.
    void this.recheck().then(async (named) => {
      const master = named ?? this.master;
      if (!master || down.destroyed) return void down.destroy();
      let address = master.host;
      try {
        address = (await lookup(master.host)).address; // Sentinel may announce host names (resolve-hostnames yes)
      } catch {
        /* connect reports it */
      }
      const up = tcpConnect({ host: address, port: master.port, noDelay: true, keepAlive: true });
      const link = { master, down, up };
      const close = () => {
        this.links.delete(link);
        down.destroy();
        up.destroy();
      };
      up.setTimeout(ASK_TIMEOUT_MS, () => up.destroy());
      up.once('connect', () => {
        up.setTimeout(0);
        down.pipe(up);
        up.pipe(down);
        down.resume();
      });
      up.on('error', close);
      up.on('close', close);
      down.on('close', close);
      this.links.add(link);
    });
  }

  close(): void {
    clearInterval(this.watch);
    for (const link of this.links) {
      link.down.destroy();
      link.up.destroy();
    }
    this.server?.close();
  }
}

const forwarders = new Map<string, { forwarder: SentinelForwarder; endpoint: Promise<RedisNode> }>();

/**
 * The local endpoint of this process that leads to the target's current master (started on first use, shared by
 * every client of the same Sentinels and master name; it does not keep the process alive).
 */
export function sentinelEndpoint(target: SentinelTarget): Promise<RedisNode> {
  const key = JSON.stringify([target.sentinels, target.masterName, target.sentinelPassword ?? '']);
  let entry = forwarders.get(key);
  if (!entry) {
    const forwarder = new SentinelForwarder(target);
    const endpoint = forwarder.start();
    entry = { forwarder, endpoint };
    forwarders.set(key, entry);
    endpoint.catch(() => forwarders.delete(key));
  }
  return entry.endpoint;
}

/** The masters seen by this process's forwarders, with the times they changed (tests, diagnostics). */
export function sentinelChanges(): Array<{ at: number; from?: RedisNode; to: RedisNode }> {
  return [...forwarders.values()].flatMap((e) => e.forwarder.changes);
}

/** Stops every forwarder of this process (tests). */
export function closeSentinelEndpoints(): void {
  for (const { forwarder } of forwarders.values()) forwarder.close();
  forwarders.clear();
}
