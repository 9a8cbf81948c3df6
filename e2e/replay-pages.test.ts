import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { EVENT_PAGE_SIZE, type InputMessage, type ReplayState } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { startHub, type TestHub } from './support/hub.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-07-01T00:00:00+08:00');
/** Case reports, one every 4 world-seconds: two complete pages of the log and a tail, over 10 world hours. */
const REPORTS = 2 * EVENT_PAGE_SIZE + 800;
const EVERY_MS = 4_000;

interface Facts {
  t: number;
  seq: number;
  playing: boolean;
  loading: boolean;
  error: string | null;
}

const facts = (page: Page) =>
  page.evaluate(() => {
    const e = (globalThis as unknown as { __egretReplay?: Facts }).__egretReplay;
    return e ? { t: e.t, seq: e.seq, playing: e.playing, loading: e.loading, error: e.error } : undefined;
  });

describe('replay plays forward by the log’s pages at 3600×, exactly', () => {
  const base = loadConfig();
  const config = {
    ...base,
    settings: {
      ...base.settings,
      replay: { ...base.settings.replay, snapshotEveryEvents: 500, snapshotEveryMinutes: 60 },
    },
  };
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  const to = T0 + REPORTS * EVERY_MS + 60_000;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl: inject('redisUrl'), config, label: 'replay-pages' }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
    // The world is built by writing its inputs: the hub's clock past the night (the change itself dated at the
    // night's start, so that world time in the log only moves forward), then its reports (each one event).
    const clock = { baseReal: Date.now(), baseWorld: T0 + 11 * HOUR, rate: 1, scenario: 'pages-night' };
    await hub.send({ kind: 'clock.set', at: T0 - 60_000, clock });
    await hub.hubHas('the night’s clock', () => hub.app.world().clock.baseWorld === clock.baseWorld);
    const reports: InputMessage[] = Array.from({ length: REPORTS }, (_, i) => ({
      kind: 'case.report',
      caseId: `PG-${i}`,
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'normal',
      lon: 118.08 + (i % 50) * 0.001,
      lat: 24.45 + (i % 40) * 0.001,
      address: '思明南路',
      // Every ninth a late report: its time behind the one before (replay's time rule must hold across pages).
      at: T0 + i * EVERY_MS - (i % 9 === 0 ? 9_000 : 0),
    }));
    await hub.sendAll(reports);
    await hub.hubHas('every report', () => hub.app.world().cases.size === REPORTS, 90_000);
    // The history writer has passed both complete pages: they are final, kept compressed.
    for (let i = 0; ; i++) {
      const folded = Number(await hub.redis.hGet(hub.keys.replayCursor, 'countedSeq'));
      if (folded >= 2 * EVENT_PAGE_SIZE) break;
      if (i > 1_200) throw new Error(`the history writer never passed seq ${2 * EVENT_PAGE_SIZE}: at ${folded}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('asks the final pages, then windows for the tail, and holds the hub’s state at every instant it shows', async () => {
    const asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/replay/events') asked.push(url.search);
    });
    const answers: { search: string; status: number; encoding: string | undefined; etag: string | undefined }[] = [];
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/replay/events')
        answers.push({
          search: url.search,
          status: r.status(),
          encoding: r.headers()['content-encoding'],
          etag: r.headers()['etag'],
        });
    });
    const seekTo = T0 + 20 * 60_000;
    await page.goto(`${hub.base}/replay?from=${T0}&to=${to}&t=${seekTo}&map=off`);
    await page.waitForFunction(
      (t) => {
        const e = (globalThis as unknown as { __egretReplay?: Facts }).__egretReplay;
        return e !== undefined && !e.loading && e.t === t;
      },
      seekTo,
      { timeout: 60_000, polling: 200 },
    );
    await page.locator('[data-speed="3600"]').click();
    await page.locator('[data-testid="play"]').click();

    // While it plays: the state shown at t is the hub's state at t (sampled as the page holds them, in one look).
    let checked = 0;
    let last = (await facts(page))!;
    const until = Date.now() + 90_000;
    while (last.t < to) {
      if (Date.now() > until) throw new Error(`replay stopped short: ${JSON.stringify(last)}`);
      expect(last.error).toBeNull();
      if (!last.loading && last.t > seekTo) {
        const there = (await (
          await fetch(`${hub.base}/api/replay/state?t=${Math.floor(last.t)}&part=open`)
        ).json()) as ReplayState;
        expect(last.seq, `at ${new Date(last.t).toISOString()}`).toBe(there.world.seq);
        checked++;
      }
      await new Promise((r) => setTimeout(r, 150));
      last = (await facts(page))!;
    }
    const end = (await (await fetch(`${hub.base}/api/replay/state?t=${to}&part=open`)).json()) as ReplayState;
    expect(last.seq).toBe(end.world.seq);
    expect(end.world.seq).toBeGreaterThanOrEqual(REPORTS);
    expect(checked).toBeGreaterThan(3);

    // It asked by pages: 0 (the seek's), 1 — final, brotli, a strong ETag — then page 2, the tail, not final, and
    // from there by window with afterSeq; no window ask before the tail.
    const pagesAsked = asked.filter((q) => q.startsWith('?page='));
    expect(pagesAsked.slice(0, 3)).toEqual(['?page=0', '?page=1', '?page=2']);
    const firstWindow = asked.findIndex((q) => q.includes('afterSeq='));
    expect(firstWindow).toBeGreaterThan(asked.indexOf('?page=2'));
    const final = answers.filter((a) => a.search === '?page=0' || a.search === '?page=1');
    expect(final.length).toBeGreaterThanOrEqual(2);
    for (const a of final) {
      expect(a.status).toBe(200);
      expect(a.encoding).toBe('br');
      expect(a.etag).toMatch(/^"[\w-]{22}\.br"$/);
    }
  });
});
