import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import {
  haversineM, isCaseOpen, pointInRing, PROTOCOL_VERSION, redisKeys, worldNow, type ClientToServerEvents, type InputMessage, type LonLat, type Mode,
  type ServerToClientEvents,
} from '@egret/protocol';
import { createApp, type App } from '../server/src/app.ts';
import { connectRedis, type Redis } from '../server/src/redis/connect.ts';
import { testNamespace } from '../test/namespace.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, readDom } from './support/egret-page.ts';
import { clipped, outside, overlaps, panelBoxes, smallText } from './support/layout.ts';
import { decodePng, pixelStats } from './support/png.ts';
import { startSimulator, type RunningSimulator } from './support/simulator.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** The map's sea colour (display/src/app.css --sea). */
const SEA: [number, number, number] = [6, 18, 36];
/** The second morning of the Straits Forum guard (config/cities/xiamen/events.json: 06-14 06:00 to 06-16 22:00). */
const WORLD_START = '2026-06-15T09:30:00+08:00';
const SCREENSHOT = { timeout: 120_000 };
/** Body text on the 4K wall must read from five metres. */
const MIN_BODY_PX = 28;
/** The test's own post unit, registered beside the simulator's: it strays from 会展北路岗 on cue. */
const STRAY = 'E2E-POST-01';
const STRAY_POST = 'post-huizhan-n';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

describe('the wall in major-event mode: the Straits Forum, its perimeters, venues, posts and the guard’s alarms', () => {
  const base = loadConfig();
  // Position frames every 2 s, not every 100 ms: on software GL a 4K frame of this map takes about a second, and a
  // page redrawing back to back answers each of the test's reads only between frames. What is checked here is what
  // the wall shows, not how often it moves (wall-layout and the benchmarks measure that).
  const config = { ...base, settings: { ...base.settings, hub: { ...base.settings.hub, tickMs: 2_000 } } };
  const forum = config.events.find((e) => e.id === 'straits-forum')!;
  const strayPost = forum.posts.find((p) => p.id === STRAY_POST)!;
  const redisUrl = inject('redisUrl');
  const ns = testNamespace('major-event');
  const keys = redisKeys(ns);
  let app: App;
  let port: number;
  let redis: Redis;
  let sim: RunningSimulator;
  let browser: Browser;
  let page: Page;
  let commander: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** Every unit the wall has called off its post during the run (the simulator's own wanders, and the test's stray). */
  const offPostSeen = new Set<string>();
  let watcher: ReturnType<typeof setInterval> | undefined;

  const send = (m: InputMessage) => redis.xAdd(keys.inEvents, '*', { data: JSON.stringify(m) });
  const sendFix = (unitId: string, [lon, lat]: LonLat, at: number) =>
    redis.xAdd(keys.inPositions, '*', { data: JSON.stringify({ fixes: [{ unitId, lon, lat, at }] }) });
  /** World time now by the hub's clock: what every input's `at` must not run ahead of. */
  const now = () => worldNow(app.world().clock, Date.now());

  const setMode = async (mode: Mode) => {
    const res = await commander.timeout(10_000).emitWithAck('mode:set', { mode, idempotencyKey: randomUUID() });
    if (!res.ok && res.error !== 'already_in_mode') throw new Error(`mode:set ${mode} refused: ${res.error} ${res.message}`);
  };

  /** Waits for the hub to have something, naming what the simulator printed if it never does. */
  const hubHas = async (what: string, done: () => boolean, timeout = 60_000) => {
    const until = Date.now() + timeout;
    while (!done()) {
      if (Date.now() > until) {
        const dead = await redis.xRange(keys.deadletter, '-', '+');
        throw new Error(`the hub never had ${what}; dead-lettered: ${JSON.stringify(dead?.slice(-5).map((d) => d.message) ?? [])}\n${sim.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const layers = async () => {
    const facts = (await egretFacts(page))!;
    return Object.fromEntries(facts.layers.map((l) => [l.id, l as { id: string; length: number; visible: boolean }]));
  };

  const waitForMode = (mode: string) =>
    page.waitForFunction((m) => (globalThis as Untyped).document.querySelector('.wall[data-mode]')?.getAttribute('data-mode') === m, mode, {
      timeout: 90_000,
      polling: 100,
    });

  /** Waits until the wall shows the forum with its six posts drawn (page code as a function: the CSP forbids strings). */
  const waitForForum = () =>
    page.waitForFunction(() => {
      const e = (globalThis as Untyped).__egret;
      const posts = e?.map?.layers().find((l: { id: string }) => l.id === 'event-posts');
      return !!e && e.eventId === 'straits-forum' && e.unitsPositioned > 100 && posts?.length === 6;
    }, undefined, { timeout: 90_000, polling: 250 });

  /** Every alert card's kind, left to right and top to bottom. */
  const railKinds = () =>
    page.evaluate(() => [...(globalThis as Untyped).document.querySelectorAll('[data-alert]')].map((el: Untyped) => el.getAttribute('data-alert') as string));

  /** No panel overlaps another or leaves the canvas, and no text is too small to read. */
  const checkLayout = async (width: number, height: number) => {
    const boxes = await panelBoxes(page);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, width, height), 'panels outside the canvas').toEqual([]);
    expect(await clipped(page, '[data-event]'), 'event badge text cut off').toEqual([]);
    return boxes;
  };

  /** Lets SwiftShader draw the latest layers before a screenshot (a frame takes up to a second here). */
  const settle = () => page.waitForTimeout(2_500);

  const screenshot = async (name: string) => {
    await settle();
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
      return { x, y, width: Math.min(box.x + box.width, box.x + Math.max(...xs) + pad) - x, height: Math.min(box.y + box.height, box.y + Math.max(...ys) + pad) - y };
    }, points);
    writeFileSync(resolve(ARTIFACTS, name), await page.screenshot({ ...SCREENSHOT, clip }));
  };

  beforeAll(async () => {
    app = createApp({ redisUrl, config, ns, hubId: `e2e-${ns}`, logger: pino({ level: 'warn' }) });
    port = await app.listen(0, '127.0.0.1');
    redis = await connectRedis(redisUrl, { name: 'e2e-major-event' });
    sim = startSimulator({
      REDIS_URL: redisUrl, EGRET_NS: ns, SIM_SCENARIO: 'straits-forum', SIM_RATE: '60', SIM_START: WORLD_START, SIM_UNITS: '240',
      SIM_AUTO_DISPATCH: '0', HUB_URL: `http://127.0.0.1:${port}`,
    });
    browser = await launchChromium({ width: 3840, height: 2160 });
    page = await browser.context.newPage();
    // A 4K page on software GL next to a 60× simulator: the DOM can trail the world by tens of seconds here.
    page.setDefaultTimeout(90_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    commander = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], auth: { protocol: PROTOCOL_VERSION, user: 'e2e-commander' } });
    await new Promise<void>((done, fail) => {
      commander.once('connect', () => done());
      commander.once('connect_error', fail);
    });
    // Samples what the wall calls off post, whatever page is open (a navigation in progress just misses a sample).
    watcher = setInterval(() => {
      page
        .evaluate(() => ((globalThis as Untyped).__egret?.offPostUnits ?? []) as string[])
        .then((ids) => ids.forEach((id) => offPostSeen.add(id)))
        .catch(() => undefined);
    }, 1_000);
    // The simulator's post units: registered with their postId, on duty during the guard.
    await hubHas('the post units', () => [...app.world().units.values()].filter((u) => u.postId !== undefined && u.status !== 'off_duty').length >= forum.posts.length);
  });

  afterAll(async () => {
    clearInterval(watcher);
    commander?.close();
    await browser?.close();
    await sim?.stop();
    await redis?.close();
    await app?.close();
  });

  it('names the forum and the day of its guard in the title bar, and draws its perimeters, venues and posts', async () => {
    await setMode('major_event');
    await page.goto(`http://127.0.0.1:${port}/wall`);
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
    const views = await page.evaluate(() => (globalThis as Untyped).__egret.map.views() as { id: string; x: number; y: number; width: number; height: number; bounds: number[] }[]);
    const main = views.find((v) => v.id === 'map')!;
    const overview = views.find((v) => v.id === 'overview');
    const [w, s, e, n] = main.bounds as [number, number, number, number];
    for (const [lon, lat] of [...forum.perimeters.flatMap((p) => p.ring), ...forum.venues.map((v) => v.position)]) {
      expect(lon > w && lon < e && lat > s && lat < n, `${lon},${lat} inside the map's frame ${main.bounds.join(',')}`).toBe(true);
    }
    const cityWidth = config.city.bbox[2] - config.city.bbox[0];
    expect((e - w) / cityWidth, 'the map is zoomed in on the event').toBeLessThan(0.3);
    expect(overview, 'the overview is drawn').toBeDefined();
    expect(overview!.width).toBeGreaterThan(300);
    expect(overview!.x >= 0 && overview!.y >= 0 && overview!.x + overview!.width <= main.width && overview!.y + overview!.height <= main.height).toBe(true);
    // The whole city: its districts span most of the configured extent (the extent keeps some sea around them).
    expect((overview!.bounds[2]! - overview!.bounds[0]!) / cityWidth, 'the overview shows the whole city').toBeGreaterThan(0.85);
    // Its frame and name in the DOM sit exactly over the corner the Deck draws it in.
    const framed = await page.evaluate(() => {
      const e = (globalThis as Untyped).__egret.map.canvasBox();
      const r = (globalThis as Untyped).document.querySelector('[data-overview]').getBoundingClientRect();
      return { x: r.x - e.x, y: r.y - e.y, width: r.width, height: r.height };
    });
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(framed[k] - overview![k]), `overview ${k}`).toBeLessThanOrEqual(3);
    const png = await screenshot('major-event-3840.png');
    const stats = pixelStats(decodePng(png), facts.canvas!, SEA);
    expect(stats.differing / stats.total, 'the map is drawn, not blank').toBeGreaterThan(0.3);
    await closeUp('major-event-closeup.png');
  }, 240_000);

  it('raises “unit left its post” once a post unit has been beyond its radius for over a minute, loudest on the rail', async () => {
    const model = [...app.world().units.values()].find((u) => u.postId === STRAY_POST)!;
    // 650 m north-west of 会展北路岗, well beyond its 200 m: a chase up Huizhan Road.
    const away: LonLat = [strayPost.position[0] - 0.004, strayPost.position[1] + 0.0045];
    expect(haversineM(away, strayPost.position)).toBeGreaterThan(2 * strayPost.radiusM);
    await send({
      kind: 'unit.register', unitId: STRAY, name: `${model.name.split(' ')[0]} 会展北路岗E2E`, type: 'enforcement', squadId: model.squadId,
      district: model.district, status: 'available', postId: STRAY_POST, at: now(),
    });
    await hubHas('the stray unit', () => app.world().units.get(STRAY)?.postId === STRAY_POST, 20_000);
    // Its device reports from up the road every real second (a world minute at 60×) for a few seconds.
    for (let i = 0; i < 4; i++) {
      await sendFix(STRAY, away, now());
      await new Promise((r) => setTimeout(r, 1_000));
    }

    const selector = `[data-alert=post][data-unit="${STRAY}"]`;
    await page.locator(selector).waitFor({ timeout: 90_000 });
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
  }, 240_000);

  it('raises an overdue case inside a perimeter as a guard alarm, ahead of ordinary overdue cases', async () => {
    // Nobody dispatches (SIM_AUTO_DISPATCH=0), and cases filed inside a perimeter get an hour — a real minute at 60×.
    await hubHas('an overdue case inside a perimeter', () => {
      const t = now();
      return [...app.world().cases.values()].some(
        (c) => isCaseOpen(c) && c.status !== 'parked' && c.deadline !== undefined && c.deadline < t && forum.perimeters.some((p) => pointInRing(p.ring, c.position)),
      );
    }, 150_000);
    await page.locator('[data-alert=perimeter]').first().waitFor({ timeout: 90_000 });
    const card = await readDom(page, { text: { text: '[data-alert=perimeter]' }, class: { attr: ['[data-alert=perimeter]', 'class'] } });
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
  }, 240_000);

  it('says it in English too, without cutting the title bar short', async () => {
    await page.goto(`http://127.0.0.1:${port}/wall?lang=en`);
    await waitForMode('major_event');
    await waitForForum();
    const selector = `[data-alert=post][data-unit="${STRAY}"]`;
    await page.locator(selector).waitFor({ timeout: 90_000 });
    const dom = await readDom(page, { name: { text: '[data-testid=event-name]' }, when: { text: '[data-testid=event-when]' }, card: { text: selector } });
    expect(dom.name).toBe('Straits Forum');
    expect(String(dom.when).replace(/\s+/g, ' ').trim()).toBe('Day 2 of 3');
    expect(dom.card).toMatch(/Off post.*6\d0 m away · Huizhan Rd North post/);
    await checkLayout(3840, 2160);
    expect(await smallText(page, MIN_BODY_PX), 'text smaller than 28 px').toEqual([]);
    await screenshot('major-event-en-3840.png');
    await closeUp('major-event-en-closeup.png');
  }, 240_000);

  it('clears the alarm when the unit is back at its post', async () => {
    // On the English wall the previous test left open (a reload of a 4K page costs a minute on software GL).
    await page.locator(`[data-alert=post][data-unit="${STRAY}"]`).waitFor({ timeout: 90_000 });
    // Back 30 m from the post, well within its 200 m.
    await sendFix(STRAY, [strayPost.position[0] + 0.0003, strayPost.position[1]], now());
    await page.waitForFunction((id) => !(globalThis as Untyped).__egret.offPostUnits.includes(id), STRAY, { timeout: 90_000, polling: 250 });
    await expect.poll(() => page.locator(`[data-alert=post][data-unit="${STRAY}"]`).count(), { timeout: 30_000 }).toBe(0);
  }, 240_000);

  it('shows the forum on the commander’s console at 1920×1080 in any mode while it is on', async () => {
    const wanders = [...offPostSeen].filter((id) => id !== STRAY);
    console.log(`units the wall called off their posts on the simulator's own wanders: ${wanders.join(', ') || 'none in this run'}`);
    await setMode('peacetime');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`http://127.0.0.1:${port}/console`);
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
  }, 240_000);
});
