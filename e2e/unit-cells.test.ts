import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret, waitForMapToShow } from './support/egret-page.ts';
import { startHub, type Fix, type TestHub } from './support/hub.ts';
import { registerUnits } from './support/world.ts';

type Untyped = any;

/** A crowd past the units layer's threshold for gathering (display/src/map/layers/units.ts GATHER_FROM = 2,000). */
const CROWD = 2_400;
/** The crowd's corner and spacing (degrees): ~20 m apart, a kilometre square on 厦门岛 — a few pixels at city view. */
const CROWD_AT = [118.09, 24.5] as const;
const STEP = 0.0002;
/** One unit alone, across the island: its dot must be itself. */
const LONE_AT = [118.16, 24.47] as const;

interface DrawnUnits {
  dots: number | null;
  rows: number;
  lone: { layer: string; index: number } | null;
  crowd: { layer: string; index: number } | null;
}

/** What the map drew of the units: its dots, its rows, and what a pick finds at the lone unit and in the crowd. */
function drawnUnits(page: Page): Promise<DrawnUnits> {
  return page.evaluate(
    ({ lone, crowd }) => {
      const e = (globalThis as Untyped).__egret;
      const at = ([lon, lat]: readonly [number, number]) => {
        const [x, y] = e.map.project(lon, lat);
        const hit = e.map.pick(x, y, ['units']);
        return hit ? { layer: hit.layer as string, index: hit.index as number } : null;
      };
      return {
        dots: e.unitDots as number | null,
        rows: (e.map.drawnLayers() as { id: string; length: number }[]).find((l) => l.id === 'units')?.length ?? 0,
        lone: at(lone),
        crowd: at(crowd),
      };
    },
    { lone: LONE_AT, crowd: [CROWD_AT[0] + 25 * STEP, CROWD_AT[1] + 24 * STEP] as const },
  );
}

/*
 * Issue #19: past 2,000 units the wall draws units that fall in the same few screen pixels as one dot
 * (display/src/map/unit-cells.ts): a software-GL draw costs per dot drawn. Every unit is still drawn (in its cell's
 * dot), a unit alone is its own dot and picks as itself, and `?units=full` draws every unit as before.
 */
describe('units gathered into screen cells on the wall', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  const ids = [...Array.from({ length: CROWD }, (_, i) => `U-CELL-${i}`), 'U-CELL-LONE'];

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'unit-cells' }),
      launchChromium({ width: 1920, height: 1080 }),
    ]);
    page = await browser.context.newPage();
    await registerUnits(hub, ids, { names: (i) => `巡查 ${i + 1}`, squads: (i) => `SQ-CELL-${i % 20}` });
    await hub.sendFixes(
      ids.map((unitId, i): Fix =>
        i < CROWD
          ? {
              unitId,
              lon: CROWD_AT[0] + (i % 50) * STEP,
              lat: CROWD_AT[1] + Math.floor(i / 50) * STEP,
              at: hub.now(),
            }
          : { unitId, lon: LONE_AT[0], lat: LONE_AT[1], at: hub.now() },
      ),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('draws the crowd as a few dots holding every unit, and the lone unit as itself, picked as itself', async () => {
    await page.goto(`${hub.base}/wall`);
    await waitForEgret(page, `e.unitsPositioned === ${ids.length} && e.link === 'live'`);
    await waitForMapToShow(page, 'units');
    const loneSlot = hub.app.world().units.get('U-CELL-LONE')!.slot;
    const crowdSlots = new Set(ids.slice(0, CROWD).map((id) => hub.app.world().units.get(id)!.slot));
    await expect
      .poll(() => drawnUnits(page), { timeout: 30_000, interval: 250 })
      .toMatchObject({ lone: { layer: 'units', index: loneSlot } });
    const drawn = await drawnUnits(page);
    // Every unit's row reaches the layer; far fewer dots are drawn: the crowd is a handful of cells at city view.
    expect(drawn.rows).toBeGreaterThanOrEqual(ids.length);
    expect(drawn.dots).toBeGreaterThanOrEqual(2);
    expect(drawn.dots).toBeLessThan(100);
    // A pick in the crowd answers one of the crowd's units, never the lone one.
    expect(drawn.crowd?.layer).toBe('units');
    expect(crowdSlots.has(drawn.crowd!.index)).toBe(true);
  });

  it('draws every unit as its own dot with ?units=full', async () => {
    const full = await browser.context.newPage();
    try {
      await full.goto(`${hub.base}/wall?units=full`);
      await waitForEgret(full, `e.unitsPositioned === ${ids.length} && e.link === 'live'`);
      await waitForMapToShow(full, 'units');
      const drawn = await drawnUnits(full);
      expect(drawn.dots).toBeNull();
      expect(drawn.rows).toBeGreaterThanOrEqual(ids.length);
      expect(drawn.lone).toMatchObject({ layer: 'units', index: hub.app.world().units.get('U-CELL-LONE')!.slot });
    } finally {
      await full.close();
    }
  });
});
