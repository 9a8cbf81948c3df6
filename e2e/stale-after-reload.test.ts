import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { launchChromium, type Browser } from './support/chromium.ts';
import { startHub, type Fix, type TestHub } from './support/hub.ts';
import { keepFixesFresh, registerUnits } from './support/world.ts';

type Untyped = any;

/** What the wall's units picture counts (the debug hook, display/src/debug-hook.ts). */
interface UnitCounts {
  positioned: number;
  stale: number;
  fresh: number;
  frames: number;
}

/** The units the wall draws, as counted in the page (page code as a function: the hub's CSP forbids strings). */
function unitCounts(page: Page): Promise<UnitCounts | null> {
  return page.evaluate(() => {
    const e = (globalThis as Untyped).__egret;
    return e
      ? { positioned: e.unitsPositioned, stale: e.unitsStale, fresh: e.unitsFresh, frames: e.framesReceived }
      : null;
  });
}

/** Waits until the page's unit counts satisfy `done`, polling every 50 ms; returns them. */
async function waitForUnits(page: Page, done: (c: UnitCounts) => boolean, timeout: number): Promise<UnitCounts> {
  const until = Date.now() + timeout;
  let last: UnitCounts | null = null;
  while (Date.now() < until) {
    last = await unitCounts(page);
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the wall's units never got there; last seen: ${JSON.stringify(last)}`);
}

/*
 * A unit that went silent must be grey on a wall the moment it loads, not `staleAfterMs` later: the keyframe a
 * screen gets on connect carries each fix's age (protocol/src/frame.ts). The page is opened without the map's canvas
 * (`?map=off`): the units' paint is the same, and the page answers at once.
 */
describe('a wall reloaded while a unit is silent', () => {
  const config = loadConfig();
  const staleAfterMs = config.settings.hub.staleAfterMs;
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let stopFixes: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    hub = await startHub({ redisUrl, config, label: 'stale-reload' });
    browser = await launchChromium({ width: 1920, height: 1080 });
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await stopFixes?.();
    await browser?.close();
    await hub?.close();
  });

  it('greys the silent unit right after the reload while the others stay fresh', async () => {
    const ids = ['U-STALE-1', 'U-STALE-2', 'U-STALE-3'];
    await registerUnits(hub, ids, { names: (i) => `执法 ${i + 1}`, squads: () => 'SQ-STALE', type: 'enforcement' });
    const fixes: Fix[] = ids.map((unitId, i) => ({ unitId, lon: 118.08 + i * 0.01, lat: 24.48, at: hub.now() }));
    await hub.sendFixes(fixes);
    // Two units keep reporting; the first falls silent after its one fix.
    stopFixes = keepFixesFresh(hub, fixes.slice(1));

    await page.goto(`${hub.base}/wall?map=off`);
    await waitForUnits(page, (c) => c.positioned === 3, 60_000);
    // Past staleAfterMs this page greys the silent unit as its fix ages (it did so before the fix travelled in frames).
    await waitForUnits(page, (c) => c.stale === 1 && c.fresh === 2, staleAfterMs + 30_000);

    const reloadedAt = Date.now();
    await page.reload();
    // The first keyframe after the reload places all three (and the snapshot names them): the silent one must be
    // grey in that first picture.
    const first = await waitForUnits(page, (c) => c.positioned === 3 && c.stale + c.fresh === 3, 60_000);
    const seenAfterMs = Date.now() - reloadedAt;
    // The numbers that explain a failure: how old the silent unit's fix was by the hub's clock when the picture was
    // seen (a fix just past staleAfterMs is where frames that disagreed on its time made it look fresh: issue #15).
    const silentAgeMs = hub.now() - fixes[0]!.at;
    expect(seenAfterMs, 'the reloaded page took longer than staleAfterMs to place the units').toBeLessThan(
      staleAfterMs,
    );
    expect(
      first,
      `the first picture after the reload (${seenAfterMs} ms after it, ${first.frames} frames in; the silent fix ` +
        `${silentAgeMs} ms old by the hub, staleAfterMs ${staleAfterMs})`,
    ).toMatchObject({ positioned: 3, stale: 1, fresh: 2 });
  });
});
