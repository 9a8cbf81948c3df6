import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectRedis, redactUrl } from './connect.ts';

describe(connectRedis.name, () => {
  it('connects to a reachable Redis', async () => {
    const redis = await connectRedis(inject('redisUrl'));
    expect(await redis.ping()).toBe('PONG');
    await redis.close();
  });

  it('fails fast with a message naming the URL (without its password) when nothing listens', async () => {
    // A port that was free a moment ago: connecting to it is refused.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const started = Date.now();
    await expect(connectRedis(`redis://user:secret@127.0.0.1:${port}`, { timeoutMs: 2_000 })).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port} within 2000 ms`),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('redacts passwords only', () => {
    expect(redactUrl('redis://:pw@h:1')).toBe('redis://:***@h:1');
    expect(redactUrl('redis://h:6379/0')).toBe('redis://h:6379/0');
  });
});
