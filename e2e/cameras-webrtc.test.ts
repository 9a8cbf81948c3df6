import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import { launchChromium, type Browser } from './support/chromium.ts';
import { waitForEgret } from './support/egret-page.ts';
import { startHub, type TestHub } from './support/hub.ts';
import { filedVideoCase, videoTime } from './support/video.ts';

type Untyped = any;

/**
 * A video platform that offers WebRTC through WHEP, as ZLMediaKit, SRS and MediaMTX do: an HTTP endpoint per camera
 * that takes the browser's SDP offer and answers it. The media side is played by a page of the same Chromium — a
 * canvas drawn ten times a second, sent over a real RTCPeerConnection — and the HTTP side by this server, which
 * hands each offer to that page and returns its answer (201, the session in `Location`, CORS as a gateway must).
 * `/whep/gone` answers 404, as a gateway does for a camera that is offline.
 */

interface Platform {
  server: Server;
  origin: string;
  /** Requests as `METHOD path`. */
  hits: string[];
}

function startPlatform(sender: Page): Promise<Platform> {
  const hits: string[] = [];
  let sessions = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(`${req.method} ${path}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Location');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'DELETE' && path.startsWith('/whep/session/')) {
      res.writeHead(200).end();
      return;
    }
    if (req.method !== 'POST' || path !== '/whep/CAM-RTC') {
      res.writeHead(404).end();
      return;
    }
    let offer = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (offer += chunk));
    req.on('end', () => {
      sender
        .evaluate(async (sdp) => (globalThis as Untyped).answer(sdp) as Promise<string>, offer)
        .then(
          (answer) =>
            res
              .writeHead(201, { 'Content-Type': 'application/sdp', Location: `/whep/session/${++sessions}` })
              .end(answer),
          (err: Error) => res.writeHead(500).end(err.message),
        );
    });
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    ),
  );
}

/** The sender: a moving picture, and `answer(offer)` that adds it to a new peer connection and returns the answer. */
async function startSender(page: Page): Promise<void> {
  await page.setContent('<canvas width="320" height="180"></canvas>');
  await page.evaluate(() => {
    const g = globalThis as Untyped;
    const canvas = g.document.querySelector('canvas');
    const ctx = canvas.getContext('2d');
    let n = 0;
    setInterval(() => {
      ctx.fillStyle = `hsl(${(n += 12) % 360} 80% 50%)`;
      ctx.fillRect(0, 0, 320, 180);
      ctx.fillStyle = '#fff';
      ctx.fillText(String(n), 10, 20);
    }, 100);
    const stream = canvas.captureStream(10);
    g.peers = [];
    g.answer = async (offer: string) => {
      const pc = new g.RTCPeerConnection();
      g.peers.push(pc);
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      for (const t of pc.getTransceivers())
        if (t.receiver.track.kind === 'video') {
          t.direction = 'sendonly';
          await t.sender.replaceTrack(stream.getVideoTracks()[0]);
        }
      await pc.setLocalDescription(await pc.createAnswer());
      if (pc.iceGatheringState !== 'complete')
        await new Promise<void>((done) =>
          pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && done()),
        );
      return pc.localDescription.sdp;
    };
  });
}

describe('cameras over WebRTC (WHEP): played at the console and on the wall, down when the platform refuses', () => {
  const config = loadConfig();
  let platform: Platform;
  let hub: TestHub;
  let browser: Browser;
  let sender: Page;
  let console_: Page;
  let wall: Page;

  beforeAll(async () => {
    browser = await launchChromium({ width: 1920, height: 1080 });
    sender = await browser.context.newPage();
    await startSender(sender);
    platform = await startPlatform(sender);
    config.video = { origins: [platform.origin], maxWallWindows: 2, cameras: [] };
    hub = await startHub({ redisUrl: inject('redisUrl'), config, label: 'cameras-webrtc' });
    const at = hub.now() - 120_000;
    const camera = (cameraId: string, name: string, lon: number, path: string): InputMessage => ({
      kind: 'camera.register',
      cameraId,
      name,
      cameraKind: 'fixed',
      lon,
      lat: 24.4566,
      stream: { url: `${platform.origin}${path}`, format: 'whep' },
      at,
    });
    await hub.sendAll([
      camera('CAM-RTC', '思明南路枪机', 118.0838, '/whep/CAM-RTC'),
      camera('CAM-GONE', '镇海路枪机', 118.0845, '/whep/gone'),
      ...filedVideoCase('RTC-CASE-1', '思明南路 8 号', at),
    ]);
    await hub.hubHas('the cameras and the filed case', () => {
      const w = hub.app.world();
      return w.cameras.size === 2 && w.cases.get('RTC-CASE-1')?.status === 'filed';
    });
    console_ = await browser.context.newPage();
    wall = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    platform?.server.close();
  });

  it('plays the WHEP stream at the console, and 推屏 plays it on the wall over its own session', async () => {
    await console_.goto(`${hub.base}/console?map=off`);
    await waitForEgret(console_, 'e.caseCount > 0', 60_000);
    await console_.locator('[data-queue-case="RTC-CASE-1"]').click();
    const list = console_.locator('[data-panel="cameras"]');
    await list.locator('[data-camera="CAM-RTC"] [data-action="watch-camera"]').click();
    const desk = '[data-panel="console-video"]';
    await console_.locator(`${desk} [data-video-state="playing"]`).waitFor({ timeout: 30_000 });
    const t0 = await videoTime(console_, desk);
    await expect.poll(() => videoTime(console_, desk), { timeout: 15_000, interval: 100 }).toBeGreaterThan(t0 + 0.5);
    // A real WebRTC picture: frames decoded, and the offer went to the platform as WHEP says.
    const decoded = await console_.evaluate(
      (s) => (globalThis as Untyped).document.querySelector(`${s} video`).getVideoPlaybackQuality().totalVideoFrames,
      desk,
    );
    expect(decoded).toBeGreaterThan(0);
    expect(platform.hits).toContain('POST /whep/CAM-RTC');

    await console_.locator(`${desk} [data-action="video-to-wall"]`).click();
    await expect.poll(() => hub.app.world().videos.map((v) => v.cameraId), { timeout: 10_000 }).toEqual(['CAM-RTC']);
    await wall.goto(`${hub.base}/wall?map=off`);
    const win = '[data-video-window="CAM-RTC"]';
    await wall.locator(`${win} [data-video-state="playing"]`).waitFor({ timeout: 30_000 });
    const w0 = await videoTime(wall, win);
    await expect.poll(() => videoTime(wall, win), { timeout: 15_000, interval: 100 }).toBeGreaterThan(w0 + 0.5);
    expect(platform.hits.filter((h) => h === 'POST /whep/CAM-RTC')).toHaveLength(2);
  }, 120_000);

  it('shows a camera the platform refuses as 无信号, and ends a session when its window leaves the wall', async () => {
    await console_.locator('[data-camera="CAM-GONE"] [data-action="camera-to-wall"]').click();
    const gone = wall.locator('[data-video-window="CAM-GONE"]');
    await gone.locator('[data-video-state="down"]').waitFor({ timeout: 30_000 });
    expect(await gone.textContent()).toContain('无信号');
    await wall.locator('[data-video-window="CAM-RTC"] [data-video-state="playing"]').waitFor();
    // Taking the window off the wall closes its player, which ends its WHEP session with a DELETE.
    await console_.locator('[data-panel="console-video"] [data-action="video-off-wall"]').click();
    await expect.poll(() => hub.app.world().videos.map((v) => v.cameraId), { timeout: 10_000 }).toEqual(['CAM-GONE']);
    await expect
      .poll(() => platform.hits.filter((h) => h.startsWith('DELETE /whep/session/')).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
  }, 120_000);
});
