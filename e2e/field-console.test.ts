import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { FIELD_NAMESPACE, type FieldState } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, waitForEgret, waitForMapToPick } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** In 同安区, kilometres from any camera (a camera's marker would take the click). */
const SCENE: [number, number] = [118.12, 24.7];

/**
 * The console's side of the field terminal (issue #16) in headless Chromium: a dispatcher opens the case a unit is
 * on, pairs a terminal for that unit (a QR code and a link), the link pairs a phone, and the console shows the unit's
 * terminal online; the wall's legend explains the cyan ring of a unit on a live terminal.
 */
describe('pairing a field terminal from the console', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'field-console', fieldPresenceDebounceMs: 100 }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
    await hub.setClock(Date.now());
    const at = hub.now();
    const desk = { role: 'upstream' as const, id: 'case-system' };
    await hub.sendAll([
      {
        kind: 'unit.register',
        unitId: 'U-TERM',
        name: '思明中队 7 组',
        type: 'enforcement',
        squadId: 'SQ-T',
        district: '350212',
        status: 'available',
        at,
      },
      {
        kind: 'case.report',
        caseId: 'C-TERM',
        category: { code: '04002', standard: 'GB/T 47678.5-2026' },
        source: 'hotline',
        urgency: 'normal',
        lon: SCENE[0],
        lat: SCENE[1],
        address: '思明南路',
        at,
      },
      { kind: 'case.transition', caseId: 'C-TERM', to: 'accepted', actor: desk, at },
      { kind: 'case.transition', caseId: 'C-TERM', to: 'filed', actor: desk, at },
    ]);
    await hub.sendFixes([{ unitId: 'U-TERM', lon: SCENE[0] - 0.004, lat: SCENE[1] - 0.003, at }]);
    await hub.hubHas('the filed case', () => hub.app.world().cases.get('C-TERM')?.status === 'filed');
    const commander = await hub.commander();
    const r = await commander
      .timeout(10_000)
      .emitWithAck('case:dispatch', { caseId: 'C-TERM', unitId: 'U-TERM', idempotencyKey: randomUUID() });
    expect(r.ok).toBe(true);
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('shows a QR code and a link that pair a phone, then the unit’s terminal online', async () => {
    await page.goto(`${hub.base}/console`);
    await waitForEgret(page, 'e.caseCount > 0 && !!e.map', 30_000).catch(async (err: unknown) => {
      throw new Error(`the console never showed the case: ${JSON.stringify(await egretFacts(page))} ${page.url()}`, {
        cause: err,
      });
    });
    // A real click on the case's ring, once the map has drawn it.
    const [x, y] = await waitForMapToPick(page, ['cases', 'cameras'], 'C-TERM', SCENE);
    await page.mouse.click(x, y);
    const panel = page.locator('[data-panel="unit-terminal"][data-unit="U-TERM"]');
    await page.locator('article[data-case-id="C-TERM"]').waitFor({ timeout: 15_000 });
    await panel.waitFor({ timeout: 15_000 });
    expect(await panel.getAttribute('data-terminal')).toBe('none');
    await panel.locator('[data-action="pair-terminal"]').click();
    const link = panel.locator('[data-pairing-link]');
    await link.waitFor({ timeout: 10_000 });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${hub.base}/field/#pair=[0-9A-HJKMNP-TV-Z]{10}$`));
    const img = panel.locator('img');
    expect(await img.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    expect(await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
    writeFileSync(resolve(ARTIFACTS, 'console-pair-terminal.png'), await page.screenshot());

    // The phone trades the code for its token and opens the field socket.
    const code = href.split('#pair=')[1]!;
    const paired = await fetch(`${hub.base}/api/field/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(paired.status).toBe(200);
    const { token } = ((await paired.json()) as { result: { token: string } }).result;
    const phone = io(`${hub.base}${FIELD_NAMESPACE}`, { transports: ['websocket'], auth: { token }, forceNew: true });
    const state = await new Promise<FieldState>((done) => phone.once('field:state', done));
    expect(state.tasks.map((t) => t.case?.id)).toEqual(['C-TERM']);
    phone.emit('field:status', { pending: 2, onDuty: true });
    await expect.poll(() => panel.getAttribute('data-terminal'), { timeout: 10_000 }).toBe('online');
    await expect.poll(() => panel.locator('.pending').textContent(), { timeout: 10_000 }).toContain('2');
    writeFileSync(resolve(ARTIFACTS, 'console-terminal-online.png'), await page.screenshot());

    // Unpairing from the console cuts the phone.
    const cut = new Promise<void>((done) => phone.once('disconnect', () => done()));
    await panel.locator('[data-action="unpair-terminal"]').click();
    await cut;
    await expect.poll(() => panel.getAttribute('data-terminal'), { timeout: 10_000 }).toBe('offline');
    phone.close();
  });

  it('explains the live-terminal ring in the wall’s legend', async () => {
    const wall = await browser.context.newPage();
    // The legend is a panel of its own: no WebGL canvas needed (`?map=off`).
    await wall.goto(`${hub.base}/wall?map=off`);
    const entry = wall.locator('[data-legend="terminal"]');
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.textContent()).toContain('现场终端');
    writeFileSync(resolve(ARTIFACTS, 'wall-terminal-legend.png'), await wall.screenshot());
    await wall.close();
  });
});
