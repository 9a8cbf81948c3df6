import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { isCaseOpen, type Case } from '@egret/protocol';
import type { App } from '@egret/server/app.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, waitForEgret, type EgretDebugView } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { simulateCity, writeCity } from './support/world.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** A weekday morning: half an hour of the simulator's normal day, 09:00 to 09:30, written to the hub in one go. */
const WORLD_START = '2026-07-01T09:00:00+08:00';
/** Case rings drawn closer than this to the chosen one could take the click: choose a case standing apart. */
const CLEAR_PX = 18;

/*
 * The console keeps its real map (WebGL at 1920×1080, a city of a few hundred units): the commander picks a case with
 * a mouse click on its ring. The field's side — the unit accepting, travelling, working, reporting; the case system
 * verifying and closing — is played by the test through the input streams, as the field apps and the case system
 * would, instead of waiting on a simulator at 120× for the case to come round.
 */
describe('the commander dispatches a case from the console and watches it close', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let app: App;
  let port: number;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const city = simulateCity({ config, units: 300, start: Date.parse(WORLD_START), minutes: 30 });
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'dispatch' }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
    port = hub.port;
    await writeCity(hub, city);
    app = hub.app;
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const shot = async (name: string) =>
    writeFileSync(resolve(ARTIFACTS, `console-dispatch-${name}.png`), await page.screenshot());
  const card = () => page.locator('article[data-case-id]');
  const status = () => card().getAttribute('data-case-status');

  it('picks a filed case on the map, dispatches the best unit with a double click, and sees it through to 结案', async () => {
    await page.goto(`http://127.0.0.1:${port}/console`);
    try {
      await waitForEgret(page, 'e.unitsPositioned > 50 && e.caseCount > 0 && e.framesReceived > 1');
    } catch (err) {
      throw new Error(`the console never showed a live city: ${JSON.stringify(await egretFacts(page))}`, {
        cause: err,
      });
    }

    const target = await waitForClickableFiledCase(page, app, 30_000);
    const canvas = (await egretFacts(page))!.canvas!;
    // A real mouse click on the case's ring: the console picks it with deck.gl.
    await page.mouse.click(canvas.x + target.x, canvas.y + target.y);
    await expect.poll(() => card().getAttribute('data-case-id'), { timeout: 10_000 }).toBe(target.id);
    expect(await status()).toBe('filed');
    expect(await page.locator('[data-testid="countdown"]').textContent()).toMatch(/^(剩余|超期) /);
    await expect.poll(() => layerRows(page, 'selected-case')).toBe(1);

    // The hub's ranking: squads with ETAs, the reasons in words.
    await page.locator('[data-candidates="ready"] li[data-rank="1"]').waitFor({ timeout: 30_000 });
    const first = page.locator('[data-candidates="ready"] li[data-rank="1"]');
    expect(await first.locator('.minutes').textContent()).toMatch(/^\d+ 分钟$/);
    expect(await first.locator('[data-reason]').count()).toBeGreaterThan(0);
    expect(await first.locator('[data-reason]').first().textContent()).not.toMatch(/[{}]|^[a-z_]+$/);
    await shot('1-candidates');

    // The best available unit, double-clicked: one task, however many clicks.
    // The commander's pointer rests on the list (which then holds still: no 15-s refresh under the cursor), reads a
    // row and clicks that row's button, found by the unit read, never by its place in the list.
    await page.locator('[data-candidates="ready"]').hover();
    const firstFree = page
      .locator('[data-candidates="ready"] button.go[data-action="dispatch"]:not([disabled])')
      .first();
    const unitId = await firstFree.locator('xpath=..').getAttribute('data-unit');
    const go = page.locator(`[data-candidates="ready"] li[data-unit="${unitId}"] button.go[data-action="dispatch"]`);
    await go.dblclick();
    await expect.poll(status, { timeout: 15_000 }).not.toBe('filed');
    const tasks = [...app.world().tasks.values()].filter((t) => t.caseId === target.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.unitId).toBe(unitId);
    await expect.poll(() => layerRows(page, 'dispatch-lines'), { timeout: 10_000 }).toBeGreaterThan(0);
    await page
      .locator('[data-step="dispatched"][data-state="done"], [data-step="dispatched"][data-state="current"]')
      .waitFor();
    await shot('2-dispatched');

    // The field takes it from here: the unit's app reports each step, then the case system verifies and closes.
    const taskId = tasks[0]!.id;
    const field = async (status: 'accepted' | 'en_route' | 'on_scene' | 'done') => {
      await hub.send({ kind: 'task.update', taskId, unitId: unitId!, status, at: hub.now() });
      await hub.hubHas(`the task ${status}`, () => app.world().tasks.get(taskId)?.status === status);
    };
    await field('accepted');
    await field('en_route');
    await field('on_scene');
    await page.locator('[data-task-status="on_scene"]').waitFor({ timeout: 15_000 });
    await shot('3-on-scene');
    await field('done');
    await expect.poll(status, { timeout: 15_000 }).toBe('handled');
    const desk = { role: 'upstream' as const, id: 'case-system' };
    await hub.send({ kind: 'case.transition', caseId: target.id, to: 'verifying', actor: desk, at: hub.now() });
    await hub.send({ kind: 'case.transition', caseId: target.id, to: 'closed', actor: desk, at: hub.now() });
    await expect.poll(status, { timeout: 15_000 }).toBe('closed');
    expect(await page.locator('[data-testid="case-status"]').textContent()).toBe('结案');
    expect(await page.locator('[data-step][data-state="done"]').count()).toBe(7);
    const history = await page.locator('.history li').allTextContents();
    expect(history[0]).toContain('结案');
    expect(history.some((h) => h.includes('派遣') && h.includes('指挥长'))).toBe(true);
    await shot('4-closed');

    // The KPI strip shows the hub's report, today beside yesterday.
    await expect
      .poll(() => page.locator('[data-panel="kpi"] [data-kpi="closed"] .value').textContent(), { timeout: 40_000 })
      .not.toBe('—');
    expect(await page.locator('[data-panel="kpi"] [data-kpi="closureRate"] .value').textContent()).toMatch(
      /^(\d+\.\d%|—)$/,
    );
    expect(await page.locator('[data-panel="kpi"] [data-kpi="reported"] .previous').textContent()).toMatch(/^昨日 /);
    expect((await egretFacts(page))!.deckCount).toBe(1);
  }, 120_000);

  it('shows a refusal clearly when the chosen unit has been taken meanwhile', async () => {
    // Another commander (here: the HTTP API) takes the best unit of a filed case while this console shows it.
    const target = await waitForClickableFiledCase(page, app, 30_000);
    const canvas = (await egretFacts(page))!.canvas!;
    await page.mouse.click(canvas.x + target.x, canvas.y + target.y);
    await expect.poll(() => card().getAttribute('data-case-id'), { timeout: 10_000 }).toBe(target.id);
    await page.locator('[data-candidates="ready"] li[data-rank="1"]').waitFor({ timeout: 30_000 });
    const unitId = (await page
      .locator('[data-candidates="ready"] button.go[data-action="dispatch"]:not([disabled])')
      .first()
      .locator('xpath=..')
      .getAttribute('data-unit'))!;
    // That unit's own button, whatever a refresh of the list does meanwhile.
    const go = page.locator(`[data-candidates="ready"] li[data-unit="${unitId}"] button.go`);
    const other = otherFiledCase(app, target.id);
    const res = await fetch(`http://127.0.0.1:${port}/api/commands/case:dispatch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-egret-user': 'other-desk' },
      body: JSON.stringify({ caseId: other, unitId, idempotencyKey: `e2e-${Date.now()}` }),
    });
    expect(res.status).toBe(200);
    await go.click();
    const refusal = page.locator('[role="alert"][data-error]');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.getAttribute('data-error')).toMatch(/^unit_(busy|unavailable)$/);
    expect(await refusal.textContent()).toContain('操作未执行');
    expect(await refusal.textContent()).toContain(app.world().units.get(unitId)!.name);
    await shot('5-refused');
    expect(await status()).toBe('filed');

    // The same card in English: every string through the catalogues.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('[data-testid="case-status"]').textContent()).toBe('Filed');
    expect(await refusal.textContent()).toContain('This unit is on another task');
    expect(await page.locator('[data-candidates="ready"] li[data-rank="1"] .minutes').textContent()).toMatch(
      /^\d+ min$/,
    );
    await shot('6-english');
    await page.getByRole('button', { name: '中文' }).click();
  }, 120_000);
});

/** Rows of one map layer, as the debug hook reports them. */
function layerRows(page: Page, id: string): Promise<number> {
  return page.evaluate((layer) => {
    const e = (globalThis as unknown as { __egret?: EgretDebugView }).__egret;
    return e?.map?.layers().find((l) => l.id === layer)?.length ?? -1;
  }, id);
}

/** A filed case the page shows, standing clear of other cases on the map, with its pixel in the canvas. */
async function waitForClickableFiledCase(
  page: Page,
  app: App,
  timeout: number,
): Promise<{ id: string; x: number; y: number }> {
  const until = Date.now() + timeout;
  for (;;) {
    const open = [...app.world().cases.values()].filter(isCaseOpen);
    const found = await clickable(page, open);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no filed case stood clear on the map (${open.length} open)`);
    await page.waitForTimeout(1_000);
  }
}

async function clickable(page: Page, open: Case[]) {
  const pixels = await page.evaluate(
    (points) => {
      const e = (globalThis as unknown as { __egret?: EgretDebugView }).__egret!;
      const box = e.map!.canvasBox();
      return { box, at: points.map(([lon, lat]) => e.map!.project(lon, lat)) };
    },
    open.map((c) => c.position),
  );
  /**
   * Whether the map picks this case at its pixel among the layers the console's click picks from
   * (display/src/screens/Console.svelte): what a click there selects (the map may not hold it yet).
   */
  const picksCase = (id: string, [x, y]: [number, number]) =>
    page.evaluate(
      ({ id, x, y }) =>
        (globalThis as unknown as { __egret?: EgretDebugView }).__egret!.map!.pick(x, y, ['cases', 'cameras'])?.id ===
        id,
      { id, x, y },
    );
  const margin = 40;
  for (let i = 0; i < open.length; i++) {
    if (open[i]!.status !== 'filed') continue;
    const [x, y] = pixels.at[i]!;
    if (x < margin || y < margin || x > pixels.box.width - margin || y > pixels.box.height - margin) continue;
    const crowded = pixels.at.some(([ox, oy], j) => j !== i && Math.hypot(ox - x, oy - y) < CLEAR_PX);
    if (!crowded && (await picksCase(open[i]!.id, [x, y]))) return { id: open[i]!.id, x, y };
  }
  return null;
}

function otherFiledCase(app: App, except: string): string {
  const c = [...app.world().cases.values()].find((x) => x.status === 'filed' && x.id !== except);
  if (!c) throw new Error('no second filed case to send the unit to');
  return c.id;
}
