import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { InputMessage, LogEvent } from '@egret/protocol';
import { AccountStore } from '@egret/server/auth/accounts.ts';
import type { EgretDebugView } from './support/egret-page.ts';
import { launchBrowser, type FileBrowser } from './support/chromium.ts';
import { PHONE, phoneContext } from './support/phone.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { cuttableLink, type CuttableLink } from './support/link.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
const PASSWORD = 'correct-horse-battery-42';
/** The inspector's grid (单元网格): the journey's cases are filed in it. */
const GRID = 'G35020300101';
const SQUAD = 'SQ-FIELD';
const DISTRICT = '350203';
/** Where the journey's cases are: 思明区, a few hundred metres north-east of the phones' start. */
const SCENE: [number, number] = [118.0838, 24.4578];

/**
 * The field terminal 城管通 (issue #16) in headless Chromium on phone-sized contexts: the app shell and its service
 * worker, a squad member's journey from a dispatch on the console to a handled task, an inspector's verification and
 * report, the same with the network cut in the middle, and the refusals a phone must explain.
 */
describe('the field terminal 城管通 on a phone', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: FileBrowser;
  let accounts: AccountStore;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'field', auth: 'required' }),
      launchBrowser(),
    ]);
    accounts = new AccountStore(hub.redis, hub.keys);
    await Promise.all([
      accounts.add('dora', 'dispatcher', PASSWORD),
      accounts.add('ivy', 'inspector', PASSWORD, [GRID]),
    ]);
    // World time is real time here: the phone stamps its actions and fixes with its own clock, as in a city.
    await hub.setClock(Date.now());
    await seedWorld(hub);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await unitLink?.close();
    await hub?.close();
  });

  /** A phone screen into artifacts/ (README's docs/field-*.png are copies of these). */
  const shot = async (page: Page, name: string, tall = false) => {
    // A long form is shown on a taller phone, so the picture holds it whole with the tab bar still at the bottom.
    if (tall) await page.setViewportSize({ width: PHONE.width, height: 1_180 });
    writeFileSync(resolve(ARTIFACTS, `field-${name}.png`), await page.screenshot());
    if (tall) await page.setViewportSize(PHONE);
  };

  it('serves an installable app: the page with its own permissions, a manifest, icons and a worker that opens it offline', async () => {
    // The page: geolocation, camera and wake lock allowed on /field/ only; every other page keeps them off.
    const page = await fetch(`${hub.base}/field/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('permissions-policy')).toContain('geolocation=(self)');
    expect(page.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${hub.base}/login`)).headers.get('permissions-policy')).toContain('geolocation=()');
    const bare = await fetch(`${hub.base}/field`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/field/');
    const manifest = await fetch(`${hub.base}/field/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    const m = (await manifest.json()) as {
      start_url: string;
      scope: string;
      display: string;
      icons: { src: string }[];
    };
    expect(m).toMatchObject({ start_url: '/field/', scope: '/field/', display: 'standalone' });
    for (const icon of m.icons) {
      const res = await fetch(`${hub.base}${icon.src}`);
      expect(res.headers.get('content-type'), icon.src).toBe('image/png');
      expect((await res.arrayBuffer()).byteLength, icon.src).toBeGreaterThan(1_000);
    }

    const link = await cuttableLink(hub.base);
    const context = await phoneContext(browser, link.base);
    try {
      const phone = await context.newPage();
      const errors: string[] = [];
      phone.on('pageerror', (e) => errors.push(e.message));
      await phone.goto('/field/');
      await phone.locator('[data-screen="login"]').waitFor({ timeout: 30_000 });
      expect(await phone.locator('header strong').textContent()).toBe('城管通');
      // The worker installs and takes the page; then the page opens with no network at all.
      await phone.evaluate(async () => {
        const sw = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator
          .serviceWorker;
        await sw.ready;
      });
      await expect
        .poll(() =>
          phone.evaluate(
            () =>
              !!(globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator
                .serviceWorker.controller,
          ),
        )
        .toBe(true);
      link.cut();
      await context.setOffline(true);
      await phone.reload();
      await phone.locator('[data-screen="login"]').waitFor({ timeout: 15_000 });
      expect(await phone.locator('header strong').textContent()).toBe('城管通');
      link.restore();
      await context.setOffline(false);

      // English on a tap, kept for the next visit.
      await phone.getByRole('button', { name: 'English' }).click();
      expect(await phone.locator('[data-screen="login"] h2').textContent()).toBe('Inspector sign-in');
      await phone.getByRole('button', { name: '中文' }).click();
      expect(await phone.locator('[data-screen="login"] h2').textContent()).toBe('监督员登录');
      // A pairing link with a code the hub never made: the phone says so and stays unpaired.
      await phone.goto('/field/#pair=ABCDEFGHJK');
      await phone.locator('[data-testid="pair-failed"]').waitFor({ timeout: 15_000 });
      expect(phone.url()).toBe(`${link.base}/field/`);
      expect(await phone.locator('[data-testid="pair-failed"]').textContent()).toContain('invalid_code');
      expect(errors).toEqual([]);
      await shot(phone, 'welcome');
    } finally {
      await context.close();
      await link.close();
    }
  }, 60_000);

  /** The dispatcher's console, logged in (a desktop context of its own). */
  let desk: BrowserContext;
  let console_: Page;
  /** The squad member's phone, paired with UNIT. */
  let unitCtx: BrowserContext;
  /** The squad member's phone reaches the hub through this link, which the tests cut to take the phone out of reach. */
  let unitLink: CuttableLink;
  let unitPhone: Page;
  /** The inspector's phone, signed in as ivy. */
  let inspectorCtx: BrowserContext;
  let inspectorPhone: Page;

  async function openConsole(): Promise<void> {
    desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: hub.base, locale: 'zh-CN' });
    console_ = await desk.newPage();
    // Without the WebGL canvas (`?map=off`, as the layout tests): the map's drawing is e2e/wall.test.ts's subject;
    // here the units are followed through the debug hook, which reads the same positions the map would draw.
    await console_.goto('/console?map=off');
    await console_.locator('input[name="user"]').fill('dora');
    await console_.locator('input[name="password"]').fill(PASSWORD);
    await console_.locator('button[type="submit"]').click();
    await console_.locator(`[data-queue-case="${CASES.online}"]`).waitFor({ timeout: 60_000 });
  }

  /** A pairing code made with the dispatcher's session (the console's 绑定终端 calls the same route). */
  async function pairingCode(unitId: string): Promise<string> {
    const res = await desk.request.post('/api/field/pairings', {
      data: { unitId },
      headers: { origin: hub.base },
    });
    expect(res.status(), await res.text()).toBe(201);
    const body = (await res.json()) as { ok: true; result: { code: string; url: string } };
    expect(body.result.url).toBe(`/field/#pair=${body.result.code}`);
    return body.result.code;
  }

  /** The dispatcher picks a case in the queue and dispatches UNIT from the ranked candidates, on the console page; answers when the dispatch button was clicked. */
  async function dispatchOnConsole(caseId: string): Promise<number> {
    // Back to the queue from the card of the last case (the card's ×).
    if (await console_.locator('article[data-case-id] button.dismiss').count())
      await console_.locator('article[data-case-id] button.dismiss').click();
    await console_
      .locator(`[data-queue-case="${caseId}"]`)
      .click({ timeout: 15_000 })
      .catch(async (err: unknown) => {
        await console_.screenshot({ path: resolve(ARTIFACTS, 'field-console-no-queue.png') });
        throw err;
      });
    await expect.poll(() => console_.locator('article[data-case-id]').getAttribute('data-case-id')).toBe(caseId);
    const go = console_.locator(`[data-candidates="ready"] li[data-unit="${UNIT}"] button.go[data-action="dispatch"]`);
    await go.waitFor({ timeout: 30_000 });
    const at = Date.now();
    await go.click();
    return at;
  }

  /** The hub's task for a case, once it has one. */
  async function taskOf(caseId: string): Promise<string> {
    await hub.hubHas(`a task for ${caseId}`, () => !!hub.app.world().cases.get(caseId)?.taskId, 15_000);
    return hub.app.world().cases.get(caseId)!.taskId!;
  }

  const taskStatus = (taskId: string) => hub.app.world().tasks.get(taskId)?.status;
  const caseStatus = (caseId: string) => hub.app.world().cases.get(caseId)?.status;

  /** Takes the squad member's phone out of reach (the link cut, and the browser told it is offline) or back. */
  async function outOfReach(out: boolean): Promise<void> {
    if (out) unitLink.cut();
    else unitLink.restore();
    await unitCtx.setOffline(out);
  }

  /** Takes one step on the phone's task screen. */
  async function step(page: Page, name: string): Promise<void> {
    await page.locator(`[data-step="${name}"]`).click();
  }

  it('takes a dispatch from the console to a handled task with photos, the unit moving on the map as the phone walks', async () => {
    await openConsole();
    // Pair the phone: the link from the console's pairing code, opened on the phone.
    unitLink = await cuttableLink(hub.base);
    unitCtx = await phoneContext(browser, unitLink.base);
    unitPhone = await unitCtx.newPage();
    const errors: string[] = [];
    unitPhone.on('pageerror', (e) => errors.push(e.message));
    await unitPhone.goto(`/field/#pair=${await pairingCode(UNIT)}`);
    await unitPhone.locator('[data-screen="tasks"]').waitFor({ timeout: 30_000 });
    expect(unitPhone.url()).toBe(`${unitLink.base}/field/`); // the one-time code is out of the address bar
    expect(await unitPhone.locator('[data-testid="who"]').textContent()).toBe('思明执法一队 张伟');
    await expect.poll(() => unitPhone.locator('[data-link]').getAttribute('data-link')).toBe('live');

    // The dispatcher dispatches on the console; the task reaches the phone within 2 s of the hub committing it (world
    // time is real time here, so the task's createdAt is when the hub had it; the page notes when the push came).
    const clickedAt = await dispatchOnConsole(CASES.online);
    const shown = unitPhone.locator('[data-task-id][data-status="dispatched"]');
    await shown.waitFor({ timeout: 10_000 });
    const shownAt = Date.now();
    const taskId = (await shown.getAttribute('data-task-id'))!;
    expect(hub.app.world().cases.get(CASES.online)?.taskId).toBe(taskId);
    const createdAt = hub.app.world().tasks.get(taskId)!.createdAt;
    const seenAt = await unitPhone.evaluate(
      (id) => (globalThis as { __egretField?: { taskSeenAt(id: string): number | null } }).__egretField!.taskSeenAt(id),
      taskId,
    );
    expect(seenAt! - createdAt).toBeLessThan(2_000);
    console.info(
      `the task reached the phone ${seenAt! - createdAt} ms after the hub committed it; seen on the page by the test after ${shownAt - createdAt} ms (${shownAt - clickedAt} ms after the console's click)`,
    );
    await shot(unitPhone, 'tasks');

    await unitPhone.locator(`[data-task-id="${taskId}"]`).click();
    const screen = unitPhone.locator('[data-screen="task"]');
    await screen.waitFor();
    expect(await screen.locator('h2').textContent()).toBe('供水井盖异常');
    expect(await screen.locator('dd').allTextContents()).toEqual(
      expect.arrayContaining(['紧急', '思明区中山路 101 号', '井盖松动，车辆经过有响声']),
    );
    expect(await unitPhone.locator('[data-testid="deadline"]').textContent()).toMatch(/剩余 \d/);
    const nav = new URL((await unitPhone.locator('[data-testid="navigate"]').getAttribute('href'))!);
    expect(nav.host).toBe('uri.amap.com');
    const [gLon, gLat] = nav.searchParams.get('to')!.split(',').map(Number);
    expect(gLon! - SCENE[0]).toBeGreaterThan(0.003); // GCJ-02: about 500 m off the WGS-84 point in Xiamen
    expect(Math.abs(gLat! - SCENE[1])).toBeLessThan(0.005);
    await shot(unitPhone, 'task');

    await step(unitPhone, 'accepted');
    await hub.hubHas('the task accepted', () => taskStatus(taskId) === 'accepted', 15_000);

    // On duty, reporting every 2 s: the phone walks towards the scene and the unit follows on the console's map.
    await unitPhone.locator('[data-nav="tasks"]').click();
    await unitPhone.locator('[data-testid="fix-interval"]').selectOption('2000');
    const slot = hub.app.world().units.get(UNIT)!.slot;
    // A reading taken off duty goes out the moment the unit goes on duty, though the phone has not moved since: a
    // phone standing still may not report again for a long while.
    const still = [118.0806 + 0.0001, 24.4555 + 0.0001] as const;
    await unitCtx.setGeolocation({ longitude: still[0], latitude: still[1], accuracy: 6 });
    await expect
      .poll(() =>
        unitPhone.evaluate(
          () => (globalThis as { __egretField?: { position: [number, number] | null } }).__egretField!.position,
        ),
      )
      .toEqual([still[0], still[1]]);
    await unitPhone.locator('[data-testid="duty"]').check();
    await expect
      .poll(
        async () => {
          const p = await drawnPosition(console_, slot);
          return p ? Math.hypot(p[0] - still[0], p[1] - still[1]) : Infinity;
        },
        { timeout: 15_000, message: 'the reading taken before going on duty, drawn' },
      )
      .toBeLessThan(0.00002);
    // Steps of under 50 m: a phone on foot, whatever the time between two readings (the hub refuses a fix implying
    // more than 70 m/s from the unit's last one, and tolerates GPS jitter up to 50 m).
    for (const k of [1, 2, 3, 4]) {
      const lon = 118.0806 + k * 0.0003;
      const lat = 24.4555 + k * 0.0002;
      await unitCtx.setGeolocation({ longitude: lon, latitude: lat, accuracy: 6 });
      await expect
        .poll(
          async () => {
            const p = await drawnPosition(console_, slot);
            return p ? Math.hypot(p[0] - lon, p[1] - lat) : Infinity;
          },
          { timeout: 15_000, message: `the unit drawn at step ${k}` },
        )
        .toBeLessThan(0.00002);
    }
    await unitPhone.locator(`[data-task-id="${taskId}"]`).click();
    await step(unitPhone, 'en_route');
    await step(unitPhone, 'on_scene');
    await hub.hubHas('the unit on scene', () => taskStatus(taskId) === 'on_scene', 15_000);

    // 处置完成: the after photo is required (the button waits for it); a before photo may go with it.
    await step(unitPhone, 'done');
    const submit = unitPhone.locator('[data-action="submit-handled"]');
    expect(await submit.isDisabled()).toBe(true);
    await unitPhone
      .locator('[data-photo-input="before"]')
      .setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: await jpeg(1) });
    await unitPhone
      .locator('[data-photo-input="after"]')
      .setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await jpeg(2) });
    await unitPhone.locator('[data-photo-role="after"] img').waitFor();
    await submit.scrollIntoViewIfNeeded();
    await shot(unitPhone, 'handling');
    await submit.click();
    await hub.hubHas('the case handled', () => caseStatus(CASES.online) === 'handled', 15_000);
    const photos = hub.app.world().cases.get(CASES.online)!.photos ?? [];
    expect(photos.map((p) => p.role).sort()).toEqual(['after', 'before']);
    await expect
      .poll(() =>
        unitPhone.evaluate(() => (globalThis as { __egretField?: { pending: number } }).__egretField?.pending),
      )
      .toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('brings the handled case to the inspector’s phone, who confirms it with a photo: closed on the console with its photos', async () => {
    inspectorCtx = await phoneContext(browser, hub.base);
    inspectorPhone = await inspectorCtx.newPage();
    await inspectorPhone.goto('/field/');
    await inspectorPhone.locator('input[name="user"]').fill('ivy');
    await inspectorPhone.locator('input[name="password"]').fill(PASSWORD);
    await inspectorPhone.locator('[data-screen="login"] button[type="submit"]').click();
    await inspectorPhone.locator('[data-screen="report"]').waitFor({ timeout: 15_000 });
    await inspectorPhone.locator('[data-nav="verify"]').click();
    const item = inspectorPhone.locator(`[data-screen="verify"] [data-case-id="${CASES.online}"]`);
    await item.waitFor({ timeout: 10_000 });
    await item.click();
    await inspectorPhone
      .locator(`[data-screen="verify-case"] [data-photo-role="after"] img`)
      .waitFor({ timeout: 10_000 });
    await inspectorPhone
      .locator('[data-photo-input="verify"]')
      .setInputFiles({ name: 'verify.jpg', mimeType: 'image/jpeg', buffer: await jpeg(3) });
    await inspectorPhone.locator('[data-photo-role="verify"] img').waitFor();
    await shot(inspectorPhone, 'verify');
    await inspectorPhone.locator('[data-action="confirm"]').click();
    await hub.hubHas('the case closed', () => caseStatus(CASES.online) === 'closed', 15_000);

    // The console's card (still showing the case the dispatcher picked) says 结案 and shows the three photos.
    const card = console_.locator(`article[data-case-id="${CASES.online}"]`);
    await expect.poll(() => card.getAttribute('data-case-status'), { timeout: 15_000 }).toBe('closed');
    const strip = card.locator('[data-testid="case-photos"] li[data-photo]');
    await expect.poll(() => strip.count(), { timeout: 10_000 }).toBe(3);
    expect((await strip.evaluateAll((li) => li.map((l) => l.getAttribute('data-photo-role')))).sort()).toEqual([
      'after',
      'before',
      'verify',
    ]);
    await card.locator('[data-testid="case-photos"] img').first().waitFor();
    await console_.screenshot({ path: resolve(ARTIFACTS, 'field-console-closed.png') });

    // Replay has them too: the state at an instant after the close holds the case with its photos.
    const refs = hub.app.world().cases.get(CASES.online)!.photos!;
    const replayed = await desk.request.get(`/api/replay/state?t=${hub.now()}`);
    expect(replayed.status()).toBe(200);
    const state = (await replayed.json()) as {
      world: { cases: Array<{ id: string; status: string; photos?: unknown[] }> };
    };
    const c = state.world.cases.find((x) => x.id === CASES.online)!;
    expect(c.status).toBe('closed');
    expect(c.photos).toEqual(refs);
    // And the photos themselves are served to the console's session.
    for (const ref of refs) expect((await desk.request.get(`/api/photos/${ref.id}/thumb`)).status()).toBe(200);
  }, 60_000);

  it('lets the inspector report a case: a category found by search, the pin moved on the map, a photo', async () => {
    await inspectorPhone.locator('[data-nav="report"]').click();
    const form = inspectorPhone.locator('[data-screen="report"]');
    // The search covers every standard the city's dictionary holds: 积水 is GB/T 30428's 0103 and the city's L0001.
    const search = form.locator('[data-testid="category-search"]');
    const found = form.locator('[data-category]');
    await search.fill('积水');
    await expect.poll(() => found.count()).toBe(2);
    const standards = await found.evaluateAll((b) => b.map((x) => x.getAttribute('data-standard')));
    expect(new Set(standards)).toEqual(new Set(['GB/T 30428', 'local']));
    await search.fill('井盖');
    await expect.poll(() => found.count()).toBe(3);
    await form.locator('[data-category="01001"][data-standard="GB/T 47678.5-2026"]').click();
    expect(await form.locator('[data-testid="category-chosen"] strong').textContent()).toBe('供水井盖异常');
    // The pin starts at the phone's position; a tap to the north-east moves it there.
    await expect.poll(() => form.locator('[data-testid="pin-coords"]').textContent()).toBe('24.45550, 118.08060');
    const map = form.locator('[data-testid="pin-map"]');
    const box = (await map.boundingBox())!;
    await map.tap({ position: { x: box.width * 0.75, y: box.height * 0.25 } });
    const [lat, lon] = (await form.locator('[data-testid="pin-coords"]').textContent())!.split(', ').map(Number);
    expect(lon!).toBeGreaterThan(118.0806);
    expect(lat!).toBeGreaterThan(24.4555);
    await form.locator('[data-testid="address"]').fill('思明区中山路 88 号');
    await form.locator('[data-testid="description"]').fill('井盖缺失，已设置临时警示');
    await form
      .locator('[data-photo-input="report"]')
      .setInputFiles({ name: 'report.jpg', mimeType: 'image/jpeg', buffer: await jpeg(4) });
    await form.locator('[data-photo-role="report"] img').waitFor();
    await shot(inspectorPhone, 'report', true);
    const before = new Set(hub.app.world().cases.keys());
    await form.locator('[data-action="submit-report"]').click();
    await hub.hubHas(
      'the inspector’s case',
      () => [...hub.app.world().cases.keys()].some((id) => !before.has(id)),
      15_000,
    );
    const reported = [...hub.app.world().cases.values()].find((c) => !before.has(c.id))!;
    expect(reported).toMatchObject({ source: 'inspector', address: '思明区中山路 88 号', category: { code: '01001' } });
    expect(reported.position[0]).toBeCloseTo(lon!, 4);
    expect(reported.position[1]).toBeCloseTo(lat!, 4);
    expect(reported.photos?.map((p) => p.role)).toEqual(['report']);
  }, 60_000);

  it('keeps working with the network cut: the steps queue in order, survive a reload, and are applied once when the link returns', async () => {
    await dispatchOnConsole(CASES.offline);
    const taskId = await taskOf(CASES.offline);
    await unitPhone.locator('[data-nav="tasks"]').click();
    await unitPhone.locator(`[data-task-id="${taskId}"][data-status="dispatched"]`).waitFor({ timeout: 5_000 });
    await outOfReach(true);
    await expect
      .poll(() => unitPhone.locator('[data-link]').getAttribute('data-link'), { timeout: 15_000 })
      .toBe('offline');

    // The hub marks the unit's terminal offline (the wall and console show it).
    const terminal = () => hub.app.world().units.get(UNIT)?.terminal;
    await hub.hubHas('the terminal marked offline', () => terminal()?.state === 'offline', 15_000);
    await unitPhone.locator(`[data-task-id="${taskId}"]`).click();
    for (const s of ['accepted', 'en_route', 'on_scene']) {
      await step(unitPhone, s);
      // The phone moves on at once: the next step is offered while this one waits in the outbox.
      await unitPhone.locator(`[data-screen="task"][data-status="${s}"][data-pending="true"]`).waitFor();
    }
    await step(unitPhone, 'done');
    await unitPhone
      .locator('[data-photo-input="after"]')
      .setInputFiles({ name: 'after-offline.jpg', mimeType: 'image/jpeg', buffer: await jpeg(5) });
    await unitPhone.locator('[data-photo-role="after"] img').waitFor();
    await unitPhone.locator('[data-action="submit-handled"]').click();

    // The outbox lists the four actions in the order taken; the hub has none of them.
    await unitPhone.locator('[data-nav="outbox"]').click();
    const items = unitPhone.locator('[data-outbox-item]');
    await expect.poll(() => items.count()).toBe(4);
    expect(await unitPhone.locator('[data-testid="pending-badge"]').textContent()).toBe('4');
    await shot(unitPhone, 'outbox');
    expect(taskStatus(taskId)).toBe('dispatched');

    // Closed and opened again with no network: the shell from the service worker, the outbox from IndexedDB.
    await unitPhone.reload();
    await unitPhone.locator('[data-nav="outbox"]').click();
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(4);
    const texts = await items.locator('strong').allTextContents();
    expect(texts).toEqual(['任务 已接收', '任务 在途', '任务 已到达', '任务 已处置']);
    expect(taskStatus(taskId)).toBe('dispatched');

    await outOfReach(false);
    await unitPhone.locator('[data-testid="outbox-empty"]').waitFor({ timeout: 30_000 });
    await hub.hubHas('the offline steps applied', () => taskStatus(taskId) === 'done', 15_000);
    expect(caseStatus(CASES.offline)).toBe('handled');
    // Back online, on duty, nothing waiting: what the phone tells the hub (field:status) and the hub logs.
    await hub.hubHas(
      'the terminal online with an empty outbox',
      () => terminal()?.state === 'online' && terminal()?.pending === 0 && terminal()?.onDuty === true,
      15_000,
    );
    // Each step once, in the order taken.
    const steps = (await logEvents(hub)).flatMap((e) =>
      e.type === 'task.updated' && e.task.id === taskId ? [e.to] : [],
    );
    expect(steps).toEqual(['accepted', 'en_route', 'on_scene', 'done']);
    expect(
      hub.app
        .world()
        .cases.get(CASES.offline)!
        .photos?.map((p) => p.role),
    ).toEqual(['after']);
  }, 90_000);

  it('declines with a reason; says why when the hub refuses a step on a task recalled meanwhile; and when unpaired', async () => {
    // The squad member declines — the button waits for a reason.
    await dispatchOnConsole(CASES.refused);
    const declined = await taskOf(CASES.refused);
    await unitPhone.locator('[data-nav="tasks"]').click();
    await unitPhone.locator(`[data-task-id="${declined}"]`).click();
    await step(unitPhone, 'declined');
    const decline = unitPhone.locator('[data-screen="decline"] button.danger');
    expect(await decline.isDisabled()).toBe(true);
    await unitPhone.locator('[data-testid="decline-reason"]').fill('车辆故障，无法前往');
    await decline.click();
    await hub.hubHas('the task declined', () => taskStatus(declined) === 'declined', 15_000);
    expect(hub.app.world().tasks.get(declined)!.reason).toBe('车辆故障，无法前往');
    await hub.hubHas('the unit free again', () => hub.app.world().units.get(UNIT)?.status === 'available', 15_000);

    // Another case is dispatched (by the console's HTTP command: the console page's own dispatch is the first
    // journey's); the phone accepts while out of reach, and the console recalls the task meanwhile.
    const dispatched = await desk.request.post('/api/commands/case:dispatch', {
      data: { caseId: CASES.recalled, unitId: UNIT, idempotencyKey: `e2e-dispatch-${CASES.recalled}` },
      headers: { origin: hub.base },
    });
    expect(dispatched.status(), await dispatched.text()).toBe(200);
    const taskId = await taskOf(CASES.recalled);
    await unitPhone.locator('[data-nav="tasks"]').click();
    await unitPhone.locator(`[data-task-id="${taskId}"]`).waitFor({ timeout: 5_000 });
    await outOfReach(true);
    await expect
      .poll(() => unitPhone.locator('[data-link]').getAttribute('data-link'), { timeout: 15_000 })
      .toBe('offline');
    await unitPhone.locator(`[data-task-id="${taskId}"]`).click();
    await step(unitPhone, 'accepted');
    await unitPhone.locator('[data-screen="task"][data-status="accepted"]').waitFor();

    // The commander recalls the task while the phone is out of reach.
    const recall = await desk.request.post('/api/commands/task:recall', {
      data: { taskId, reason: '改派其他队员', idempotencyKey: `e2e-recall-${taskId}` },
      headers: { origin: hub.base },
    });
    expect(recall.status(), await recall.text()).toBe(200);
    await hub.hubHas('the task recalled', () => taskStatus(taskId) === 'recalled', 15_000);

    await outOfReach(false);
    const alert = unitPhone.locator('.notice[role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('操作被拒绝');
    await unitPhone.locator('[data-nav="outbox"]').click();
    const refused = unitPhone.locator('[data-refused-item]');
    await refused.first().waitFor();
    expect(await refused.count()).toBe(1);
    const code = await refused.getAttribute('data-refusal');
    expect(code).toMatch(/^(illegal_step|task_finished|not_your_task)$/);
    expect(await refused.locator('.reason').textContent()).not.toBe('操作未执行');
    expect(await unitPhone.locator('[data-outbox-item]').count()).toBe(0);
    await shot(unitPhone, 'refused');
    // Read and dismissed.
    await refused.locator('button').click();
    await expect.poll(() => refused.count()).toBe(0);

    // The console unpairs the phone: its socket is cut, and the phone says so.
    const unpaired = await desk.request.delete(`/api/field/devices/${UNIT}`, { headers: { origin: hub.base } });
    expect(unpaired.status(), await unpaired.text()).toBe(200);
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('本终端已被解除绑定');
    // Opened again later, the phone's old token is refused at the handshake: it says so once and stops retrying.
    await unitPhone.reload();
    await expect
      .poll(() => unitPhone.locator('.notice[role="alert"]').textContent(), { timeout: 15_000 })
      .toContain('本终端已被解除绑定');
    expect(await unitPhone.locator('[data-link]').getAttribute('data-link')).toBe('offline');
  }, 60_000);
});

/** The units of the test's squad and the cases the journeys dispatch, filed in the inspector's grid. */
const UNIT = 'U-FIELD-1';
const OTHER_UNIT = 'U-FIELD-2';
const CASES = { online: 'C-FIELD-1', offline: 'C-FIELD-2', refused: 'C-FIELD-3', recalled: 'C-FIELD-4' } as const;

async function seedWorld(hub: TestHub): Promise<void> {
  const at = hub.now();
  const desk = { role: 'upstream' as const, id: 'intake-1' };
  const inputs: InputMessage[] = [
    {
      kind: 'unit.register',
      unitId: UNIT,
      name: '思明执法一队 张伟',
      type: 'enforcement',
      squadId: SQUAD,
      district: DISTRICT,
      status: 'available',
      at,
    },
    {
      kind: 'unit.register',
      unitId: OTHER_UNIT,
      name: '思明执法一队 李强',
      type: 'enforcement',
      squadId: SQUAD,
      district: DISTRICT,
      status: 'available',
      at,
    },
  ];
  Object.values(CASES).forEach((caseId, i) =>
    inputs.push(
      {
        kind: 'case.report',
        caseId,
        category: { code: '01001', standard: 'GB/T 47678.5-2026' },
        source: 'hotline',
        urgency: i === 0 ? 'urgent' : 'normal',
        lon: SCENE[0] + i * 0.0006,
        lat: SCENE[1] - i * 0.0004,
        address: `思明区中山路 ${101 + i} 号`,
        description: '井盖松动，车辆经过有响声',
        grid: GRID,
        at,
      },
      { kind: 'case.transition', caseId, to: 'accepted', actor: desk, at },
      { kind: 'case.transition', caseId, to: 'filed', actor: desk, at },
    ),
  );
  await hub.sendAll(inputs);
  await hub.hubHas('the squad and the filed cases', () => {
    const w = hub.app.world();
    return w.units.has(OTHER_UNIT) && Object.values(CASES).every((id) => w.cases.get(id)?.status === 'filed');
  });
  const now = hub.now();
  await hub.sendFixes([
    { unitId: UNIT, lon: 118.0806, lat: 24.4555, at: now },
    { unitId: OTHER_UNIT, lon: 118.0902, lat: 24.4632, at: now },
  ]);
}

/** A real JPEG of `width`×`height` in one colour with a stripe, different bytes for each `seed`. */
async function jpeg(seed: number, width = 800, height = 600): Promise<Buffer> {
  const stripe = await sharp({
    create: { width, height: 80, channels: 3, background: { r: 255, g: 255, b: 255 } },
  })
    .png()
    .toBuffer();
  return sharp({
    create: { width, height, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: 120 } },
  })
    .composite([{ input: stripe, top: (seed * 37) % (height - 80), left: 0 }])
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** The hub's log, parsed. */
async function logEvents(hub: TestHub): Promise<LogEvent[]> {
  return ((await hub.redis.xRange(hub.keys.log, '-', '+')) ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent);
}

/** A unit's position as the console's map draws it (the display's debug hook), or null while it has none. */
function drawnPosition(page: Page, slot: number): Promise<[number, number] | null> {
  return page.evaluate((s) => {
    const e = (globalThis as unknown as { __egret?: EgretDebugView }).__egret;
    const u = e?.unitPositions(100_000).find((p) => p.slot === s);
    return u ? ([u.lon, u.lat] as [number, number]) : null;
  }, slot);
}

export type { BrowserContext, InputMessage };
