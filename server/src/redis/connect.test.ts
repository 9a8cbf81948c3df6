import { describe, expect, it } from 'vitest';
import { fakeResp } from '../../test/fake-resp.ts';
import { checkRedisServer, compareVersions, connectRedis, parseRedisUrl, redact, redisUrlFromEnv } from './connect.ts';

const info = (lines: string[]) => `# Server\r\n${lines.join('\r\n')}\r\n`;

describe(checkRedisServer.name, () => {
  it('accepts Redis 7.0 and later, and Valkey (which reports a Redis version beside its own)', () => {
    expect(checkRedisServer(info(['redis_version:7.0.15', 'redis_mode:standalone']))).toEqual({
      ok: true,
      server: 'redis',
      version: '7.0.15',
    });
    expect(checkRedisServer(info(['redis_version:8.2.1']))).toMatchObject({ ok: true, version: '8.2.1' });
    expect(checkRedisServer(info(['redis_version:7.2.4', 'server_name:valkey', 'valkey_version:8.0.1']))).toEqual({
      ok: true,
      server: 'valkey',
      version: '8.0.1',
    });
  });

  it('refuses Redis 6 with a message naming the version found and the version needed', () => {
    const v = checkRedisServer(info(['redis_version:6.2.6', 'redis_mode:standalone']));
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toContain('redis 6.2.6');
    expect(v.message).toContain('Redis ≥ 7.0');
    expect(v.message).toMatch(/PEXPIRE … NX/);
  });

  it('refuses a server that does not say its version', () => {
    expect(checkRedisServer('# Server\r\nuptime_in_seconds:3\r\n')).toMatchObject({ ok: false });
  });

  it('names a fork by its own version when it has one', () => {
    const v = checkRedisServer(info(['redis_version:6.2.5', 'server_name:keydb', 'keydb_version:6.3.4']));
    expect(v).toMatchObject({ ok: false });
    if (!v.ok) expect(v.message).toContain('keydb 6.3.4 (redis_version 6.2.5)');
  });
});

describe(compareVersions.name, () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('7.10.0', '7.9.9')).toBe(1);
    expect(compareVersions('7.0', '7.0.0')).toBe(0);
    expect(compareVersions('6.2.14', '7.0.0')).toBe(-1);
  });
});

describe(parseRedisUrl.name, () => {
  it('reads a Sentinel URL: the Sentinels, the master name, the passwords', () => {
    expect(
      parseRedisUrl('redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2,[::1]:26380/egret?sentinelPassword=x'),
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'egret',
      username: undefined,
      password: 's3cret',
      database: undefined,
      sentinelPassword: 'x',
    });
  });

  it('leaves a plain URL to node-redis and refuses other schemes', () => {
    expect(parseRedisUrl('redis://h:6379/0')).toEqual({ kind: 'direct', url: 'redis://h:6379/0' });
    expect(() => parseRedisUrl('http://h:6379')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('redis+sentinel://h:1')).toThrow(/master name/);
  });
});

describe(redisUrlFromEnv.name, () => {
  it('makes a Sentinel URL from REDIS_SENTINELS and REDIS_MASTER_NAME, else answers REDIS_URL', () => {
    expect(
      redisUrlFromEnv({ REDIS_SENTINELS: 's1:26379, s2:26379', REDIS_MASTER_NAME: 'egret', REDIS_URL: 'redis://x' }),
    ).toBe('redis+sentinel://s1:26379,s2:26379/egret');
    expect(redisUrlFromEnv({ REDIS_SENTINELS: 's1:26379', REDIS_PASSWORD: 'p w' })).toBe(
      'redis+sentinel://:p%20w@s1:26379/egret',
    );
    expect(redisUrlFromEnv({ REDIS_URL: 'redis://h:6379' })).toBe('redis://h:6379');
    expect(redisUrlFromEnv({})).toBeUndefined();
  });
});

describe(redact.name, () => {
  it('hides passwords only', () => {
    expect(redact('redis://:pw@h:1')).toBe('redis://:***@h:1');
    expect(redact('redis+sentinel://u:pw@a:1,b:2/egret?sentinelPassword=x')).toBe(
      'redis+sentinel://u:***@a:1,b:2/egret?sentinelPassword=***',
    );
    expect(redact('redis://h:6379/0')).toBe('redis://h:6379/0');
  });
});

/** A stand-in server that says it is the given Redis version. */
async function fakeRedis(version: string): Promise<{ url: string; close(): void }> {
  const server = await fakeResp((cmd) =>
    cmd[0]?.toUpperCase() === 'INFO' ? `# Server\r\nredis_version:${version}\r\n` : undefined,
  );
  return { url: `redis://127.0.0.1:${server.port}`, close: server.close };
}

describe(`${connectRedis.name} and the server's version`, () => {
  it('refuses a Redis 6 at connect, naming the version found and the one needed', async () => {
    const old = await fakeRedis('6.2.6');
    try {
      await expect(connectRedis(old.url, { timeoutMs: 2_000 })).rejects.toThrow(
        /the server is redis 6\.2\.6, too old: Egret needs Redis ≥ 7\.0 .*\(at redis:\/\/127\.0\.0\.1:\d+\)/,
      );
    } finally {
      old.close();
    }
  });

  it('accepts a 7.x server', async () => {
    const ok = await fakeRedis('7.2.4');
    try {
      const client = await connectRedis(ok.url, { timeoutMs: 2_000 });
      client.destroy();
    } finally {
      ok.close();
    }
  });
});
