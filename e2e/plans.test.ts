import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { citySquads, loadConfig } from '@egret/config';
import { actionsAt, type InputMessage, type StormUpdate } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { decodePng } from './support/png.ts';
import { egretFacts, waitForEgret } from './support/egret-page.ts';
import { startHub, type Fix, type TestHub } from './support/hub.ts';
import { clipped, outside, overlaps, panelBoxes, smallText } from './support/layout.ts';

/** Page code reaches the DOM untyped (the e2e project has no DOM library). */
type Untyped = any;
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
const MIN = 60_000;
const HOUR = 60 * MIN;
/** A weekday morning of the civilised-city assessment (world time). */
const T = Date.parse('2026-07-01T08:00:00+08:00');
const CIVILISED = 'civilised-city';
const ROUND = 'assessment-round';
/** Body text on the 4K wall must read from five metres. */
const MIN_BODY_PX = 28;

/** A storm off the coast with the signal at `signal` (positions approximate). */
function storm(at: number, signal: 'blue' | 'yellow' | 'orange' | 'red'): StormUpdate['storm'] {
  return {
    id: '2616',
    name: { zh: '演练台风', en: 'Drill' },
    at,
    center: [119.6, 23.2],
    pressureHpa: 960,
    maxWindMs: 38,
    r7Km: 260,
    r10Km: 80,
    r12Km: 30,
    stage: 'at_sea',
    phase: 'preparation',
    signal,
    track: [{ at: at - 12 * HOUR, center: [122.0, 21.5], pressureHpa: 970, maxWindMs: 33 }],
    forecast: [
      { at: at + 12 * HOUR, leadHours: 12, center: [118.3, 24.6], pressureHpa: 965, maxWindMs: 35, coneKm: 60 },
    ],
  };
}

/*
 * Plans of the command manual from the commander's click to the wall (issue #17): one hub, one browser (a wall page at
 * 4K and a console page at 1920×1080), the world built by writing inputs to the streams and jumping the clock. Pages
 * open without the map's canvas (`?map=off`: the layers' rows are the same, a 4K page on software GL answers at once)
 * except for the screenshots (artifacts/plans-*-1920.png; README's docs/wall-civilised-city.png, wall-environmental.png and
 * console-plan.png are copies of these), taken on the real map.
 */
describe('plans: 文明创建 activated on the console, worked in the field, the typhoon plan raised by its signal', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let wall: Page;
  let desk: Page;
  /** World time just after the activation, before any point was checked: replay is asked for it at the end. */
  let activatedAt = 0;

  const send = (m: InputMessage) => hub.send(m);
  const inspectionsOf = (planId: string, actionId?: string) =>
    [...hub.app.world().inspections.values()].filter(
      (i) => i.planId === planId && (actionId === undefined || i.actionId === actionId),
    );
  const figure = (page: Page, action: string, fig: string) =>
    page.locator(`[data-panel=plan] [data-action="${action}"] [data-fig="${fig}"] b`).textContent();
  const layer = async (page: Page, id: string) => (await egretFacts(page))!.layers.find((l) => l.id === id);
  const layout = async (page: Page, width: number, height: number, minPx: number) => {
    const boxes = await panelBoxes(page);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, width, height), 'panels outside the canvas').toEqual([]);
    expect(await smallText(page, minPx), `text smaller than ${minPx} px`).toEqual([]);
    expect(await clipped(page, '[data-panel=title] [data-plan]'), 'plan title cut off').toEqual([]);
  };

  /** The plan panel's one-line actions whose figures run past the line or leave its name under 120 px. */
  const squeezedLines = (page: Page): Promise<string[]> =>
    page.evaluate(() =>
      [...(globalThis as Untyped).document.querySelectorAll('[data-panel=plan] .line')]
        .filter((line: Untyped) => {
          const box = line.getBoundingClientRect();
          const figs = line.querySelector('.figs').getBoundingClientRect();
          const name = line.querySelector('.text').getBoundingClientRect();
          return figs.right > box.right + 1 || name.width < 120;
        })
        .map((line: Untyped) => line.getAttribute('data-action') as string),
    );

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'plans' }),
      launchChromium({ width: 3840, height: 2160 }),
    ]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await hub.setClock(T);
    // Two units per squad of the city, each at a point of its district (fixes of unknown units are refused).
    const points = config.pointSets.get('assessment-points') ?? [];
    const units: InputMessage[] = [];
    const fixes: Fix[] = [];
    for (const [district, squads] of citySquads(config.city)) {
      const here = points.filter((p) => p.district === district);
      squads.forEach((squadId, s) => {
        for (const k of [1, 2]) {
          const unitId = `${squadId}-u${k}`;
          units.push({
            kind: 'unit.register',
            unitId,
            name: `${squadId.slice(3)}-${k}`,
            type: 'enforcement',
            squadId,
            district,
            status: 'available',
            at: hub.now(),
          });
          const p = here[(s * 2 + k) % Math.max(1, here.length)]!.position;
          fixes.push({ unitId, lon: p[0] + 0.002 * k, lat: p[1] - 0.002, at: hub.now() });
        }
      });
    }
    await hub.sendAll(units);
    await hub.hubHas('the roster', () => hub.app.world().units.size === units.length);
    await hub.sendFixes(fixes);
    await hub.setMode('civilised_city');

    [wall, desk] = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
    await desk.setViewportSize({ width: 1920, height: 1080 });
    await Promise.all([wall.goto(`${hub.base}/wall?map=off`), desk.goto(`${hub.base}/console?map=off`)]);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('activates 文明创建 at Ⅲ from the console, with a confirmation and a reason', async () => {
    // No plan in force: no plan panel on the wall, nothing in the title bar.
    await wall.waitForSelector('.wall[data-mode=civilised_city]', { timeout: 60_000 });
    expect(await wall.locator('[data-panel=plan]').count()).toBe(0);
    const def = desk.locator(`[data-plan-def="${CIVILISED}"]`);
    await def.waitFor({ timeout: 60_000 });
    await def.locator('[data-plan-activate=III]').click();
    const confirm = def.locator('[data-plan-confirm]');
    expect(await confirm.textContent()).toContain('Ⅲ级响应');
    await confirm.locator('[data-plan-reason]').fill('迎接年度测评');
    await confirm.locator('button[type=submit]').click();
    await hub.hubHas('the plan in force at Ⅲ with its rounds issued', () => {
      const p = hub.app.world().plans.get(CIVILISED);
      return p?.level === 'III' && p.endedAt === undefined && inspectionsOf(CIVILISED, ROUND).length > 0;
    });
    const plan = hub.app.world().plans.get(CIVILISED)!;
    expect(plan).toMatchObject({ actor: { role: 'commander' }, reason: '迎接年度测评' });
    activatedAt = hub.now();
    await def.locator('[data-active-level=III]').waitFor({ timeout: 10_000 });
  });

  it('refuses another letter case, a level the plan has not, the level it holds and a malformed level, changing nothing', async () => {
    const commander = await hub.commander();
    const ask = (c: { planId: string; level: 'IV' | 'III' | 'II' | 'I'; idempotencyKey?: string }) =>
      commander.timeout(10_000).emitWithAck('plan:activate', { idempotencyKey: randomUUID(), ...c });
    const seq = hub.app.world().seq;
    expect(await ask({ planId: CIVILISED.toUpperCase(), level: 'II' })).toMatchObject({
      ok: false,
      error: 'unknown_plan',
    });
    expect(await ask({ planId: CIVILISED, level: 'I' })).toMatchObject({ ok: false, error: 'unknown_level' });
    expect(await ask({ planId: CIVILISED, level: 'III' })).toMatchObject({ ok: false, error: 'already_at_level' });
    expect(
      await commander
        .timeout(10_000)
        .emitWithAck('plan:activate', { planId: CIVILISED, level: 'iii', idempotencyKey: randomUUID() } as never),
    ).toMatchObject({ ok: false, error: 'bad_request' });
    expect(hub.app.world().seq).toBe(seq);
  });

  it('shows the plan on the wall: its name and level in the title, the panel, the round’s points on the map', async () => {
    const points = new Set(inspectionsOf(CIVILISED).map((i) => i.pointId)).size;
    const round = inspectionsOf(CIVILISED, ROUND);
    await wall.locator('[data-panel=plan]').waitFor({ timeout: 30_000 });
    const title = wall.locator(`[data-panel=title] [data-plan="${CIVILISED}"]`);
    expect(await title.getAttribute('data-plan-level')).toBe('III');
    expect(await title.textContent()).toContain('Ⅲ级响应');
    expect(await wall.locator('[data-panel=title] [data-mode]').textContent()).toContain('文明创建');
    await expect.poll(() => figure(wall, ROUND, 'due'), { timeout: 20_000 }).toBe(String(round.length));
    expect(await figure(wall, ROUND, 'done')).toBe('0');
    expect(await figure(wall, ROUND, 'overdue')).toBe('0');
    await waitForEgret(wall, `(e.map?.layers().find((l) => l.id === 'plan-points')?.length ?? 0) === ${points}`);
    expect(await layer(wall, 'plan-points')).toMatchObject({ visible: true, length: points });
    await layout(wall, 3840, 2160, MIN_BODY_PX);
  });

  it('moves the progress as squads check their points, and refuses a check by another squad’s unit', async () => {
    const round = inspectionsOf(CIVILISED, ROUND).sort((a, b) => (a.id < b.id ? -1 : 1));
    const checks = round.slice(0, 4);
    const at = hub.now();
    for (const [k, i] of checks.entries()) {
      await send({
        kind: 'inspection.check',
        inspectionId: i.id,
        unitId: `${i.squadId}-u1`,
        result: k === 3 ? 'problem' : 'passed',
        ...(k === 3 ? { caseId: `E2E-PLAN-${randomUUID().slice(0, 8)}`, note: '占道经营' } : {}),
        at,
      });
    }
    // An attacker's variants: a unit of another squad, an id in other letter case, a replay of a check.
    const other = round.slice(checks.length).find((i) => i.status === 'open')!;
    const stranger = [...hub.app.world().units.values()].find((u) => u.squadId !== other.squadId)!;
    await send({ kind: 'inspection.check', inspectionId: other.id, unitId: stranger.id, result: 'passed', at });
    await send({
      kind: 'inspection.check',
      inspectionId: other.id.toUpperCase(),
      unitId: `${other.squadId}-u1`,
      result: 'passed',
      at,
    });
    await send({
      kind: 'inspection.check',
      inspectionId: checks[0]!.id,
      unitId: `${checks[0]!.squadId}-u1`,
      result: 'problem',
      caseId: 'E2E-REPLAY',
      at,
    });
    await hub.hubHas(
      'the four checks',
      () => inspectionsOf(CIVILISED, ROUND).filter((i) => i.status !== 'open').length >= 4,
    );
    await expect.poll(() => figure(wall, ROUND, 'done'), { timeout: 20_000 }).toBe('4');
    expect(
      await wall.locator(`[data-panel=plan] [data-action="${ROUND}"] [data-fig=problems]`).textContent(),
    ).toContain('1');
    // Only the four: the stranger's, the mis-cased and the replayed check changed nothing.
    const w = hub.app.world();
    expect(w.inspections.get(other.id)!.status).toBe('open');
    expect(w.inspections.get(checks[0]!.id)!.status).toBe('passed');
    const dead = async () =>
      ((await hub.redis.xRange(hub.keys.deadletter, '-', '+')) ?? []).map((d) => JSON.stringify(d.message));
    // Each refusal dead-lettered with its reason (the mis-cased id names the upper-case id, the others the real one).
    await expect
      .poll(
        async () => (await dead()).filter((d) => d.includes(other.id) || d.includes(other.id.toUpperCase())).length,
        {
          timeout: 20_000,
        },
      )
      .toBe(2);
    await expect.poll(async () => (await dead()).some((d) => d.includes('E2E-REPLAY')), { timeout: 20_000 }).toBe(true);
  });

  it('turns what is left overdue past the deadline, lists it first on the console, and 督办 a squad in one click', async () => {
    const round = inspectionsOf(CIVILISED, ROUND);
    const due = Math.max(...round.map((i) => i.due));
    await hub.setClock(due + 5 * MIN);
    const open = round.filter((i) => i.status === 'open').length;
    await expect.poll(() => figure(wall, ROUND, 'overdue'), { timeout: 30_000 }).toBe(String(open));
    const first = desk.locator('[data-plan-action]').first();
    await expect.poll(() => first.getAttribute('data-plan-action'), { timeout: 20_000 }).toMatch(/round/);
    const squad = first.locator('[data-plan-supervise]').first();
    const squadId = (await squad.getAttribute('data-plan-supervise'))!;
    await squad.click();
    await hub.hubHas('the 督办', () =>
      hub.app.world().supervisions.some((s) => s.planId === CIVILISED && s.squadId === squadId),
    );
    await first.locator(`[data-squad="${squadId}"] [data-supervised-at]`).waitFor({ timeout: 10_000 });
    // A retried 督办 (the same key, three at once) is one 督办: every answer is the first receipt.
    const commander = await hub.commander();
    const before = hub.app.world().supervisions.length;
    const key = randomUUID();
    const again = { planId: CIVILISED, actionId: ROUND, squadId, idempotencyKey: key };
    const burst = await Promise.all(
      [1, 2, 3].map(() => commander.timeout(10_000).emitWithAck('plan:supervise', again)),
    );
    expect(burst.every((r) => r.ok)).toBe(true);
    expect(new Set(burst.map((r) => (r.ok ? r.data.seq : -1))).size).toBe(1);
    await hub.hubHas('the retried 督办', () => hub.app.world().supervisions.length > before);
    expect(hub.app.world().supervisions.length).toBe(before + 1);
    // Supervising a plan that is not in force is refused, and said so.
    const res = await (
      await hub.commander()
    )
      .timeout(10_000)
      .emitWithAck('plan:supervise', { planId: 'typhoon', actionId: 'x', squadId, idempotencyKey: randomUUID() });
    expect(res.ok).toBe(false);
  });

  it('looks right on the real map: the wall in 文明创建 and 环保督察, the console’s plan panel (1920×1080)', async () => {
    const shot = await browser.context.newPage();
    await shot.setViewportSize({ width: 1920, height: 1080 });
    // What the map has drawn, not only been handed (on software GL it takes a new picture every few seconds).
    const drawn = "(e.map?.drawnLayers().find((l) => l.id === 'plan-points')?.length ?? 0) > 0 && e.deckCount === 1";
    await shot.goto(`${hub.base}/wall`);
    await waitForEgret(shot, drawn);
    await shot.locator('[data-panel=plan]').waitFor();
    writeFileSync(
      resolve(ARTIFACTS, 'plans-wall-civilised-city-1920.png'),
      await shot.screenshot({ timeout: 120_000 }),
    );

    await desk.goto(`${hub.base}/console`);
    await desk.locator('[data-plans] [data-plan-action]').first().waitFor({ timeout: 30_000 });
    const boxes = await panelBoxes(desk);
    expect(overlaps(boxes), 'console panels overlap').toEqual([]);
    expect(outside(boxes, 1920, 1080), 'console panels outside the canvas').toEqual([]);
    writeFileSync(resolve(ARTIFACTS, 'plans-console-1920.png'), await desk.screenshot({ timeout: 120_000 }));

    // 环保督察 in force beside 文明创建: the wall in its mode shows its own plan, construction sites and restaurants.
    const res = await (
      await hub.commander()
    )
      .timeout(10_000)
      .emitWithAck('plan:activate', { planId: 'environmental-inspection', level: 'III', idempotencyKey: randomUUID() });
    expect(res).toMatchObject({ ok: true });
    // Residents' 12345 complaints of dust and noise around a few sites (and street vending, which is not that): the
    // environmental wall's heat is of the complaints alone.
    const sites = (config.pointSets.get('construction-sites') ?? []).filter((_, k) => k % 40 === 0);
    const complaints = ['08004', '08001', '06028'];
    const reports: InputMessage[] = sites.flatMap((site, k) =>
      [0, 1, 2, 3].map((j) => ({
        kind: 'case.report' as const,
        caseId: `E2E-HEAT-${k}-${j}`,
        category: { code: j === 3 ? '09001' : complaints[(k + j) % 3]!, standard: 'GB/T 47678.5-2026' as const },
        source: 'hotline' as const,
        urgency: 'normal' as const,
        lon: site.position[0] + 0.0008 * (j - 1.5),
        lat: site.position[1] + 0.0006 * ((j % 2) - 0.5),
        address: site.name,
        at: hub.now(),
      })),
    );
    await hub.sendAll(reports);
    await hub.hubHas('the complaints', () =>
      reports.every((r) => r.kind !== 'case.report' || hub.app.world().cases.has(r.caseId)),
    );
    // Activating the plan set its mode (环保督察): the heat is on and counts the dust and noise complaints alone, not
    // the vending nor the round's problems, which the map shows as cases.
    await hub.setMode('environmental');
    for (const page of [wall, shot])
      await page.locator('[data-panel=title] [data-plan="environmental-inspection"]').waitFor({ timeout: 30_000 });
    await layout(wall, 3840, 2160, MIN_BODY_PX);
    const complaintCount = sites.length * 3;
    await waitForEgret(shot, `(e.map?.layers().find((l) => l.id === 'case-heat')?.length ?? -1) === ${complaintCount}`);
    expect((await layer(shot, 'cases'))!.length).toBeGreaterThan(complaintCount);
    expect(await layer(shot, 'case-heat')).toMatchObject({ visible: true, length: complaintCount });
    await waitForEgret(
      shot,
      `${drawn} && e.map.drawnLayers().some((l) => l.id === 'case-heat' && l.visible && l.length === ${complaintCount})`,
    );
    const png = await shot.screenshot({ timeout: 120_000 });
    writeFileSync(resolve(ARTIFACTS, 'plans-wall-environmental-1920.png'), png);
    // The heat is drawn, not only handed over: around each cluster of complaints its hot end (yellow to red) where the
    // map beneath is navy and the sites' marks and the complaints' dots are blue or teal.
    const image = decodePng(png);
    const around = await shot.evaluate(
      (points) => {
        const e = (globalThis as Untyped).__egret;
        // The canvas's box on the page, and how many of the page's pixels a pixel of the map is (the wall's layout
        // is scaled to the window).
        const box = e.map.canvasBox();
        const view = e.map.views().find((v: { id: string }) => v.id === 'map');
        const k = box.width / (view.x + view.width);
        return points.map(([lon, lat]: [number, number]) => {
          const [x, y] = e.map.project(lon, lat);
          return [box.x + (view.x + x) * k, box.y + (view.y + y) * k] as [number, number];
        });
      },
      sites.map((site) => site.position),
    );
    // Per cluster: the share of a ring 7–12 px out (past the dots, within the blur's hot end) in the heat's hot
    // colours over the navy map — yellow, orange or red at their alpha: much red, little blue.
    const hot = around.map(([cx, cy]) => {
      let warm = 0;
      let seen = 0;
      for (let dy = -12; dy <= 12; dy++)
        for (let dx = -12; dx <= 12; dx++) {
          const d = Math.hypot(dx, dy);
          const x = Math.round(cx + dx);
          const y = Math.round(cy + dy);
          if (d < 7 || d > 12 || x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
          const o = (y * image.width + x) * 4;
          seen++;
          if (image.data[o]! > 150 && image.data[o + 2]! < 90) warm++;
        }
      return seen ? warm / seen : 0;
    });
    // Measured: with the heat a median of 0.30 over the 16 clusters (0.05–0.74: the colour depends on how a cluster
    // weighs against the heaviest); with the heat left undrawn 0.00–0.15 (orange dots), a median of 0.08.
    const median = [...hot].sort((a, b) => a - b)[Math.floor(hot.length / 2)]!;
    expect(median, `hot shares around the complaints: ${hot.map((f) => f.toFixed(2)).join(' ')}`).toBeGreaterThan(0.18);
    await shot.close();
  });

  it('raises the typhoon plan by itself at the orange signal and announces what and why on the wall', async () => {
    await send({ kind: 'storm.update', at: hub.now(), storm: storm(hub.now(), 'orange') });
    await hub.hubHas('the typhoon plan raised by its trigger', () => {
      const p = hub.app.world().plans.get('typhoon');
      return !!p && p.endedAt === undefined && p.actor.role === 'system';
    });
    const raised = hub.app.world().plans.get('typhoon')!;
    const banner = wall.locator('[data-plan-announcement="typhoon"]');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.getAttribute('data-plan-level')).toBe(raised.level);
    const text = (await banner.textContent())!;
    expect(text).toContain('橙色台风预警');
    expect(text).toContain('→');
    await layout(wall, 3840, 2160, MIN_BODY_PX);
    writeFileSync(resolve(ARTIFACTS, 'plans-typhoon-raised-3840.png'), await wall.screenshot());
  });

  it('shows every action of the typhoon plan at its highest level on the 4K wall, the ones behind first', async () => {
    const res = await (
      await hub.commander()
    )
      .timeout(10_000)
      .emitWithAck('plan:activate', { planId: 'typhoon', level: 'I', idempotencyKey: randomUUID() });
    expect(res).toMatchObject({ ok: true });
    await hub.setMode('typhoon');
    await wall.locator('[data-panel=title] [data-plan="typhoon"][data-plan-level=I]').waitFor({ timeout: 30_000 });
    const def = config.plans.find((p) => p.id === 'typhoon')!;
    const actions = actionsAt(def, 'I').map((a) => a.id);
    // The eleven actions of Ⅰ级响应: more than fit at full size, so the first keep it and the rest take a line each.
    expect(actions.length).toBeGreaterThan(6);
    const listed = () =>
      wall
        .locator('[data-panel=plan] [data-action]')
        .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-action')!));
    await expect.poll(async () => (await listed()).sort(), { timeout: 30_000 }).toEqual([...actions].sort());
    expect(await wall.locator('[data-panel=plan] [data-plan-more]').count()).toBe(0);
    expect(Number(await wall.locator('[data-panel=plan] [data-plan-lines]').getAttribute('data-plan-lines'))).toBe(
      actions.length - (await wall.locator('[data-panel=plan] li.action').count()),
    );
    await layout(wall, 3840, 2160, MIN_BODY_PX);
    // Each line's figures whole inside its line (the name gives way with an ellipsis), the name not squeezed out.
    expect(await squeezedLines(wall), 'plan lines whose figures do not fit').toEqual([]);
    writeFileSync(resolve(ARTIFACTS, 'plans-typhoon-level-I-3840.png'), await wall.screenshot());
  });

  it('shows in replay the plan as it stood at an earlier instant: in force, nothing checked yet', async () => {
    const replay = await browser.context.newPage();
    const from = T - 10 * MIN;
    const to = hub.now();
    await replay.goto(`${hub.base}/replay?from=${from}&to=${to}&t=${activatedAt}&map=off`);
    const panel = replay.locator(`[data-replay-plan="${CIVILISED}"]`);
    try {
      await panel.waitFor({ timeout: 60_000 });
    } catch (err) {
      writeFileSync(resolve(ARTIFACTS, 'plans-replay-failed.png'), await replay.screenshot());
      const notice = await replay
        .locator('[data-replay-notice]')
        .textContent()
        .catch(() => null);
      throw new Error(`replay never showed the plan (notice: ${notice}; ${JSON.stringify(await egretFacts(replay))})`, {
        cause: err,
      });
    }
    const done = await replay.locator(`[data-replay-plan] [data-action="${ROUND}"] [data-fig=done] b`).textContent();
    expect(done).toBe('0');
    expect(await replay.locator('[data-replay-plan] [data-plan-level]').first().getAttribute('data-plan-level')).toBe(
      'III',
    );
    await replay.close();
  });

  it('says it in English too, the plan’s title and panel fitting the 4K wall', async () => {
    await wall.goto(`${hub.base}/wall?lang=en&map=off`);
    await wall.locator('[data-panel=plan]').waitFor({ timeout: 60_000 });
    const shown = hub.app.world().mode === 'typhoon' ? 'typhoon' : CIVILISED;
    const title = wall.locator(`[data-panel=title] [data-plan="${shown}"]`);
    expect(await title.textContent()).toMatch(/plan\s*Level (IV|III|II|I) response/);
    expect(await wall.locator('[data-panel=plan]').textContent()).toMatch(/Plan in force/);
    await layout(wall, 3840, 2160, MIN_BODY_PX);
    expect(await squeezedLines(wall), 'plan lines whose figures do not fit (English)').toEqual([]);
    writeFileSync(resolve(ARTIFACTS, 'plans-en-3840.png'), await wall.screenshot());
  });
});
