import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import { AccountStore } from '@egret/server/auth/accounts.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { startHub, type TestHub } from './support/hub.ts';

/**
 * The replay's fetch worker (display/src/replay/fetch-worker.ts, worker-fetch.ts) against a hub behind accounts: the
 * worker's asks carry the page's session, an expired session shows the hub's message as the page's own fetch did,
 * and a worker that cannot start (its script refused, or a browser without module workers) leaves the replay to
 * the page's fetch without an error.
 */
const T0 = Date.parse('2026-07-01T09:00:00+08:00');
const REPORTS = 60;
const EVERY_MS = 20_000;
const PASSWORD = 'correct-horse-battery-42';

interface Facts {
  t: number;
  seq: number;
  loading: boolean;
  error: string | null;
  caseCount: number;
}

const facts = (page: Page) =>
  page.evaluate(() => {
    const e = (globalThis as unknown as { __egretReplay?: Facts }).__egretReplay;
    return e ? { t: e.t, seq: e.seq, loading: e.loading, error: e.error, caseCount: e.caseCount } : undefined;
  });

/** Waits until the replay has settled at t (loaded, or failed): a function, the hub's CSP forbids eval. */
const settled = (page: Page, t: number, timeout = 30_000) =>
  page
    .waitForFunction(
      (at: number) => {
        const e = (globalThis as unknown as { __egretReplay?: Facts }).__egretReplay;
        return !!e && e.t === at && (!e.loading || e.error !== null);
      },
      t,
      { timeout, polling: 100 },
    )
    .catch(async (err: unknown) => {
      throw new Error(`the replay never settled at ${t}: ${JSON.stringify(await facts(page))}`, { cause: err });
    });

/** Waits until the replay shows an error. */
const failed = (page: Page, timeout = 30_000) =>
  page.waitForFunction(
    () => {
      const e = (globalThis as unknown as { __egretReplay?: Facts }).__egretReplay;
      return !!e && e.error !== null;
    },
    undefined,
    { timeout, polling: 100 },
  );

describe('replay’s fetch worker behind accounts', () => {
  const config = loadConfig();
  let hub: TestHub;
  let browser: Browser;
  let store: AccountStore;
  const seekTo = T0 + (REPORTS / 2) * EVERY_MS;
  const url = (extra = '') => `${hub.base}/replay?from=${T0}&to=${T0 + REPORTS * EVERY_MS}&t=${seekTo}&map=off${extra}`;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl: inject('redisUrl'), config, label: 'replay-worker', auth: 'required' }),
      launchChromium({ width: 1280, height: 720 }),
    ]);
    store = new AccountStore(hub.redis, hub.keys);
    await store.add('rita', 'commander', PASSWORD);
    const clock = { baseReal: Date.now(), baseWorld: T0 + 2 * 3_600_000, rate: 1, scenario: 'replay-worker' };
    await hub.send({ kind: 'clock.set', at: T0 - 60_000, clock });
    await hub.hubHas('the clock', () => hub.app.world().clock.baseWorld === clock.baseWorld);
    const reports: InputMessage[] = Array.from({ length: REPORTS }, (_, i) => ({
      kind: 'case.report',
      caseId: `RW-${i}`,
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'normal',
      lon: 118.08 + (i % 10) * 0.001,
      lat: 24.45 + (i % 8) * 0.001,
      address: '思明南路',
      at: T0 + i * EVERY_MS,
    }));
    await hub.sendAll(reports);
    await hub.hubHas('every report', () => hub.app.world().cases.size === REPORTS);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const login = async () => {
    const res = await browser.context.request.post(`${hub.base}/api/auth/login`, {
      data: { user: 'rita', password: PASSWORD },
      headers: { origin: hub.base },
    });
    expect(res.status(), await res.text()).toBe(200);
  };

  it('asks through the worker with the page’s session; an expired one shows the hub’s message in both modes', async () => {
    await login();
    const page = await browser.context.newPage();
    // The hub's Content-Security-Policy must let the worker start and fetch (worker-src, connect-src).
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text());
    });
    const seen: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/replay/')) seen.push({ url: r.url(), status: r.status() });
    });
    try {
      await page.goto(url());
      await settled(page, seekTo);
      const at = (await facts(page))!;
      expect(at.error).toBeNull();
      expect(at.caseCount).toBeGreaterThan(0);
      expect(seen.filter((s) => s.url.includes('/api/replay/state')).map((s) => s.status)).toContain(200);
      expect(seen.filter((s) => s.status === 401)).toEqual([]);
      expect(csp).toEqual([]);
      // The answers came through the worker: the page's own Resource Timing has none of the replay's asks.
      const own = await page.evaluate(
        () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/replay/')).length,
      );
      expect(own).toBe(0);

      // The session ends (logged out elsewhere, or expired): the next seek shows the hub's own message.
      await browser.context.clearCookies();
      const later = seekTo + 5 * EVERY_MS;
      await page.evaluate(
        (t) => (globalThis as unknown as { __egretReplay: { seek(t: number): void } }).__egretReplay.seek(t),
        later,
      );
      await settled(page, later);
      const viaWorker = (await facts(page))!.error;
      expect(viaWorker).toMatch(/^log in first/);

      const main = await browser.context.newPage();
      try {
        // The page's own fetch (`?fetch=main`) and the worker, both without a session: the same message.
        await main.goto(url('&fetch=main'));
        await failed(main);
        const again = await browser.context.newPage();
        try {
          await again.goto(url());
          await failed(again);
          expect((await facts(again))!.error).toBe(viaWorker);
        } finally {
          await again.close();
        }
        expect((await facts(main))!.error).toBe(viaWorker);
      } finally {
        await main.close();
      }
    } finally {
      await page.close();
    }
  });

  it('opens without an error when the worker’s script is refused (404)', async () => {
    await login();
    const page = await browser.context.newPage();
    let refused = 0;
    await page.route(/fetch-worker[^/]*\.(js|ts)/, (route) => {
      refused++;
      return route.fulfill({ status: 404, body: 'gone' });
    });
    try {
      await page.goto(url());
      await settled(page, seekTo);
      expect(refused).toBe(1);
      expect((await facts(page))!.error).toBeNull();
      expect((await facts(page))!.caseCount).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });

  it('opens without an error when the worker’s script fails after the replay’s first asks were made', async () => {
    await login();
    const page = await browser.context.newPage();
    // The worker's script held until the session has asked for its range (the debug hook is installed just before
    // `open`, which asks at once), then refused: what waited on the worker must not fail the opening.
    await page.route(/fetch-worker[^/]*\.(js|ts)/, async (route) => {
      await page.waitForFunction(
        () => !!(globalThis as unknown as { __egretReplay?: Facts }).__egretReplay,
        undefined,
        {
          polling: 20,
        },
      );
      await route.fulfill({ status: 404, body: 'gone' });
    });
    try {
      await page.goto(url());
      await settled(page, seekTo);
      expect((await facts(page))!.error).toBeNull();
      expect((await facts(page))!.caseCount).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });

  it('shows a network error in the same words as the page’s own fetch', async () => {
    await login();
    const errors: (string | null)[] = [];
    for (const mode of ['', '&fetch=main']) {
      const page = await browser.context.newPage();
      await page.route(/\/api\/replay\/range/, (route) => route.abort('connectionrefused'));
      try {
        await page.goto(url(mode));
        await failed(page);
        errors.push((await facts(page))!.error);
      } finally {
        await page.close();
      }
    }
    expect(errors).toEqual(['Failed to fetch', 'Failed to fetch']);
  });

  it('an answer with no body (204 from a proxy) fails as the page’s own fetch does, never hangs', async () => {
    await login();
    const errors: (string | null)[] = [];
    for (const mode of ['', '&fetch=main']) {
      const page = await browser.context.newPage();
      await page.route(/\/api\/replay\/range/, (route) => route.fulfill({ status: 204 }));
      try {
        await page.goto(url(mode));
        await failed(page);
        errors.push((await facts(page))!.error);
      } finally {
        await page.close();
      }
    }
    // Chromium words the empty body of a built Response and of a fetched one a little differently.
    for (const e of errors) expect(e).toMatch(/Unexpected end of/);
  });

  it('an overtaken seek’s asks are cancelled in the worker, not left holding connections', async () => {
    await login();
    const page = await browser.context.newPage();
    const slow = seekTo + 3 * EVERY_MS;
    const next = seekTo + 7 * EVERY_MS;
    // The overtaken seek's open part never answers (a slow hub); its request must end when the next seek starts.
    const held: { abandon: () => void }[] = [];
    await page.route(new RegExp(`/api/replay/state\\?t=${slow}&part=open`), (route) => {
      held.push({ abandon: () => void route.fulfill({ status: 503, body: '{}' }).catch(() => {}) });
    });
    const asked = new Promise<void>((done) =>
      page.on('request', (r) => {
        if (r.url().includes(`state?t=${slow}&part=open`)) done();
      }),
    );
    const cancelled = new Promise<string>((done) =>
      page.on('requestfailed', (r) => {
        if (r.url().includes(`state?t=${slow}&part=open`)) done(r.failure()?.errorText ?? '');
      }),
    );
    const seek = (t: number) =>
      page.evaluate(
        (at) => (globalThis as unknown as { __egretReplay: { seek(t: number): void } }).__egretReplay.seek(at),
        t,
      );
    try {
      await page.goto(url());
      await settled(page, seekTo);
      await seek(slow);
      await asked;
      await seek(next);
      const never = new Promise<string>((_, fail) => {
        const timer = setTimeout(() => fail(new Error('the overtaken seek’s request was never cancelled')), 15_000);
        void cancelled.finally(() => clearTimeout(timer));
      });
      expect(await Promise.race([cancelled, never])).toMatch(/ABORTED|cancel/i);
      await settled(page, next);
      expect((await facts(page))!.error).toBeNull();
    } finally {
      for (const h of held) h.abandon();
      await page.close();
    }
  });

  it('a burst of seeks (← → held down) ends at the last one, with the hub’s state there', async () => {
    await login();
    const page = await browser.context.newPage();
    try {
      await page.goto(url());
      await settled(page, seekTo);
      const times = Array.from({ length: 12 }, (_, i) => T0 + (i % 2 ? 40 - i : 10 + i) * EVERY_MS);
      const last = times.at(-1)!;
      await page.evaluate((ts) => {
        const r = (globalThis as unknown as { __egretReplay: { seek(t: number): void } }).__egretReplay;
        for (const t of ts) r.seek(t);
      }, times);
      await settled(page, last);
      const at = (await facts(page))!;
      expect(at.error).toBeNull();
      expect(at.loading).toBe(false);
      const state = (await (await browser.context.request.get(`${hub.base}/api/replay/state?t=${last}`)).json()) as {
        world: { seq: number; cases: unknown[] };
      };
      expect(at.seq).toBe(state.world.seq);
      expect(at.caseCount).toBe(state.world.cases.length);
    } finally {
      await page.close();
    }
  });

  it('the finished part comes from the worker parsed (not with ?parse=main), and the state is the hub’s either way', async () => {
    await login();
    for (const [extra, parsedInWorker] of [
      ['', true],
      ['&parse=main', false],
    ] as const) {
      const page = await browser.context.newPage();
      // The worker's answers as the page gets them: which came as a value parsed in the worker.
      await page.addInitScript(() => {
        const g = globalThis as unknown as { __parsed: string[]; Worker: { prototype: object } };
        g.__parsed = [];
        const own = Object.getOwnPropertyDescriptor(g.Worker.prototype, 'onmessage')!;
        Object.defineProperty(g.Worker.prototype, 'onmessage', {
          configurable: true,
          get(this: unknown) {
            return own.get!.call(this) as unknown;
          },
          set(this: unknown, fn: ((e: MessageEvent) => void) | null) {
            own.set!.call(
              this,
              fn &&
                ((e: MessageEvent) => {
                  const d = e.data as { json?: unknown; columns?: unknown };
                  if (d && typeof d === 'object' && 'json' in d) g.__parsed.push(Object.keys(d.json as object).join());
                  fn(e);
                }),
            );
          },
        });
      });
      try {
        await page.goto(url(extra));
        await settled(page, seekTo);
        const at = (await facts(page))!;
        expect(at.error, extra).toBeNull();
        const state = (await (
          await browser.context.request.get(`${hub.base}/api/replay/state?t=${seekTo}`)
        ).json()) as {
          world: { seq: number; cases: unknown[] };
        };
        expect(at.seq, extra).toBe(state.world.seq);
        expect(at.caseCount, extra).toBe(state.world.cases.length);
        const parsed = await page.evaluate(() => (globalThis as unknown as { __parsed: string[] }).__parsed);
        // The finished part's keys (t, world, columns), once per seek: the open one; nothing else comes parsed.
        if (parsedInWorker) expect(parsed.length, extra).toBeGreaterThan(0);
        expect(new Set(parsed), extra).toEqual(new Set(parsedInWorker ? ['t,world,columns'] : []));
      } finally {
        await page.close();
      }
    }
  });

  it('opens without an error in a browser whose Worker refuses module workers (Firefox before 114)', async () => {
    await login();
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      const g = globalThis as unknown as { Worker: unknown };
      g.Worker = function Worker(_url: unknown, opts?: { type?: string }) {
        if (opts?.type === 'module') throw new TypeError('Module scripts are not supported on DedicatedWorkers yet');
        throw new TypeError('no workers here');
      };
    });
    try {
      await page.goto(url());
      await settled(page, seekTo);
      expect((await facts(page))!.error).toBeNull();
      expect((await facts(page))!.caseCount).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
