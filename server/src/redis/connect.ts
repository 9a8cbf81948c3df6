import { createClient, type RedisClientType } from 'redis';
import { sentinelEndpoint, type SentinelTarget } from './sentinel.ts';

/**
 * The one Redis connect helper of every Egret process (hub, simulator, CLIs, tests): a plain node-redis client to
 * one server, or — with a `redis+sentinel://` URL — to whichever server Sentinel names as the master, following it
 * through failovers (sentinel.ts says how and why not node-redis' `createSentinel`).
 */
export type Redis = RedisClientType;

/** The oldest server the hub works on: `PEXPIRE … NX` (leases), XAUTOCLAIM returning deleted ids (claims). */
export const MIN_REDIS_VERSION = '7.0.0';

/** Redis could not be reached at start, or is not one the hub can run on: the message says where, what and why. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

export interface ConnectOptions {
  /** Give up connecting after this long (default 5 s). */
  timeoutMs?: number;
  /** CLIENT SETNAME, to tell connections apart in `CLIENT LIST`. */
  name?: string;
  /**
   * false: commands sent while the connection is down fail at once instead of queueing in memory (the simulator's
   * publisher retries them itself; a stalled producer must not pile up minutes of fixes). Default true.
   */
  offlineQueue?: boolean;
  /** The end of the start-up error message: what to check (default: REDIS_URL). */
  hint?: string;
}

/**
 * Connects, checks the server is Redis ≥ 7.0 (or a compatible server claiming as much), and answers the client; or
 * fails within `timeoutMs` with a message naming the URL without its password. node-redis 6 would otherwise retry
 * an unreachable server for ever. Once connected it reconnects with capped backoff after a loss (through Sentinel:
 * to the current master).
 *
 * Accepted URLs: `redis://[[user]:password@]host:port[/db]`, `rediss://…` (TLS), and
 * `redis+sentinel://[[user]:password@]host:port[,host:port…]/<master name>[?sentinelPassword=…]`.
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const hint = options.hint ?? 'check REDIS_URL (or REDIS_SENTINELS and REDIS_MASTER_NAME)';
  let connected = false;
  let lastError: unknown;
  const socket = {
    connectTimeout: Math.min(timeoutMs, 5_000),
    // Before the first connection, give up so the start-up error surfaces; after it, keep trying with backoff.
    reconnectStrategy: (retries: number) =>
      connected ? Math.min(100 * 2 ** retries, 3_000) : retries < 3 ? 200 : false,
  } as const;
  let target: RedisTarget;
  try {
    target = parseRedisUrl(url);
  } catch (err) {
    throw new RedisUnreachableError(`bad Redis URL ${redact(url)}: ${(err as Error).message}; ${hint}`);
  }
  let client: Redis;
  if (target.kind === 'direct') {
    client = createClient({ url, ...common(options), socket }) as Redis;
  } else {
    let endpoint: { host: string; port: number };
    try {
      endpoint = await sentinelEndpoint(target);
    } catch (err) {
      throw new RedisUnreachableError(
        `cannot find the Redis master through ${redact(url)}: ${(err as Error).message}; ${hint}`,
      );
    }
    client = createClient({
      ...common(options),
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.database ? { database: target.database } : {}),
      socket: { ...socket, host: endpoint.host, port: endpoint.port },
    }) as Redis;
  }
  // Without a listener node-redis throws errors as uncaught; callers see failures through their commands.
  client.on('error', (err) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
  } catch (err) {
    client.destroy();
    const why = lastError instanceof Error ? lastError.message : (err as Error).message;
    throw new RedisUnreachableError(`cannot reach Redis at ${redact(url)} within ${timeoutMs} ms (${why}); ${hint}`);
  } finally {
    clearTimeout(timer);
  }
  connected = true;
  const verdict = checkRedisServer(await client.info('server'));
  if (!verdict.ok) {
    client.destroy();
    throw new RedisUnreachableError(`${verdict.message} (at ${redact(url)})`);
  }
  return client;
}

function common(options: ConnectOptions) {
  return {
    ...(options.name ? { name: options.name } : {}),
    ...(options.offlineQueue === false ? { disableOfflineQueue: true } : {}),
  };
}

/** Where a URL points: one server, or a master found through Sentinel. */
export type RedisTarget = { kind: 'direct'; url: string } | ({ kind: 'sentinel' } & SentinelTarget);

/** Reads a Redis URL (see `connectRedis`); throws with what is wrong. */
export function parseRedisUrl(url: string): RedisTarget {
  const m = /^redis\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/([^/?#]+)(?:\/(\d+))?(?:\?([^#]*))?$/.exec(
    url,
  );
  if (!m) {
    if (url.startsWith('redis+sentinel:'))
      throw new Error('a Sentinel URL reads redis+sentinel://host:port[,host:port…]/<master name>');
    if (!/^rediss?:\/\//.test(url)) throw new Error('it must start with redis://, rediss:// or redis+sentinel://');
    return { kind: 'direct', url };
  }
  const [, user, password, hosts, masterName, db, query] = m;
  const sentinels = hosts!.split(',').map((h) => {
    const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
    if (!hp) throw new Error(`"${h}" is not host:port`);
    return { host: hp[1]!.replace(/^\[|\]$/g, ''), port: hp[2] ? Number(hp[2]) : 26379 };
  });
  const params = new URLSearchParams(query ?? '');
  return {
    kind: 'sentinel',
    sentinels,
    masterName: decodeURIComponent(masterName!),
    username: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    database: db ? Number(db) : undefined,
    sentinelPassword: params.get('sentinelPassword') ?? undefined,
  };
}

/**
 * The Redis URL from the environment: `REDIS_SENTINELS` (host:port,host:port…) with `REDIS_MASTER_NAME` (and
 * optionally `REDIS_PASSWORD`, `REDIS_SENTINEL_PASSWORD`) make a `redis+sentinel://` URL; otherwise `REDIS_URL`.
 */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const sentinels = env.REDIS_SENTINELS?.trim();
  if (!sentinels) return env.REDIS_URL?.trim() || undefined;
  const name = env.REDIS_MASTER_NAME?.trim() || 'egret';
  const password = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}@` : '';
  const query = env.REDIS_SENTINEL_PASSWORD
    ? `?sentinelPassword=${encodeURIComponent(env.REDIS_SENTINEL_PASSWORD)}`
    : '';
  return `redis+sentinel://${password}${sentinels
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',')}/${encodeURIComponent(name)}${query}`;
}

export type ServerVerdict = { ok: true; server: string; version: string } | { ok: false; message: string };

/**
 * Whether the server that answered `INFO server` can run the hub: Redis ≥ 7.0, or a fork reporting a Redis version
 * ≥ 7.0 (Valkey reports `redis_version:7.2.4` beside its own `valkey_version`). Pure, for the unit test.
 */
export function checkRedisServer(info: string): ServerVerdict {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const version = field('redis_version');
  const server = field('server_name') ?? (field('dragonfly_version') ? 'dragonfly' : 'redis');
  const own = field(`${server}_version`);
  const shown = own && own !== version ? `${server} ${own} (redis_version ${version})` : `${server} ${version}`;
  const need = `Egret needs Redis ≥ ${MIN_REDIS_VERSION.replace(/\.0$/, '')} (PEXPIRE … NX, XAUTOCLAIM with deleted ids): use Redis 7.x/8.x or Valkey 7.2+`;
  if (!version)
    return { ok: false, message: `the server did not say its version (no redis_version in INFO server): ${need}` };
  if (compareVersions(version, MIN_REDIS_VERSION) < 0)
    return { ok: false, message: `the server is ${shown}, too old: ${need}` };
  return { ok: true, server, version: own ?? version };
}

/** Compares dotted versions numerically (7.10 > 7.9); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The URL without its passwords, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@').replace(/([?&]sentinelPassword=)[^&#]*/, '$1***');
}
