import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';

type Untyped = any;

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

/*
 * A wall whose map cannot draw must not show a blank or frozen map as if all were well (display/src/map/map-failure.ts):
 * a browser without WebGL 2, and a WebGL context lost for good (a graphics driver reset on a wall that runs for weeks;
 * deck.gl does not restore it). The panels and the link go on either way.
 */
describe('a wall whose map cannot draw', () => {
  const config = loadConfig();
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [hub, browser] = await Promise.all([
      startHub({ redisUrl: inject('redisUrl'), config, label: 'map-failure' }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('says in the map’s place that this browser has no WebGL 2, the panels live', async () => {
    const page = await browser.context.newPage();
    // A browser whose WebGL is blacklisted (an old driver): no context of either kind.
    await page.addInitScript(() => {
      // Page code (the test project has no DOM types): the canvas's prototype, untyped.
      const proto = (globalThis as Untyped).HTMLCanvasElement.prototype;
      const getContext = proto.getContext;
      proto.getContext = function (this: unknown, ...a: unknown[]) {
        return a[0] === 'webgl2' || a[0] === 'webgl' ? null : getContext.apply(this, a);
      };
    });
    await page.goto(`${hub.base}/wall`);
    const note = page.locator('[data-map-failure="no-webgl"]');
    await note.waitFor({ timeout: 60_000 });
    expect(await note.textContent()).toContain('WebGL 2');
    await waitForEgret(page, `e.link === 'live'`, 60_000);
    await page.screenshot({ path: resolve(ARTIFACTS, 'wall-no-webgl.png') });
    await page.close();
  });

  it('says when its WebGL context is lost, then reloads and draws the map again', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${hub.base}/wall`);
    await waitForEgret(page, `e.redraws > 0 && e.link === 'live'`, 60_000);
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    // What a driver reset does to the page's context.
    await page.evaluate(() => {
      const canvas = (globalThis as Untyped).document.querySelector('.map canvas');
      canvas.getContext('webgl2').getExtension('WEBGL_lose_context').loseContext();
    });
    const note = page.locator('[data-map-failure="context-lost"]');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toContain('正在重新载入');
    await page.screenshot({ path: resolve(ARTIFACTS, 'wall-context-lost.png') });
    await reloaded;
    await waitForEgret(page, `e.redraws > 0 && e.link === 'live'`, 60_000);
    expect(await page.locator('[data-map-failure]').count()).toBe(0);
    await page.close();
  });

  it('draws the base map within seconds when its hub never sends a state (the first draw waits for it, not forever)', async () => {
    const page = await browser.context.newPage();
    // The page loads, its socket reaches no hub: no snapshot comes.
    await page.routeWebSocket(/\/socket\.io\//, () => {});
    await page.goto(`${hub.base}/wall`);
    await waitForEgret(page, `(e.map?.drawnLayers().find((l) => l.id === 'district-fill')?.length ?? 0) > 0`, 60_000);
    const facts = await page.evaluate(() => {
      const e = (globalThis as Untyped).__egret;
      return { snapshots: e.snapshots as number, link: e.link as string, hold: e.firstDrawHold as string | null };
    });
    expect(facts.snapshots).toBe(0);
    expect(facts.hold).toBe('timeout');
    expect(facts.link).not.toBe('live');
    await page.close();
  });
});
