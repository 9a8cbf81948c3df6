import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from './hub-fixture.ts';
import { addUser, login, PASSWORD, startAuthHub, TEST_PASSWORD_COST, type AuthHub } from './auth-fixture.ts';

describe('login rate limit', () => {
  // Long enough that six logins (scrypt each) fit in it on a loaded 2-core machine; the test waits it out once.
  const WINDOW_MS = 10_000;
  let a: AuthHub;
  let b: TestHub;

  beforeAll(async () => {
    const limits = { login: { max: 5, windowMs: WINDOW_MS } };
    a = await startAuthHub('auth-login', { authOptions: { limits } });
    // A second hub on the same Redis and namespace: the count is shared, so a guesser gains nothing by switching.
    b = await startHub(a.ns, { auth: 'required', authOptions: { limits, passwordCost: TEST_PASSWORD_COST } });
    await addUser(a.store, 'gina', 'dispatcher');
    await addUser(a.store, 'hugo', 'dispatcher');
  });
  afterAll(async () => {
    await b.close();
    await a.closeAll();
  });

  it('answers 429 after 5 failures for a user from one address — even to the right password — across hubs, until the window ends', async () => {
    const statuses: number[] = [];
    for (const hub of [a, a, a, b, b]) statuses.push((await login(hub.url, 'gina', 'wrong-password-1')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const locked = await login(a.url, 'gina', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(locked.cookie).toBeUndefined();
    expect((await login(b.url, 'gina', PASSWORD)).status).toBe(429);

    // Another user is not locked by gina's failures.
    expect((await login(a.url, 'hugo', PASSWORD)).status).toBe(200);

    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    const after = await login(b.url, 'gina', PASSWORD);
    expect(after.status).toBe(200);
    expect(after.cookie).toBeDefined();
  });

  it('counts failures only: a successful login clears the count', async () => {
    for (let i = 0; i < 4; i++) expect((await login(a.url, 'hugo', 'wrong-password-2')).status).toBe(401);
    expect((await login(a.url, 'hugo', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(a.url, 'hugo', 'wrong-password-3')).status).toBe(401);
    expect((await login(a.url, 'hugo', PASSWORD)).status).toBe(200);
  });
});
