import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Socket as NetSocket } from 'node:net';
import { decodeFrame, encodeFrame, redisKeys, type RedisKeys, type SlotFix } from '@egret/protocol';
import type { Socket as ScreenSocket } from 'socket.io-client';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import type { EgretSocket } from '../socket/types.ts';
import { startFanOut } from './fan-out.ts';
import { eventually, screen, startTestHub, type TestHub } from './test-hub.ts';

const redisUrl = inject('redisUrl');
const UNITS = 20_000; // 240 kB per frame: a city-sized tick
const FRAMES = 150; // 36 MB offered in all: more than loopback's kernel buffers absorb

let redis: Redis;
let keys: RedisKeys;
let hub: TestHub;
let screens: ScreenSocket[];
let stalledSockets: NetSocket[];

const bigFrame = (tick: number) => {
  const at = Date.now();
  const fixes: SlotFix[] = Array.from({ length: UNITS }, (_, i) => ({
    slot: i + 1,
    lon: 118 + i * 1e-5,
    lat: 24.5,
    at,
  }));
  return Buffer.from(encodeFrame(tick, at, false, fixes));
};

/** A screen that has had its keyframe, then stops reading its socket (a frozen browser tab, a saturated link). */
async function stalledScreen() {
  const s = screen(hub.url);
  screens.push(s);
  let received = 0;
  let keyframes = 0;
  s.on('units:frame', (data: ArrayBuffer) => (decodeFrame(data).keyframe ? keyframes++ : received++));
  await eventually(() => (keyframes > 0 ? true : undefined), 3000, 'the keyframe');
  const tcp = (s.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
  tcp.pause();
  stalledSockets.push(tcp);
  return { received: () => received, resume: () => tcp.resume() };
}

/** What the hub holds in its own memory for that screen: engine.io's packet queue and the TCP socket's user buffer. */
function heldFor(socket: EgretSocket) {
  const conn = socket.conn as unknown as { writeBuffer: unknown[]; transport: { socket: { _socket: NetSocket } } };
  return { queuedPackets: conn.writeBuffer.length, bufferedBytes: conn.transport.socket._socket.writableLength };
}

function onlySocket(): EgretSocket {
  const [socket] = hub.io.sockets.sockets.values();
  if (!socket) throw new Error('no screen connected');
  return socket;
}

async function framesForwarded(): Promise<number> {
  const metric = hub.registry.getSingleMetric('egret_frames_total');
  return (await metric!.get()).values[0]?.value ?? 0;
}

beforeEach(async () => {
  redis = await connectRedis(redisUrl);
  const ns = testNamespace('fanout');
  keys = redisKeys(ns);
  // A long tick: the frames in these tests are written by the test itself.
  hub = await startTestHub({ redisUrl, ns, settings: { tickMs: 60_000 } });
  screens = [];
  stalledSockets = [];
});

afterEach(async () => {
  for (const tcp of stalledSockets) tcp.destroy(); // a graceful close would wait behind the unread data
  for (const s of screens) s.disconnect();
  await hub.close();
  await redis.del(keys.frames);
  await redis.close();
});

describe(startFanOut.name, () => {
  it('holds at most the frame in flight for a screen that stopped reading, and skips ticks for it', async () => {
    const stalled = await stalledScreen();
    const before = await framesForwarded();
    const frame = bigFrame(0);
    for (let i = 0; i < FRAMES; i++) await redis.xAdd(keys.frames, '*', { f: frame });
    await eventually(
      async () => ((await framesForwarded()) - before >= FRAMES ? true : undefined),
      10_000,
      'every frame forwarded',
    );
    const held = heldFor(onlySocket());
    expect(held.queuedPackets).toBe(0);
    expect(held.bufferedBytes).toBeLessThanOrEqual(2 * frame.byteLength);
    // Once it reads again it gets the ticks that follow, having skipped the ones it could not take.
    stalled.resume();
    await redis.xAdd(keys.frames, '*', { f: bigFrame(1) });
    await eventually(() => (stalled.received() > 0 ? true : undefined), 5000, 'frames after resuming');
    await new Promise((r) => setTimeout(r, 300));
    expect(stalled.received()).toBeLessThan(FRAMES);
  });

  it('is measured in a way that would see the growth: the same frames sent reliably pile up in the hub', async () => {
    await stalledScreen();
    const socket = onlySocket();
    const frame = bigFrame(0);
    for (let i = 0; i < FRAMES; i++) socket.emit('units:frame', frame); // not volatile: what the fan-out must not do
    await new Promise((r) => setTimeout(r, 300));
    const held = heldFor(socket);
    const heldBytes = held.bufferedBytes + held.queuedPackets * frame.byteLength;
    expect(heldBytes).toBeGreaterThan(20 * frame.byteLength);
  });
});
