import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import {
  PROTOCOL_VERSION,
  redisKeys,
  worldNow,
  type ClientToServerEvents,
  type InputMessage,
  type Mode,
  type ServerToClientEvents,
  type StormUpdate,
} from '@egret/protocol';
import { openApp, type App } from '@egret/server/app.ts';
import { connectRedis, type Redis } from '@egret/server/redis/connect.ts';
import { testNamespace } from '../test/namespace.ts';
import { launchChromium, type Browser } from './support/chromium.ts';
import { egretFacts } from './support/egret-page.ts';
import { e2eAppDeps } from './support/hub.ts';
import { clipped, outside, overlaps, panelBoxes, smallText } from './support/layout.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Typhoon Meranti (1614), four hours before landfall on the Xiang'an coast (domain.md). */
const T = Date.parse('2016-09-14T23:00:00+08:00');
const LANDFALL = Date.parse('2016-09-15T03:05:00+08:00');
const SCREENSHOT = { timeout: 120_000 };
/** Body text on the 4K wall must read from five metres. */
const MIN_BODY_PX = 28;

type Untyped = any;

/** Meranti as the met feed reports it at `at` (track points before 09-14 23:00 approximate, as domain.md says). */
function meranti(at: number, over: Partial<StormUpdate['storm']> = {}): StormUpdate['storm'] {
  return {
    id: '1614',
    name: { zh: '莫兰蒂', en: 'Meranti' },
    at,
    center: [118.4, 23.9],
    pressureHpa: 931,
    maxWindMs: 52,
    r7Km: 220,
    r10Km: 65,
    r12Km: 35,
    stage: 'at_sea',
    phase: 'landfall',
    signal: 'red',
    landfall: { at: LANDFALL, center: [118.3, 24.6], place: '翔安' },
    track: [
      { at: Date.parse('2016-09-13T14:00:00+08:00'), center: [126.2, 22.2], pressureHpa: 890, maxWindMs: 70 },
      { at: Date.parse('2016-09-14T08:00:00+08:00'), center: [121.2, 21.7], pressureHpa: 900, maxWindMs: 65 },
      { at: Date.parse('2016-09-14T18:00:00+08:00'), center: [119.5, 23.2], pressureHpa: 920, maxWindMs: 58 },
    ],
    forecast: [
      { at: LANDFALL, leadHours: 4, center: [118.3, 24.6], pressureHpa: 945, maxWindMs: 48, coneKm: 25 },
      { at: T + 9 * HOUR, leadHours: 9, center: [117.6, 25.2], pressureHpa: 975, maxWindMs: 30, coneKm: 45 },
      { at: T + 21 * HOUR, leadHours: 21, center: [116.5, 26.0], pressureHpa: 990, maxWindMs: 20, coneKm: 80 },
      { at: T + 33 * HOUR, leadHours: 33, center: [115.5, 27.0], pressureHpa: 998, maxWindMs: 15, coneKm: 120 },
    ],
    ...over,
  };
}

/** Three water-level gauges (one flooded, one rising, one dry) and a construction-noise monitor. */
const SENSORS = [
  { sensorId: 'WL-350203-01', name: '湖滨南路积水点', district: '350203', lon: 118.0894, lat: 24.4798, value: 46 },
  { sensorId: 'WL-350206-01', name: '湖里大道积水点', district: '350206', lon: 118.16, lat: 24.503, value: 20 },
  { sensorId: 'WL-350211-01', name: '集美大道积水点', district: '350211', lon: 118.0977, lat: 24.5872, value: 5 },
] as const;

/*
 * Every page here is opened without the map's canvas (`?map=off`, display/src/map/no-canvas.ts): the layers' rows,
 * the layout and the text are the same, and a 4K page on software GL answers at once instead of between
 * second-long frames. The storm drawn on the real map is checked in e2e/wall.test.ts.
 */
describe('the wall in typhoon mode: Meranti approaching, and the gauges it floods', () => {
  const config = loadConfig();
  const redisUrl = inject('redisUrl');
  const ns = testNamespace('typhoon');
  const keys = redisKeys(ns);
  let app: App;
  let port: number;
  let redis: Redis;
  let browser: Browser;
  let page: Page;
  let commander: Socket<ServerToClientEvents, ClientToServerEvents>;

  const send = (m: InputMessage) => redis.xAdd(keys.inEvents, '*', { data: JSON.stringify(m) });
  /** World time now by the hub's clock: what every input's `at` must not run ahead of. */
  const now = () => worldNow(app.world().clock, Date.now());
  const setClock = (baseWorld: number) =>
    send({
      kind: 'clock.set',
      at: baseWorld,
      clock: { baseReal: Date.now(), baseWorld, rate: 1, scenario: 'e2e-meranti' },
    });

  const setMode = async (mode: Mode) => {
    const res = await commander.timeout(10_000).emitWithAck('mode:set', { mode, idempotencyKey: randomUUID() });
    if (!res.ok && res.error !== 'already_in_mode')
      throw new Error(`mode:set ${mode} refused: ${res.error} ${res.message}`);
  };

  /** Waits for the hub to have applied something, naming what was dead-lettered if it never does. */
  const hubHas = async (what: string, done: () => boolean, timeout = 20_000) => {
    const until = Date.now() + timeout;
    while (!done()) {
      if (Date.now() > until) {
        const dead = await redis.xRange(keys.deadletter, '-', '+');
        throw new Error(
          `the hub never applied ${what}; dead-lettered: ${JSON.stringify(dead?.map((d) => d.message) ?? [])}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** Waits until the wall knows the storm and the sensors (page code as a function: the CSP forbids strings). */
  const waitForWeather = () =>
    page.waitForFunction(
      () => {
        const e = (globalThis as Untyped).__egret;
        return !!e && e.stormCount === 1 && e.sensorCount === 4;
      },
      undefined,
      { timeout: 60_000, polling: 250 },
    );

  const layers = async () => {
    const facts = (await egretFacts(page))!;
    return Object.fromEntries(facts.layers.map((l) => [l.id, l as { id: string; length: number; visible: boolean }]));
  };

  const waitForMode = (mode: string) =>
    page.waitForFunction(
      (m) => (globalThis as Untyped).document.querySelector('.wall[data-mode]')?.getAttribute('data-mode') === m,
      mode,
      {
        timeout: 10_000,
        polling: 100,
      },
    );

  /** No panel overlaps another or leaves the canvas, and no text is too small to read. */
  const checkLayout = async (width: number, height: number) => {
    const boxes = await panelBoxes(page);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, width, height), 'panels outside the canvas').toEqual([]);
    expect(await smallText(page, MIN_BODY_PX), 'text smaller than 28 px').toEqual([]);
    expect(await clipped(page, '[data-storm]'), 'storm badge text cut off').toEqual([]);
    return boxes;
  };

  beforeAll(async () => {
    app = await openApp({ redisUrl, config, ns, hubId: `e2e-${ns}`, logger: pino({ level: 'warn' }), ...e2eAppDeps });
    port = await app.listen(0, '127.0.0.1');
    redis = await connectRedis(redisUrl, { name: 'e2e-typhoon' });
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

    // The drill's world: 09-14 23:00, Meranti over the Taiwan Strait with the red signal up, and the city's gauges.
    await setClock(T);
    await hubHas('the clock.set', () => Math.abs(now() - T) < 5 * MIN);
    await send({ kind: 'storm.update', at: now(), storm: meranti(T) });
    for (const s of SENSORS) {
      await send({
        kind: 'sensor.register',
        at: now(),
        sensorId: s.sensorId,
        sensorKind: 'water_level',
        name: s.name,
        district: s.district,
        lon: s.lon,
        lat: s.lat,
        unit: 'cm',
        warning: 15,
        alarm: 30,
      });
    }
    await send({
      kind: 'sensor.register',
      at: now(),
      sensorId: 'NS-350203-01',
      sensorKind: 'noise',
      name: '思明某工地',
      district: '350203',
      lon: 118.172,
      lat: 24.474,
      unit: 'dB(A)',
      warning: 70,
      alarm: 85,
    });
    for (const s of SENSORS) await send({ kind: 'sensor.reading', at: now(), sensorId: s.sensorId, value: s.value });
    await send({ kind: 'sensor.reading', at: now(), sensorId: 'NS-350203-01', value: 62 });
    await hubHas('the storm and the sensor readings', () => {
      const w = app.world();
      return (
        w.storms.has('1614') &&
        w.sensors.get('WL-350203-01')?.level === 'alarm' &&
        w.sensors.get('NS-350203-01')?.value === 62
      );
    });
  });

  afterAll(async () => {
    commander?.close();
    await browser?.close();
    await redis?.close();
    await app?.close();
  });

  it('shows the storm even in peacetime: the red signal and the landfall countdown in the title, the storm on the map', async () => {
    await setMode('peacetime');
    await page.goto(`http://127.0.0.1:${port}/wall?map=off`);
    await waitForWeather();
    await waitForMode('peacetime');
    const badge = page.locator('[data-storm="1614"]');
    expect(await badge.getAttribute('data-signal')).toBe('red');
    expect(await page.locator('[data-testid=storm-signal]').textContent()).toContain('红色台风预警');
    expect(await badge.textContent()).toContain('1614号台风“莫兰蒂”');
    const clock = page.locator('[data-testid=landfall-clock]');
    expect(await clock.getAttribute('data-landfall')).toBe('before');
    // 4 h 05 min to landfall by the world clock, less the seconds this test has taken.
    expect(await clock.textContent()).toMatch(/距登陆\s*04:0[345]/);
    const l = await layers();
    expect(l['storm-track']).toMatchObject({ visible: true, length: 3 });
    expect(l['sensors']).toMatchObject({ visible: true, length: 4 });
    // Peacetime labels only the raised sensors: the flooded gauge and the rising one.
    expect(l['sensor-labels']).toMatchObject({ visible: true, length: 2 });
  });

  it('leads with the storm and the gauges in typhoon mode: track, cone, wind circles, damaged districts, alarms', async () => {
    await setMode('typhoon');
    await waitForMode('typhoon');
    const l = await layers();
    expect(l['storm-track']).toMatchObject({ visible: true, length: 3 });
    expect(l['storm-track-fixes']).toMatchObject({ visible: true, length: 3 });
    expect(l['storm-forecast']).toMatchObject({ visible: true, length: 1 });
    expect(l['storm-forecast-fixes']).toMatchObject({ visible: true, length: 4 });
    expect(l['storm-cone']).toMatchObject({ visible: true, length: 1 });
    expect(l['storm-wind-radii']).toMatchObject({ visible: true, length: 3 });
    expect(l['storm-centre']).toMatchObject({ visible: true, length: 1 });
    expect(l['storm-damage']!.visible).toBe(true);
    expect(l['storm-damage']!.length).toBeGreaterThan(0);
    // The centre is still 75 km out at sea, beyond the city's map: an arrow on the map's edge points at it.
    expect(l['storm-pointer']).toMatchObject({ visible: true, length: 1 });
    expect(l['sensors']).toMatchObject({ visible: true, length: 4 });
    expect(l['sensor-alarms']).toMatchObject({ visible: true, length: 1 });
    // Every gauge's water level is labelled in a typhoon; the noise monitor's normal reading is not.
    expect(l['sensor-labels']).toMatchObject({ visible: true, length: 3 });

    // The flooded gauge is on the alert rail, with its reading.
    const alarm = page.locator('[data-alert=alarm][data-sensor="WL-350203-01"]');
    expect(await alarm.count()).toBe(1);
    expect(await alarm.textContent()).toContain('46 cm');
    expect(await alarm.textContent()).toContain('湖滨南路积水点');
    expect(await page.locator('[data-panel=storm-legend]').count()).toBe(1);

    await checkLayout(3840, 2160);
    const facts = (await egretFacts(page))!;
    expect(facts.deckCount).toBe(1);
    // That the storm's layers are drawn, not blank, is checked on the real map in e2e/wall.test.ts.
    writeFileSync(resolve(ARTIFACTS, 'typhoon-approach-3840.png'), await page.screenshot(SCREENSHOT));
  });

  it('counts the time since landfall once Meranti is ashore, with its centre and label over the city', async () => {
    // 09-15 04:10: an hour after landfall; the centre over Tong'an heading north-west, weakening.
    const after = LANDFALL + 65 * MIN;
    await setClock(after);
    await hubHas('the second clock.set', () => Math.abs(now() - after) < 5 * MIN);
    await send({
      kind: 'storm.update',
      at: now(),
      storm: meranti(after - 10 * MIN, {
        center: [118.12, 24.72],
        pressureHpa: 962,
        maxWindMs: 38,
        r7Km: 180,
        r10Km: 60,
        r12Km: 25,
        stage: 'inland',
        track: [
          ...meranti(T).track,
          { at: T, center: [118.4, 23.9], pressureHpa: 931, maxWindMs: 52 },
          { at: LANDFALL, center: [118.3, 24.6], pressureHpa: 945, maxWindMs: 48 },
        ],
        forecast: [
          { at: after + 5 * HOUR, leadHours: 5, center: [117.6, 25.2], pressureHpa: 980, maxWindMs: 28, coneKm: 30 },
          { at: after + 17 * HOUR, leadHours: 17, center: [116.5, 26.0], pressureHpa: 992, maxWindMs: 18, coneKm: 70 },
        ],
      }),
    });
    await hubHas('the landfall update', () => app.world().storms.get('1614')?.stage === 'inland');
    await page.waitForFunction(
      () => {
        const l = (globalThis as Untyped).__egret?.map?.layers().find((x: { id: string }) => x.id === 'storm-pointer');
        return !!l && !l.visible;
      },
      undefined,
      { timeout: 30_000, polling: 250 },
    );
    const clock = page.locator('[data-testid=landfall-clock]');
    await expect.poll(() => clock.getAttribute('data-landfall'), { timeout: 10_000 }).toBe('after');
    // The page may take the storm's update before the clock's jump (two events): wait for the clock to show it.
    await expect.poll(() => clock.textContent(), { timeout: 10_000 }).toMatch(/已登陆\s*01:0[5-7]/);
    const l = await layers();
    expect(l['storm-track']).toMatchObject({ visible: true, length: 5 });
    expect(l['storm-labels']).toMatchObject({ visible: true, length: 1 });
    expect(l['storm-damage']!.length).toBeGreaterThan(0);
    await checkLayout(3840, 2160);
    writeFileSync(resolve(ARTIFACTS, 'typhoon-landfall-3840.png'), await page.screenshot(SCREENSHOT));
  });

  it('says it in English too, without cutting the title bar short', async () => {
    await page.goto(`http://127.0.0.1:${port}/wall?lang=en&map=off`);
    await waitForWeather();
    await waitForMode('typhoon');
    expect(await page.locator('[data-testid=storm-signal]').textContent()).toContain('Red typhoon warning');
    expect(await page.locator('[data-testid=landfall-clock]').textContent()).toMatch(/Ashore for\s*01:\d\d/);
    expect(await page.locator('[data-alert=alarm]').first().textContent()).toContain('Water level');
    await checkLayout(3840, 2160);
    writeFileSync(resolve(ARTIFACTS, 'typhoon-en-3840.png'), await page.screenshot(SCREENSHOT));
  });

  it('shows the same storm on the commander’s console at 1920×1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`http://127.0.0.1:${port}/console?map=off`);
    await waitForWeather();
    expect(await page.locator('[data-testid=storm-signal]').textContent()).toContain('红色台风预警');
    const boxes = await panelBoxes(page);
    expect(overlaps(boxes), 'panels overlap').toEqual([]);
    expect(outside(boxes, 1920, 1080), 'panels outside the canvas').toEqual([]);
    expect(await clipped(page, '[data-storm]'), 'storm badge text cut off').toEqual([]);
    const l = await layers();
    expect(l['storm-wind-radii']).toMatchObject({ visible: true, length: 3 });
    expect(l['sensors']).toMatchObject({ visible: true, length: 4 });
    writeFileSync(resolve(ARTIFACTS, 'typhoon-console-1920.png'), await page.screenshot(SCREENSHOT));
  });
});
