import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { haversineM, isCaseOpen, pointInRing, type LonLat } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, readDom } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { clipped, outside, overlaps, panelBoxes, smallText } from './support/layout.ts';
import { simulateCity, writeCity } from './support/world.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/**
 * The second morning of the Straits Forum guard (config/cities/xiamen/events.json: 06-14 06:00 to 06-16 22:00): half
 * an hour of the simulator's `straits-forum` scenario, 09:00 to 09:30, written to the hub in one go.
 */
const WORLD_START = '2026-06-15T09:00:00+08:00';
const MIN = 60_000;
const SCREENSHOT = { timeout: 120_000 };
/** Body text on the 4K wall must read from five metres. */
const MIN_BODY_PX = 28;
/** The test's own post unit, registered beside the scenario's: it strays from 会展北路岗 on cue. */
const STRAY = 'E2E-POST-01';
const PUSHED_CASE = 'E2E-FORUM-PUSHED';
const STRAY_POST = 'post-huizhan-n';
/** A case the test reports inside the forum's core perimeter, left undispatched until it is overdue. */
const PERIMETER_CASE = 'E2E-FORUM-0001';

type Untyped = any;

/*
 * Pages are opened without the map's canvas (`?map=off`, display/src/map/no-canvas.ts): the layers' rows, the map's
 * views and projection, the layout and the text are the same, and a 4K page answers at once instead of between
 * second-long software-GL frames. The map's pixels are checked in e2e/wall.test.ts. Time is jumped with `clock.set`
 * rather than waited for.
 */
describe('the wall in major-event mode: the Straits Forum, its perimeters, venues, posts and the guard’s alarms', () => {
  const config = loadConfig();
  const forum = config.events.find((e) => e.id === 'straits-forum')!;
  const strayPost = forum.posts.find((p) => p.id === STRAY_POST)!;
  /** 650 m north-west of 会展北路岗, well beyond its 200 m: a chase up Huizhan Road. */
  const away: LonLat = [strayPost.position[0] - 0.004, strayPost.position[1] + 0.0045];
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let port: number;
  let browser: Browser;
  let page: Page;

  const sendFix = (unitId: string, [lon, lat]: LonLat, at: number) => hub.sendFixes([{ unitId, lon, lat, at }]);
  const now = () => hub.now();
  const setMode = (mode: Parameters<TestHub['setMode']>[0]) => hub.setMode(mode);
  const hubHas = (what: string, done: () => boolean, timeout?: number) => hub.hubHas(what, done, timeout);

  /** Waits until the wall draws a unit at this place (its latest fix has reached the page). */
  const pageDraws = ([lon, lat]: LonLat) =>
    page.waitForFunction(
      ([x, y]) =>
        ((globalThis as Untyped).__egret?.unitPositions(100_000) ?? []).some(
          (u: { lon: number; lat: number }) => Math.abs(u.lon - x) < 1e-5 && Math.abs(u.lat - y) < 1e-5,
        ),
      [lon, lat] as const,
      { timeout: 30_000, polling: 100 },
    );

  const layers = async () => {
    const facts = (await egretFacts(page))!;
    return Object.fromEntries(facts.layers.map((l) => [l.id, l as { id: string; length: number; visible: boolean }]));
  };

  const waitForMode = (mode: string) =>
    page.waitForFunction(
      (m) => (globalThis as Untyped).document.querySelector('.wall[data-mode]')?.getAttribute('data-mode') === m,
      mode,
      {
        timeout: 30_000,
        polling: 100,
      },
    );

  /** Waits until the wall shows the forum with its six posts drawn (page code as a function: the CSP forbids strings). */
  const waitForForum = () =>
    page.waitForFunction(
      () => {
        const e = (globalThis as Untyped).__egret;
        const posts = e?.map?.layers().find((l: { id: string }) => l.id === 'event-posts');
        return !!e && e.eventId === 'straits-forum' && e.unitsPositioned > 100 && posts?.length === 6;
      },
      undefined,
      { timeout: 30_000, polling: 100 },
    );

  /** Every alert card's kind, left to right and top to bottom. */
  const railKinds = () =>
    page.evaluate(() =>
      [...(globalThis as Untyped).document.querySelectorAll('[data-alert]')].map(
        (el: Untyped) => el.getAttribute('data-alert') as string,
      ),
    );

  /** No panel overlaps another or leaves the canvas, and no text is too small to read. */
  const checkLayout = async (width: number, height: number) => {
    const boxes = await panelBoxes(page);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, width, height), 'panels outside the canvas').toEqual([]);
    expect(await clipped(page, '[data-event]'), 'event badge text cut off').toEqual([]);
    return boxes;
  };

  const screenshot = async (name: string) => {
    const png = await page.screenshot(SCREENSHOT);
    writeFileSync(resolve(ARTIFACTS, name), png);
    return png;
  };

  /** A close-up of the event's part of the map (its perimeters and venues, and a margin), at the wall's own pixels. */
  const closeUp = async (name: string) => {
    const points = [...forum.perimeters.flatMap((p) => p.ring), ...forum.venues.map((v) => v.position)];
    const clip = await page.evaluate((pts) => {
      const e = (globalThis as Untyped).__egret;
      const box = e.map.canvasBox();
      const xy = pts.map(([lon, lat]: [number, number]) => e.map.project(lon, lat) as [number, number]);
      const xs = xy.map((p: [number, number]) => p[0]);
      const ys = xy.map((p: [number, number]) => p[1]);
      const pad = 300;
      const x = Math.max(box.x, box.x + Math.min(...xs) - pad);
      const y = Math.max(box.y, box.y + Math.min(...ys) - pad);
      return {
        x,
        y,
        width: Math.min(box.x + box.width, box.x + Math.max(...xs) + pad) - x,
        height: Math.min(box.y + box.height, box.y + Math.max(...ys) + pad) - y,
      };
    }, points);
    writeFileSync(resolve(ARTIFACTS, name), await page.screenshot({ ...SCREENSHOT, clip }));
  };

  beforeAll(async () => {
    const city = simulateCity({
      config,
      scenario: 'straits-forum',
      units: 240,
      start: Date.parse(WORLD_START),
      minutes: 30,
    });
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'major-event' }),
      launchChromium({ width: 3840, height: 2160 }),
    ]);
    port = hub.port;
    await writeCity(hub, city);
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    // The scenario's post units: registered with their postId, on duty during the guard.
    await hubHas(
      'the post units',
      () =>
        [...hub.app.world().units.values()].filter((u) => u.postId !== undefined && u.status !== 'off_duty').length >=
        forum.posts.length,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('names the forum and the day of its guard in the title bar, and draws its perimeters, venues and posts', async () => {
    await setMode('major_event');
    await page.goto(`http://127.0.0.1:${port}/wall?map=off`);
    await waitForMode('major_event');
    await waitForForum();

    const dom = await readDom(page, {
      phase: { attr: ['[data-event="straits-forum"]', 'data-phase'] },
      name: { text: '[data-testid=event-name]' },
      when: { text: '[data-testid=event-when]' },
      mode: { text: 'header [data-mode]' },
      alertsLead: { count: '[data-panel=alerts].lead' },
      eventLegend: { count: '[data-panel=event-legend]' },
    });
    expect(dom.phase).toBe('on');
    expect(dom.name).toBe('海峡论坛');
    // 06-15 is the second of the guard's three calendar days (06-14 06:00 to 06-16 22:00).
    expect(String(dom.when).replace(/\s+/g, '')).toBe('保障第2天共3天');
    expect(dom.mode).toContain('重大活动保障');

    const facts = (await egretFacts(page))!;
    const l = Object.fromEntries(facts.layers.map((x) => [x.id, x]));
    expect(l['event-perimeters']).toMatchObject({ visible: true, length: 2 });
    expect(l['event-perimeter-edges']).toMatchObject({ visible: true, length: 2 });
    expect(l['event-venues']).toMatchObject({ visible: true, length: 3 });
    expect(l['event-venue-labels']).toMatchObject({ visible: true, length: 3 });
    expect(l['event-posts']).toMatchObject({ visible: true, length: 6 });
    // The alert rail leads in the event's posture: two rows, a red edge.
    expect(dom.alertsLead).toBe(1);
    expect(dom.eventLegend).toBe(1);

    await checkLayout(3840, 2160);
    expect(await smallText(page, MIN_BODY_PX), 'text smaller than 28 px').toEqual([]);
    expect(facts.deckCount).toBe(1);
    // The map frames the forum's area: at city zoom its perimeters are a few dozen pixels across. The overview (鹰眼)
    // in the corner shows the whole city, and where the map is looking.
    const views = await page.evaluate(
      () =>
        (globalThis as Untyped).__egret.map.views() as {
          id: string;
          x: number;
          y: number;
          width: number;
          height: number;
          bounds: number[];
        }[],
    );
    const main = views.find((v) => v.id === 'map')!;
    const overview = views.find((v) => v.id === 'overview');
    const [w, s, e, n] = main.bounds as [number, number, number, number];
    for (const [lon, lat] of [...forum.perimeters.flatMap((p) => p.ring), ...forum.venues.map((v) => v.position)]) {
      expect(
        lon > w && lon < e && lat > s && lat < n,
        `${lon},${lat} inside the map's frame ${main.bounds.join(',')}`,
      ).toBe(true);
    }
    const cityWidth = config.city.bbox[2] - config.city.bbox[0];
    expect((e - w) / cityWidth, 'the map is zoomed in on the event').toBeLessThan(0.3);
    expect(overview, 'the overview is drawn').toBeDefined();
    expect(overview!.width).toBeGreaterThan(300);
    expect(
      overview!.x >= 0 &&
        overview!.y >= 0 &&
        overview!.x + overview!.width <= main.width &&
        overview!.y + overview!.height <= main.height,
    ).toBe(true);
    // The whole city: its districts span most of the configured extent (the extent keeps some sea around them).
    expect(
      (overview!.bounds[2]! - overview!.bounds[0]!) / cityWidth,
      'the overview shows the whole city',
    ).toBeGreaterThan(0.85);
    // Its frame and name in the DOM sit exactly over the corner the Deck draws it in.
    const framed = await page.evaluate(() => {
      const e = (globalThis as Untyped).__egret.map.canvasBox();
      const r = (globalThis as Untyped).document.querySelector('[data-overview]').getBoundingClientRect();
      return { x: r.x - e.x, y: r.y - e.y, width: r.width, height: r.height };
    });
    for (const k of ['x', 'y', 'width', 'height'] as const)
      expect(Math.abs(framed[k] - overview![k]), `overview ${k}`).toBeLessThanOrEqual(3);
    // That the map is drawn, not blank, is checked on the real map in e2e/wall.test.ts.
    await screenshot('major-event-3840.png');
    await closeUp('major-event-closeup.png');
  }, 60_000);

  it('raises “unit left its post” once a post unit has been beyond its radius for over a minute, loudest on the rail', async () => {
    const model = [...hub.app.world().units.values()].find((u) => u.postId === STRAY_POST)!;
    expect(haversineM(away, strayPost.position)).toBeGreaterThan(2 * strayPost.radiusM);
    await hub.send({
      kind: 'unit.register',
      unitId: STRAY,
      name: `${model.name.split(' ')[0]} 会展北路岗E2E`,
      type: 'enforcement',
      squadId: model.squadId,
      district: model.district,
      status: 'available',
      postId: STRAY_POST,
      at: now(),
    });
    await hubHas('the stray unit', () => hub.app.world().units.get(STRAY)?.postId === STRAY_POST, 20_000);
    // Its device reports from up the road; the wall sees it there…
    await sendFix(STRAY, away, now());
    await pageDraws(away);
    expect(
      await page.evaluate((id) => (globalThis as Untyped).__egret.offPostUnits.includes(id), STRAY),
      'off its post at once',
    ).toBe(false);
    // …and two minutes of world time later (the clock jumped, not waited for) it still reports from there.
    await hub.setClock(now() + 2 * MIN);
    await sendFix(STRAY, away, now());

    const selector = `[data-alert=post][data-unit="${STRAY}"]`;
    await page.locator(selector).waitFor({ timeout: 30_000 });
    const card = await readDom(page, { text: { text: selector }, class: { attr: [selector, 'class'] } });
    const text = String(card.text);
    expect(text).toContain('离岗');
    expect(text).toContain('会展北路岗E2E');
    expect(text).toMatch(/6\d0米 · 会展北路岗 · \d\d:\d\d起/);
    expect(card.class).toContain('guard');
    // Guard alarms lead the rail: every off-post card comes before any other.
    const kinds = await railKinds();
    expect(kinds[0]).toBe('post');
    expect(kinds.slice(kinds.lastIndexOf('post') + 1)).not.toContain('post');

    const facts = (await egretFacts(page))!;
    const l = Object.fromEntries(facts.layers.map((x) => [x.id, x]));
    expect(l['event-off-post']!.visible).toBe(true);
    expect(l['event-off-post']!.length).toBeGreaterThanOrEqual(1);
    expect(l['event-off-post-links']!.length).toBe(l['event-off-post']!.length);
    expect(l['event-off-post-labels']!.length).toBe(l['event-off-post']!.length);
    expect(facts.deckCount).toBe(1);
    await checkLayout(3840, 2160);
    expect(await smallText(page, MIN_BODY_PX), 'text smaller than 28 px').toEqual([]);
    await screenshot('major-event-off-post-3840.png');
    await closeUp('major-event-off-post-closeup.png');
  }, 60_000);

  it('raises an overdue case inside a perimeter as a guard alarm, ahead of ordinary overdue cases', async () => {
    // A case reported and filed inside the core perimeter, which nobody dispatches; its deadline passes when the
    // clock jumps past it.
    const core = forum.perimeters[0]!;
    const inside = core.ring.reduce(
      (c, p) => [c[0] + p[0] / core.ring.length, c[1] + p[1] / core.ring.length],
      [0, 0],
    ) as unknown as LonLat;
    expect(pointInRing(core.ring, inside)).toBe(true);
    const actor = { role: 'upstream' as const, id: 'intake-1' };
    const t = now();
    await hub.sendAll([
      {
        kind: 'case.report',
        caseId: PERIMETER_CASE,
        category: { code: '09006', standard: 'GB/T 47678.5-2026' },
        source: 'patrol',
        urgency: 'normal',
        lon: inside[0],
        lat: inside[1],
        address: '会展北路',
        at: t,
      },
      { kind: 'case.transition', caseId: PERIMETER_CASE, to: 'accepted', actor, at: t },
      { kind: 'case.transition', caseId: PERIMETER_CASE, to: 'filed', actor, at: t },
    ]);
    await hubHas('the filed perimeter case', () => hub.app.world().cases.get(PERIMETER_CASE)?.deadline !== undefined);
    await hub.setClock(hub.app.world().cases.get(PERIMETER_CASE)!.deadline! + 2 * MIN);
    await hubHas('an overdue case inside a perimeter', () => {
      const t = now();
      return [...hub.app.world().cases.values()].some(
        (c) =>
          isCaseOpen(c) &&
          c.status !== 'parked' &&
          c.deadline !== undefined &&
          c.deadline < t &&
          forum.perimeters.some((p) => pointInRing(p.ring, c.position)),
      );
    });
    await page.locator('[data-alert=perimeter]').first().waitFor({ timeout: 30_000 });
    const card = await readDom(page, {
      text: { text: '[data-alert=perimeter]' },
      class: { attr: ['[data-alert=perimeter]', 'class'] },
    });
    const text = String(card.text);
    expect(text).toContain('保障区超期');
    expect(text).toMatch(/(会展核心保障区|接待酒店保障区) · \d\d:\d\d/);
    // The card says it all: nothing cut off with an ellipsis.
    expect(await clipped(page, '[data-alert=perimeter]'), 'perimeter card text cut off').toEqual([]);
    expect(card.class).toContain('guard');
    const kinds = await railKinds();
    const lastGuard = Math.max(kinds.lastIndexOf('post'), kinds.lastIndexOf('perimeter'));
    const firstOther = kinds.findIndex((k) => k !== 'post' && k !== 'perimeter');
    if (firstOther >= 0) expect(firstOther, `rail order ${kinds.join(',')}`).toBeGreaterThan(lastGuard);
    await checkLayout(3840, 2160);
    await screenshot('major-event-perimeter-3840.png');
  }, 60_000);

  it('says it in English too, without cutting the title bar short', async () => {
    await page.goto(`http://127.0.0.1:${port}/wall?lang=en&map=off`);
    await waitForMode('major_event');
    await waitForForum();
    // A fresh page judges absences from the fixes it sees: the stray, still up the road, is seen there first now, and
    // is off its post again once another two minutes of world time have passed (the clock jumped).
    await pageDraws(away);
    await hub.setClock(now() + 2 * MIN);
    await sendFix(STRAY, away, now());
    const selector = `[data-alert=post][data-unit="${STRAY}"]`;
    await page.locator(selector).waitFor({ timeout: 30_000 });
    const dom = await readDom(page, {
      name: { text: '[data-testid=event-name]' },
      when: { text: '[data-testid=event-when]' },
      card: { text: selector },
    });
    expect(dom.name).toBe('Straits Forum');
    expect(String(dom.when).replace(/\s+/g, ' ').trim()).toBe('Day 2 of 3');
    expect(dom.card).toMatch(/Off post.*6\d0 m away · Huizhan Rd North post/);
    await checkLayout(3840, 2160);
    expect(await smallText(page, MIN_BODY_PX), 'text smaller than 28 px').toEqual([]);
    // 推屏 of a case with a long address: its banner keeps left of the case legend, which the event moved to the
    // map's top corner (centred, as on other days, it ran under the legend).
    const t = now();
    await hub.sendAll([
      {
        kind: 'case.report',
        caseId: PUSHED_CASE,
        category: { code: '09006', standard: 'GB/T 47678.5-2026' },
        source: 'patrol',
        urgency: 'normal',
        lon: 118.1,
        lat: 24.51,
        address: '思明区会展北路海峡国际会议中心东侧人行道十二号门外附近',
        at: t,
      },
    ]);
    await hubHas('the case to push', () => hub.app.world().cases.has(PUSHED_CASE));
    const commander = await hub.commander();
    const focus = (caseId?: string) =>
      commander
        .timeout(10_000)
        .emitWithAck('wall:focus', { ...(caseId ? { caseId } : {}), idempotencyKey: randomUUID() });
    expect((await focus(PUSHED_CASE)).ok).toBe(true);
    await page.locator(`[data-focus="${PUSHED_CASE}"]`).waitFor({ timeout: 30_000 });
    const banner = (await page.locator(`[data-focus="${PUSHED_CASE}"]`).boundingBox())!;
    const legend = (await page.locator('[data-panel=legend]').boundingBox())!;
    expect(banner.x + banner.width, 'the 推屏 banner runs under the case legend').toBeLessThanOrEqual(legend.x);
    await screenshot('major-event-en-pushed-3840.png');
    expect((await focus()).ok).toBe(true);
    await expect.poll(() => page.locator('[data-focus]').count(), { timeout: 30_000 }).toBe(0);
    await screenshot('major-event-en-3840.png');
    await closeUp('major-event-en-closeup.png');
  }, 60_000);

  it('clears the alarm when the unit is back at its post', async () => {
    // On the English wall the previous test left open.
    await page.locator(`[data-alert=post][data-unit="${STRAY}"]`).waitFor({ timeout: 30_000 });
    // Back 30 m from the post, well within its 200 m.
    await sendFix(STRAY, [strayPost.position[0] + 0.0003, strayPost.position[1]], now());
    await page.waitForFunction((id) => !(globalThis as Untyped).__egret.offPostUnits.includes(id), STRAY, {
      timeout: 30_000,
      polling: 100,
    });
    await expect
      .poll(() => page.locator(`[data-alert=post][data-unit="${STRAY}"]`).count(), { timeout: 30_000 })
      .toBe(0);
  }, 60_000);

  it('shows the forum on the commander’s console at 1920×1080 in any mode while it is on', async () => {
    await setMode('peacetime');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`http://127.0.0.1:${port}/console?map=off`);
    await waitForForum();
    expect(await page.locator('[data-testid=event-name]').textContent()).toBe('海峡论坛');
    const boxes = await panelBoxes(page);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, 1920, 1080), 'panels outside the canvas').toEqual([]);
    expect(await clipped(page, '[data-event]'), 'event badge text cut off').toEqual([]);
    const l = await layers();
    expect(l['event-perimeters']).toMatchObject({ visible: true, length: 2 });
    expect(l['event-posts']).toMatchObject({ visible: true, length: 6 });
    await screenshot('major-event-console-1920.png');
  }, 60_000);
});
