import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret, waitForMapToShow } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';

type Untyped = any;

/**
 * Cases asked for on a grid across the city, ~3 km apart: tens of pixels apart at city view, none hiding another.
 * Those at sea are refused by the hub (outside every district); the rest are the test's cases.
 */
const GRID = 48;
const STEP = 0.03;
const caseAt = (i: number): [number, number] => [117.97 + (i % 8) * STEP, 24.45 + Math.floor(i / 8) * STEP];
const UNITS = ['U-DOT-1', 'U-DOT-2', 'U-DOT-3'];
/**
 * Bytes of the mesh of n cases as uploaded (display/src/map/dot-mesh.ts, interleaved by luma.gl): 4 vertices a case of
 * positions and their low parts (2 × 12 B), corners and sizes (2 × 8 B), two colours (2 × 4 B) and a row index (4 B).
 */
const meshBytes = (n: number) => n * 4 * 52;

/** Counts the page's WebGL buffer uploads by size (uniform blocks, a few hundred bytes, left out). */
function countUploads(): void {
  const g = globalThis as Untyped;
  g.__uploads = [] as number[];
  const P = g.WebGL2RenderingContext.prototype as Untyped;
  for (const name of ['bufferData', 'bufferSubData']) {
    const orig = P[name];
    P[name] = function (this: unknown, ...args: unknown[]) {
      const data = args.find((a) => ArrayBuffer.isView(a)) as ArrayBufferView | undefined;
      if (data && data.byteLength > 1024) g.__uploads.push(data.byteLength);
      return orig.apply(this, args);
    };
  }
}

/*
 * Issue #19: the open cases are one non-instanced mesh (display/src/map/layers/dot-mesh-layer.ts), SwiftShader paying
 * a draw's set-up once instead of per case. A click still picks the case under it, and a redraw where only the units
 * moved uploads nothing for the cases.
 */
describe('the cases as one dot mesh on the wall', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  /** The grid's cases the hub took, by grid index. */
  let taken: number[] = [];

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'dot-mesh' }),
      launchChromium({ width: 1280, height: 720 }),
    ]);
    const at = hub.now();
    const inputs: InputMessage[] = [
      ...UNITS.map((unitId, i) => ({
        kind: 'unit.register' as const,
        unitId,
        name: `思明一中队 ${i + 1} 组`,
        type: 'enforcement' as const,
        squadId: 'SQ-DOT',
        district: '350203',
        status: 'available' as const,
        at,
      })),
      ...Array.from({ length: GRID }, (_, i) => ({
        kind: 'case.report' as const,
        caseId: `C-DOT-${i}`,
        category: { code: '04002', standard: 'GB/T 47678.5-2026' as const },
        source: 'hotline' as const,
        urgency: (['normal', 'urgent', 'critical'] as const)[i % 3]!,
        lon: caseAt(i)[0],
        lat: caseAt(i)[1],
        address: `网格 ${i}`,
        at,
      })),
    ];
    // The hub applies inputs in order: once the last unit is in, every case before it was taken or refused.
    const last = UNITS.at(-1)!;
    await hub.sendAll([
      ...inputs.filter((m) => m.kind !== 'unit.register' || m.unitId !== last),
      inputs[UNITS.length - 1]!,
    ]);
    await hub.hubHas('the last unit', () => hub.app.world().units.has(last));
    taken = Array.from({ length: GRID }, (_, i) => i).filter((i) => hub.app.world().cases.has(`C-DOT-${i}`));
    expect(taken.length).toBeGreaterThanOrEqual(20);
    await hub.sendFixes(UNITS.map((unitId, i) => ({ unitId, lon: 118.1 + i * 0.01, lat: 24.47, at: hub.now() })));
    page = await browser.context.newPage();
    await page.addInitScript(countUploads);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('draws the cases from one mesh and picks each case at its own pixel', async () => {
    await page.goto(`${hub.base}/wall`);
    await waitForEgret(page, `e.unitsPositioned === ${UNITS.length} && e.link === 'live'`);
    await waitForMapToShow(page, 'cases', 'units');
    // The mesh went up once, whole: 40 cases' vertices in one buffer (deck.gl's instanced layer uploads per attribute).
    const uploads = await page.evaluate(() => (globalThis as Untyped).__uploads as number[]);
    expect(uploads.filter((n) => n === meshBytes(taken.length)).length).toBeGreaterThanOrEqual(1);
    const picked = await page.evaluate(
      (points) =>
        points.map(([lon, lat]) => {
          const e = (globalThis as Untyped).__egret;
          const [x, y] = e.map.project(lon, lat);
          return e.map.pick(x, y, ['cases'])?.id ?? null;
        }),
      taken.map(caseAt),
    );
    expect(picked).toEqual(taken.map((i) => `C-DOT-${i}`));
    // Between two cases nothing is picked: the dots are circles of their size, not the whole map.
    const between = await page.evaluate(
      ([lon, lat]) => {
        const e = (globalThis as Untyped).__egret;
        const [x, y] = e.map.project(lon, lat);
        return e.map.pick(x, y, ['cases']);
      },
      [118.06 + STEP / 2, 24.45 + STEP / 2] as const,
    );
    expect(between).toBeNull();
  });

  it('uploads nothing for the cases when only the units move', async () => {
    const before = await page.evaluate(() => {
      const g = globalThis as Untyped;
      g.__uploads = [];
      return g.__egret.redraws as number;
    });
    // Units moving: a few fixes, each a redraw's reason.
    for (let step = 1; step <= 3; step++) {
      await hub.sendFixes(
        UNITS.map((unitId, i) => ({ unitId, lon: 118.1 + i * 0.01 + step * 0.002, lat: 24.47, at: hub.now() })),
      );
      await waitForEgret(page, `e.redraws >= ${before + step}`, 60_000);
    }
    const uploads = await page.evaluate(() => (globalThis as Untyped).__uploads as number[]);
    expect(uploads.filter((n) => n === meshBytes(taken.length))).toEqual([]);
    // And the count sees the mesh when it does change: one case more, one mesh of one case more, once.
    await hub.send({
      kind: 'case.report',
      caseId: 'C-DOT-NEW',
      category: { code: '04002', standard: 'GB/T 47678.5-2026' },
      source: 'hotline',
      urgency: 'urgent',
      lon: 118.105,
      lat: 24.475,
      address: '思明 新报',
      at: hub.now(),
    });
    await waitForMapToShow(page, 'case-pulse');
    await expect
      .poll(() => page.evaluate(() => (globalThis as Untyped).__uploads as number[]), { timeout: 30_000 })
      .toContain(meshBytes(taken.length + 1));
  });
});
