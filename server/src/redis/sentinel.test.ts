import { afterAll, describe, expect, it } from 'vitest';
import { fakeResp } from '../../test/fake-resp.ts';
import { connectRedis } from './connect.ts';
import { closeSentinelEndpoints, sentinelChanges } from './sentinel.ts';

/** A data server that answers INFO like Redis 7 and WHOAMI with its name. */
const dataServer = (name: string) =>
  fakeResp((cmd) => {
    const c = cmd[0]?.toUpperCase();
    if (c === 'INFO') return '# Server\r\nredis_version:7.2.4\r\n';
    if (c === 'WHOAMI') return name;
    return undefined;
  });

describe('a client through Sentinel', () => {
  afterAll(() => closeSentinelEndpoints());

  it('reaches the master the Sentinels name, and the new one after they name another (its connection is cut)', async () => {
    const [a, b] = await Promise.all([dataServer('A'), dataServer('B')]);
    let master = a.port;
    // Two Sentinels: the first is down (a closed port), the second answers; the client asks them in turn.
    const down = await fakeResp(() => undefined);
    down.close();
    const sentinel = await fakeResp((cmd) =>
      cmd[0]?.toUpperCase() === 'SENTINEL' && cmd[1]?.toUpperCase() === 'GET-MASTER-ADDR-BY-NAME'
        ? cmd[2] === 'egret'
          ? ['127.0.0.1', String(master)]
          : null
        : undefined,
    );
    const client = await connectRedis(`redis+sentinel://127.0.0.1:${down.port},127.0.0.1:${sentinel.port}/egret`, {
      timeoutMs: 5_000,
    });
    client.on('error', () => {});
    try {
      expect(await client.sendCommand(['WHOAMI'])).toBe('A');
      master = b.port; // a failover
      const deadline = Date.now() + 15_000;
      let now = '';
      while (Date.now() < deadline) {
        now = String(await client.sendCommand(['WHOAMI']).catch(() => ''));
        if (now === 'B') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(now).toBe('B');
      expect(sentinelChanges().some((c) => c.from?.port === a.port && c.to.port === b.port)).toBe(true);
    } finally {
      client.destroy();
      a.close();
      b.close();
      sentinel.close();
    }
  });

  it('fails at start naming the master when no Sentinel knows it', async () => {
    const sentinel = await fakeResp((cmd) => (cmd[0]?.toUpperCase() === 'SENTINEL' ? null : undefined));
    try {
      await expect(
        connectRedis(`redis+sentinel://127.0.0.1:${sentinel.port}/nosuch`, { timeoutMs: 3_000 }),
      ).rejects.toThrow(/cannot find the Redis master through redis\+sentinel:.*no Sentinel named the master "nosuch"/);
    } finally {
      sentinel.close();
    }
  });
});
