import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import client from 'prom-client';
import { Server } from 'socket.io';
import { io as connectScreen, type Socket as ScreenSocket } from 'socket.io-client';
import { redisKeys, type Fix, type FrameVersion, type RedisKeys } from '@egret/protocol';
import type { SettingsFile } from '@egret/config';
import { connectRedis, type Redis } from '../redis/connect.ts';
import type { EgretIo } from '../socket/types.ts';
import { createPositions, type Positions } from './index.ts';

/**
 * Test fixture (not a test): a minimal hub of only the position path — an HTTP server with Socket.IO on a free
 * port, a real Redis and `createPositions` — so the position tests do not depend on the rest of the hub.
 */
export const TEST_HUB_SETTINGS: SettingsFile['hub'] = {
  port: 0,
  tickMs: 50,
  logMaxLen: 10_000,
  snapshotEvery: 1_000,
  framesMaxLen: 1_000,
  deadletterMaxLen: 10_000,
  ingestBatch: 100,
  staleAfterMs: 5_000,
};

export interface TestHub {
  url: string;
  io: EgretIo;
  http: HttpServer;
  positions: Positions & { isLeader(): boolean };
  registry: client.Registry;
  close(): Promise<void>;
}

export async function startTestHub(opts: {
  redisUrl: string;
  ns: string;
  hubId?: string;
  settings?: Partial<SettingsFile['hub']>;
  frameVersion?: FrameVersion;
}): Promise<TestHub> {
  const redis = await connectRedis(opts.redisUrl);
  const http = createServer();
  const io: EgretIo = new Server(http, { transports: ['websocket'] });
  const registry = new client.Registry();
  const positions = createPositions({
    redis,
    redisUrl: opts.redisUrl,
    keys: redisKeys(opts.ns),
    io,
    hubId: opts.hubId ?? 'hub-1',
    settings: { ...TEST_HUB_SETTINGS, ...opts.settings },
    logger: pino({ level: 'silent' }),
    registry,
    realNow: () => Date.now(),
    worldNow: () => Date.now(),
    frameVersion: opts.frameVersion,
  });
  io.on('connection', (socket) => {
    void positions.sendKeyframe(socket);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  await positions.start();
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    http,
    positions,
    registry,
    async close() {
      await positions.stop();
      await io.close(); // also closes the HTTP server
      await redis.close();
    },
  };
}

/** Registers units the way the control plane does: the next slot from the counter, kept in the slots hash. */
export async function registerUnits(
  redis: Redis,
  keys: RedisKeys,
  unitIds: readonly string[],
): Promise<Map<string, number>> {
  const slots = new Map<string, number>();
  for (const id of unitIds) {
    const slot = await redis.incr(keys.slotSeq);
    await redis.hSet(keys.slots, id, String(slot));
    slots.set(id, slot);
  }
  return slots;
}

/** Writes one entry to the positions input stream, as a patrol gateway does. */
export function publishFixes(redis: Redis, keys: RedisKeys, fixes: Fix[]): Promise<string> {
  return redis.xAdd(keys.inPositions, '*', { data: JSON.stringify({ fixes }) });
}

/** A real Socket.IO client (websocket only, as the display connects). */
export function screen(url: string): ScreenSocket {
  return connectScreen(url, { transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
