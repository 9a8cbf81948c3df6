import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { decodeFrame, redisKeys, type Fix, type PositionFrame, type RedisKeys } from '@egret/protocol';
import type { Socket as ScreenSocket } from 'socket.io-client';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { createPositions } from './index.ts';
import { eventually, publishFixes, registerUnits, screen, startTestHub, type TestHub } from './test-hub.ts';

const redisUrl = inject('redisUrl');

let redis: Redis;
let ns: string;
let keys: RedisKeys;
let hubs: TestHub[];
let screens: ScreenSocket[];

/** A connected screen and every frame it has received, decoded. */
async function watch(hub: TestHub) {
  const s = screen(hub.url);
  screens.push(s);
  const frames: PositionFrame[] = [];
  s.on('units:frame', (data: ArrayBuffer) => frames.push(decodeFrame(data)));
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('connect_error', reject);
  });
  return { socket: s, frames };
}

/** Slot → [lonE6, latE6] of a frame. */
function bySlot(frame: PositionFrame): Map<number, [number, number]> {
  return new Map([...frame.slots].map((slot, i) => [slot, [frame.lonE6[i]!, frame.latE6[i]!]]));
}

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  ns = testNamespace('pos');
  keys = redisKeys(ns);
  hubs = [];
  screens = [];
});

afterEach(async () => {
  for (const s of screens) s.disconnect();
  await Promise.all(hubs.map((h) => h.close()));
  await redis.close();
});

describe(createPositions.name, () => {
  it('sends a keyframe carrying every unit to a screen when it connects', async () => {
    const slots = await registerUnits(redis, keys, ['u-1', 'u-2', 'u-3']);
    await redis.hSet(keys.positions, { 'u-1': '118.1,24.5,1000', 'u-2': '118.2,24.6,1000', 'u-3': '118.3,24.7,1000' });
    const hub = await startTestHub({ redisUrl, ns });
    hubs.push(hub);
    const { frames } = await watch(hub);
    const keyframe = await eventually(() => frames.find((f) => f.keyframe), 3000, 'a keyframe');
    expect(frames[0]).toBe(keyframe); // the first frame a screen sees
    expect(bySlot(keyframe)).toEqual(
      new Map([
        [slots.get('u-1')!, [118_100_000, 24_500_000]],
        [slots.get('u-2')!, [118_200_000, 24_600_000]],
        [slots.get('u-3')!, [118_300_000, 24_700_000]],
      ]),
    );
  });

  it('tells in the keyframe how old each unit’s fix is, so a screen that just loaded can grey a silent unit', async () => {
    const slots = await registerUnits(redis, keys, ['silent', 'fresh']);
    const now = Date.now();
    await redis.hSet(keys.positions, { silent: `118.1,24.5,${now - 20_000}`, fresh: `118.2,24.6,${now}` });
    const hub = await startTestHub({ redisUrl, ns });
    hubs.push(hub);
    const { frames } = await watch(hub);
    const keyframe = await eventually(() => frames.find((f) => f.keyframe), 3000, 'a keyframe');
    const age = new Map([...keyframe.slots].map((slot, i) => [slot, keyframe.ageS[i]!]));
    expect(age.get(slots.get('silent')!)).toBeGreaterThanOrEqual(20);
    expect(age.get(slots.get('silent')!)).toBeLessThanOrEqual(23); // the hub's clock ran on while it started
    expect(age.get(slots.get('fresh')!)).toBeLessThanOrEqual(3);
  });

  it('puts the latest fix of each registered unit into one frame per tick', async () => {
    const slots = await registerUnits(redis, keys, ['u-1', 'u-2']);
    const hub = await startTestHub({ redisUrl, ns, settings: { tickMs: 200 } });
    hubs.push(hub);
    const { frames } = await watch(hub);
    await eventually(() => frames.find((f) => !f.keyframe), 3000, 'a first tick');
    const now = Date.now();
    const fix = (unitId: string, at: number, lon: number): Fix => ({ unitId, lon, lat: 24.5, at });
    // Two gateways' batches within one tick: u-1 moves three times, u-2 once, a stranger once.
    await Promise.all([
      publishFixes(redis, keys, [
        fix('u-1', now - 300, 118.01),
        fix('u-2', now - 250, 118.2),
        fix('u-1', now - 200, 118.02),
      ]),
      publishFixes(redis, keys, [fix('u-1', now - 100, 118.03), fix('stranger', now, 118.5)]),
    ]);
    const moved = await eventually(
      () => frames.find((f) => !f.keyframe && f.slots.length > 0),
      3000,
      'a frame with moves',
    );
    // Both batches landed in the same tick here unless the tick fell between the two XADDs; then u-1 shows twice.
    const all = frames.filter((f) => !f.keyframe && f.slots.length > 0);
    const lastPos = new Map<number, [number, number]>();
    for (const f of all) for (const [slot, p] of bySlot(f)) lastPos.set(slot, p);
    expect(lastPos).toEqual(
      new Map([
        [slots.get('u-1')!, [118_030_000, 24_500_000]],
        [slots.get('u-2')!, [118_200_000, 24_500_000]],
      ]),
    );
    expect(moved.slots.length).toBe(new Set(moved.slots).size); // one entry per unit in a frame
    const ticks = frames.filter((f) => !f.keyframe).map((f) => f.tick);
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i)); // one frame per tick, none skipped on a fast screen
    expect(await redis.xLen(keys.deadletter)).toBe(1);
  });

  it('answers a screen that asks for a keyframe after a skipped tick', async () => {
    await registerUnits(redis, keys, ['u-1']);
    await redis.hSet(keys.positions, 'u-1', '118.1,24.5,1000');
    const hub = await startTestHub({ redisUrl, ns });
    hubs.push(hub);
    const { socket, frames } = await watch(hub);
    await eventually(() => frames.find((f) => f.keyframe), 3000, 'the keyframe on connect');
    await publishFixes(redis, keys, [{ unitId: 'u-1', lon: 118.9, lat: 24.5, at: Date.now() }]);
    await eventually(() => frames.find((f) => !f.keyframe && f.slots.length > 0), 3000, 'the move in a tick');
    // Suppose the screen missed that tick: it asks for the whole picture.
    socket.emit('units:keyframe');
    const second = await eventually(() => frames.filter((f) => f.keyframe)[1], 3000, 'a second keyframe');
    expect([...second.lonE6]).toEqual([118_900_000]);
  });

  it('answers a flood of keyframe requests with at most one keyframe per tick', async () => {
    await registerUnits(redis, keys, ['u-1']);
    await redis.hSet(keys.positions, 'u-1', '118.1,24.5,1000');
    const hub = await startTestHub({ redisUrl, ns, settings: { tickMs: 200 } });
    hubs.push(hub);
    const { socket, frames } = await watch(hub);
    await eventually(() => frames.find((f) => f.keyframe), 3000, 'the keyframe on connect');
    for (let i = 0; i < 50; i++) socket.emit('units:keyframe');
    // Answered… (waited for as a condition: a loaded machine may take longer than the 500 ms below)
    await eventually(() => (frames.filter((f) => f.keyframe).length >= 2 ? true : undefined), 30_000, 'an answer');
    await new Promise((r) => setTimeout(r, 500));
    const keyframes = frames.filter((f) => f.keyframe).length;
    expect(keyframes).toBeGreaterThanOrEqual(2);
    expect(keyframes).toBeLessThanOrEqual(1 + Math.ceil(500 / 200)); // …but not fifty times
  });

  it('keeps one frame stream across hubs: every hub forwards the leader’s ticks to its own screens', async () => {
    await registerUnits(redis, keys, ['u-1']);
    const [h1, h2] = await Promise.all([
      startTestHub({ redisUrl, ns, hubId: 'h1' }),
      startTestHub({ redisUrl, ns, hubId: 'h2' }),
    ]);
    hubs.push(h1!, h2!);
    const [s1, s2] = await Promise.all([watch(h1!), watch(h2!)]);
    await publishFixes(redis, keys, [{ unitId: 'u-1', lon: 118.4, lat: 24.4, at: Date.now() }]);
    // Generous waits: this checks that both hubs forward the same tick, not how fast (benchmarks measure that), and a
    // shared machine can hold two fresh hubs' lease, ingest and tick for seconds (15 s was overrun at load 15 on 2
    // cores); the bounds only end a hang, within the project's 120 s test timeout.
    const f1 = await eventually(
      () => s1.frames.find((f) => f.slots.length > 0 && !f.keyframe),
      50_000,
      'the move on hub 1',
    );
    const f2 = await eventually(() => s2.frames.find((f) => f.tick === f1.tick), 50_000, 'the same tick on hub 2');
    expect([...f2.lonE6]).toEqual([118_400_000]);
    expect([h1!.positions.isLeader(), h2!.positions.isLeader()].filter(Boolean)).toHaveLength(1);
  });
});
