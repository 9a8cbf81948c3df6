import pino from 'pino';
import { io as connectClient, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import { loadConfig, type EgretConfig } from '@egret/config';
import {
  applyEvents,
  fromSnapshot,
  redisKeys,
  type WorldState,
  type ClientToServerEvents,
  type HubHello,
  type InputMessage,
  type LogEvent,
  type ServerToClientEvents,
  type WorldSnapshot,
} from '@egret/protocol';
import { openApp, type App, type AppDeps } from '../src/app.ts';
import { connectRedis, type Redis } from '../src/redis/connect.ts';
import { testNamespace } from '../../test/namespace.ts';

const baseConfig = loadConfig();

/** The real config with some hub settings changed (e.g. a small `snapshotEvery`). */
export function configWith(hub: Partial<EgretConfig['settings']['hub']>): EgretConfig {
  return { ...baseConfig, settings: { ...baseConfig.settings, hub: { ...baseConfig.settings.hub, ...hub } } };
}

export interface TestHub {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** A real hub on a free port against the test Redis. */
export async function startHub(ns: string, over: Partial<Omit<AppDeps, 'redis'>> = {}): Promise<TestHub> {
  const app = await openApp({
    redisUrl: inject('redisUrl'),
    config: baseConfig,
    ns,
    hubId: `hub-${Math.random().toString(36).slice(2, 8)}`,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    displayDir: '/nonexistent-display-dist',
    ...over,
  });
  const port = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** A namespace of its own, its keys, and a plain Redis client for the test's own reads and writes. */
export async function testRedis(
  label: string,
): Promise<{ ns: string; keys: ReturnType<typeof redisKeys>; redis: Redis }> {
  const ns = testNamespace(label);
  return { ns, keys: redisKeys(ns), redis: await connectRedis(inject('redisUrl')) };
}

export type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client that records what the hub sends it, in order. */
export class Screen {
  readonly socket: ScreenSocket;
  hello?: HubHello;
  snapshots: WorldSnapshot[] = [];
  events: LogEvent[] = [];
  /** Every message in arrival order: 'snapshot' or the seqs of a log:events batch. */
  order: Array<'snapshot' | number[]> = [];
  private messages: Array<{ snapshot: WorldSnapshot } | { events: LogEvent[] }> = [];

  constructor(url: string, auth: { lastSeq?: number } = {}) {
    this.socket = connectClient(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
    this.socket.on('hub:hello', (h) => (this.hello = h));
    this.socket.on('wall:snapshot', (s) => {
      this.snapshots.push(s);
      this.order.push('snapshot');
      this.messages.push({ snapshot: s });
    });
    this.socket.on('log:events', (batch) => {
      this.events.push(...batch);
      this.order.push(batch.map((e) => e.seq));
      this.messages.push({ events: batch });
    });
  }

  /** The seq the screen is at: the newest snapshot or event it got. */
  get lastSeq(): number {
    const last = this.events.at(-1)?.seq ?? 0;
    return Math.max(last, this.snapshots.at(-1)?.seq ?? 0);
  }

  /** The world as this screen would draw it: its snapshots and events through the shared reducer (throws on a gap). */
  world(): WorldState | undefined {
    let world: WorldState | undefined;
    for (const m of this.messages) {
      if ('snapshot' in m) world = fromSnapshot(structuredClone(m.snapshot));
      else if (world) applyEvents(world, m.events);
    }
    return world;
  }

  close(): void {
    this.socket.close();
  }
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** World time of the test inputs: real now (hubs run the real clock unless a test sets one). */
export const now = () => Date.now();

/** A valid case report at a point in Siming district (思明区). */
export function caseReport(
  caseId: string,
  over: Partial<Extract<InputMessage, { kind: 'case.report' }>> = {},
): InputMessage {
  return {
    kind: 'case.report',
    caseId,
    category: { code: '04002', standard: 'GB/T 47678.5-2026' },
    source: 'hotline',
    urgency: 'normal',
    lon: 118.09,
    lat: 24.46,
    address: '思明南路',
    at: now(),
    ...over,
  };
}

/** XADDs one raw entry to the control-plane stream. */
export function xaddInput(
  redis: Redis,
  keys: ReturnType<typeof redisKeys>,
  fields: Record<string, string>,
): Promise<string> {
  return redis.xAdd(keys.inEvents, '*', fields);
}

export const asData = (m: unknown) => ({ data: JSON.stringify(m) });
