/**
 * The README's picture of the wall with video windows (docs/wall-video.png): half an hour of the simulator's normal day
 * written to a hub with a private Redis, two of Xiamen's configured cameras pointed at an ffmpeg test stream on a local
 * origin (one of them at a stream that is gone, to show 无信号), both put on the wall, the camera layer switched on,
 * and the 4K wall (map drawn) shot at 1920×1080. Run: `EGRET_E2E_DISPLAY_DIR=<a built display> npx tsx …`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@egret/config';
import { MapLayer } from '@egret/protocol';
import { startEmbeddedRedis } from '@egret/server/embedded-redis';
import { launchChromium } from '../e2e/support/chromium.ts';
import { startHub } from '../e2e/support/hub.ts';
import { simulateCity, writeCity } from '../e2e/support/world.ts';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/wall-video.png');
const dir = mkdtempSync(join(tmpdir(), 'egret-video-shot-'));
mkdirSync(join(dir, 'live'));
execFileSync('ffmpeg', [
  ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=25', '-t', '120'],
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
    const type = path.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t';
    const body = readFileSync(join(dir, path)); // before the head: a missing file answers 404
    res.writeHead(200, { 'Content-Type': type }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const redisDir = mkdtempSync(join(tmpdir(), 'egret-video-shot-redis-'));
const redis = await startEmbeddedRedis({ dataDir: redisDir, persist: false, install: false });
const config = loadConfig();
// Xiamen's cameras as configured, their streams moved onto the local origin: 中山路 plays, 鹭江道's stream is gone.
const cameras = config.video.cameras.map((c, i) => ({
  ...c,
  stream: { url: `${origin}/${i === 1 ? 'gone' : 'live'}/index.m3u8?cam=${c.id}`, format: 'hls' as const },
  playback: undefined,
}));
config.video = { origins: [origin], maxWallWindows: 4, cameras };
const hub = await startHub({ redisUrl: redis.url, config, label: 'video-shot' });
const start = Date.parse('2026-07-01T09:00:00+08:00');
await writeCity(hub, simulateCity({ config, start, minutes: 30 }));
const commander = await hub.commander();
const ask = (name: string, body: object) =>
  commander
    .timeout(5_000)
    .emitWithAck(name as 'wall:video', { ...body, idempotencyKey: `shot-${name}-${Math.random()}` } as never);
await ask('wall:layers', { layers: MapLayer.options.filter((l) => !['heat', 'grid'].includes(l)) });
await ask('wall:video', { cameraId: cameras[1]!.id, action: 'open' });
await ask('wall:video', { cameraId: cameras[0]!.id, action: 'open' });

const browser = await launchChromium({ width: 1920, height: 1080 });
const page = await browser.context.newPage();
await page.goto(`${hub.base}/wall`);
await page.waitForFunction(
  () =>
    (
      globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
    ).document.querySelectorAll('[data-video-state="playing"]').length === 1 &&
    (
      globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
    ).document.querySelectorAll('[data-video-state="down"]').length === 1,
  undefined,
  { timeout: 120_000, polling: 500 },
);
await page.waitForFunction(
  () => ((globalThis as { __egret?: { caseCount: number } }).__egret?.caseCount ?? 0) > 0,
  undefined,
  {
    timeout: 120_000,
  },
);
await new Promise((r) => setTimeout(r, 8_000)); // a few software-GL frames for the map
writeFileSync(OUT, await page.screenshot({ timeout: 120_000 }));
console.log(`wrote ${OUT}`);
await browser.close();
await hub.close();
await redis.stop();
server.close();
rmSync(dir, { recursive: true, force: true });
rmSync(redisDir, { recursive: true, force: true });
