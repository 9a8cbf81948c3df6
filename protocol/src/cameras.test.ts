import { describe, expect, it } from 'vitest';
import {
  Camera,
  cameraOriginRefusal,
  cameraRegistry,
  CameraSpec,
  nearestCameras,
  nextVideoWindows,
  playbackUrl,
  traceRange,
  videoOrigin,
  type VideoWindow,
} from './cameras.ts';

const GW = 'https://video.xm.example';
const cam = (id: string, position: [number, number], over: Partial<CameraSpec> = {}): CameraSpec => ({
  id,
  name: id,
  kind: 'fixed',
  position,
  stream: { url: `${GW}/live/${id}.m3u8`, format: 'hls' },
  ...over,
});
const origins = new Set([GW]);
const BY = { role: 'commander', id: 'alice' } as const;
const win = (cameraId: string, at: number): VideoWindow => ({ cameraId, by: BY, at });

describe(playbackUrl.name, () => {
  const c = cam('C1', [118, 24], {
    playback: { template: `${GW}/pb/C1.m3u8?start={start}&end={end}`, format: 'hls', time: 'iso' },
  });
  const start = Date.UTC(2026, 6, 1, 8, 0, 0);
  it('fills the range in ISO 8601 UTC, URL-encoded', () => {
    expect(playbackUrl(c, start, start + 600_000)).toBe(
      `${GW}/pb/C1.m3u8?start=2026-07-01T08%3A00%3A00.000Z&end=2026-07-01T08%3A10%3A00.000Z`,
    );
  });
  it('fills epoch seconds and milliseconds', () => {
    const s = { ...c, playback: { ...c.playback!, time: 'epoch_s' as const } };
    expect(playbackUrl(s, start + 999, start + 60_000)).toBe(
      `${GW}/pb/C1.m3u8?start=${start / 1000}&end=${start / 1000 + 60}`,
    );
    const ms = { ...c, playback: { ...c.playback!, time: 'epoch_ms' as const } };
    expect(playbackUrl(ms, start, start + 1)).toBe(`${GW}/pb/C1.m3u8?start=${start}&end=${start + 1}`);
  });
  it('gives nothing for a camera without a template', () => {
    expect(playbackUrl(cam('C2', [118, 24]), start, start + 1)).toBeUndefined();
  });
  it('opens five minutes either side of a report', () => {
    expect(traceRange(start)).toEqual({ start: start - 300_000, end: start + 300_000 });
  });
  it('refuses a placeholder in the host or port, where the real times could point it elsewhere', () => {
    for (const template of [
      `https://{start}.video.xm.example/pb`,
      `${GW}:{start}/pb`,
      `https://video.xm.example{end}/x?s={start}`,
    ])
      expect(CameraSpec.safeParse({ ...c, playback: { ...c.playback!, template } }).success, template).toBe(false);
  });
  it('takes a WebRTC (WHEP) live stream, but no WHEP recording: a WHEP session is live only', () => {
    expect(
      CameraSpec.safeParse(cam('C3', [118, 24], { stream: { url: `${GW}/whep/C3`, format: 'whep' } })).success,
    ).toBe(true);
    const whepRecording = { template: `${GW}/whep/C3?start={start}`, format: 'whep', time: 'iso' };
    expect(CameraSpec.safeParse({ ...c, playback: whepRecording }).success).toBe(false);
    expect(CameraSpec.safeParse({ ...c, stream: { url: `${GW}/x`, format: 'WHEP' } }).success).toBe(false);
  });
  it('refuses a template without {start} or that is no URL', () => {
    expect(CameraSpec.safeParse({ ...c, playback: { ...c.playback!, template: `${GW}/pb.m3u8` } }).success).toBe(false);
    expect(CameraSpec.safeParse({ ...c, playback: { ...c.playback!, template: 'rtsp://x/{start}' } }).success).toBe(
      false,
    );
  });
});

describe(videoOrigin.name, () => {
  it('normalizes letter case and default ports as the browser does', () => {
    expect(videoOrigin('HTTPS://VIDEO.XM.Example:443/live/a.m3u8')).toBe(GW);
    expect(videoOrigin('http://10.0.0.5:80/a.flv')).toBe('http://10.0.0.5');
  });
  it('refuses credentials (which hide the real host from a naive check), other schemes and garbage', () => {
    expect(videoOrigin(`https://video.xm.example@evil.example/a.m3u8`)).toBeUndefined();
    expect(videoOrigin('rtsp://video.xm.example/a')).toBeUndefined();
    expect(videoOrigin('javascript:alert(1)')).toBeUndefined();
    expect(videoOrigin('not a url')).toBeUndefined();
  });
});

describe(cameraOriginRefusal.name, () => {
  it('accepts a camera whose stream and playback are on a configured origin, in any letter case', () => {
    const c = cam('C1', [118, 24], {
      stream: { url: 'https://Video.XM.example/live/C1.m3u8', format: 'hls' },
      playback: { template: `${GW}/pb/C1.m3u8?start={start}`, format: 'hls', time: 'iso' },
    });
    expect(cameraOriginRefusal(c, origins)).toBeUndefined();
  });
  it.each([
    ['another host', 'https://evil.example/live.m3u8'],
    ['a look-alike suffix', 'https://video.xm.example.evil.example/live.m3u8'],
    ['credentials before another host', 'https://video.xm.example@evil.example/live.m3u8'],
    ['another port', 'https://video.xm.example:8443/live.m3u8'],
    ['plain http', 'http://video.xm.example/live.m3u8'],
    ['an encoded host', 'https://video%2exm.example.evil.example/x.m3u8'],
  ])('refuses a stream on %s, naming the field', (_what, url) => {
    const r = cameraOriginRefusal(cam('C1', [118, 24], { stream: { url, format: 'hls' } }), origins);
    expect(r).toMatch(/^stream\.url: /);
  });
  it('refuses a playback template on another origin', () => {
    const c = cam('C1', [118, 24], {
      playback: { template: 'https://evil.example/pb?start={start}', format: 'hls', time: 'iso' },
    });
    expect(cameraOriginRefusal(c, origins)).toMatch(/^playback\.template: origin https:\/\/evil\.example/);
  });
});

describe(cameraRegistry.name, () => {
  it('lets registrations replace configured cameras, tombstones hide them, and adds the platform’s own', () => {
    const configured = [cam('A', [118, 24]), cam('B', [118.1, 24]), cam('C', [118.2, 24])];
    const registered = new Map<string, Camera>([
      ['B', { ...cam('B', [118.15, 24], { name: 'B moved' }), version: 1 }],
      ['C', { ...cam('C', [118.2, 24]), removed: true, version: 0 }],
      ['D', { ...cam('D', [118.3, 24]), version: 0 }],
    ]);
    const list = cameraRegistry(configured, registered);
    expect(list.map((c) => [c.id, c.name])).toEqual([
      ['A', 'A'],
      ['B', 'B moved'],
      ['D', 'D'],
    ]);
  });
});

describe(nearestCameras.name, () => {
  const cams = [cam('far', [118.2, 24.5]), cam('near', [118.101, 24.5]), cam('mid', [118.11, 24.5])];
  it('lists the nearest first with their distance, within the limit', () => {
    const near = nearestCameras(cams, [118.1, 24.5], 2);
    expect(near.map((n) => n.camera.id)).toEqual(['near', 'mid']);
    expect(near[0]!.distanceM).toBeGreaterThan(95);
    expect(near[0]!.distanceM).toBeLessThan(110);
    expect(nearestCameras(cams, [118.1, 24.5], 5, 500).map((n) => n.camera.id)).toEqual(['near']);
  });
  it('breaks ties by id and returns nothing for n = 0', () => {
    const twins = [cam('b', [118.1, 24.51]), cam('a', [118.1, 24.49])];
    expect(nearestCameras(twins, [118.1, 24.5], 2).map((n) => n.camera.id)).toEqual(['a', 'b']);
    expect(nearestCameras(twins, [118.1, 24.5], 0)).toEqual([]);
  });
});

describe(nextVideoWindows.name, () => {
  it('appends, moves a camera opened again to the newest place, and closes the oldest past the limit', () => {
    let w: VideoWindow[] = [];
    for (const [id, at] of [
      ['A', 1],
      ['B', 2],
      ['C', 3],
    ] as const)
      w = nextVideoWindows(w, { action: 'opened', window: win(id, at), max: 3 });
    expect(w.map((x) => x.cameraId)).toEqual(['A', 'B', 'C']);
    w = nextVideoWindows(w, { action: 'opened', window: win('A', 4), max: 3 });
    expect(w.map((x) => x.cameraId)).toEqual(['B', 'C', 'A']);
    w = nextVideoWindows(w, { action: 'opened', window: win('D', 5), max: 3 });
    expect(w.map((x) => x.cameraId)).toEqual(['C', 'A', 'D']);
    w = nextVideoWindows(w, { action: 'closed', cameraId: 'A' });
    expect(w.map((x) => x.cameraId)).toEqual(['C', 'D']);
    expect(nextVideoWindows(w, { action: 'closed', cameraId: 'nope' })).toEqual(w);
  });
});
