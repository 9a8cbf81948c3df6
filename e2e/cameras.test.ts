import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret, waitForMapToPick } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { filedVideoCase, videoTime } from './support/video.ts';
import { outside, overlaps, panelBoxes } from './support/layout.ts';

const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

type Untyped = any;

/**
 * A city's video platform, played by this test: an HLS stream made here with Debian's ffmpeg (a test pattern, H.264 —
 * Debian's Chromium plays it through Media Source Extensions) and served by a plain static server on another origin,
 * with the CORS header a gateway must send. The console watches a camera near a case, 推屏 puts it on the wall, the
 * wall's video plays; a camera whose stream is gone shows 无信号.
 */
function makeStream(dir: string): void {
  mkdirSync(join(dir, 'live'), { recursive: true });
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=10', '-t', '20'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '10'],
      ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', '-hls_playlist_type', 'vod'],
      join(dir, 'live', 'index.m3u8'),
    ],
    { stdio: 'inherit' },
  );
}

const TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };

/** Serves `dir` as a gateway would: files by path (the query, e.g. a playback range, ignored), 404 otherwise. */
function serveStatic(dir: string): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    hits.push(path);
    res.setHeader('Access-Control-Allow-Origin', '*');
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    ),
  );
}

describe('cameras: watched at the console, put on the wall, down when the stream is gone', () => {
  const config = loadConfig();
  let dir: string;
  let video: Awaited<ReturnType<typeof serveStatic>>;
  let hub: TestHub;
  let browser: Browser;
  let console_: Page;
  let wall: Page;
  /** CSP violations a page reported (the policy is report-only in open mode: this is how a stray fetch shows). */
  const violations = (page: Page) => page.evaluate(() => ((globalThis as Untyped).__csp ?? []) as string[]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'egret-video-'));
    makeStream(dir);
    video = await serveStatic(dir);
    config.video = { origins: [video.origin], maxWallWindows: 2, cameras: [] };
    hub = await startHub({ redisUrl: inject('redisUrl'), config, label: 'cameras' });
    const at = hub.now() - 120_000;
    const camera = (cameraId: string, name: string, lon: number, path: string): InputMessage => ({
      kind: 'camera.register',
      cameraId,
      name,
      cameraKind: 'ptz',
      lon,
      lat: 24.4566,
      stream: { url: `${video.origin}${path}`, format: 'hls' },
      playback: { template: `${video.origin}${path}?start={start}&end={end}`, format: 'hls', time: 'iso' },
      at,
    });
    await hub.sendAll([
      camera('CAM-LIVE', '中山路口球机', 118.0838, '/live/index.m3u8'),
      camera('CAM-DEAD', '鹭江道球机', 118.0845, '/gone/index.m3u8'),
      ...filedVideoCase('CAM-CASE-1', '中山路 12 号', at),
      // A sensor makes the map's legend grow a section (物联感知): the windows must keep clear of the taller legend.
      {
        kind: 'sensor.register',
        sensorId: 'WL-CAM',
        sensorKind: 'water_level',
        name: '湖滨南路积水点',
        district: '350203',
        lon: 118.0894,
        lat: 24.4798,
        unit: 'cm',
        warning: 10,
        alarm: 20,
        at,
      },
    ]);
    await hub.hubHas('the cameras and the filed case', () => {
      const w = hub.app.world();
      return w.cameras.size === 2 && w.sensors.size === 1 && w.cases.get('CAM-CASE-1')?.status === 'filed';
    });
    browser = await launchChromium({ width: 1920, height: 1080 });
    const noteViolations = () => {
      const g = globalThis as Untyped;
      g.__csp = [];
      g.document.addEventListener('securitypolicyviolation', (e: Untyped) =>
        g.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    };
    console_ = await browser.context.newPage();
    wall = await browser.context.newPage();
    await console_.addInitScript(noteViolations);
    await wall.addInitScript(noteViolations);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    video?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the cameras near a case, plays one at the console, and 推屏 plays it on the wall', async () => {
    // The console without its map canvas too (`?map=off`): the list, the player and 推屏 are what is tested here.
    await console_.goto(`${hub.base}/console?map=off`);
    await waitForEgret(console_, 'e.caseCount > 0', 60_000);
    await console_.locator('[data-queue-case="CAM-CASE-1"]').click();
    const list = console_.locator('[data-panel="cameras"]');
    await list.locator('[data-camera]').first().waitFor();
    // Nearest first, with the distance: CAM-LIVE is ~30 m from the case, CAM-DEAD ~100 m.
    expect(
      await list.locator('[data-camera]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera'))),
    ).toEqual(['CAM-LIVE', 'CAM-DEAD']);
    expect(await list.locator('[data-camera="CAM-LIVE"]').textContent()).toMatch(/30米/);

    await list.locator('[data-camera="CAM-LIVE"] [data-action="watch-camera"]').click();
    const desk = '[data-panel="console-video"]';
    await console_.locator(`${desk} [data-video-state="playing"]`).waitFor({ timeout: 30_000 });
    const t0 = await videoTime(console_, desk);
    await expect.poll(() => videoTime(console_, desk), { timeout: 15_000, interval: 100 }).toBeGreaterThan(t0 + 0.5);

    await console_.locator(`${desk} [data-action="video-to-wall"]`).click();
    await expect.poll(() => hub.app.world().videos.map((v) => v.cameraId), { timeout: 10_000 }).toEqual(['CAM-LIVE']);
    await console_.locator(`${desk} [data-action="video-off-wall"]`).waitFor();

    await wall.goto(`${hub.base}/wall?map=off`);
    const win = '[data-video-window="CAM-LIVE"]';
    await wall.locator(`${win} [data-video-state="playing"]`).waitFor({ timeout: 30_000 });
    const w0 = await videoTime(wall, win);
    await expect.poll(() => videoTime(wall, win), { timeout: 15_000, interval: 100 }).toBeGreaterThan(w0 + 0.5);
    expect(await wall.locator(win).textContent()).toContain('中山路口球机');
    // The camera layer: off on the wall by default (a console switches it on), on at the console.
    const camerasShown = (page: Page) =>
      page.evaluate(
        () =>
          ((globalThis as Untyped).__egret.map.layers() as { id: string; visible: boolean }[]).find(
            (l) => l.id === 'cameras',
          )?.visible,
      );
    expect(await camerasShown(wall)).toBe(false);
    expect(await camerasShown(console_)).toBe(true);
    // Muted autoplay: no click was needed.
    expect(await wall.evaluate((s) => (globalThis as Untyped).document.querySelector(`${s} video`).muted, win)).toBe(
      true,
    );
    // The segments came from the platform's origin, which the CSP lists: no fetch or media load was refused (the
    // test's own string predicates are `script-src eval` reports: report-only in open mode, and not the video's).
    expect(video.hits.some((p) => p.endsWith('.ts'))).toBe(true);
    const refused = [...(await violations(console_)), ...(await violations(wall))];
    expect(refused.filter((v) => /^(connect|media|default)-src/.test(v))).toEqual([]);
  }, 120_000);

  it('shows a dead stream as 无信号, and puts a case’s recording (视频追溯) on the wall in place of the live view', async () => {
    await console_.locator('[data-camera="CAM-DEAD"] [data-action="camera-to-wall"]').click();
    await expect.poll(() => hub.app.world().videos.length, { timeout: 10_000 }).toBe(2);
    const dead = wall.locator('[data-video-window="CAM-DEAD"]');
    await dead.locator('[data-video-state="down"]').waitFor({ timeout: 30_000 });
    expect(await dead.textContent()).toContain('无信号');
    // The live one keeps playing beside it.
    await wall.locator('[data-video-window="CAM-LIVE"] [data-video-state="playing"]').waitFor();

    const boxes = await panelBoxes(wall);
    expect(
      boxes
        .filter((b) => b.name.startsWith('video-'))
        .map((b) => b.name)
        .sort(),
    ).toEqual(['video-CAM-DEAD', 'video-CAM-LIVE']);
    expect(overlaps(boxes)).toEqual([]);
    const view = wall.viewportSize()!;
    expect(outside(boxes, view.width, view.height)).toEqual([]);

    // 视频追溯 of the case from the list: the recording around its report time, on the wall as a third window.
    await console_.locator('[data-camera="CAM-LIVE"] [data-action="trace-camera"]').click();
    const desk = '[data-panel="console-video"]';
    expect(await console_.locator(desk).textContent()).toMatch(/回放 \d\d:\d\d–\d\d:\d\d/);
    await console_.locator(`${desk} [data-video-state="playing"]`).waitFor({ timeout: 30_000 });
    await console_.locator(`${desk} [data-action="video-to-wall"]`).click();
    await expect
      .poll(() => hub.app.world().videos.map((v) => `${v.cameraId}${v.playback ? ' recording' : ''}`), {
        timeout: 10_000,
      })
      .toEqual(['CAM-DEAD', 'CAM-LIVE recording']);
    const recording = wall.locator('[data-video-window="CAM-LIVE"]');
    await expect.poll(() => recording.textContent(), { timeout: 10_000 }).toMatch(/回放 \d\d:\d\d–\d\d:\d\d/);
    await recording.locator('[data-video-state="playing"]').waitFor({ timeout: 30_000 });
  }, 120_000);

  it('lays the windows out without overlaps on a 5760-wide wall too, and keeps a screenshot', async () => {
    await wall.goto(`${hub.base}/wall?map=off&w=5760`);
    await wall.locator('[data-video-window="CAM-LIVE"] [data-video-state="playing"]').waitFor({ timeout: 30_000 });
    const boxes = await panelBoxes(wall);
    expect(boxes.filter((b) => b.name.startsWith('video-'))).toHaveLength(2);
    expect(overlaps(boxes)).toEqual([]);
    const view = wall.viewportSize()!;
    expect(outside(boxes, view.width, view.height)).toEqual([]);
    writeFileSync(resolve(ARTIFACTS, 'wall-video-5760.png'), await wall.screenshot({ timeout: 60_000 }));
  }, 120_000);
  it('opens a camera when its marker is clicked on the console’s map', async () => {
    // A camera on its own, kilometres from the others (at the console's city zoom those two share a pixel).
    const at: [number, number] = [118.1485, 24.5075];
    await hub.sendAll([
      {
        kind: 'camera.register',
        cameraId: 'CAM-FAR',
        name: '枋湖客运站球机',
        cameraKind: 'fixed',
        lon: at[0],
        lat: at[1],
        stream: { url: `${video.origin}/live/index.m3u8`, format: 'hls' },
        at: hub.now(),
      },
    ]);
    await hub.hubHas('the third camera', () => hub.app.world().cameras.size === 3);
    await console_.goto(`${hub.base}/console`);
    await waitForEgret(console_, 'e.map !== null && e.caseCount > 0', 60_000);
    const desk = console_.locator('[data-panel="console-video"]');
    expect(await desk.count()).toBe(0);
    // Where deck.gl draws the marker, once the map has taken the picture holding it (a software-GL map takes a new
    // picture only every few seconds): a pick there, among what the console's click picks from, finds the camera.
    const [x, y] = await waitForMapToPick(console_, ['cases', 'cameras'], 'CAM-FAR', at);
    // A real click, as a commander's: deck.gl picks the marker under it and the console opens that camera.
    await console_.mouse.click(x, y);
    await desk.waitFor({ timeout: 30_000 });
    expect(await desk.textContent()).toContain('枋湖客运站球机');
    await desk.locator('[data-video-state="playing"]').waitFor({ timeout: 30_000 });
  }, 120_000);
});
