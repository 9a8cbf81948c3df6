import type client from 'prom-client';
import type pino from 'pino';
import { frameVersionFrom, type FrameVersion, type RedisKeys } from '@egret/protocol';
import type { SettingsFile } from '@egret/config';
import { connectRedis, type Redis } from '../redis/connect.ts';
import type { EgretIo, EgretSocket } from '../socket/types.ts';
import { startFanOut, type FanOut } from './fan-out.ts';
import { startIngest, type PositionsIngest } from './ingest.ts';
import { createKeyframes } from './keyframes.ts';
import { positionMetrics } from './metrics.ts';
import { startTicker, type Ticker } from './ticker.ts';

export interface PositionsDeps {
  redis: Redis;
  /** For the connections of its own that blocking reads need. */
  redisUrl: string;
  keys: RedisKeys;
  io: EgretIo;
  hubId: string;
  settings: SettingsFile['hub'];
  logger: pino.Logger;
  registry: client.Registry;
  realNow: () => number;
  worldNow: () => number;
  /**
   * The position frame version the ticker and keyframes write (protocol/src/frame.ts); default the hub's
   * `EGRET_FRAME_VERSION` (unset: the newest). `EGRET_FRAME_VERSION=2` while hubs that read only version 2 share Redis.
   */
  frameVersion?: FrameVersion;
}

export interface Positions {
  /** Joins the positions ingest group, the ticker election and the frames fan-out. */
  start(): Promise<void>;
  /**
   * Sends every unit's position (a keyframe) to this socket only; call it once when a screen connects. From then
   * on the socket's `units:keyframe` requests (sent after a skipped tick) are answered too.
   */
  sendKeyframe(socket: EgretSocket): Promise<void>;
  /** Why the positions ingest is stalled (for /readyz), or undefined. */
  ingestStalledBecause(): string | undefined;
  /** Whether this hub held the ticker lease at its last tick: the leader also runs the plan engine's pass. */
  isLeader(): boolean;
  /** Stops reading, hands the ticker lease over and closes its own connections. */
  stop(): Promise<void>;
}

/**
 * The position path: positions are many, small, and only the latest matters live, so they bypass the control
 * plane's log. Fixes are validated and coalesced per unit in Redis; one leader hub turns the units that moved
 * into one binary frame per tick; every hub forwards each frame to its screens, volatile.
 */
export function createPositions(deps: PositionsDeps): Positions & { isLeader(): boolean } {
  // First: a hub told a version it does not know refuses to start before it joins anything.
  const frameVersion = deps.frameVersion ?? frameVersionFrom(process.env.EGRET_FRAME_VERSION);
  const logger = deps.logger.child({ part: 'positions' });
  const metrics = positionMetrics(deps.registry);
  const { settings } = deps;
  let ingest: PositionsIngest | undefined;
  let ticker: Ticker | undefined;
  let fanOut: FanOut | undefined;

  const keyframes = createKeyframes({
    redis: deps.redis,
    keys: deps.keys,
    tickMs: settings.tickMs,
    logger,
    metrics,
    realNow: deps.realNow,
    worldNow: deps.worldNow,
    lastTick: () => fanOut?.lastTick(),
    frameVersion,
  });

  return {
    async start() {
      // Blocking reads hold their connection: one each for the ingest and the fan-out.
      const conns = await Promise.allSettled([
        connectRedis(deps.redisUrl, { name: `egret-${deps.hubId}-positions-ingest` }),
        connectRedis(deps.redisUrl, { name: `egret-${deps.hubId}-frames` }),
      ]);
      const failed = conns.find((c) => c.status === 'rejected');
      if (failed) {
        for (const c of conns) if (c.status === 'fulfilled') c.value.destroy();
        throw failed.reason;
      }
      const [ingestConn, framesConn] = conns.map((c) => (c as PromiseFulfilledResult<Redis>).value) as [Redis, Redis];
      fanOut = startFanOut({ blocking: framesConn, keys: deps.keys, io: deps.io, logger, metrics });
      ingest = startIngest({
        redis: deps.redis,
        blocking: ingestConn,
        keys: deps.keys,
        hubId: deps.hubId,
        batchSize: settings.ingestBatch,
        deadletterMaxLen: settings.deadletterMaxLen,
        logger,
        metrics,
        registry: deps.registry,
        realNow: deps.realNow,
        worldNow: deps.worldNow,
      });
      ticker = startTicker({
        redis: deps.redis,
        keys: deps.keys,
        hubId: deps.hubId,
        tickMs: settings.tickMs,
        framesMaxLen: settings.framesMaxLen,
        frameVersion,
        logger,
        metrics,
        realNow: deps.realNow,
        worldNow: deps.worldNow,
      });
    },
    sendKeyframe: (socket) => keyframes.send(socket),
    isLeader: () => ticker?.isLeader() ?? false,
    ingestStalledBecause: () => ingest?.stalledBecause(),
    async stop() {
      await Promise.all([ticker?.stop(), ingest?.stop(), fanOut?.stop()]);
      ticker = undefined;
      ingest = undefined;
      fanOut = undefined;
    },
  };
}
