import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, waitForEgret } from './support/egret-page.ts';
import { startHub, type Fix, type TestHub } from './support/hub.ts';
import { registerUnits } from './support/world.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
const UNITS = 200;

/** One fact of the debug hook (display/src/debug-hook.ts). */
function fact<T>(page: Page, name: string): Promise<T> {
  return page.evaluate((n) => (globalThis as any).__egret[n] as T, name);
}

/** The wall's first unit as it holds it. */
function firstUnit(page: Page): Promise<{ lon: number; lat: number } | undefined> {
  return page.evaluate(() => (globalThis as any).__egret.unitPositions(1)[0]);
}

/*
 * Issue #19: the wall's position frames come on a socket its Web Worker opens. When that socket is cut the wall must
 * never look live with frozen units: the hub dropping it is a blip the worker recovers from; a stream that cannot
 * come back is shown on the link badge, and the page then takes the frames on its main socket.
 */
describe('the wall’s positions stream, cut', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let ids: string[];
  /** The hub leaves a positions stream's handshake unanswered while set. */
  let streamsBlocked = false;
  const round = (k: number): Fix[] =>
    ids.map((unitId, i) => ({
      unitId,
      lon: 118.07 + (i % 20) * 0.002 + k * 0.0001,
      lat: 24.45 + Math.floor(i / 20) * 0.001,
      at: hub.now(),
    }));
  /** The hub drops the worker's socket (as a hub does with a stalled screen). */
  const dropStreams = () => {
    let dropped = 0;
    for (const s of hub.app.io.sockets.sockets.values())
      if (s.data.positionsStream) {
        s.disconnect(true);
        dropped++;
      }
    return dropped;
  };

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'positions-stream' }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
    ids = Array.from({ length: UNITS }, (_, i) => `U-STREAM-${i}`);
    await registerUnits(hub, ids, { names: (i) => `巡查 ${i + 1}`, squads: (i) => `SQ-STREAM-${i % 10}` });
    await hub.sendFixes(round(0));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('recovers when the hub drops the stream, shows it when it cannot come back, then takes frames on its main socket', async () => {
    await page.goto(`${hub.base}/wall?map=off`);
    await waitForEgret(page, `e.unitsPositioned === ${UNITS} && e.link === 'live' && e.positionsVia === 'worker'`);
    expect(await fact<number>(page, 'framesOnMain')).toBe(0);

    // A drop: the worker reconnects, gets a keyframe, and the frames go on coming through it.
    expect(dropStreams()).toBe(1);
    const before = await fact<number>(page, 'framesViaWorker');
    await hub.sendFixes(round(1));
    await waitForEgret(page, `e.framesViaWorker > ${before + 5} && e.positionsVia === 'worker'`, 30_000);
    await expect.poll(() => firstUnit(page), { timeout: 15_000 }).toMatchObject({ lon: expect.closeTo(118.0701, 5) });
    expect(await fact<number>(page, 'framesOnMain')).toBe(0);

    // A stream that cannot come back (its handshake never answered): the badge says so while the log stays live…
    streamsBlocked = true;
    hub.app.io.use((socket, next) => {
      if (!streamsBlocked || (socket.handshake.auth as { stream?: string }).stream !== 'positions') next();
    });
    expect(dropStreams()).toBe(1);
    await waitForEgret(page, `e.link === 'positions-down'`, 15_000);
    await page.screenshot({ path: resolve(ARTIFACTS, 'positions-down.png') });
    expect(await page.locator('[data-link="positions-down"]').textContent()).toMatch(/单位位置中断 \d+ 秒/);

    // …until the page takes the frames on its main socket: live again, and the units move.
    await waitForEgret(page, `e.positionsVia === 'main' && e.link === 'live' && e.framesOnMain > 2`, 60_000);
    expect(await fact<string>(page, 'positionsFallback')).toMatch(/^socket down \d+ s$/);
    await hub.sendFixes(round(2));
    await expect.poll(() => firstUnit(page), { timeout: 15_000 }).toMatchObject({ lon: expect.closeTo(118.0702, 5) });
    const facts = (await egretFacts(page))!;
    expect(facts.snapshots).toBe(1);
  });

  it('takes the frames back through a new worker once the stream can come back, and the main socket gives them up', async () => {
    expect(await fact<string>(page, 'positionsVia')).toBe('main');
    streamsBlocked = false;
    // The page tries a new worker 30 s after the fallback (net/positions-link.ts `retryDelay`).
    await waitForEgret(page, `e.positionsVia === 'worker' && e.positionsResumed === 1 && e.link === 'live'`, 90_000);
    const [onMain, viaWorker] = [await fact<number>(page, 'framesOnMain'), await fact<number>(page, 'framesViaWorker')];
    await hub.sendFixes(round(3));
    await expect.poll(() => firstUnit(page), { timeout: 15_000 }).toMatchObject({ lon: expect.closeTo(118.0703, 5) });
    await waitForEgret(page, `e.framesViaWorker > ${viaWorker + 5}`, 30_000);
    // Frames still on their way to the main socket when the worker took over are dropped; the hub sends it none now.
    expect(await fact<number>(page, 'framesOnMain')).toBe(onMain);
    const main = [...hub.app.io.sockets.sockets.values()].filter((s) => !s.data.positionsStream);
    expect(main.map((s) => s.rooms.has('positions:live'))).toEqual([false]);
    const facts = (await egretFacts(page))!;
    expect(facts.snapshots).toBe(1);
  });
});
