import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { LogEvent } from '@egret/protocol';
import { AccountStore } from '@egret/server/auth/accounts.ts';
import { AutoDispatcher } from '@egret/simulator/dispatch/auto-dispatcher.ts';
import { HttpHub } from '@egret/simulator/dispatch/hub-client.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, type EgretDebugView } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { simulateCity, writeCity } from './support/world.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** A weekday morning: half an hour of the simulator's normal day, 09:00 to 09:30, written to the hub in one go. */
const WORLD_START = '2026-07-01T09:00:00+08:00';
const PASSWORD = 'correct-horse-battery-42';

/** Collects what the page reports about its Content-Security-Policy: console errors and violation events. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (load|execute|apply|evaluate|connect|create)/i.test(text))
      seen.push(`console: ${text}`);
  });
  await page.addInitScript(() => {
    interface Violation {
      violatedDirective: string;
      blockedURI: string;
      sourceFile: string;
      lineNumber: number;
      columnNumber: number;
    }
    const w = globalThis as unknown as {
      __csp: string[];
      document: { addEventListener(type: string, f: (e: Violation) => void): void };
    };
    w.__csp = [];
    w.document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
    );
  });
  return async () => [
    ...seen,
    ...((await page.evaluate(() => (globalThis as unknown as { __csp?: string[] }).__csp ?? [])) as string[]),
  ];
}

/**
 * Waits until the debug hook shows at least these counts. A function, not a string: the page's CSP forbids
 * evaluating strings, and Playwright evaluates a string predicate inside the page (`waitForEgret` does).
 */
async function waitForLive(
  page: Page,
  min: { unitsPositioned: number; caseCount: number; framesReceived: number },
  timeout = 90_000,
): Promise<void> {
  await page.waitForFunction(
    (m) => {
      const e = (globalThis as unknown as { __egret?: EgretDebugView }).__egret;
      return (
        !!e &&
        e.deckCount === 1 &&
        e.unitsPositioned >= m.unitsPositioned &&
        e.caseCount >= m.caseCount &&
        e.framesReceived >= m.framesReceived
      );
    },
    min,
    { timeout, polling: 250 },
  );
}

describe('accounts in the browser: a paired wall, the console behind a login', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let base: string;
  let store: AccountStore;
  let browser: Browser;

  beforeAll(async () => {
    const city = simulateCity({ config, units: 300, start: Date.parse(WORLD_START), minutes: 30 });
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'e2e-auth', auth: 'required' }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
    base = hub.base;
    store = new AccountStore(hub.redis, hub.keys);
    await store.add('dora', 'dispatcher', PASSWORD);
    await writeCity(hub, city);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('pairs a wall from /wall?pair=…: the live wall shows, the token leaves the address bar, no CSP violation', async () => {
    const page = await browser.context.newPage();
    const violations = await watchCsp(page);
    const token = await store.createPairing('lobby');
    await page.goto(`${base}/wall?pair=${token}`);
    try {
      await waitForLive(page, { unitsPositioned: 1, caseCount: 1, framesReceived: 3 });
    } catch (err) {
      throw new Error(`the paired wall never went live: ${JSON.stringify(await egretFacts(page))}`, { cause: err });
    }
    expect(page.url()).toBe(`${base}/wall`);
    expect(await page.locator('[data-login]').count()).toBe(0);
    const facts = (await egretFacts(page))!;
    expect(facts.deckCount).toBe(1);
    expect(await violations()).toEqual([]);
    writeFileSync(resolve(ARTIFACTS, 'auth-wall-paired.png'), await page.screenshot());

    // The token worked once; the cookie keeps the wall live across a reload, unattended.
    expect(await store.listPairings()).toEqual([]);
    await page.reload();
    await waitForLive(page, { unitsPositioned: 1, caseCount: 1, framesReceived: 2 });
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('shows the login page at /console without a session, and the live map once logged in as a dispatcher', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const violations = await watchCsp(page);
    await page.goto(`${base}/console`);
    await page.locator('[data-login]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-login-reason="needed"]').textContent()).toBe('请登录后查看此屏幕');
    expect(await page.locator('canvas').count()).toBe(0);
    writeFileSync(resolve(ARTIFACTS, 'auth-login.png'), await page.screenshot());

    await page.locator('input[name="user"]').fill('dora');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-login-error]').textContent()).toBe('用户名或密码错误');

    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    try {
      await waitForLive(page, { unitsPositioned: 1, caseCount: 1, framesReceived: 2 });
    } catch (err) {
      throw new Error(`the console never showed the map after logging in: ${JSON.stringify(await egretFacts(page))}`, {
        cause: err,
      });
    }
    expect(page.url()).toBe(`${base}/console`);
    expect(await page.locator('[data-login]').count()).toBe(0);
    expect(await violations()).toEqual([]);
    writeFileSync(resolve(ARTIFACTS, 'auth-console.png'), await page.screenshot());
    await page.close();
  });

  it('lets the simulator’s auto-dispatcher dispatch as its service account', async () => {
    // What npm start does: the simulator's auto-dispatcher acts through a dispatcher service key. Its own code, run
    // here on the log it would follow, rather than a simulator process waiting for cases to fall due.
    const { token } = await store.createKey('sim-auto-dispatcher', 'dispatcher');
    const dispatcher = new AutoDispatcher({ hub: new HttpHub(base, { token }), afterMs: 0 });
    const logged = () =>
      hub.redis
        .xRange(hub.keys.log, '-', '+')
        .then((entries) => (entries ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent));
    dispatcher.observe(await logged());
    dispatcher.tick(hub.now());
    await dispatcher.stop();
    expect(dispatcher.stats.dispatched, JSON.stringify(dispatcher.stats)).toBeGreaterThan(0);
    const created = (await logged()).find(
      (e): e is Extract<LogEvent, { type: 'task.created' }> => e.type === 'task.created',
    );
    expect(created).toBeDefined();
    expect(created!.actor).toEqual({ role: 'dispatcher', id: 'sim-auto-dispatcher' });
  });
});
