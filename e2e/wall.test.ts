import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { createApp, type App } from '../server/src/app.ts';
import { testNamespace } from '../test/namespace.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, pickUnits, waitForEgret } from './support/egret-page.ts';
import { countColour, decodePng, pixelStats } from './support/png.ts';
import { startSimulator, type RunningSimulator } from './support/simulator.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** The map's sea colour (display/src/app.css --sea): what an empty map would be. */
const SEA: [number, number, number] = [6, 18, 36];
/** Unit status colours (display/src/theme.ts): available, dispatched, en route, on scene. */
const UNIT_COLOURS = [[52, 211, 153], [250, 204, 21], [251, 146, 60], [244, 114, 182]];
/** A weekday morning shift: the same busy city whatever the time of the run. */
const WORLD_START = '2026-07-01T09:30:00+08:00';

describe('the wall, fed by the simulator through a real hub', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  const ns = testNamespace('wall');
  let app: App;
  let port: number;
  let sim: RunningSimulator;
  let browser: Browser;
  let page: Page;

  const startHub = async (listenOn: number) => {
    const hub = createApp({ redisUrl, config, ns, hubId: `e2e-${ns}`, logger: pino({ level: 'warn' }) });
    return { hub, port: await hub.listen(listenOn, '127.0.0.1') };
  };

  beforeAll(async () => {
    ({ hub: app, port } = await startHub(0));
    sim = startSimulator({ REDIS_URL: redisUrl, EGRET_NS: ns, SIM_UNITS: '300', SIM_RATE: '30', SIM_START: WORLD_START });
    browser = await launchChromium({ width: 3840, height: 2160 });
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await sim?.stop();
    await app?.close();
  });

  it('draws the live city at 3840×2160: districts, cases and moving units, with one Deck', async () => {
    await page.goto(`http://127.0.0.1:${port}/wall`);
    try {
      await waitForEgret(page, 'e.unitCount > 0 && e.caseCount > 0 && e.framesReceived > 2 && e.unitsPositioned > 0');
    } catch (err) {
      throw new Error(`the wall never showed a live city: ${JSON.stringify(await egretFacts(page))}\nsimulator said:\n${sim.output()}`, { cause: err });
    }
    // Let a few more frames arrive so deck.gl has drawn the latest state.
    const before = (await egretFacts(page))!;
    await waitForEgret(page, `e.framesReceived >= ${before.framesReceived + 2}`, 30_000);
    const facts = (await egretFacts(page))!;

    expect(facts.deckCount).toBe(1);
    expect(facts.link).toBe('live');
    const rows = Object.fromEntries(facts.layers.map((l) => [l.id, l.length]));
    expect(rows['district-fill']).toBe(config.city.districts.length);
    expect(rows['cases']).toBeGreaterThan(0);
    expect(rows['units']).toBeGreaterThanOrEqual(facts.unitsPositioned);
    // The unit grids (单元网格) arrive in the background after boot, one row per straight run of lattice line (403
    // for Xiamen's 500 m grid), held hidden until a console switches them on (e2e/wall-focus.test.ts does).
    await waitForEgret(page, "(e.map?.layers().find((l) => l.id === 'grid')?.length ?? 0) > 200", 30_000);
    const grid = (await egretFacts(page))!.layers.find((l) => l.id === 'grid')!;
    expect(grid.visible).toBe(false);
    expect(grid.length).toBeGreaterThan(200);

    // Units are really on the canvas: picking at a unit's pixel finds the units layer.
    const picks = await pickUnits(page, 8);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.filter((p) => p.hit?.layer === 'units').length).toBeGreaterThan(picks.length / 2);

    const png = await page.screenshot({ fullPage: false });
    writeFileSync(resolve(ARTIFACTS, 'wall-3840.png'), png);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([3840, 2160]);
    const map = facts.canvas!;
    // The map sits between two panel columns on a 4K wall (display/src/state/wall-layout.ts): about 1,790 px wide.
    expect(map.width).toBeGreaterThan(1700);
    const stats = pixelStats(image, map, SEA);
    expect(stats.distinctColours).toBeGreaterThan(200);
    expect(stats.differing / stats.total).toBeGreaterThan(0.2);
    const unitPixels = UNIT_COLOURS.reduce((n, c) => n + countColour(image, map, c, 24), 0);
    expect(unitPixels).toBeGreaterThan(30 * facts.unitsPositioned * 0.5);

    // The words a commander reads: city, live badge, a case in the feed.
    await expect.poll(() => page.locator('[data-link]').getAttribute('data-link')).toBe('live');
    expect(await page.locator('[data-link]').textContent()).toContain('实时');
    expect(await page.locator('header').textContent()).toContain(config.city.name.zh);
    expect(await page.locator('li[data-case]').count()).toBeGreaterThan(0);
  });

  it('shows the same live map on the console at 1920×1080, in English when asked', async () => {
    const desk = await browser.context.newPage();
    try {
      await desk.setViewportSize({ width: 1920, height: 1080 });
      await desk.goto(`http://127.0.0.1:${port}/console?lang=en`);
      await waitForEgret(desk, 'e.unitsPositioned > 0 && e.caseCount > 0 && e.framesReceived > 1');
      const facts = (await egretFacts(desk))!;
      expect(facts.deckCount).toBe(1);
      expect(facts.locale).toBe('en');
      expect(await desk.locator('header').textContent()).toContain(config.city.name.en);
      const png = await desk.screenshot();
      writeFileSync(resolve(ARTIFACTS, 'console-1920.png'), png);
      const stats = pixelStats(decodePng(png), facts.canvas!, SEA);
      expect(stats.differing / stats.total).toBeGreaterThan(0.2);
    } finally {
      await desk.close();
    }
  });

  it('turns the badge red with the age of the data when the hub goes away, and resumes without a new snapshot', async () => {
    const seqBefore = (await egretFacts(page))!.seq;
    await app.close();
    await waitForEgret(page, "e.link === 'stale'", config.settings.hub.staleAfterMs + 15_000);
    const badge = page.locator('[data-link]');
    expect(await badge.textContent()).toMatch(/数据已过期 \d+ 秒/);
    const background = await badge.evaluate(
      (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor,
    );
    expect(background).toBe('rgb(220, 38, 38)');
    writeFileSync(resolve(ARTIFACTS, 'wall-stale.png'), await page.screenshot());

    ({ hub: app } = await startHub(port));
    await waitForEgret(page, `e.link === 'live' && e.seq > ${seqBefore}`, 60_000);
    const facts = (await egretFacts(page))!;
    expect(facts.deckCount).toBe(1);
    expect(facts.snapshots).toBe(1);
  });

  it('greys the units out when their fixes stop, and then leaves a quiet city’s map alone', async () => {
    await sim.stop();
    // Every on-duty unit greys out once its last fix is older than staleAfterMs (5 s of real time).
    await waitForEgret(page, 'e.unitsStale > 0 && e.unitsFresh === 0', config.settings.hub.staleAfterMs + 30_000);
    // The units panel says so too: its status columns are what the case system last heard, not what the room sees.
    const stale = await page.evaluate(() => (globalThis as unknown as { __egret: { unitsStale: number } }).__egret.unitsStale);
    await expect.poll(() => page.locator('[data-testid=units-no-fix]').textContent(), { timeout: 5_000 }).toContain(`定位过期 ${stale}`);
    const redraws = () =>
      page.evaluate(() => {
        const e = (globalThis as unknown as { __egret: { redraws: number; framesReceived: number } }).__egret;
        return { redraws: e.redraws, framesReceived: e.framesReceived };
      });
    await page.waitForTimeout(3_000); // the last repaint reaches the screen
    const before = await redraws();
    await page.waitForTimeout(10_000);
    const after = await redraws();
    // The hub still ticks (its frames carry its clock, and the badge stays live) but nothing moved: no redraw.
    expect(after.framesReceived - before.framesReceived, 'frames from the hub while the city is quiet').toBeGreaterThan(20);
    // Before the wall kept its pictures it redrew about twice a second here (~20 in this window). World time still
    // runs at 30×, so a case or two may cross its deadline and get its overdue ring: that redraw is due.
    expect(after.redraws - before.redraws, 'map redraws while nothing moved').toBeLessThanOrEqual(2);
    expect((await egretFacts(page))!.link).toBe('live');
  });
});
