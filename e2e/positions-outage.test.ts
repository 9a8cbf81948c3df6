import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret } from './support/egret-page.ts';
import { startHub, type Fix, type TestHub } from './support/hub.ts';
import { registerUnits } from './support/world.ts';

const UNITS = 50;
const fact = <T>(page: Page, name: string) => page.evaluate((n) => (globalThis as any).__egret[n] as T, name);

/*
 * Issue #19, the two connections of a wall apart: its main socket away while the worker's stays (the badge must not
 * say live, the units must go on moving), and both away longer than the fallback wait with the main socket back
 * first (a hub restart): the page must keep its worker, not give it up for good. And both up while the frames stop
 * (no hub ticks): the badge must say so, not "live" over units that no longer move.
 */
describe('the wall’s main socket and positions stream, each away', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let ids: string[];
  let blockMain = false;
  let blockStream = false;
  /** Handshakes still to refuse as a hub does when it cannot check credentials (its Redis away). */
  let refuseForNow = 0;
  const round = (k: number): Fix[] =>
    ids.map((unitId, i) => ({ unitId, lon: 118.07 + (i % 20) * 0.002 + k * 0.0001, lat: 24.45, at: hub.now() }));
  const drop = (stream: boolean) => {
    for (const s of hub.app.io.sockets.sockets.values())
      if (Boolean(s.data.positionsStream) === stream) s.disconnect(true);
  };

  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      startHub({ redisUrl, config, label: 'positions-outage' }),
      launchChromium({ width: 1280, height: 720 }),
    ]);
    page = await browser.context.newPage();
    ids = Array.from({ length: UNITS }, (_, i) => `U-OUT-${i}`);
    await registerUnits(hub, ids, { names: (i) => `巡查 ${i + 1}`, squads: (i) => `SQ-OUT-${i % 5}` });
    await hub.sendFixes(round(0));
    hub.app.io.use((socket, next) => {
      if (refuseForNow > 0) {
        refuseForNow--;
        return next(
          Object.assign(new Error('unavailable: the hub cannot check credentials right now; try again'), {
            data: { error: 'unavailable' },
          }),
        );
      }
      const stream = (socket.handshake.auth as { stream?: string }).stream === 'positions';
      if (stream ? !blockStream : !blockMain) next();
      else socket.conn.close(); // as a hub away: the transport closes, the client retries
    });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('main socket down, worker up: not "live"; units still move', async () => {
    await page.goto(`${hub.base}/wall?map=off`);
    await waitForEgret(page, `e.unitsPositioned === ${UNITS} && e.link === 'live' && e.positionsVia === 'worker'`);
    blockMain = true;
    drop(false);
    await hub.sendFixes(round(1));
    await waitForEgret(page, `e.link === 'reconnecting'`, 10_000);
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).__egret.unitPositions(1)[0]), { timeout: 15_000 })
      .toMatchObject({ lon: expect.closeTo(118.0701, 5) });
    blockMain = false;
    await waitForEgret(page, `e.link === 'live' && e.positionsVia === 'worker'`, 20_000);
  });

  it('a 40 s outage of both, the main socket back first: the worker is kept', async () => {
    blockMain = true;
    blockStream = true;
    drop(false);
    drop(true);
    await new Promise((r) => setTimeout(r, 40_000));
    blockMain = false;
    await waitForEgret(page, `e.link === 'live' || e.link === 'positions-down'`, 20_000);
    await new Promise((r) => setTimeout(r, 3_000));
    blockStream = false;
    await waitForEgret(page, `e.link === 'live'`, 20_000);
    expect(await fact(page, 'positionsFallback')).toBeNull();
    expect(await fact(page, 'positionsVia')).toBe('worker');
  });

  it('says the units are down when the frames stop with both sockets up (another hub holds the ticks and does not tick), and live once they come again', async () => {
    await waitForEgret(page, `e.link === 'live' && e.positionsVia === 'worker'`, 20_000);
    // A hung hub's lease, renewed by nobody's ticks: this hub loses the lead at its next tick and cannot take it back.
    // The log, the KPIs and both sockets stay up; only the frames stop.
    await hub.redis.set(hub.keys.tickerLease, 'a-hung-hub', { PX: 120_000 });
    // After display/src/net/link-status.ts's POSITIONS_SILENT_MS of silence (its unit test holds the bound).
    await waitForEgret(page, `e.link === 'positions-down'`, 60_000);
    expect(await page.locator('[data-link]').textContent()).toContain('单位位置中断');
    await hub.redis.del(hub.keys.tickerLease);
    await waitForEgret(page, `e.link === 'live'`, 30_000);
    expect(await fact(page, 'positionsVia')).toBe('worker');
  });

  it('comes back by itself, through its worker, after the hub refused its handshakes for now (unavailable)', async () => {
    refuseForNow = 4; // the main socket's and the stream's next handshakes, twice each
    drop(false);
    drop(true);
    await waitForEgret(page, `e.link !== 'live'`, 10_000);
    await waitForEgret(page, `e.link === 'live' && e.positionsVia === 'worker'`, 30_000);
    expect(refuseForNow).toBe(0);
    expect(await fact(page, 'positionsFallback')).toBeNull();
    const before = await fact<number>(page, 'framesViaWorker');
    await hub.sendFixes(round(3));
    await waitForEgret(page, `e.framesViaWorker > ${before}`, 10_000);
  });
});
