import { createClient, type RedisClientType } from 'redis';

export type Redis = RedisClientType;

/** Redis could not be reached at start: the message says where and why. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/**
 * Connects to Redis or fails within `timeoutMs` with a message naming the URL (node-redis 6 would otherwise retry
 * an unreachable server for ever). Once connected it reconnects with capped backoff; commands sent while it is
 * down fail at once instead of queueing in memory (the offline queue is off) — the publisher retries them itself,
 * and a stalled simulator must not pile up minutes of fixes.
 */
export async function connectRedis(url: string, options: { timeoutMs?: number; name?: string } = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let connected = false;
  let lastError: unknown;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    ...(options.name ? { name: options.name } : {}),
    socket: {
      connectTimeout: Math.min(timeoutMs, 5_000),
      reconnectStrategy: (retries: number) => (connected ? Math.min(100 * 2 ** retries, 5_000) : retries < 3 ? 200 : false),
    },
  }) as Redis;
  // Without a listener node-redis throws errors as uncaught; the publisher sees failures through its commands.
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
    connected = true;
    return client;
  } catch (err) {
    client.destroy();
    const why = lastError instanceof Error ? lastError.message : (err as Error).message;
    throw new RedisUnreachableError(`cannot reach Redis at ${redactUrl(url)} within ${timeoutMs} ms (${why}); check REDIS_URL`);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
