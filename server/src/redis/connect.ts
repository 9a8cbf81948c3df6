import { createClient, type RedisClientType } from 'redis';

export type Redis = RedisClientType;

/**
 * Connects to Redis, or fails within `timeoutMs` with a message naming the URL: node-redis 6 otherwise retries an
 * unreachable server for ever. Once connected, it reconnects with backoff after a loss.
 */
export async function connectRedis(url: string, options: { timeoutMs?: number; name?: string } = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let connected = false;
  const client = createClient({
    url,
    ...(options.name ? { name: options.name } : {}),
    socket: {
      connectTimeout: Math.min(timeoutMs, 5_000),
      // Before the first connection, give up so the start-up error surfaces; after it, keep trying with backoff.
      reconnectStrategy: (retries: number) => (connected ? Math.min(100 * 2 ** retries, 3_000) : retries < 3 ? 200 : false),
    },
  }) as Redis;
  let lastError: unknown;
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
    throw new Error(`cannot reach Redis at ${redact(url)} within ${timeoutMs} ms (${why}). Check REDIS_URL, or unset it to start a private Redis.`);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
