import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore, type Account } from '../src/auth/accounts.ts';
import { hashPassword, scryptCost } from '../src/auth/passwords.ts';
import { startHub, type TestHub } from './hub-fixture.ts';
import { addUser, login, PASSWORD, sessionCookie, startAuthHub, type AuthHub } from './auth-fixture.ts';

/**
 * Password attempts are counted before the slow check, atomically: a burst sent in one instant gets at most the
 * limit's number of checks, and the right password sent after the limit is refused like the wrong ones.
 */
describe('password attempts sent all at once', () => {
  const MAX = 5;
  let hub: AuthHub;

  beforeAll(async () => {
    hub = await startAuthHub('auth-burst', { authOptions: { limits: { login: { max: MAX, windowMs: 60_000 } } } });
    await addUser(hub.store, 'bella', 'dispatcher');
    await addUser(hub.store, 'boris', 'dispatcher');
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  it('checks at most the limit of a login burst and refuses the right password sent after it (429, no session)', async () => {
    const attempts = [...Array.from({ length: 19 }, (_, i) => `wrong-password-${i}`), PASSWORD];
    const pending = [];
    for (const password of attempts) pending.push(login(hub.url, 'bella', password));
    const answers = await Promise.all(pending);
    const statuses = answers.map((a) => a.status);
    const checked = statuses.filter((s) => s === 401 || s === 200).length;
    expect(checked, statuses.join(' ')).toBeLessThanOrEqual(MAX);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(attempts.length - MAX);
    expect(statuses.at(-1)).toBe(429);
    expect(answers.at(-1)!.cookie).toBeUndefined();
    expect((await login(hub.url, 'bella', PASSWORD)).status).toBe(429);
  });

  it('checks at most the limit of a burst of password changes, and the right one sent after it changes nothing', async () => {
    const cookie = await sessionCookie(hub.url, 'boris', PASSWORD);
    const change = (password: string) =>
      fetch(`${hub.url}/api/auth/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ password, newPassword: 'a-brand-new-secret-7' }),
      }).then((r) => r.status);
    const statuses = await Promise.all([
      ...Array.from({ length: 19 }, (_, i) => change(`wrong-password-${i}`)),
      change(PASSWORD),
    ]);
    expect(statuses.filter((s) => s === 401 || s === 200).length, statuses.join(' ')).toBeLessThanOrEqual(MAX);
    expect(statuses.at(-1)).toBe(429);
    // The password did not change: the old one still logs in (from the store: this address is locked for boris).
    expect(await hub.store.check('boris', PASSWORD)).toBeDefined();
  });
});

describe('the scrypt cost of password hashes', () => {
  let hub: TestHub;
  let store: AccountStore;
  let t: AuthHub;

  beforeAll(async () => {
    t = await startAuthHub('auth-cost');
    // A hub at the default cost (no passwordCost option), on the same accounts.
    hub = await startHub(t.ns, { auth: 'required' });
    store = new AccountStore(t.redis, t.keys);
  });
  afterAll(async () => {
    await hub.close();
    await t.closeAll();
  });

  const storedHash = async (user: string) => (JSON.parse((await t.redis.hGet(t.keys.accounts, user))!) as Account).hash;

  it('hashes at N = 2^17 by default, and such a hash logs in', async () => {
    expect(store.cost).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    await store.add('dina', 'viewer', PASSWORD);
    expect(await storedHash('dina')).toMatch(/^scrypt\$131072\$8\$1\$/);
    const r = await login(hub.url, 'dina', PASSWORD);
    expect(r.status).toBe(200);
    expect(await storedHash('dina')).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it('hashes an old-cost password again at the default cost on its next successful login, and only then', async () => {
    const old = await hashPassword(PASSWORD, scryptCost(2 ** 15));
    const at = Date.now();
    await t.redis.hSet(
      t.keys.accounts,
      'olga',
      JSON.stringify({
        user: 'olga',
        role: 'viewer',
        hash: old,
        mustChangePassword: false,
        gen: 3,
        createdAt: at,
        changedAt: at,
      } satisfies Account),
    );
    expect((await login(hub.url, 'olga', 'not-her-password-1')).status).toBe(401);
    expect(await storedHash('olga')).toBe(old);
    const r = await login(hub.url, 'olga', PASSWORD);
    expect(r.status).toBe(200);
    const upgraded = await storedHash('olga');
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((JSON.parse((await t.redis.hGet(t.keys.accounts, 'olga'))!) as Account).gen).toBe(3);
    expect((await login(hub.url, 'olga', PASSWORD)).status).toBe(200);
    expect(await storedHash('olga')).toBe(upgraded);
  });
});
