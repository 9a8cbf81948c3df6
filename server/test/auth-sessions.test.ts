import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '@egret/protocol';
import { waitFor } from './hub-fixture.ts';
import { caseReaches, fileCase, ok, readLogEvents, registerUnit } from './loop-fixture.ts';
import {
  addUser,
  connectOutcome,
  PASSWORD,
  login,
  pair,
  screenWith,
  sendCommand,
  sessionCookie,
  startAuthHub,
  type AuthHub,
} from './auth-fixture.ts';

describe('sessions: who a screen is, from login to logout', () => {
  let hub: AuthHub;

  beforeAll(async () => {
    hub = await startAuthHub('auth-sess');
    await addUser(hub.store, 'dora', 'dispatcher');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('refuses a socket without credentials with a clear connect_error, and /api without a session with 401', async () => {
    const socket = screenWith(hub.url);
    expect(await connectOutcome(socket)).toMatch(/^unauthenticated: log in/);
    socket.close();
    const res = await fetch(`${hub.url}/api/kpi`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: 'unauthenticated' });
    // The city's public geography stays readable: the login page is drawn with it.
    expect((await fetch(`${hub.url}/api/config`)).status).toBe(200);
  });

  it('logs in: an HttpOnly, SameSite=Strict session cookie; the socket connects as that user and its commands carry that actor', async () => {
    const r = await login(hub.url, 'dora', PASSWORD);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, data: { id: 'dora', role: 'dispatcher' } });
    expect(r.setCookie).toMatch(/^egret_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);

    const me = await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: r.cookie! } });
    expect(await me.json()).toEqual({
      ok: true,
      data: { mode: 'required', kind: 'user', id: 'dora', role: 'dispatcher' },
    });

    await registerUnit(hub.redis, hub.keys, 'U-DORA');
    await fileCase(hub.redis, hub.keys, 'C-DORA');
    await caseReaches(hub, 'C-DORA', 'filed');
    // A screen that claims to be someone else in its handshake is still who its cookie says.
    const socket = screenWith(hub.url, { cookie: r.cookie!, user: 'the-chief' });
    expect(await connectOutcome(socket)).toBe('connected');
    const sent = ok(await sendCommand(socket, 'case:dispatch', { caseId: 'C-DORA', unitId: 'U-DORA' }));
    const events = await readLogEvents(hub.redis, hub.keys);
    const created = events.find(
      (e): e is Extract<LogEvent, { type: 'task.created' }> => e.type === 'task.created' && e.task.id === sent.taskId,
    );
    expect(created?.actor).toEqual({ role: 'dispatcher', id: 'dora' });
    socket.close();
  });

  it('logs out: the session ends everywhere — /api answers 401, the open socket’s next command is refused and it is dropped, a new socket is refused', async () => {
    const cookie = await sessionCookie(hub.url, 'dora', PASSWORD);
    const socket = screenWith(hub.url, { cookie });
    expect(await connectOutcome(socket)).toBe('connected');

    const out = await fetch(`${hub.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^egret_session=; .*Max-Age=0/);

    expect((await fetch(`${hub.url}/api/kpi`, { headers: { cookie } })).status).toBe(401);
    const refused = await sendCommand(socket, 'mode:set', { mode: 'typhoon' } as never);
    expect(refused).toMatchObject({ ok: false, error: 'unauthenticated' });
    await waitFor('the hub to drop the logged-out socket', () => !socket.connected);

    const again = screenWith(hub.url, { cookie });
    expect(await connectOutcome(again)).toMatch(/^unauthenticated:/);
    again.close();
  });

  it('refuses a cookie whose signature was tampered with, and a wrong password, alike', async () => {
    const cookie = await sessionCookie(hub.url, 'dora', PASSWORD);
    const [name, value] = cookie.split('=') as [string, string];
    const [sid] = value.split('.');
    const forged = `${name}=${sid}.${'A'.repeat(43)}`;
    expect((await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: forged } })).status).toBe(401);
    const socket = screenWith(hub.url, { cookie: forged });
    expect(await connectOutcome(socket)).toMatch(/^unauthenticated:/);
    socket.close();

    const wrong = await login(hub.url, 'dora', 'not-her-password');
    expect(wrong).toMatchObject({ status: 401, body: { ok: false, error: 'bad_credentials' }, cookie: undefined });
    const nobody = await login(hub.url, 'nobody', 'whatever-password');
    expect(nobody).toMatchObject({ status: 401, body: { ok: false, error: 'bad_credentials' } });
  });

  it('refuses a screen from a foreign Origin even with a valid session, and accepts the hub’s own origin', async () => {
    const cookie = await sessionCookie(hub.url, 'dora', PASSWORD);
    const evil = screenWith(hub.url, { cookie, origin: 'http://evil.example' });
    expect(await connectOutcome(evil)).toMatch(/^bad_origin: screens from http:\/\/evil\.example are not allowed/);
    evil.close();
    const own = screenWith(hub.url, { cookie, origin: hub.url });
    expect(await connectOutcome(own)).toBe('connected');
    own.close();
    // Same for a state-changing HTTP request (CSRF): a foreign page cannot log in or command through the browser.
    const csrf = await login(hub.url, 'dora', PASSWORD, {}, { origin: 'http://evil.example' });
    expect(csrf).toMatchObject({ status: 403, body: { error: 'bad_origin' } });
  });

  it('makes a one-time password be changed at the first login, after which only the new one works', async () => {
    const { password } = await hub.store.add('olga', 'commander');
    const first = await login(hub.url, 'olga', password);
    expect(first).toMatchObject({ status: 403, body: { error: 'password_change_required' }, cookie: undefined });
    const weak = await login(hub.url, 'olga', password, { newPassword: 'short' });
    expect(weak).toMatchObject({ status: 400, body: { error: 'weak_password' } });
    const changed = await login(hub.url, 'olga', password, { newPassword: 'a-long-new-secret-9' });
    expect(changed.status).toBe(200);
    expect(changed.cookie).toBeDefined();
    expect((await login(hub.url, 'olga', password)).status).toBe(401);
    expect((await login(hub.url, 'olga', 'a-long-new-secret-9')).status).toBe(200);
    expect((await hub.store.get('olga'))?.mustChangePassword).toBe(false);
  });

  it('ends a user’s sessions when an operator resets the password or removes the account', async () => {
    await addUser(hub.store, 'pete', 'viewer');
    const cookie = await sessionCookie(hub.url, 'pete', PASSWORD);
    expect((await fetch(`${hub.url}/api/kpi`, { headers: { cookie } })).status).not.toBe(401);
    await hub.store.setPassword('pete');
    expect((await fetch(`${hub.url}/api/kpi`, { headers: { cookie } })).status).toBe(401);

    await addUser(hub.store, 'rita', 'viewer');
    const rita = await sessionCookie(hub.url, 'rita', PASSWORD);
    await hub.store.remove('rita');
    expect((await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: rita } })).status).toBe(401);
  });

  it('pairs a wall once: the token becomes a long-lived viewer session; a second use is refused', async () => {
    const token = await hub.store.createPairing('lobby');
    const first = await pair(hub.url, token);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ok: true, data: { wall: 'lobby' } });
    expect(first.setCookie).toMatch(/Max-Age=34560000/);
    const wall = screenWith(hub.url, { cookie: first.cookie! });
    expect(await connectOutcome(wall)).toBe('connected');
    const me = await (await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: first.cookie! } })).json();
    expect(me).toEqual({ ok: true, data: { mode: 'required', kind: 'wall', id: 'lobby', role: 'viewer' } });

    const second = await pair(hub.url, token);
    expect(second).toMatchObject({ status: 401, body: { error: 'pairing_invalid' }, cookie: undefined });
    expect((await hub.store.listWalls()).map((w) => w.name)).toEqual(['lobby']);

    // Unpairing ends the wall's session at once (its open socket is dropped at the hub's next 30 s check).
    expect(await hub.store.unpair('lobby')).toBe(1);
    expect((await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: first.cookie! } })).status).toBe(401);
    wall.close();
  });
});

describe('sessions behind HTTPS', () => {
  let hub: AuthHub;
  beforeAll(async () => {
    hub = await startAuthHub('auth-secure', { authOptions: { cookieSecure: true } });
    await addUser(hub.store, 'sam', 'viewer');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('marks the cookie Secure and sends HSTS when the hub is reached over HTTPS (EGRET_COOKIE_SECURE=1)', async () => {
    const r = await login(hub.url, 'sam', PASSWORD);
    expect(r.setCookie).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });
});
