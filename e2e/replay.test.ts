import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { isCaseBrief, isCaseOpen, screenCase, type Case } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { figuresOutsideTiles } from './support/layout.ts';
import { decodePng, pixelStats } from './support/png.ts';
import { playCity } from './support/world.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
const SEA: [number, number, number] = [6, 18, 36];
/** A weekday morning: busy enough to see cases arrive and units move. */
const WORLD_START = '2026-07-01T08:00:00+08:00';
const START = Date.parse(WORLD_START);
const MIN = 60_000;

interface ReplayFacts {
  deckCount: number;
  t: number;
  from: number;
  to: number;
  playing: boolean;
  speed: number;
  loading: boolean;
  error: string | null;
  seq: number;
  caseCount: number;
  unitCount: number;
  unitsPositioned: number;
  trailPaths: number;
  seeks: number;
}

const facts = (page: Page) =>
  page.evaluate(() => {
    const e = (globalThis as unknown as { __egretReplay?: ReplayFacts }).__egretReplay;
    if (!e) return null;
    const {
      deckCount,
      t,
      from,
      to,
      playing,
      speed,
      loading,
      error,
      seq,
      caseCount,
      unitCount,
      unitsPositioned,
      trailPaths,
      seeks,
    } = e;
    return {
      deckCount,
      t,
      from,
      to,
      playing,
      speed,
      loading,
      error,
      seq,
      caseCount,
      unitCount,
      unitsPositioned,
      trailPaths,
      seeks,
    };
  });
const positions = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as {
        __egretReplay: { unitPositions(n: number): { slot: number; lon: number; lat: number }[] };
      }
    ).__egretReplay.unitPositions(5_000),
  );
/** What to wait for, as data: the hub's CSP forbids eval, so the page cannot run a predicate given as a string. */
interface Want {
  loaded?: boolean;
  t?: number;
  tAbove?: number;
  seqAbove?: number;
  casesAbove?: number;
  positionedAbove?: number;
  trailsAbove?: number;
  playing?: boolean;
  seeksAbove?: number;
}
const waitReplay = (page: Page, want: Want, timeout = 60_000) =>
  page.waitForFunction(
    (w: Want) => {
      const e = (globalThis as unknown as { __egretReplay?: ReplayFacts }).__egretReplay;
      if (!e) return false;
      return (
        (w.loaded === undefined || e.loading === !w.loaded) &&
        (w.t === undefined || e.t === w.t) &&
        (w.tAbove === undefined || e.t > w.tAbove) &&
        (w.seqAbove === undefined || e.seq > w.seqAbove) &&
        (w.casesAbove === undefined || e.caseCount > w.casesAbove) &&
        (w.positionedAbove === undefined || e.unitsPositioned > w.positionedAbove) &&
        (w.trailsAbove === undefined || e.trailPaths > w.trailsAbove) &&
        (w.playing === undefined || e.playing === w.playing) &&
        (w.seeksAbove === undefined || e.seeks > w.seeksAbove)
      );
    },
    want,
    { timeout, polling: 200 },
  );

/** hh:mm:ss of a world time on the wall's clock (Asia/Shanghai). */
const clock = (t: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(t);

describe('replay on the wall: a recorded morning on one clock', () => {
  const base = loadConfig();
  const config = {
    ...base,
    settings: {
      ...base.settings,
      hub: { ...base.settings.hub, tickMs: 250 },
      replay: { ...base.settings.replay, snapshotEveryEvents: 500, snapshotEveryMinutes: 10 },
    },
  };
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let port: number;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Record 40 minutes of a morning at 240×, then stop: replay reads what was recorded. The simulator's own live
    // wiring runs in this process (e2e/support/world.ts playCity): replay's positions are recorded from the hub's live
    // frames, so the hub has to live through the time, but no simulator process is started.
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'replay-e2e' }),
      launchChromium({ width: 3840, height: 2160 }),
    ]);
    port = hub.port;
    await playCity(hub, { config, units: 300, start: START, minutes: 40, rate: 240, fixIntervalMs: 20_000 });
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('seeks to an instant, shows the replay banner, and plays cases and units forward at 600×', async () => {
    const from = START + 5 * MIN;
    const to = START + 38 * MIN;
    const seekTo = START + 12 * MIN;
    await page.goto(`http://127.0.0.1:${port}/replay?from=${from}&to=${to}&t=${seekTo}&map=off`);
    try {
      await waitReplay(page, { loaded: true, t: seekTo, casesAbove: 0, positionedAbove: 0, trailsAbove: 0 });
    } catch (err) {
      throw new Error(`replay never showed the recorded city: ${JSON.stringify(await facts(page))}`, { cause: err });
    }
    const at = (await facts(page))!;
    expect(at.deckCount).toBe(1);
    expect(at.error).toBeNull();

    // The banner says replay, big, with the replay time (not the live clock).
    const banner = page.locator('[data-replay-banner]');
    expect(await banner.textContent()).toContain('回放 REPLAY');
    expect(await page.locator('[data-testid="replay-time"]').textContent()).toContain(clock(seekTo));
    const box = (await banner.boundingBox())!;
    expect(box.width).toBeGreaterThan(3000);
    expect(box.height).toBeGreaterThan(150);
    writeFileSync(resolve(ARTIFACTS, 'replay-seek-3840.png'), await page.screenshot());

    // What the map holds at the seek equals what the hub says the state at that instant is.
    const state = (await (await fetch(`http://127.0.0.1:${port}/api/replay/state?t=${seekTo}`)).json()) as {
      world: { seq: number; cases: Case[] };
    };
    expect(at.seq).toBe(state.world.seq);
    expect(at.caseCount).toBe(state.world.cases.length);
    // Case by case, every field: the screen holds the hub's state as a screen holds it — an open case whole, a
    // finished one as its brief (protocol case-brief.ts; its steps come from /api/replay/case when it is opened).
    const byId = (cs: Case[]) => [...cs].sort((a, b) => (a.id < b.id ? -1 : 1));
    const held = await page.evaluate(() =>
      (globalThis as unknown as { __egretReplay: { cases(): Case[] } }).__egretReplay.cases(),
    );
    expect(byId(held)).toEqual(byId(state.world.cases.map(screenCase)));
    expect(held.filter((c) => isCaseBrief(c)).length).toBe(state.world.cases.filter((c) => !isCaseOpen(c)).length);

    const before = await positions(page);
    await page.locator('[data-speed="600"]').click();
    await page.locator('[data-testid="play"]').click();
    await waitReplay(page, { playing: true, tAbove: seekTo + 3 * MIN, seqAbove: at.seq }, 30_000);
    await page.locator('[data-testid="play"]').click(); // pause, to compare a still picture
    await waitReplay(page, { playing: false });
    const later = (await facts(page))!;
    const after = await positions(page);

    expect(later.t).toBeGreaterThan(seekTo + 3 * MIN);
    expect(later.seq).toBeGreaterThan(at.seq);
    const moved = after.filter((p) => {
      const q = before.find((b) => b.slot === p.slot);
      return q && (Math.abs(q.lon - p.lon) > 1e-6 || Math.abs(q.lat - p.lat) > 1e-6);
    });
    expect(moved.length).toBeGreaterThan(10);
    expect(await page.locator('[data-testid="replay-time"]').textContent()).toContain(clock(later.t));

    // The state the wall reached by playing is the hub's state at that instant: replay is exact, not approximate.
    const there = (await (
      await fetch(`http://127.0.0.1:${port}/api/replay/state?t=${Math.round(later.t)}`)
    ).json()) as {
      world: {
        seq: number;
        mode: string;
        tasks: { status: string; unitId: string; caseId: string }[];
        cases: { id: string; status: string; deadline?: number }[];
      };
    };
    expect(later.seq).toBe(there.world.seq);

    // The map as the wall drew it then: a line from every squad on its way to or working at a case, a ring on every
    // case overdue at that instant, and that mode's layers (a peacetime morning: no heat).
    const drawn = Object.fromEntries(
      (
        await page.evaluate(() =>
          (
            globalThis as unknown as {
              __egretReplay: { map: { layers(): { id: string; length: number; visible: boolean }[] } };
            }
          ).__egretReplay.map.layers(),
        )
      ).map((l) => [l.id, l]),
    );
    const working = there.world.tasks.filter((k) =>
      ['dispatched', 'accepted', 'en_route', 'on_scene'].includes(k.status),
    );
    expect(working.length, 'squads were out on cases at that instant').toBeGreaterThan(0);
    expect(drawn['dispatch-lines']).toMatchObject({ visible: true, length: working.length });
    // Judged at the whole second, as the wall judges it.
    const second = Math.floor(later.t / 1000) * 1000;
    const overdueThen = there.world.cases.filter(
      (c) =>
        isCaseOpen(c as Pick<Case, 'status'>) &&
        c.status !== 'parked' &&
        c.deadline !== undefined &&
        second > c.deadline,
    );
    expect(drawn['case-overdue']).toMatchObject({ visible: true, length: overdueThen.length });
    expect(there.world.mode).toBe('peacetime');
    expect(drawn['case-heat']?.visible).toBe(false);

    writeFileSync(resolve(ARTIFACTS, 'replay-3840.png'), await page.screenshot());

    // The same instant on the real map (WebGL; the page above has none, `?map=off`): drawn, not blank. At 1920×1080,
    // where SwiftShader draws a frame in a fraction of the time a 4K one takes.
    const desk = await browser.context.newPage();
    try {
      await desk.setViewportSize({ width: 1920, height: 1080 });
      const t = Math.round(later.t);
      await desk.goto(`http://127.0.0.1:${port}/replay?from=${from}&to=${to}&t=${t}`);
      await waitReplay(desk, { loaded: true, t, casesAbove: 0, positionedAbove: 0 });
      const png = await desk.screenshot({ timeout: 120_000 });
      writeFileSync(resolve(ARTIFACTS, 'replay-1920.png'), png);
      const map = (await desk.evaluate(() =>
        (
          globalThis as unknown as {
            __egretReplay: { map: { canvasBox(): { x: number; y: number; width: number; height: number } } };
          }
        ).__egretReplay.map.canvasBox(),
      ))!;
      const stats = pixelStats(decodePng(png), map, SEA);
      expect(stats.differing / stats.total).toBeGreaterThan(0.2);
      // The side column keeps a typhoon day's figures (5,434 cases; 100.0%) inside its tiles and the screen.
      for (const figure of ['88,888', '100.0%']) expect(await figuresOutsideTiles(desk, figure), figure).toEqual([]);
    } finally {
      await desk.close();
    }
  });

  it('jumps to a case’s moments from the feed', async () => {
    await page.locator('[data-panel="feed"] li[data-case]').first().click();
    await page.waitForSelector('[data-case-moments]', { timeout: 10_000 });
    const seeks = (await facts(page))!.seeks;
    const first = page.locator('[data-case-moments] button[data-moment]').first();
    await first.click();
    await waitReplay(page, { seeksAbove: seeks, loaded: true });
    const reported = (await facts(page))!;
    expect(reported.caseCount).toBeGreaterThan(0);
  });

  it('prints a summary of the period with a CSV download', async () => {
    const summary = await browser.context.newPage();
    try {
      await summary.goto(`http://127.0.0.1:${port}/replay/summary?from=${START}&to=${START + 40 * MIN}`);
      await summary.waitForSelector('[data-screen="replay-summary"]', { timeout: 30_000 });
      const reported = await summary.locator('[data-total="summary.reported"] dd').textContent();
      expect(Number(reported!.replace(/\D/g, ''))).toBeGreaterThan(0);
      const href = await summary.locator('[data-testid="csv"]').getAttribute('href');
      const csv = await fetch(`http://127.0.0.1:${port}${href}`);
      expect(csv.status).toBe(200);
      expect(await csv.text()).toContain('totals');
      writeFileSync(resolve(ARTIFACTS, 'replay-summary.png'), await summary.screenshot({ fullPage: true }));
    } finally {
      await summary.close();
    }
  });
});
