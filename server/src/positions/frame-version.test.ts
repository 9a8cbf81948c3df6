import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { decodeFrame, redisKeys, type PositionFrame, type RedisKeys } from '@egret/protocol';
import type { Socket as ScreenSocket } from 'socket.io-client';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { createPositions, type PositionsDeps } from './index.ts';
import { eventually, publishFixes, registerUnits, screen, startTestHub, type TestHub } from './test-hub.ts';

const redisUrl = inject('redisUrl');

let redis: Redis;
let ns: string;
let keys: RedisKeys;
let hubs: TestHub[];
let screens: ScreenSocket[];
const envBefore = process.env.EGRET_FRAME_VERSION;

/** A connected screen: every frame's version byte and the frame decoded. */
async function watch(hub: TestHub) {
  const s = screen(hub.url);
  screens.push(s);
  const frames: { version: number; frame: PositionFrame }[] = [];
  s.on('units:frame', (data: ArrayBuffer) =>
    frames.push({ version: new Uint8Array(data)[0]!, frame: decodeFrame(data) }),
  );
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('connect_error', reject);
  });
  return frames;
}

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  ns = testNamespace('fver');
  keys = redisKeys(ns);
  hubs = [];
  screens = [];
});

afterEach(async () => {
  if (envBefore === undefined) delete process.env.EGRET_FRAME_VERSION;
  else process.env.EGRET_FRAME_VERSION = envBefore;
  for (const s of screens) s.disconnect();
  await Promise.all(hubs.map((h) => h.close()));
  await redis.close();
});

describe('position frame version of a hub', () => {
  it('hubs writing versions 2 and 3 share Redis: each screen reads every frame, keyframes in its hub’s version', async () => {
    const slots = await registerUnits(redis, keys, ['u-1', 'u-2']);
    await redis.hSet(keys.positions, { 'u-1': `118.1,24.5,${Date.now()}`, 'u-2': `118.2,24.6,${Date.now()}` });
    const old = await startTestHub({ redisUrl, ns, hubId: 'hub-v2', frameVersion: 2 });
    hubs.push(old);
    const upgraded = await startTestHub({ redisUrl, ns, hubId: 'hub-v3' });
    hubs.push(upgraded);
    const [onOld, onNew] = await Promise.all([watch(old), watch(upgraded)]);
    for (const frames of [onOld, onNew]) await eventually(() => frames.find((f) => f.frame.keyframe), 3000, 'keyframe');
    expect(onOld.find((f) => f.frame.keyframe)!.version).toBe(2);
    expect(onNew.find((f) => f.frame.keyframe)!.version).toBe(3);
    const leaderVersion = old.positions.isLeader() ? 2 : 3;

    await publishFixes(redis, keys, [{ unitId: 'u-2', lon: 118.25, lat: 24.65, at: Date.now() }]);
    for (const frames of [onOld, onNew]) {
      const moved = await eventually(
        () => frames.find((f) => !f.frame.keyframe && f.frame.slots.length > 0),
        3000,
        'the move in a tick',
      );
      // Ticks come from the leader, whatever hub forwards them: the same bytes to every screen.
      expect(moved.version).toBe(leaderVersion);
      expect([...moved.frame.slots]).toEqual([slots.get('u-2')]);
      expect([...moved.frame.lonE6]).toEqual([118_250_000]);
      expect([...moved.frame.latE6]).toEqual([24_650_000]);
    }
  });

  it('reads EGRET_FRAME_VERSION when not told, and refuses to start on a value it does not know', async () => {
    await registerUnits(redis, keys, ['u-1']);
    await redis.hSet(keys.positions, 'u-1', `118.1,24.5,${Date.now()}`);
    process.env.EGRET_FRAME_VERSION = '2';
    const hub = await startTestHub({ redisUrl, ns });
    hubs.push(hub);
    const frames = await watch(hub);
    const keyframe = await eventually(() => frames.find((f) => f.frame.keyframe), 3000, 'keyframe');
    expect(keyframe.version).toBe(2);
    expect(hub.positions.isLeader()).toBe(true);
    const tick = await eventually(() => frames.find((f) => !f.frame.keyframe), 3000, 'a tick');
    expect(tick.version).toBe(2);

    for (const bad of ['V3', '4', '2 3']) {
      process.env.EGRET_FRAME_VERSION = bad;
      expect(() => createPositions({} as PositionsDeps)).toThrow(
        `EGRET_FRAME_VERSION=${JSON.stringify(bad)}: expected one of 2, 3`,
      );
    }
  });
});
