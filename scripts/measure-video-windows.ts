/**
 * The main-thread CPU time a video window costs the wall (docs/performance.md, "Video windows"): a hub with its own
 * embedded Redis, an ffmpeg H.264 HLS test stream (640×360, 25 fps) on another origin, and the wall (`?map=off`, so
 * deck.gl's software-GL frames do not drown the figure) with 0, 1, 2 and 4 windows of it. For each count: the page's
 * main-thread task time (CDP `Performance.getMetrics`, thread-time domain) over a 5-second window once the videos
 * play. Run: `EGRET_E2E_DISPLAY_DIR=<built display> npx tsx scripts/measure-video-windows.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { loadConfig } from '@egret/config';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';
import { launchChromium } from '../e2e/support/chromium.ts';
import { startHub } from '../e2e/support/hub.ts';

const SECONDS = 5;
const dir = mkdtempSync(join(tmpdir(), 'egret-video-bench-'));
mkdirSync(join(dir, 'live'));
execFileSync('ffmpeg', [
  ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-t', '60'],
  ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25'],
  ...[
    '-f',
    'hls',
    '-hls_time',
    '2',
    '-hls_list_size',
    '0',
    '-hls_playlist_type',
    'vod',
    join(dir, 'live', 'index.m3u8'),
  ],
]);
const server = createServer((req, res) => {
  const path = normalize(new URL(req.url ?? '/', 'http://x').pathname);
  res.setHeader('Access-Control-Allow-Origin', '*');
  try {
    const type = extname(path) === '.m3u8' ? 'application/vnd.apple.mpegurl' : 'video/mp2t';
    const body = readFileSync(join(dir, path)); // before the head: a missing file answers 404
    res.writeHead(200, { 'Content-Type': type }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const redisDir = mkdtempSync(join(tmpdir(), 'egret-video-bench-redis-'));
const redis = await startEmbeddedRedis({ dataDir: redisDir, persist: false, install: false });
const config = loadConfig();
config.video = { origins: [origin], maxWallWindows: 4, cameras: [] };
const hub = await startHub({ redisUrl: redis.url, config, label: 'video-bench' });
const ids = ['V1', 'V2', 'V3', 'V4'];
await hub.sendAll(
  ids.map((cameraId, i) => ({
    kind: 'camera.register' as const,
    cameraId,
    name: `测试摄像机 ${i + 1}`,
    cameraKind: 'fixed' as const,
    lon: 118.08 + i * 0.01,
    lat: 24.46,
    // One URL per camera (the query is ignored by the server), so each window loads its own stream.
    stream: { url: `${origin}/live/index.m3u8?cam=${cameraId}`, format: 'hls' as const },
    at: hub.now() - 1_000,
  })),
);
await hub.hubHas('the cameras', () => hub.app.world().cameras.size === ids.length);
const commander = await hub.commander();
const video = (cameraId: string) =>
  commander
    .timeout(5_000)
    .emitWithAck('wall:video', { cameraId, action: 'open', idempotencyKey: `bench-${cameraId}-${Date.now()}` });

const browser = await launchChromium({ width: 1920, height: 1080 });
const page = await browser.context.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
await page.goto(`${hub.base}/wall?map=off`);
await page.waitForFunction(() => !!(globalThis as { __egret?: unknown }).__egret, undefined, { timeout: 60_000 });

const taskSeconds = async () => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')!.value;
};
const rows: string[] = [];
let base = 0;
for (const n of [0, 1, 2, 4]) {
  const open = (await page.$$('[data-video-window]')).length;
  for (const id of ids.slice(open, n)) await video(id);
  if (n > 0)
    await page.waitForFunction(
      (k) =>
        (
          globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
        ).document.querySelectorAll('[data-video-state="playing"]').length === k,
      n,
      {
        timeout: 60_000,
        polling: 200,
      },
    );
  await new Promise((r) => setTimeout(r, 2_000)); // past the start-up work
  const t0 = await taskSeconds();
  await new Promise((r) => setTimeout(r, SECONDS * 1_000));
  const msPerSecond = (((await taskSeconds()) - t0) * 1_000) / SECONDS;
  if (n === 0) base = msPerSecond;
  const per = n > 0 ? ` · ${((msPerSecond - base) / n).toFixed(1)} ms/s per window` : '';
  rows.push(`${n} window(s): main thread ${msPerSecond.toFixed(1)} ms per second${per}`);
  console.log(rows.at(-1));
}

await browser.close();
await hub.close();
await redis.stop();
server.close();
rmSync(dir, { recursive: true, force: true });
rmSync(redisDir, { recursive: true, force: true });
