import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { EgretConfig } from '@egret/config';
import {
  PROTOCOL_VERSION,
  redisKeys,
  worldNow,
  type ClientToServerEvents,
  type InputMessage,
  type Mode,
  type ServerToClientEvents,
} from '@egret/protocol';
import { openApp, type App, type AppDeps } from '@egret/server/app.ts';
import { connectRedis, type Redis } from '@egret/server/redis/connect.ts';
import { testNamespace } from '../../test/namespace.ts';

export type Commander = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A fix as the positions stream takes it. */
export interface Fix {
  unitId: string;
  lon: number;
  lat: number;
  at: number;
}

/**
 * The display the hub serves: `display/dist` unless EGRET_E2E_DISPLAY_DIR names another build (test/display-build-setup.ts
 * builds there), so a run does not overwrite the pages another run is serving.
 */
export const E2E_DISPLAY_DIR = process.env.EGRET_E2E_DISPLAY_DIR || undefined;

/** What every hub an end-to-end test starts is given besides its own settings: the display to serve. */
export const e2eAppDeps: { displayDir?: string } = E2E_DISPLAY_DIR ? { displayDir: E2E_DISPLAY_DIR } : {};

/** A real hub on a free port with its own key namespace, and what a test writes to it and asks of it. */
export interface TestHub {
  app: App;
  port: number;
  base: string;
  ns: string;
  keys: ReturnType<typeof redisKeys>;
  redis: Redis;
  /** One input on the control-plane stream, as an integration writes it (docs/integration.md). */
  send(m: InputMessage): Promise<unknown>;
  /** Many inputs in one round trip, in order. */
  sendAll(ms: readonly InputMessage[]): Promise<void>;
  /** Fixes on the positions stream, ≤ 500 to an entry. */
  sendFixes(fixes: readonly Fix[]): Promise<void>;
  /** World time now by the hub's clock: what every input's `at` must not run ahead of. */
  now(): number;
  /** Jumps the world clock to `baseWorld` (running at `rate` from now) and waits until the hub runs on it. */
  setClock(baseWorld: number, rate?: number, scenario?: string): Promise<void>;
  /** Waits for the hub to have applied something, naming what was dead-lettered if it never does. */
  hubHas(what: string, done: () => boolean, timeout?: number): Promise<void>;
  /** A commander's socket (connected on first use, closed with the hub). */
  commander(): Promise<Commander>;
  setMode(mode: Mode): Promise<void>;
  /** Stops the hub only (a test of the screens' link may start another on the same port). */
  stopApp(): Promise<void>;
  /** Starts a new hub on the same port and namespace after `stopApp`. */
  restartApp(): Promise<void>;
  close(): Promise<void>;
}

export interface StartHubOptions extends Partial<Omit<AppDeps, 'redis' | 'redisUrl' | 'config'>> {
  redisUrl: string;
  config: EgretConfig;
  label: string;
}

export async function startHub({ redisUrl, config, label, ...deps }: StartHubOptions): Promise<TestHub> {
  const ns = testNamespace(label);
  const keys = redisKeys(ns);
  const make = () =>
    openApp({
      redisUrl,
      config,
      ns,
      hubId: `e2e-${ns}`,
      logger: pino({ level: 'warn' }),
      ...e2eAppDeps,
      ...deps,
    });
  let app = await make();
  const port = await app.listen(0, '127.0.0.1');
  const redis = await connectRedis(redisUrl, { name: `e2e-${label}` });
  let socket: Commander | undefined;
  let running = true;

  const hub: TestHub = {
    get app() {
      return app;
    },
    port,
    base: `http://127.0.0.1:${port}`,
    ns,
    keys,
    redis,
    send: (m) => redis.xAdd(keys.inEvents, '*', { data: JSON.stringify(m) }),
    async sendAll(ms) {
      for (let i = 0; i < ms.length; i += 1_000) {
        const multi = redis.multi();
        for (const m of ms.slice(i, i + 1_000)) multi.xAdd(keys.inEvents, '*', { data: JSON.stringify(m) });
        await multi.exec();
      }
    },
    async sendFixes(fixes) {
      for (let i = 0; i < fixes.length; i += 500) {
        await redis.xAdd(keys.inPositions, '*', { data: JSON.stringify({ fixes: fixes.slice(i, i + 500) }) });
      }
    },
    now: () => worldNow(app.world().clock, Date.now()),
    async setClock(baseWorld, rate = 1, scenario = `e2e-${label}`) {
      await hub.send({ kind: 'clock.set', at: baseWorld, clock: { baseReal: Date.now(), baseWorld, rate, scenario } });
      await hub.hubHas(
        `the clock.set to ${new Date(baseWorld).toISOString()}`,
        () => app.world().clock.baseWorld === baseWorld,
      );
    },
    async hubHas(what, done, timeout = 30_000) {
      const until = Date.now() + timeout;
      while (!done()) {
        if (Date.now() > until) {
          const dead = (await redis.xRange(keys.deadletter, '-', '+')) ?? [];
          throw new Error(
            `the hub never had ${what}; dead-lettered: ${JSON.stringify(dead.slice(-5).map((d) => d.message))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async commander() {
      if (socket) return socket;
      const s: Commander = io(hub.base, {
        transports: ['websocket'],
        auth: { protocol: PROTOCOL_VERSION, user: 'e2e-commander' },
      });
      await new Promise<void>((done, fail) => {
        s.once('connect', () => done());
        s.once('connect_error', fail);
      });
      socket = s;
      return s;
    },
    async setMode(mode) {
      const res = await (
        await hub.commander()
      )
        .timeout(10_000)
        .emitWithAck('mode:set', { mode, idempotencyKey: randomUUID() });
      if (!res.ok && res.error !== 'already_in_mode')
        throw new Error(`mode:set ${mode} refused: ${res.error} ${res.message}`);
    },
    async stopApp() {
      running = false;
      await app.close();
    },
    async restartApp() {
      app = await make();
      await app.listen(port, '127.0.0.1');
      running = true;
    },
    async close() {
      socket?.close();
      await redis.close();
      if (running) await app.close();
    },
  };
  return hub;
}
