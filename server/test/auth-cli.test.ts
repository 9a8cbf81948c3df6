import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testNamespace } from '../../test/namespace.ts';
import { caseReport, startHub, waitFor, type TestHub } from './hub-fixture.ts';
import { login, pair, TEST_PASSWORD_COST } from './auth-fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs a real process of this repo (node with tsx's loader) and collects what it prints. */
function runScript(script: string, args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return { child, out: () => out, err: () => err };
}

async function accounts(ns: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = runScript('server/src/auth/cli.ts', args, {
    REDIS_URL: inject('redisUrl'),
    EGRET_NS: ns,
    LOG_LEVEL: 'silent',
  });
  const [code] = (await once(run.child, 'exit')) as [number];
  return { code, out: run.out(), err: run.err() };
}

describe('npm run accounts (the CLI), against a running hub', () => {
  const ns = testNamespace('auth-cli');
  let hub: TestHub;

  beforeAll(async () => {
    // The CLI hashes at the default cost (2^17); the hub's own new hashes at the tests' small one.
    hub = await startHub(ns, { auth: 'required', authOptions: { passwordCost: TEST_PASSWORD_COST } });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('adds a person with a one-time password that must be changed at the first login, and lists them', async () => {
    const added = await accounts(ns, 'add', 'dora', '--role', 'dispatcher');
    expect(added.code, added.err).toBe(0);
    const password = /one-time password: (\S+)/.exec(added.out)?.[1];
    expect(password).toMatch(/^\w{20}$/);
    expect((await login(hub.url, 'dora', password!)).body).toMatchObject({ error: 'password_change_required' });
    expect((await login(hub.url, 'dora', password!, { newPassword: 'typhoon-meranti-1614' })).status).toBe(200);

    const again = await accounts(ns, 'add', 'dora', '--role', 'viewer');
    expect(again.code).toBe(1);
    expect(again.err).toContain('user "dora" exists already');
    const badRole = await accounts(ns, 'add', 'eve', '--role', 'emperor');
    expect(badRole.err).toContain('role "emperor" is not one of viewer, dispatcher, commander, admin');

    const list = await accounts(ns, 'list');
    expect(list.out).toMatch(/^ {2}dora {17}dispatcher/m);
    // Four CLI processes, and the CLI's hash and the logins' checks at the real cost (scrypt N = 2^17, ~1 s each on a
    // loaded 2-core machine): more than the default 30 s can be needed.
  }, 60_000);

  it('creates an ingest key whose token the hub takes, and revokes it', async () => {
    const created = await accounts(ns, 'apikey', 'create', 'hotline', '--role', 'ingest');
    expect(created.code, created.err).toBe(0);
    const token = /^(egret_k_\S+)$/m.exec(created.out)?.[1];
    expect(token).toBeDefined();
    const post = () =>
      fetch(`${hub.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(caseReport('C-CLI')),
      });
    expect((await post()).status).toBe(202);
    await waitFor('the case', () => hub.app.world().cases.has('C-CLI'));
    expect((await accounts(ns, 'apikey', 'revoke', 'hotline')).code).toBe(0);
    expect((await post()).status).toBe(401);
  });

  it('makes a device token and a one-use wall pairing link', async () => {
    const device = await accounts(ns, 'device', 'create', 'SM-ENF-01-03');
    expect(device.out).toMatch(/^egret_d_\w{12}_[\w-]{43}$/m);
    const paired = await accounts(ns, 'pair-wall', 'lobby', '--url', 'http://wall.example:8080/');
    const token = /^http:\/\/wall\.example:8080\/wall\?pair=([\w-]+)$/m.exec(paired.out)?.[1];
    expect(token, paired.out).toBeDefined();
    expect((await pair(hub.url, token!)).status).toBe(200);
    expect((await pair(hub.url, token!)).status).toBe(401);
    const list = await accounts(ns, 'list');
    expect(list.out).toMatch(/^ {2}lobby +paired /m);
    expect(list.out).toMatch(/device:SM-ENF-01-03 +field \(unit SM-ENF-01-03\)/);
    expect((await accounts(ns, 'unpair', 'lobby')).out).toContain('wall lobby: 1 session ended');
  });
});

describe('the hub process in required mode', () => {
  it('creates admin with a one-time password printed once on its first start, never again, and guards /api', async () => {
    const ns = testNamespace('auth-main');
    const start = async () => {
      const hub = runScript('server/src/main.ts', [], {
        REDIS_URL: inject('redisUrl'),
        PORT: '0',
        HOST: '127.0.0.1',
        EGRET_NS: ns,
        HUB_ID: `m-${ns}`,
      });
      await waitFor(
        'the hub to print its URL',
        () => /http:\/\/127\.0\.0\.1:\d+\/wall/.test(hub.out()) || hub.child.exitCode !== null,
        20_000,
      );
      const url = /(http:\/\/127\.0\.0\.1:\d+)\/wall/.exec(hub.out())?.[1];
      return { hub, url: url! };
    };
    const stop = async (hub: ReturnType<typeof runScript>) => {
      hub.child.kill('SIGTERM');
      await once(hub.child, 'exit');
    };

    const first = await start();
    const password = /created the account admin with the one-time password (\w+)/.exec(first.hub.out())?.[1];
    expect(password, first.hub.out()).toMatch(/^\w{20}$/);
    expect(first.hub.err()).not.toContain(password);
    expect((await fetch(`${first.url}/api/kpi`)).status).toBe(401);
    expect((await login(first.url, 'admin', password!)).body).toMatchObject({ error: 'password_change_required' });
    await stop(first.hub);

    const second = await start();
    expect(second.hub.out()).not.toContain('one-time password');
    await stop(second.hub);
  });

  it('warns loudly when EGRET_AUTH=open', async () => {
    const hub = runScript('server/src/main.ts', [], {
      REDIS_URL: inject('redisUrl'),
      PORT: '0',
      HOST: '127.0.0.1',
      EGRET_NS: testNamespace('auth-open'),
      EGRET_AUTH: 'open',
    });
    await waitFor('the hub to start', () => /\/wall/.test(hub.out()) || hub.child.exitCode !== null, 20_000);
    expect(hub.err()).toContain('WARNING: EGRET_AUTH=open');
    expect(hub.out()).not.toContain('one-time password');
    hub.child.kill('SIGTERM');
    await once(hub.child, 'exit');
  });
});
