import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { worldNow } from '@egret/protocol';
import { launchBrowser, type FileBrowser } from './support/chromium.ts';
import { phoneContext } from './support/phone.ts';
import { startHub, type TestHub } from './support/hub.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** The typhoon drill's world time (2016-09-14 20:00 in Xiamen), run at 20×: years before the phone's own clock. */
const DRILL = Date.UTC(2016, 8, 14, 12);
const RATE = 20;
const SCENE: [number, number] = [118.0838, 24.4578];

/** "1d 3:05:09", "3:05:09" or "5:09" (the phone's countdown) in ms. */
function parseDuration(text: string): number {
  const m = /(?:(\d+)d )?(?:(\d+):)?(\d+):(\d\d)$/.exec(text.trim());
  if (!m) throw new Error(`not a countdown: ${text}`);
  const [, d = '0', h = '0', min, s] = m;
  return (((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s!)) * 1_000;
}

/**
 * The field terminal 城管通 during a drill, in headless Chromium at 390×844: a task's deadline counts in the drill's
 * world time (a phone counting by its own clock read "Overdue 176d" on a typhoon drill of 2016), and a phone nobody
 * has signed in to says so instead of "connecting".
 */
describe('the field terminal during a drill', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: FileBrowser;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startHub({ redisUrl, config, label: 'field-drill' }), launchBrowser()]);
    await hub.setClock(DRILL, RATE, 'e2e-typhoon-drill');
    const at = hub.now();
    const desk = { role: 'upstream' as const, id: 'case-system' };
    await hub.sendAll([
      {
        kind: 'unit.register',
        unitId: 'U-DRILL',
        name: '思明执法一队 王磊',
        type: 'enforcement',
        squadId: 'SQ-DRILL',
        district: '350203',
        status: 'available',
        at,
      },
      {
        kind: 'case.report',
        caseId: 'C-DRILL',
        category: { code: '01001', standard: 'GB/T 47678.5-2026' },
        source: 'hotline',
        urgency: 'normal',
        lon: SCENE[0],
        lat: SCENE[1],
        address: '思明区中山路 101 号',
        at,
      },
      { kind: 'case.transition', caseId: 'C-DRILL', to: 'accepted', actor: desk, at },
      { kind: 'case.transition', caseId: 'C-DRILL', to: 'filed', actor: desk, at },
    ]);
    await hub.hubHas('the filed case', () => hub.app.world().cases.get('C-DRILL')?.status === 'filed');
    const r = await (
      await hub.commander()
    )
      .timeout(10_000)
      .emitWithAck('case:dispatch', { caseId: 'C-DRILL', unitId: 'U-DRILL', idempotencyKey: randomUUID() });
    expect(r.ok).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('counts a task’s deadline in the drill’s world time, not by the phone’s clock', async () => {
    const deadline = hub.app.world().cases.get('C-DRILL')!.deadline!;
    expect(deadline).toBeGreaterThan(DRILL);
    const paired = await fetch(`${hub.base}/api/field/pairings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: hub.base },
      body: JSON.stringify({ unitId: 'U-DRILL' }),
    });
    expect(paired.status, await paired.clone().text()).toBe(201);
    const { code } = ((await paired.json()) as { result: { code: string } }).result;
    const context = await phoneContext(browser, hub.base);
    try {
      const phone = await context.newPage();
      await phone.goto(`/field/#pair=${code}`);
      const card = phone.locator('[data-task-id]');
      await card.waitFor({ timeout: 30_000 });
      const countdown = card.locator('[data-testid="countdown"]');
      await expect.poll(() => countdown.textContent()).toMatch(/^剩余 /);
      const text = (await countdown.textContent())!;
      const left = deadline - worldNow(hub.app.world().clock, Date.now());
      // The phone ticks once a second: a second or two of the drill's 20× between its reading and ours.
      expect(Math.abs(parseDuration(text.replace('剩余 ', '')) - left)).toBeLessThan(3 * RATE * 1_000);
      writeFileSync(resolve(ARTIFACTS, 'field-drill-zh-tasks.png'), await phone.screenshot());
      await phone.locator('button.lang').click();
      await expect.poll(() => countdown.textContent()).toMatch(/ left$/);
      writeFileSync(resolve(ARTIFACTS, 'field-drill-en-tasks.png'), await phone.screenshot());
    } finally {
      await context.close();
    }
  });

  it('says nobody is signed in on the sign-in screen, not that it is connecting', async () => {
    const context = await phoneContext(browser, hub.base);
    try {
      const phone = await context.newPage();
      await phone.goto('/field/');
      await phone.locator('[data-screen="login"]').waitFor({ timeout: 30_000 });
      const link = phone.locator('[data-link]');
      expect(await link.getAttribute('data-link')).toBe('signedOut');
      expect(await link.textContent()).toBe('未登录');
      writeFileSync(resolve(ARTIFACTS, 'field-drill-zh-login.png'), await phone.screenshot());
      await phone.locator('button.lang').click();
      await expect.poll(() => link.textContent()).toBe('Not signed in');
      writeFileSync(resolve(ARTIFACTS, 'field-drill-en-login.png'), await phone.screenshot());
    } finally {
      await context.close();
    }
  });
});
