import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { testNamespace } from '../../test/namespace.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function runHub(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: undefined, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  return { child, output: () => out };
}

describe('the hub process (main.ts)', () => {
  it('stops with a clear message when REDIS_URL is missing', async () => {
    const hub = runHub({});
    const [code] = await once(hub.child, 'exit');
    expect(code).toBe(1);
    expect(hub.output()).toContain('REDIS_URL is not set');
  });

  it('prints the wall URL, answers /readyz, and stops cleanly on SIGTERM', async () => {
    const hub = runHub({
      REDIS_URL: inject('redisUrl'),
      PORT: '0',
      HOST: '127.0.0.1',
      EGRET_NS: testNamespace('main'),
      HUB_ID: 'main-test',
    });
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && hub.child.exitCode === null) {
      url = /http:\/\/127\.0\.0\.1:(\d+)\/wall/.exec(hub.output())?.[0];
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, hub.output()).toBeDefined();
    const ready = await fetch(url!.replace('/wall', '/readyz'));
    expect(ready.status).toBe(200);
    const stopped = Date.now();
    hub.child.kill('SIGTERM');
    const [code] = await once(hub.child, 'exit');
    expect(code).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(5_000);
  });
});
