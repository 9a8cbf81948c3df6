import type { Redis } from './connect.ts';

/**
 * A dedicated connection for blocking reads (XREAD / XREADGROUP BLOCK). A blocked connection can serve nobody
 * else, and node-redis' default 5 s command timeout would cut a longer block: this one has no command timeout.
 * Connecting is bounded by `timeoutMs` (node-redis would otherwise retry an unreachable server for ever).
 */
export async function connectBlocking(redis: Redis, name: string, timeoutMs = 5_000): Promise<Redis> {
  const client = redis.duplicate({ name, commandOptions: { timeout: 0 } }) as Redis;
  client.on('error', () => {
    /* reconnects with backoff; the loop using it reports failures */
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`blocking connection "${name}" did not connect within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    return client;
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
