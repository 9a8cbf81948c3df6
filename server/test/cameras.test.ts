import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { InputMessage } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { asData, now, Screen, startHub, testRedis, waitFor, xaddInput, type TestHub } from './hub-fixture.ts';

const GW = 'https://gw.video.test';
/** The city's config with a video platform of its own: one origin, two configured cameras, walls keep 2 windows. */
const config = loadConfig();
config.video = {
  origins: [GW],
  maxWallWindows: 2,
  cameras: [
    {
      id: 'CFG-1',
      name: '中山路口',
      kind: 'ptz',
      position: [118.08, 24.456],
      stream: { url: `${GW}/live/CFG-1.m3u8`, format: 'hls' },
      playback: { template: `${GW}/pb/CFG-1.m3u8?start={start}&end={end}`, format: 'hls', time: 'iso' },
    },
    {
      id: 'CFG-2',
      name: '鹭江道',
      kind: 'fixed',
      position: [118.075, 24.46],
      stream: { url: `${GW}/flv/CFG-2.flv`, format: 'flv' },
    },
  ],
};

const register = (cameraId: string, url: string, over: Partial<InputMessage> = {}): InputMessage =>
  ({
    kind: 'camera.register',
    cameraId,
    name: `摄像机 ${cameraId}`,
    cameraKind: 'fixed',
    lon: 118.1,
    lat: 24.48,
    stream: { url, format: url.endsWith('.flv') ? 'flv' : 'hls' },
    at: now(),
    ...over,
  }) as InputMessage;

describe('the camera registry and video windows on the live path', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let screen: Screen;
  const send = (m: InputMessage) => xaddInput(redis, keys, asData(m));
  const video = (body: object) =>
    (
      screen.socket as unknown as {
        timeout(ms: number): {
          emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: string; data?: unknown }>;
        };
      }
    )
      .timeout(5_000)
      .emitWithAck('wall:video', { ...body, idempotencyKey: randomUUID() });
  const deadLetters = async () => ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).map((e) => e.message);

  beforeAll(async () => {
    const t = await testRedis('cameras');
    ({ redis, keys } = t);
    hub = await startHub(t.ns, { config });
    screen = new Screen(hub.url);
    await waitFor('the first snapshot', () => screen.snapshots.length === 1);
  });
  afterAll(async () => {
    screen.close();
    await hub.close();
    await redis.close();
  });

  it('registers a camera on a configured origin: stored, logged, on every screen', async () => {
    await send(register('VP-1', `${GW}/live/VP-1.m3u8`));
    await waitFor('the camera on the screen', () => screen.world()?.cameras.has('VP-1') === true);
    const stored = JSON.parse((await redis.hGet(keys.cameras, 'VP-1'))!);
    expect(stored).toMatchObject({ id: 'VP-1', version: 0, stream: { format: 'hls' }, position: [118.1, 24.48] });
    // Again with a new place: the next version.
    await send(register('VP-1', `${GW}/live/VP-1.m3u8`, { lon: 118.11 }));
    await waitFor('version 1', () => screen.world()?.cameras.get('VP-1')?.version === 1);
  });

  it('refuses a camera off the configured origins, however the URL dresses it up: dead-lettered with the reason, counted', async () => {
    const before = (await deadLetters()).length;
    const bad = [
      'https://evil.test/live.m3u8',
      'https://gw.video.test.evil.test/live.m3u8',
      'https://gw.video.test@evil.test/live.m3u8',
      'https://gw.video.test:8443/live.m3u8',
      'http://gw.video.test/live.m3u8',
      'HTTPS://EVIL.TEST/live.m3u8',
    ];
    for (const [i, url] of bad.entries()) await send(register(`BAD-${i}`, url));
    await send(
      register('BAD-PB', `${GW}/live/ok.m3u8`, {
        playback: { template: 'https://evil.test/pb?start={start}', format: 'hls', time: 'iso' },
      } as Partial<InputMessage>),
    );
    await send({ kind: 'camera.register', cameraId: 'BAD-SCHEME', stream: { url: 'rtsp://gw.video.test/x' } } as never);
    await waitFor('all dead-lettered', async () => (await deadLetters()).length === before + bad.length + 2);
    const refused = (await deadLetters()).slice(before);
    expect(refused.map((d) => d.reason)).toEqual([
      ...bad.map(() => 'origin_not_allowed'),
      'origin_not_allowed',
      'schema',
    ]);
    expect(refused[0]!.detail).toMatch(/stream\.url: origin https:\/\/evil\.test is not a configured video origin/);
    expect(refused[bad.length]!.detail).toMatch(/^playback\.template: /);
    const counts = await redis.hGetAll(keys.deadletterCounts);
    expect(Number(counts.origin_not_allowed)).toBe(bad.length + 1);
    for (let i = 0; i < bad.length; i++) expect(await redis.hExists(keys.cameras, `BAD-${i}`)).toBe(0);
    expect(screen.world()!.cameras.has('BAD-0')).toBe(false);
  });

  it('takes the platform’s registrations over HTTP ingest too, refusing the same way', async () => {
    const before = (await deadLetters()).length;
    const res = await fetch(`${hub.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        register('HTTP-1', `${GW}/live/HTTP-1.m3u8`),
        register('HTTP-BAD', 'https://gw.video.test.evil.test/x.m3u8'),
      ]),
    });
    expect(res.status).toBe(202);
    await waitFor('HTTP-1 registered', () => screen.world()?.cameras.has('HTTP-1') === true);
    await waitFor('HTTP-BAD refused', async () => (await deadLetters()).length === before + 1);
    expect((await deadLetters()).at(-1)).toMatchObject({ reason: 'origin_not_allowed' });
  });

  it('removes a configured camera (a tombstone) and refuses removing one it does not know', async () => {
    await send({ kind: 'camera.remove', cameraId: 'CFG-2', at: now() });
    await waitFor('the tombstone', () => screen.world()?.cameras.get('CFG-2')?.removed === true);
    const before = (await deadLetters()).length;
    await send({ kind: 'camera.remove', cameraId: 'NO-SUCH', at: now() });
    await send({ kind: 'camera.remove', cameraId: 'CFG-2', at: now() }); // already removed
    await waitFor('both refused', async () => (await deadLetters()).length === before + 2);
    expect((await deadLetters()).slice(before).map((d) => d.reason)).toEqual(['unknown_camera', 'unknown_camera']);
  });

  it('puts cameras on the walls through the log, keeps at most the configured number, and closes them', async () => {
    expect(await video({ cameraId: 'CFG-1', action: 'open' })).toMatchObject({ ok: true });
    expect(await video({ cameraId: 'VP-1', action: 'open' })).toMatchObject({ ok: true });
    await waitFor('two windows', () => screen.world()?.videos.length === 2);
    const at = Date.now() - 60_000;
    expect(
      await video({ cameraId: 'CFG-1', action: 'open', playback: { start: at - 300_000, end: at + 300_000 } }),
    ).toMatchObject({ ok: true });
    await waitFor('CFG-1 moved to newest, as a recording', () => screen.world()!.videos.at(-1)?.playback !== undefined);
    expect(screen.world()!.videos.map((v) => v.cameraId)).toEqual(['VP-1', 'CFG-1']);
    const opened = screen.events.filter((e) => e.type === 'video.changed');
    expect(opened.at(-1)).toMatchObject({ action: 'opened', max: 2, actor: { role: 'commander' } });

    await send(register('VP-2', `${GW}/flv/VP-2.flv`));
    await waitFor('VP-2', () => screen.world()?.cameras.has('VP-2') === true);
    expect(await video({ cameraId: 'VP-2', action: 'open' })).toMatchObject({ ok: true });
    await waitFor(
      'the oldest closed',
      () =>
        screen
          .world()!
          .videos.map((v) => v.cameraId)
          .join() === 'CFG-1,VP-2',
    );
    expect(hub.app.world().videos.map((v) => v.cameraId)).toEqual(['CFG-1', 'VP-2']);

    expect(await video({ cameraId: 'VP-2', action: 'close' })).toMatchObject({ ok: true });
    await waitFor('closed', () => screen.world()!.videos.length === 1);
    const later = new Screen(hub.url);
    await waitFor('a later screen’s snapshot', () => later.snapshots.length === 1);
    expect(later.snapshots[0]!.videos.map((v) => v.cameraId)).toEqual(['CFG-1']);
    later.close();
  });

  it('refuses an unknown or removed camera, a recording without a template and a stray field, changing nothing', async () => {
    const seq = screen.lastSeq;
    expect(await video({ cameraId: 'NO-SUCH', action: 'open' })).toMatchObject({ ok: false, error: 'unknown_camera' });
    expect(await video({ cameraId: 'cfg-1', action: 'open' })).toMatchObject({ ok: false, error: 'unknown_camera' });
    expect(await video({ cameraId: 'CFG-2', action: 'open' })).toMatchObject({ ok: false, error: 'unknown_camera' });
    expect(await video({ cameraId: 'VP-1', action: 'open', playback: { start: 1_000, end: 2_000 } })).toMatchObject({
      ok: false,
      error: 'no_playback',
    });
    expect(await video({ cameraId: 'VP-1', action: 'open', url: 'https://evil.test/x.m3u8' })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    expect(await video({ cameraId: 'CFG-1', action: 'open', playback: { start: 2_000, end: 1_000 } })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    const audit = ((await redis.xRange(keys.audit, '-', '+')) ?? []).map((e) => e.message.error);
    expect(audit.slice(-6)).toEqual([
      'unknown_camera',
      'unknown_camera',
      'unknown_camera',
      'no_playback',
      'bad_request',
      'bad_request',
    ]);
    expect(screen.lastSeq).toBe(seq);
  });

  it('replays which cameras were on the walls when', async () => {
    const changes = screen.events.filter((e) => e.type === 'video.changed');
    await waitFor(
      'the history writer',
      async () => Number(await redis.hGet(keys.replayCursor, 'countedSeq')) >= screen.lastSeq,
      20_000,
    );
    const at = async (t: number) => {
      const res = await fetch(`${hub.url}/api/replay/state?t=${t}`);
      const state = (await res.json()) as { world: { videos: Array<{ cameraId: string; playback?: object }> } };
      return state.world.videos.map((v) => `${v.cameraId}${v.playback ? ' recording' : ''}`);
    };
    expect(await at(changes[1]!.at)).toEqual(['CFG-1', 'VP-1']);
    expect(await at(changes[3]!.at)).toEqual(['CFG-1 recording', 'VP-2']);
    expect(await at(changes[4]!.at)).toEqual(['CFG-1 recording']);
    expect(await at(changes[0]!.at - 1)).toEqual([]);
  });

  it('lists only the configured video origins in the CSP’s media-src and connect-src', async () => {
    const res = await fetch(`${hub.url}/api/config`);
    const csp = res.headers.get('content-security-policy') ?? res.headers.get('content-security-policy-report-only');
    expect(csp).toContain(`media-src 'self' blob: ${GW}`);
    expect(csp).toMatch(new RegExp(`connect-src 'self'[^;]* ${GW.replace(/\./g, '\\.')}`));
    const body = (await res.json()) as { video: { origins: string[]; cameras: unknown[]; maxWallWindows: number } };
    expect(body.video).toMatchObject({ origins: [GW], maxWallWindows: 2 });
    expect(body.video.cameras).toHaveLength(2);
  });
});
