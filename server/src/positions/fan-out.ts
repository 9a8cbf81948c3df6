import type pino from 'pino';
import { RESP_TYPES } from 'redis';
import type { RedisKeys } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import type { EgretIo } from '../socket/types.ts';
import type { PositionMetrics } from './metrics.ts';
import { streamEntries } from './stream-entries.ts';

const BLOCK_MS = 2_000;

/** The room of screens that have had their keyframe: frames before it would be of no use to them. */
export const LIVE_ROOM = 'positions:live';
const RETRY_MS = 500;

export interface FanOutDeps {
  /** A connection of its own (XREAD BLOCK holds it); the fan-out owns it and destroys it on stop. */
  blocking: Redis;
  keys: RedisKeys;
  io: EgretIo;
  logger: pino.Logger;
  metrics: PositionMetrics;
}

export interface FanOut {
  /** The tick of the last frame forwarded, or undefined before the first. */
  lastTick(): number | undefined;
  stop(): Promise<void>;
}

/** The tick number of a frames-stream id (`<tick>-0`). */
export function tickOfId(id: string): number {
  return Number.parseInt(id, 10);
}

/**
 * Tails the frames stream from now on and forwards each frame to this hub's screens that have had their
 * keyframe ({@link LIVE_ROOM}), volatile: a screen
 * whose connection has not drained the previous frame skips this one instead of queueing it, so a stalled screen
 * costs at most the frame in flight. The frame is encoded once for all screens.
 */
export function startFanOut(deps: FanOutDeps): FanOut {
  const { keys, io, logger, metrics } = deps;
  // Frames are binary: read bulk strings as Buffers, not UTF-8 strings.
  const reader = deps.blocking.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  let cursor = '$';
  let last: number | undefined;
  let stopping = false;

  async function checkCursor(): Promise<void> {
    // No frame within the block time: either no hub leads, or Redis lost its data and ticks restarted from 1.
    // In the second case the cursor is ahead of every new frame and would wait for ever: start over.
    if (cursor === '$') return;
    const top = await deps.blocking.xRevRange(keys.frames, '+', '-', { COUNT: 1 });
    const topId = top?.[0]?.id;
    if (topId !== undefined && tickOfId(topId) < tickOfId(cursor)) {
      logger.warn({ cursor, top: topId }, 'frames stream restarted behind our cursor; following its new ticks');
      cursor = topId;
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        const reply = await reader.xRead({ key: keys.frames, id: cursor }, { BLOCK: BLOCK_MS, COUNT: 100 });
        const entries = streamEntries<Buffer>(reply);
        if (entries.length === 0) await checkCursor();
        for (const { id, message } of entries) {
          cursor = id;
          const frame = message?.f;
          if (!Buffer.isBuffer(frame)) continue;
          last = tickOfId(id);
          io.to(LIVE_ROOM).volatile.emit('units:frame', frame);
          metrics.frames.inc();
          metrics.frameBytes.inc(frame.byteLength * (io.sockets.adapter.rooms.get(LIVE_ROOM)?.size ?? 0));
        }
      } catch (err) {
        if (stopping) break;
        logger.warn({ err: (err as Error).message }, 'frames fan-out failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  const running = loop();
  return {
    lastTick: () => last,
    async stop() {
      stopping = true;
      deps.blocking.destroy(); // unblocks a pending XREAD at once
      await running;
    },
  };
}
