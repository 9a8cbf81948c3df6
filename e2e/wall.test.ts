import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { StormUpdate } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, pickUnits, readDom, waitForEgret, waitForMapToShow } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { countColour, decodePng, pixelStats } from './support/png.ts';
import { keepFixesFresh, simulateCity, writeCity } from './support/world.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** The map's sea colour (display/src/app.css --sea): what an empty map would be. */
const SEA: [number, number, number] = [6, 18, 36];
/** Unit status colours (display/src/theme.ts): available, dispatched, en route, on scene. */
const UNIT_COLOURS = [
  [52, 211, 153],
  [250, 204, 21],
  [251, 146, 60],
  [244, 114, 182],
];
/** A weekday morning: half an hour of the simulator's normal day, 09:00 to 09:30, written to the hub in one go. */
const WORLD_START = '2026-07-01T09:00:00+08:00';

/**
 * The one end-to-end test of the map's pixels on software WebGL at 4K (the others open their pages with `?map=off`):
 * the live city drawn, units where the map says, the desk's console, the link badge when the hub goes away, a quiet
 * city left alone, and a storm drawn in typhoon mode.
 */
describe('the wall on the real map (WebGL), fed through a real hub', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let port: number;
  let browser: Browser;
  let page: Page;
  /** The units' GPS gateway: a fix for every unit every 2 s, so the wall draws them in their status colours. */
  let stopFixes: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const city = simulateCity({ config, units: 300, start: Date.parse(WORLD_START), minutes: 30 });
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'wall' }),
      launchChromium({ width: 3840, height: 2160 }),
    ]);
    port = hub.port;
    await writeCity(hub, city);
    stopFixes = keepFixesFresh(hub, city.fixes, 2_000);
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await stopFixes?.();
    await browser?.close();
    await hub?.close();
  });

  // First, while the 4K wall is not yet open: one browser draws one page at a time on SwiftShader.
  it('shows the same live map on the console at 1920×1080, in English when asked', async () => {
    const desk = await browser.context.newPage();
    try {
      await desk.setViewportSize({ width: 1920, height: 1080 });
      await desk.goto(`http://127.0.0.1:${port}/console?lang=en`);
      await waitForEgret(desk, 'e.unitsPositioned > 0 && e.caseCount > 0 && e.framesReceived > 1');
      const facts = (await egretFacts(desk))!;
      expect(facts.deckCount).toBe(1);
      expect(facts.locale).toBe('en');
      // The map's first draw waited for the city's state and was let go by it — or, on a machine too slow to bring
      // the state within the hold, by the hold's time out (or the state was in before the map began) — never by the
      // time out after the state was in, and never still held once the state is shown.
      expect(['state', 'timeout', 'not-held']).toContain(facts.firstDrawHold);
      expect(await desk.locator('header').textContent()).toContain(config.city.name.en);
      const png = await desk.screenshot();
      writeFileSync(resolve(ARTIFACTS, 'console-1920.png'), png);
      const stats = pixelStats(decodePng(png), facts.canvas!, SEA);
      expect(stats.differing / stats.total).toBeGreaterThan(0.2);
    } finally {
      await desk.close();
    }
  });

  it('draws the live city at 3840×2160: districts, cases and moving units, with one Deck', async () => {
    await page.goto(`http://127.0.0.1:${port}/wall`);
    try {
      await waitForEgret(page, 'e.unitCount > 0 && e.caseCount > 0 && e.framesReceived > 2 && e.unitsPositioned > 0');
    } catch (err) {
      throw new Error(`the wall never showed a live city: ${JSON.stringify(await egretFacts(page))}`, { cause: err });
    }
    // Let a few more frames arrive, and the map take them: a wall on software GL draws the latest picture only
    // every few seconds (display/src/map/draw-pacer.ts), so frames received are not yet frames drawn.
    const before = (await egretFacts(page))!;
    await waitForEgret(page, `e.framesReceived >= ${before.framesReceived + 2}`, 30_000);
    await waitForMapToShow(page, 'cases', 'units');
    const facts = (await egretFacts(page))!;

    expect(facts.deckCount).toBe(1);
    expect(facts.link).toBe('live');
    // Every draw showed the names laid out for its own view, the canvas's first size included: none was drawn first
    // with the last view's layout and again (display/src/map/layout-before-draw.ts).
    expect(facts.staleLayouts).toBe(0);
    expect(['state', 'timeout', 'not-held']).toContain(facts.firstDrawHold);
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
    // This Chromium draws in software (SwiftShader): the map's canvas is not multisampled there (display/src/map/msaa.ts).
    const gl = await page.evaluate(() => {
      type Canvas = { getContext(kind: string): { getContextAttributes(): { antialias?: boolean } | null } | null };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<Canvas> } }).document;
      return [...doc.querySelectorAll('canvas')].flatMap((c) => {
        const context = c.getContext('webgl2');
        return context ? [{ antialias: context.getContextAttributes()?.antialias ?? null }] : [];
      });
    });
    expect(gl).toEqual([{ antialias: false }]);

    // The words a commander reads: city, live badge, a case in the feed.
    await expect.poll(() => page.locator('[data-link]').getAttribute('data-link')).toBe('live');
    const words = await readDom(page, {
      link: { text: '[data-link]' },
      header: { text: 'header' },
      cases: { count: 'li[data-case]' },
    });
    expect(words.link).toContain('实时');
    expect(words.header).toContain(config.city.name.zh);
    expect(words.cases).toBeGreaterThan(0);
  });

  it('turns the badge red with the age of the data when the hub goes away, and resumes without a new snapshot', async () => {
    const seqBefore = (await egretFacts(page))!.seq;
    await hub.stopApp();
    await waitForEgret(page, "e.link === 'stale'", config.settings.hub.staleAfterMs + 15_000);
    const badge = page.locator('[data-link]');
    expect(await badge.textContent()).toMatch(/数据已过期 \d+ 秒/);
    const background = await badge.evaluate(
      (el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
          .backgroundColor,
    );
    expect(background).toBe('rgb(220, 38, 38)');
    writeFileSync(resolve(ARTIFACTS, 'wall-stale.png'), await page.screenshot());

    await hub.restartApp();
    // Something happens in the city meanwhile: the hotline reports a case, which the wall takes as a numbered event.
    await hub.send({
      kind: 'case.report',
      caseId: 'E2E-WALL-RESUME-1',
      category: { code: '09006', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'normal',
      lon: 118.0835,
      lat: 24.4565,
      address: '中山路 12 号',
      at: hub.now(),
    });
    await waitForEgret(page, `e.link === 'live' && e.seq > ${seqBefore}`, 60_000);
    const facts = (await egretFacts(page))!;
    expect(facts.deckCount).toBe(1);
    expect(facts.snapshots).toBe(1);
  });

  it('greys the units out when their fixes stop, and then leaves a quiet city’s map alone', async () => {
    await stopFixes?.();
    stopFixes = undefined;
    // Every on-duty unit greys out once its last fix is older than staleAfterMs (5 s of real time).
    await waitForEgret(page, 'e.unitsStale > 0 && e.unitsFresh === 0', config.settings.hub.staleAfterMs + 30_000);
    // The units panel says so too: its status columns are what the case system last heard, not what the room sees.
    const stale = await page.evaluate(
      () => (globalThis as unknown as { __egret: { unitsStale: number } }).__egret.unitsStale,
    );
    await expect
      .poll(() => page.locator('[data-testid=units-no-fix]').textContent(), { timeout: 5_000 })
      .toContain(`定位过期 ${stale}`);
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
    expect(after.framesReceived - before.framesReceived, 'frames from the hub while the city is quiet').toBeGreaterThan(
      20,
    );
    // Before the wall kept its pictures it redrew about twice a second here (~20 in this window). World time still
    // runs, so a case may cross its deadline and get its overdue ring: that redraw is due.
    expect(after.redraws - before.redraws, 'map redraws while nothing moved').toBeLessThanOrEqual(2);
    expect((await egretFacts(page))!.link).toBe('live');
  });

  it('draws a storm on the real map in typhoon mode: its track, cone and wind circles change the picture', async () => {
    // Meranti's geometry four hours before landfall (e2e/typhoon.test.ts checks the layers' rows and the title bar),
    // reported now by the met feed.
    const t = hub.now();
    const h = 3_600_000;
    const storm: StormUpdate['storm'] = {
      id: '1614',
      name: { zh: '莫兰蒂', en: 'Meranti' },
      at: t,
      center: [118.4, 23.9],
      pressureHpa: 931,
      maxWindMs: 52,
      r7Km: 220,
      r10Km: 65,
      r12Km: 35,
      stage: 'at_sea',
      phase: 'landfall',
      signal: 'red',
      landfall: { at: t + 4 * h, center: [118.3, 24.6], place: '翔安' },
      track: [
        { at: t - 33 * h, center: [126.2, 22.2], pressureHpa: 890, maxWindMs: 70 },
        { at: t - 15 * h, center: [121.2, 21.7], pressureHpa: 900, maxWindMs: 65 },
        { at: t - 5 * h, center: [119.5, 23.2], pressureHpa: 920, maxWindMs: 58 },
      ],
      forecast: [
        { at: t + 4 * h, leadHours: 4, center: [118.3, 24.6], pressureHpa: 945, maxWindMs: 48, coneKm: 25 },
        { at: t + 9 * h, leadHours: 9, center: [117.6, 25.2], pressureHpa: 975, maxWindMs: 30, coneKm: 45 },
      ],
    };
    const quiet = (await egretFacts(page))!;
    const plain = decodePng(await page.screenshot({ timeout: 120_000 }));
    const drawn = await redraws(page);
    await hub.send({ kind: 'storm.update', at: t, storm });
    await hub.setMode('typhoon');
    await waitForEgret(
      page,
      "e.stormCount === 1 && e.map?.layers().some((l) => l.id === 'storm-cone' && l.visible && l.length === 1)",
      60_000,
    );
    // The Deck has drawn the storm's layers: it drew since, and then held still (a frame takes SwiftShader a second
    // or more at 4K).
    await settled(page, drawn);
    const png = await page.screenshot({ timeout: 120_000 });
    writeFileSync(resolve(ARTIFACTS, 'wall-storm-3840.png'), png);
    const image = decodePng(png);
    const map = quiet.canvas!;
    const stats = pixelStats(image, map, SEA);
    expect(stats.differing / stats.total, 'the map is drawn, not blank').toBeGreaterThan(0.3);
    expect(changedShare(plain, image, map), 'share of the map the storm changed').toBeGreaterThan(0.05);
    expect((await egretFacts(page))!.deckCount).toBe(1);
  });
});

/** How many frames the page's Deck has drawn. */
function redraws(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { __egret: { redraws: number } }).__egret.redraws);
}

/**
 * Waits until the Deck has drawn since `since` and then drawn nothing for `quietMs`: the picture on the screen is
 * the latest one. A map that keeps animating is taken as it is after `timeout`, once it drew at least once.
 */
async function settled(page: Page, since: number, quietMs = 1_500, timeout = 30_000): Promise<void> {
  const until = Date.now() + timeout;
  let last = await redraws(page);
  let stillSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const n = await redraws(page);
    if (n !== last) {
      last = n;
      stillSince = Date.now();
    }
    if (n > since && (Date.now() - stillSince >= quietMs || Date.now() > until)) return;
    if (Date.now() > until + 60_000) throw new Error(`the map never drew after frame ${since}`);
  }
}

/** The share of pixels within `box` that differ noticeably between two screenshots of the same size. */
function changedShare(
  a: ReturnType<typeof decodePng>,
  b: ReturnType<typeof decodePng>,
  box: { x: number; y: number; width: number; height: number },
): number {
  let changed = 0,
    total = 0;
  for (let y = Math.floor(box.y); y < Math.floor(box.y + box.height); y++) {
    for (let x = Math.floor(box.x); x < Math.floor(box.x + box.width); x++) {
      const i = (y * a.width + x) * 4;
      total++;
      if (
        Math.abs(a.data[i]! - b.data[i]!) +
          Math.abs(a.data[i + 1]! - b.data[i + 1]!) +
          Math.abs(a.data[i + 2]! - b.data[i + 2]!) >
        24
      )
        changed++;
    }
  }
  return changed / Math.max(1, total);
}
