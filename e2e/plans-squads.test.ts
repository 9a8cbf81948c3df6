import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, loadPlaces } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import { LogTail } from '@egret/simulator/hub/log-tail.ts';
import { RedisPublisher } from '@egret/simulator/publish/redis-publisher.ts';
import { createWorld } from '@egret/simulator/scenario/registry.ts';
import type { World } from '@egret/simulator/scenario/world.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { outside, overlaps, panelBoxes, smallText } from './support/layout.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
const MIN = 60_000;
/** A weekday morning of the civilised-city assessment (world time): the day shift is on. */
const T = Date.parse('2026-07-01T08:30:00+08:00');
const CIVILISED = 'civilised-city';
const ROUND = 'assessment-round';
/** One step of the simulated city (its units move a minute's way), and the clock's jump ahead of a run of steps. */
const STEP = MIN;
/** Under the hub's far-future bound (MAX_FUTURE_SKEW_MS, 5 min): no step is ever ahead of the hub's clock. */
const CHUNK = 4 * MIN;

/*
 * Issue #17's "done when", all of it in one browser: a commander activates 文明创建 on the console → the wall shows
 * the plan panel and its points → the simulator's own squads (its field side's InspectionWork, the `civilised-city`
 * scenario's roster) work the round → the wall's progress and the 流动红旗 ranking move. The simulator runs in this
 * process through the contract a real integration uses — it writes the input streams (RedisPublisher) and reads the
 * hub's log (LogTail) — stepped with world times this test chooses rather than a real-time loop: the hub's clock is
 * jumped four minutes at a time, then the world stepped up to it minute by minute, so nothing it sends is in the
 * hub's future and an hour of the round takes a few seconds. Pages open without the map's canvas (`?map=off`).
 */
describe('plans: the simulator’s squads work the 文明创建 round the console activated, and the wall follows', () => {
  const config = loadConfig();
  let hub: TestHub;
  let browser: Browser;
  let wall: Page;
  let desk: Page;
  let world: World;
  let tail: LogTail;
  let publisher: RedisPublisher;
  const stopper = new AbortController();
  /** World time of the world's last step. */
  let t = T;

  const inspections = () =>
    [...hub.app.world().inspections.values()].filter((i) => i.planId === CIVILISED && i.actionId === ROUND);
  const figure = (action: string, fig: string) =>
    wall.locator(`[data-panel=plan] [data-action="${action}"] [data-fig="${fig}"] b`).textContent();

  /** Runs the simulated city `minutes` on, the hub's clock a chunk ahead of its steps; resolves once the hub has
   * applied every input of the stretch (the next clock.set rides the same ordered stream behind them). */
  async function run(minutes: number): Promise<void> {
    const end = t + minutes * MIN;
    while (t < end) {
      const chunkEnd = Math.min(end, t + CHUNK);
      await hub.setClock(chunkEnd);
      while (t < chunkEnd) {
        t += STEP;
        const seen = tail.drain();
        if (seen.length) world.observe?.(seen);
        const out = world.step(t);
        if (out.events.length) await publisher.events(out.events);
        if (out.fixBatches.length) await publisher.fixes(out.fixBatches);
      }
    }
    // The hub's clock has run on a little since the last jump: one more, ahead of it, behind the stretch's inputs.
    await hub.setClock(Math.max(t, hub.now()) + 1_000);
  }

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl: inject('redisUrl'), config, label: 'plan-squads' }),
      launchChromium({ width: 3840, height: 2160 }),
    ]);
    // The campaign's own city at a small size: every squad of Xiamen with its units (the scenario's commander is not
    // wired: the plan is the console's to activate).
    world = createWorld({ name: CIVILISED, config, places: loadPlaces(), seed: 1717, start: T, units: 60 });
    publisher = new RedisPublisher(hub.redis, { ns: hub.ns, signal: stopper.signal });
    tail = await LogTail.open(hub.redis, { ns: hub.ns });
    await hub.setClock(T);
    const first = world.start(T);
    await publisher.events(first.events);
    const units = new Set(first.events.flatMap((e: InputMessage) => (e.kind === 'unit.register' ? [e.unitId] : [])));
    expect(units.size).toBe(60);
    // Fixes of a unit the hub has not registered are refused: the roster first, as the simulator's loop waits too.
    await hub.hubHas('the simulated roster', () => [...units].every((id) => hub.app.world().units.has(id)));
    await publisher.fixes(first.fixBatches);
    await hub.setMode('civilised_city');
    [wall, desk] = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
    await desk.setViewportSize({ width: 1920, height: 1080 });
    await Promise.all([wall.goto(`${hub.base}/wall?map=off`), desk.goto(`${hub.base}/console?map=off`)]);
  });

  afterAll(async () => {
    stopper.abort(new Error('test over'));
    await tail?.close();
    await browser?.close();
    await hub?.close();
  });

  it('activates 文明创建 on the console; the wall shows the panel and the points; the squads’ checks move progress and the ranking', async () => {
    // The commander's click, confirmed with a reason.
    const def = desk.locator(`[data-plan-def="${CIVILISED}"]`);
    await def.waitFor({ timeout: 60_000 });
    await def.locator('[data-plan-activate=III]').click();
    const confirm = def.locator('[data-plan-confirm]');
    await confirm.locator('[data-plan-reason]').fill('迎接年度测评');
    await confirm.locator('button[type=submit]').click();
    await hub.hubHas('the plan in force with its round issued', () => inspections().length > 0);
    const round = inspections();
    const squads = new Set(world.roster.squads.map((s) => s.id));
    // Every point of the round is a squad's the simulated city plays: nobody's round is left to nobody.
    expect(round.filter((i) => !squads.has(i.squadId))).toEqual([]);

    // The wall: the panel with the whole round due and nothing done, the points on the map, the ranking unscored.
    await wall.locator('[data-panel=plan]').waitFor({ timeout: 30_000 });
    await expect.poll(() => figure(ROUND, 'due'), { timeout: 20_000 }).toBe(String(round.length));
    expect(await figure(ROUND, 'done')).toBe('0');
    const points = new Set([...hub.app.world().inspections.values()].map((i) => i.pointId)).size;
    await waitForEgret(wall, `(e.map?.layers().find((l) => l.id === 'plan-points')?.length ?? 0) === ${points}`);
    const ranking = wall.locator('[data-panel=ranking] li[data-district]');
    await ranking.first().waitFor({ timeout: 30_000 });
    const ranked = () => wall.locator('[data-panel=ranking] li[data-rank]:not([data-rank=""])').count();
    expect(await ranked()).toBe(0);

    // The squads work the round: an hour of the city, in steps, until a dozen points are checked and a problem found.
    const checked = () => inspections().filter((i) => i.status !== 'open');
    for (let hour = 0; hour < 3 && !(checked().length >= 12 && checked().some((i) => i.status === 'problem')); hour++)
      await run(60);
    const done = checked();
    expect(done.length).toBeGreaterThanOrEqual(12);
    // Checked by the simulator's own units, each of the inspection's squad, not before it was issued.
    const ours = new Set(world.roster.id);
    for (const i of done) {
      expect(ours.has(i.unitId!)).toBe(true);
      expect(hub.app.world().units.get(i.unitId!)?.squadId).toBe(i.squadId);
      expect(i.checkedAt!).toBeGreaterThanOrEqual(i.issuedAt);
    }
    expect(world.counters.inspections?.checked).toBeGreaterThanOrEqual(done.length);

    // The wall follows: progress done, the problems found, and districts ranked with scores.
    await expect.poll(() => figure(ROUND, 'done'), { timeout: 20_000 }).toBe(String(done.length));
    // A problem found is a case filed with the round's deadline, and counted on the panel.
    const problems = done.filter((i) => i.status === 'problem');
    expect(problems.length).toBeGreaterThan(0);
    for (const i of problems) expect(hub.app.world().cases.get(i.caseId!)?.source).toBe('patrol');
    expect(
      await wall.locator(`[data-panel=plan] [data-action="${ROUND}"] [data-fig=problems]`).textContent(),
    ).toContain(String(problems.length));
    await expect.poll(ranked, { timeout: 20_000 }).toBeGreaterThan(0);
    // Each district's row counts its checked points of the round: what the squads did, district by district.
    for (const district of await wall
      .locator('[data-panel=ranking] li[data-district]')
      .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-district')!))) {
      const of = round.filter((i) => i.district === district).length;
      const n = done.filter((i) => i.district === district).length;
      const cell = wall.locator(`[data-panel=ranking] li[data-district="${district}"] .num.small`).first();
      await expect.poll(() => cell.textContent(), { timeout: 20_000 }).toBe(`${n}/${of}`);
    }

    // The squads' side of the day's score: each listed squad's row counts what its units checked, the ranked first.
    const squadRows = wall.locator('[data-panel=squads] li[data-squad]');
    await expect.poll(() => squadRows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const listed = await squadRows.evaluateAll((ls) =>
      ls.map((l) => [l.getAttribute('data-squad')!, l.getAttribute('data-rank')!] as const),
    );
    expect(listed[0]![1]).toBe('1');
    // More squads than rows: the list is cut, says "+n" for what it leaves out, and keeps the worst ranked squad last.
    const squadTotal = Number(
      await wall.locator('[data-panel=squads] ol[data-squad-scores]').getAttribute('data-squad-scores'),
    );
    const hidden = wall.locator('[data-panel=squads] [data-rows-hidden]');
    if (squadTotal > listed.length) {
      expect(Number(await hidden.getAttribute('data-rows-hidden'))).toBe(squadTotal - listed.length);
      expect(await hidden.textContent()).toContain(`+${squadTotal - listed.length}`);
      const ranks = listed.map(([, r]) => Number(r)).filter((r) => r > 0);
      expect(ranks.at(-1)).toBe(Math.max(...ranks));
      expect(ranks.at(-1)).toBeGreaterThanOrEqual(listed.length);
    } else expect(await hidden.count()).toBe(0);
    for (const [squad] of listed) {
      const of = round.filter((i) => i.squadId === squad).length;
      const n = done.filter((i) => i.squadId === squad).length;
      const cell = wall.locator(`[data-panel=squads] li[data-squad="${squad}"] .num.small`).first();
      await expect.poll(() => cell.textContent(), { timeout: 20_000 }).toBe(`${n}/${of}`);
    }
    // All of it on the 4K wall without overlaps, and readable from five metres.
    const boxes = await panelBoxes(wall);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, 3840, 2160), 'panels outside the canvas').toEqual([]);
    expect(await smallText(wall, 28), 'text smaller than 28 px').toEqual([]);

    // Xiamen has six districts and the round covers them all: the 流动红旗 lists every one, none cut, at 4K, on a
    // spliced 5760 wall and in the 1920×1080 preview (the 4K canvas scaled), the best and the worst in view.
    const total = await wall.locator('[data-panel=ranking] ol[data-rows-total]').getAttribute('data-rows-total');
    expect(Number(total)).toBe(config.city.districts.length);
    for (const [w, h, query] of [
      [3840, 2160, ''],
      [5760, 2160, '&w=5760'],
      [1920, 1080, ''],
    ] as const) {
      await wall.setViewportSize({ width: w, height: h });
      await wall.goto(`${hub.base}/wall?map=off${query}`);
      const rows = wall.locator('[data-panel=ranking] li[data-district]');
      await expect
        .poll(() => rows.count(), { timeout: 30_000, message: `districts listed at ${w}×${h}` })
        .toBe(config.city.districts.length);
      expect(await wall.locator('[data-panel=ranking] [data-rows-hidden]').count()).toBe(0);
      const boxes = await panelBoxes(wall);
      expect(overlaps(boxes), `panels overlap at ${w}×${h}`).toEqual([]);
      expect(outside(boxes, w, h), `panels outside the canvas at ${w}×${h}`).toEqual([]);
      if (h === 2160) expect(await smallText(wall, 28), `text smaller than 28 px at ${w}`).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(resolve(ARTIFACTS, `plans-squads-ranking-${w}.png`), await wall.screenshot());
    }

    // Nothing the simulator sent was refused: no check, no fix ahead of the hub's clock.
    const dead = (await hub.redis.xRange(hub.keys.deadletter, '-', '+')) ?? [];
    expect(dead.map((d) => d.message)).toEqual([]);
  });
});
