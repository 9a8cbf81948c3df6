/**
 * The hub under test, run as a child process by hub.bench.ts so its CPU and memory are its own.
 *
 *   tsx server/bench/bench-hub.ts <mode> <redisUrl> <ns> <tickMs>
 *
 * Modes:
 *   app        the real hub (`openApp`): positions coalesced into one binary frame per tick per screen
 *   positions  only the position path (`createPositions` on a bare Socket.IO server), for when app.ts is broken
 *   baseline   how most live walls do it: each fix validated and sent to every screen as its own JSON event
 *
 * Prints nothing; tells its parent `{ port }` over IPC once it listens, and exits on `stop`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import client from 'prom-client';
import { Server } from 'socket.io';
import { loadConfig } from '@egret/config';
import { redisKeys } from '@egret/protocol';
import { openApp } from '../src/app.ts';
import { createPositions } from '../src/positions/index.ts';
import { readFixEntry } from '../src/positions/fix-entry.ts';
import { streamEntries } from '../src/positions/stream-entries.ts';
import { connectRedis } from '../src/redis/connect.ts';
import type { EgretIo } from '../src/socket/types.ts';

const [mode, redisUrl, ns, tickArg] = process.argv.slice(2);
if (!mode || !redisUrl || !ns) throw new Error('usage: bench-hub.ts <app|positions|baseline> <redisUrl> <ns> <tickMs>');
const tickMs = Number(tickArg ?? 1000);
const logger = pino({ level: 'warn' });
const keys = redisKeys(ns);

async function startApp(): Promise<{ port: number; close(): Promise<void> }> {
  const config = loadConfig();
  config.settings.hub.tickMs = tickMs;
  const app = await openApp({ redisUrl: redisUrl!, config, ns, hubId: 'bench-hub', logger, realNow: Date.now });
  const port = await app.listen(0, '127.0.0.1');
  return { port, close: () => app.close() };
}

async function startPositionsOnly(): Promise<{ port: number; close(): Promise<void> }> {
  const settings = { ...loadConfig().settings.hub, tickMs };
  const redis = await connectRedis(redisUrl!);
  const http = createServer();
  const io: EgretIo = new Server(http, { transports: ['websocket'] });
  const positions = createPositions({
    redis,
    redisUrl: redisUrl!,
    keys,
    io,
    hubId: 'bench-hub',
    settings,
    logger,
    registry: new client.Registry(),
    realNow: Date.now,
    worldNow: Date.now,
  });
  await positions.start();
  io.on('connection', (socket) => void positions.sendKeyframe(socket));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      await positions.stop();
      await io.close();
      await redis.close();
    },
  };
}

/** One JSON event per fix to every screen: validated like the real ingest, but no Redis writes and no coalescing. */
async function startBaseline(): Promise<{ port: number; close(): Promise<void> }> {
  const blocking = await connectRedis(redisUrl!);
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  try {
    await blocking.xGroupCreate(keys.inPositions, keys.ingestGroup, '0', { MKSTREAM: true });
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
  }
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const reply = await blocking
        .xReadGroup(keys.ingestGroup, 'bench-hub', { key: keys.inPositions, id: '>' }, { COUNT: 100, BLOCK: 1000 })
        .catch(() => null);
      const entries = streamEntries(reply);
      for (const e of entries) {
        const verdict = e.message ? readFixEntry(e.message) : undefined;
        if (verdict?.ok) for (const fix of verdict.batch.fixes) io.emit('unit:fix', fix);
      }
      if (entries.length > 0 && !stopping)
        await blocking.xAck(
          keys.inPositions,
          keys.ingestGroup,
          entries.map((e) => e.id),
        );
    }
  })();
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      stopping = true;
      blocking.destroy();
      await loop.catch(() => {});
      await io.close();
    },
  };
}

const hub = await (mode === 'app' ? startApp() : mode === 'positions' ? startPositionsOnly() : startBaseline());
process.send?.({ port: hub.port });
process.on('message', (msg: unknown) => {
  if (msg === 'stop') {
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    void hub.close().finally(() => process.exit(0));
  }
});
