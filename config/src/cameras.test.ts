import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCameras } from './cameras.ts';
import { loadConfig } from './load.ts';

const BBOX = [117.8, 24.3, 118.5, 24.95] as const;
const dir = mkdtempSync(join(tmpdir(), 'egret-cameras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `config/cities/<city>/cameras.json` in a scratch config folder and loads it. */
function load(city: string, file: unknown) {
  mkdirSync(join(dir, 'config', 'cities', city), { recursive: true });
  writeFileSync(join(dir, 'config', 'cities', city, 'cameras.json'), JSON.stringify(file));
  return () => loadCameras({ dir: join(dir, 'config'), city, bbox: BBOX });
}

const camera = (over: object = {}) => ({
  id: 'C1',
  name: '中山路口',
  kind: 'fixed',
  position: [118.08, 24.456],
  stream: { url: 'https://gw.example/live/C1.m3u8', format: 'hls' },
  ...over,
});

describe(loadCameras.name, () => {
  it('loads Xiamen’s cameras: a few dozen, all marked approximate, on the configured origin, inside the city', () => {
    const { video, city } = loadConfig();
    expect(video.cameras.length).toBeGreaterThanOrEqual(30);
    expect(video.cameras.every((c) => c.approximate === true)).toBe(true);
    expect(new Set(video.cameras.map((c) => c.kind))).toEqual(new Set(['fixed', 'ptz', 'body_worn', 'drone']));
    expect(video.cameras.some((c) => c.stream.format === 'flv') && video.cameras.some((c) => c.playback)).toBe(true);
    for (const c of video.cameras) {
      expect(video.origins).toContain(new URL(c.stream.url).origin);
      expect(c.position[0]).toBeGreaterThan(city.bbox[0]);
      expect(c.position[1]).toBeLessThan(city.bbox[3]);
    }
  });

  it('converts GCJ-02 positions to WGS-84 and normalizes origins', () => {
    const video = load('gcj', {
      crs: 'GCJ-02',
      origins: ['HTTPS://GW.example:443'],
      cameras: [camera()],
    })();
    expect(video.origins).toEqual(['https://gw.example']);
    expect(video.maxWallWindows).toBe(4);
    // GCJ-02 is offset north-east of WGS-84 by a few hundred metres around Xiamen.
    expect(video.cameras[0]!.position[0]).toBeLessThan(118.08);
    expect(video.cameras[0]!.position[0]).toBeGreaterThan(118.07);
  });

  it('has no cameras and no origins when the city has no cameras.json', () => {
    mkdirSync(join(dir, 'config', 'cities', 'none'), { recursive: true });
    expect(loadCameras({ dir: join(dir, 'config'), city: 'none', bbox: BBOX })).toMatchObject({
      origins: [],
      cameras: [],
    });
  });

  it('stops with one line per problem, naming the file and the field', () => {
    const bad = load('bad', {
      origins: ['https://gw.example', 'https://other.example/path'],
      wall: { maxWindows: 4 },
      cameras: [
        camera(),
        camera({ name: '重复' }),
        camera({ id: 'C3', stream: { url: 'https://evil.example/x.m3u8', format: 'hls' } }),
        camera({ id: 'C4', position: [120, 30] }),
        camera({ id: 'C5', kind: 'satellite' }),
      ],
    });
    expect(bad).toThrow(/config\/cities\/bad\/cameras\.json: cameras\[4\]\.kind/);
    const semantic = load('bad2', {
      origins: ['https://gw.example', 'https://other.example/path'],
      cameras: [
        camera(),
        camera({ name: '重复' }),
        camera({ id: 'C3', stream: { url: 'https://evil.example/x.m3u8', format: 'hls' } }),
        camera({ id: 'C4', position: [120, 30] }),
      ],
    });
    let message = '';
    try {
      semantic();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'config/cities/bad2/cameras.json: origins[1] must be a bare origin (scheme://host[:port], no credentials, path or query)',
      'config/cities/bad2/cameras.json: cameras[1].id C1 is listed twice',
      'config/cities/bad2/cameras.json: cameras[2].stream.url: origin https://evil.example is not a configured video origin (https://gw.example)',
      "config/cities/bad2/cameras.json: cameras[3].position [120, 30] lies outside the city's bbox",
    ]);
  });

  it('refuses too many wall windows and a stray key', () => {
    expect(load('many', { origins: [], wall: { maxWindows: 20 }, cameras: [] })).toThrow(/wall\.maxWindows/);
    expect(load('stray', { origins: [], cameras: [], url: 'x' })).toThrow(/cameras\.json: \(top level\)/);
  });
});
