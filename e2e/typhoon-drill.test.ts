import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { PROTOCOL_VERSION, redisKeys, type ClientToServerEvents, type ServerToClientEvents } from '@egret/protocol';
import { openApp, type App } from '@egret/server/app.ts';
import { connectRedis, type Redis } from '@egret/server/redis/connect.ts';
import { testNamespace } from '../test/namespace.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts, readDom, waitForEgret } from './support/egret-page.ts';
import { e2eAppDeps } from './support/hub.ts';
import { startSimulator, type RunningSimulator } from './support/simulator.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
/** Seven hours before Meranti's landfall: the signal is up, the storm over the strait, the gauges still low. */
const WORLD_START = '2016-09-14T20:00:00+08:00';
/** 60×: a world minute a real second, so a storm update (every 10 world minutes) reaches the wall every 10 s. */
const SIM_RATE = 60;

/**
 * The typhoon drill as a bureau would run it: the hub, the simulator playing `typhoon-meranti` accelerated (the
 * met feed, the city, the gauges), and the wall switched to typhoon mode by a commander. The one end-to-end test with
 * the real simulator process running beside the browser (the others write their worlds through the input streams).
 * The wall opens without its map's canvas (`?map=off`): on software GL a 4K frame of the drill's city held the page for
 * seconds and the mode change waited behind it; the map's pixels are checked in e2e/wall.test.ts.
 */
describe('a typhoon-meranti drill on the wall', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  const ns = testNamespace('drill');
  const keys = redisKeys(ns);
  let app: App;
  let port: number;
  let sim: RunningSimulator;
  let redis: Redis;
  let browser: Browser;
  let page: Page;
  let commander: Socket<ServerToClientEvents, ClientToServerEvents>;

  beforeAll(async () => {
    app = await openApp({ redisUrl, config, ns, hubId: `e2e-${ns}`, logger: pino({ level: 'warn' }), ...e2eAppDeps });
    port = await app.listen(0, '127.0.0.1');
    redis = await connectRedis(redisUrl, { name: 'e2e-drill' });
    sim = startSimulator({
      REDIS_URL: redisUrl,
      EGRET_NS: ns,
      SIM_SCENARIO: 'typhoon-meranti',
      SIM_RATE: String(SIM_RATE),
      SIM_START: WORLD_START,
      SIM_UNITS: '120',
      SIM_AUTO_DISPATCH: '0',
      HUB_URL: `http://127.0.0.1:${port}`,
    });
    browser = await launchChromium({ width: 3840, height: 2160 });
    page = await browser.context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
    commander = io(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      auth: { protocol: PROTOCOL_VERSION, user: 'e2e-commander' },
    });
    await new Promise<void>((done, fail) => {
      commander.once('connect', () => done());
      commander.once('connect_error', fail);
    });
  });

  afterAll(async () => {
    commander?.close();
    await browser?.close();
    await sim?.stop();
    await redis?.close();
    await app?.close();
  });

  it('shows the simulated storm moving, its wind circles and cone, the signal and the gauges, once switched to typhoon mode', async () => {
    await page.goto(`http://127.0.0.1:${port}/wall?map=off`);
    try {
      await waitForEgret(page, 'e.stormCount === 1 && e.sensorCount > 0 && e.unitsPositioned > 20', 120_000);
    } catch (err) {
      throw new Error(`the wall never showed the drill: ${JSON.stringify(await egretFacts(page))}\n${sim.output()}`, {
        cause: err,
      });
    }
    const res = await commander
      .timeout(10_000)
      .emitWithAck('mode:set', { mode: 'typhoon', idempotencyKey: randomUUID() });
    expect(res.ok || res.error === 'already_in_mode').toBe(true);
    // A correctness check, not a timing one: on a loaded CI machine the mode.changed event can trail (docs/performance.md).
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
          }
        ).document
          .querySelector('.wall[data-mode]')
          ?.getAttribute('data-mode') === 'typhoon',
      undefined,
      { timeout: 60_000 },
    );

    // The wall's clock runs the drill's time, and the title bar carries the signal and the time to landfall.
    const title = await readDom(page, {
      date: { text: '.clock .date' },
      signal: { attr: ['[data-storm="1614"]', 'data-signal'] },
      signalText: { text: '[data-testid=storm-signal]' },
      landfall: { attr: ['[data-testid=landfall-clock]', 'data-landfall'] },
    });
    expect(title.date).toContain('2016年9月14日');
    expect(['blue', 'yellow', 'orange', 'red']).toContain(title.signal);
    expect(title.signalText).toMatch(/台风预警/);
    expect(title.landfall).toBe('before');

    // The flood gauges of the scenario are on the map: the simulator registers them as the drill starts, and on a
    // loaded machine the last may still be on their way when the wall has switched.
    await expect
      .poll(async () => (await egretFacts(page))!.layers.find((l) => l.id === 'sensors')?.length ?? 0, {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(9);
    const layers = Object.fromEntries((await egretFacts(page))!.layers.map((l) => [l.id, l]));
    for (const id of ['storm-track', 'storm-cone', 'storm-wind-radii', 'storm-centre', 'storm-forecast']) {
      expect(layers[id], id).toMatchObject({ visible: true });
      expect(layers[id]!.length, `${id} has data`).toBeGreaterThan(0);
    }
    expect(layers['sensors']!.length).toBeGreaterThanOrEqual(9);

    // The met feed's next update moves the storm on the hub and on the wall.
    const first = app.world().storms.get('1614')!;
    await expect
      .poll(() => app.world().storms.get('1614')!.version, { timeout: 60_000, interval: 500 })
      .toBeGreaterThan(first.version);
    const moved = app.world().storms.get('1614')!;
    expect(moved.at).toBeGreaterThan(first.at);
    expect(moved.center).not.toEqual(first.center);
    expect(moved.track.length).toBeGreaterThan(0);

    writeFileSync(resolve(ARTIFACTS, 'typhoon-drill-3840.png'), await page.screenshot({ timeout: 120_000 }));
    // Nothing the simulator sent was refused: the drill speaks the integration contract.
    const dead = (await redis.xRange(keys.deadletter, '-', '+')) ?? [];
    expect(dead.map((d) => `${d.message.reason}: ${d.message.detail}`)).toEqual([]);
  }, 300_000);
});
