import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import pino from 'pino';
import client from 'prom-client';
import { decodeFrame, redisKeys, type RedisKeys } from '@egret/protocol';
import { RESP_TYPES } from 'redis';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import { positionMetrics } from './metrics.ts';
import { eventually, registerUnits } from './test-hub.ts';
import { startTicker, type Ticker } from './ticker.ts';

const redisUrl = inject('redisUrl');
const TICK_MS = 50;

let redis: Redis;
let keys: RedisKeys;
let tickers: Ticker[];

function ticker(hubId: string, over: { leaseMs?: number; logger?: pino.Logger } = {}): Ticker {
  const t = startTicker({
    redis,
    keys,
    hubId,
    tickMs: TICK_MS,
    framesMaxLen: 10_000,
    logger: pino({ level: 'silent' }),
    metrics: positionMetrics(new client.Registry()),
    realNow: () => Date.now(),
    worldNow: () => 1_800_000_000_000,
    ...over,
  });
  tickers.push(t);
  return t;
}

/** Every frame on the stream: its tick (from the id), the hub that wrote it and its decoded content. */
async function frames() {
  const raw = await redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).xRange(keys.frames, '-', '+');
  return (raw ?? []).map((e) => ({
    tick: Number.parseInt(String(e.id), 10),
    hub: String(e.message.h),
    frame: decodeFrame(e.message.f as Buffer),
  }));
}

function expectConsecutive(ticks: number[]) {
  expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i));
}

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  keys = redisKeys(testNamespace('ticker'));
  tickers = [];
});

afterEach(async () => {
  await Promise.all(tickers.map((t) => t.stop()));
  await redis.close();
});

describe(startTicker.name, () => {
  it('turns the units that moved since the last tick into one frame with their latest fixes', async () => {
    const slots = await registerUnits(redis, keys, ['u-1', 'u-2', 'u-3']);
    await redis.hSet(keys.positions, { 'u-1': '118.1,24.5,1000', 'u-2': '118.2,24.6,1000', 'u-3': '118.3,24.7,1000' });
    await redis.sAdd(keys.positionsDirty, ['u-1', 'u-3']);
    ticker('hub-a');
    const withUnits = await eventually(
      async () => (await frames()).find((f) => f.frame.slots.length > 0),
      2000,
      'a frame with units',
    );
    expect(withUnits.frame.keyframe).toBe(false);
    expect(withUnits.frame.at).toBe(1_800_000_000_000);
    const got = [...withUnits.frame.slots].map((slot, i) => [slot, withUnits.frame.lonE6[i], withUnits.frame.latE6[i]]);
    expect(got.sort()).toEqual([
      [slots.get('u-1'), 118_100_000, 24_500_000],
      [slots.get('u-3'), 118_300_000, 24_700_000],
    ]);
    expect(await redis.sCard(keys.positionsDirty)).toBe(0);
    // Later ticks carry nothing until a unit moves again, but are still published: screens detect gaps by number.
    await eventually(
      async () => ((await frames()).length >= withUnits.tick + 2 ? true : undefined),
      2000,
      'two more ticks',
    );
    const later = (await frames()).filter((f) => f.tick > withUnits.tick);
    expect(later.every((f) => f.frame.slots.length === 0)).toBe(true);
  });

  it('lets only one of two hubs tick at a time, and the other takes over at once when the leader stops', async () => {
    const a = ticker('hub-a');
    const b = ticker('hub-b');
    await eventually(async () => ((await frames()).length >= 8 ? true : undefined), 3000, 'eight ticks');
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower, leaderHub, followerHub] = a.isLeader()
      ? [a, b, 'hub-a', 'hub-b']
      : [b, a, 'hub-b', 'hub-a'];
    const before = await frames();
    expect(new Set(before.map((f) => f.hub))).toEqual(new Set([leaderHub]));
    await leader.stop();
    // Released, not left to expire: the follower takes it at its next tick.
    expect(String(await redis.get(keys.tickerLease))).not.toContain(leaderHub);
    await eventually(
      async () => ((await frames()).some((f) => f.hub === followerHub) ? true : undefined),
      2000,
      'the other hub to tick',
    );
    expect(follower.isLeader()).toBe(true);
    await eventually(async () => ((await frames()).length >= before.length + 5 ? true : undefined), 2000, 'more ticks');
    const all = await frames();
    expectConsecutive(all.map((f) => f.tick));
    const firstOfFollower = all.findIndex((f) => f.hub === followerHub);
    expect(all.slice(0, firstOfFollower).every((f) => f.hub === leaderHub)).toBe(true);
    expect(all.slice(firstOfFollower).every((f) => f.hub === followerHub)).toBe(true);
  });

  it('hands the ticks over when the leader vanishes without releasing its lease, once the lease expires', async () => {
    const a = ticker('hub-a', { leaseMs: TICK_MS * 3 });
    await eventually(() => (a.isLeader() ? true : undefined), 2000, 'hub-a to lead');
    const b = ticker('hub-b', { leaseMs: TICK_MS * 3 });
    await new Promise((r) => setTimeout(r, TICK_MS * 3));
    expect(b.isLeader()).toBe(false);
    await a.abandon();
    expect(await redis.get(keys.tickerLease)).toMatch(/^hub-a:/);
    await eventually(() => (b.isLeader() ? true : undefined), TICK_MS * 8, 'hub-b to lead');
    await eventually(
      async () => ((await frames()).some((f) => f.hub === 'hub-b') ? true : undefined),
      2000,
      'a tick from hub-b',
    );
    expectConsecutive((await frames()).map((f) => f.tick));
  });

  it('keeps its lease through an event-loop stall of half the lease, and through a longer one nobody else used', async () => {
    const said: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void said.push(JSON.parse(line).msg) });
    const a = ticker('hub-a', { leaseMs: 2_000, logger });
    await eventually(() => (a.isLeader() ? true : undefined), 2000, 'hub-a to lead');
    const b = ticker('hub-b', { leaseMs: 2_000 });
    await eventually(async () => ((await frames()).length >= 3 ? true : undefined), 2000, 'three ticks');
    // The event loop blocked for half the lease (a GC pause, a loaded machine): both hubs live in this process, so
    // the standby is frozen too — what matters is that the lease outlives the stall.
    busy(1_000);
    const after = (await frames()).length;
    await eventually(async () => ((await frames()).length >= after + 5 ? true : undefined), 3000, 'five more ticks');
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    await b.stop();
    // Alone, stalled past its whole lease: nobody took it meanwhile, so it takes it back and carries on.
    busy(2_500);
    const later = (await frames()).length;
    await eventually(async () => ((await frames()).length >= later + 5 ? true : undefined), 3000, 'five more ticks');
    expect(a.isLeader()).toBe(true);
    const all = await frames();
    expectConsecutive(all.map((f) => f.tick));
    expect(new Set(all.map((f) => f.hub))).toEqual(new Set(['hub-a']));
    expect(said.filter((m) => /lost|standing down/.test(m))).toEqual([]);
    expect(said.filter((m) => /took/.test(m))).toEqual(['took the position ticker lease']);
  });
});

/** Blocks the event loop, as a long GC pause or a starved process does. */
function busy(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* spin */
  }
}
