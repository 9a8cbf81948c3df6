import type pino from 'pino';
import { encodeFrame, type FrameVersion, type RedisKeys, type SlotFix } from '@egret/protocol';
import type { Redis } from '../redis/connect.ts';
import type { EgretSocket } from '../socket/types.ts';
import type { PositionMetrics } from './metrics.ts';
import { LIVE_ROOM } from './fan-out.ts';
import { slotFix } from './stored-fix.ts';

const WRITABLE_POLL_MS = 25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface KeyframesDeps {
  redis: Redis;
  keys: RedisKeys;
  tickMs: number;
  logger: pino.Logger;
  metrics: PositionMetrics;
  realNow: () => number;
  worldNow: () => number;
  /** The tick of the last frame this hub forwarded: the keyframe says "as of this tick". */
  lastTick: () => number | undefined;
  /** The frame version to write (default the newest: protocol/src/frame.ts). */
  frameVersion?: FrameVersion;
}

export interface Keyframes {
  /**
   * Sends a keyframe to this socket, then lets the ticks reach it; from then on its `units:keyframe` requests
   * are answered too. A keyframe's tick is the last tick this hub forwarded: the screen applies frames after it.
   */
  send(socket: EgretSocket): Promise<void>;
}

/**
 * Keyframes: every unit's latest position in one frame, for a screen that just connected or skipped a tick.
 * One keyframe is built per tick at most and shared by every screen that asks during it (forty screens
 * reconnecting after a hub restart cost one HGETALL). Per socket, at most one keyframe is in flight, at most one
 * is sent per tick, and each is only written once the connection has drained: a screen that stops reading but
 * keeps asking cannot queue keyframes.
 */
export function createKeyframes(deps: KeyframesDeps): Keyframes {
  const { redis, keys, metrics, logger } = deps;
  let cache: { tick: number | undefined; builtAt: number; frame: Promise<Buffer> } | undefined;
  /** Per screen: a keyframe in flight, another asked meanwhile, when the last went, and `units:elsewhere` heard. */
  const screens = new WeakMap<
    EgretSocket,
    { busy: boolean; again: boolean; sentAt: number | undefined; elsewhere: boolean }
  >();

  async function build(): Promise<Buffer> {
    const [seq, positions, slots] = (await redis
      .multi()
      .get(keys.tickerSeq)
      .hGetAll(keys.positions)
      .hGetAll(keys.slots)
      .exec()) as unknown as [string | null, Record<string, string>, Record<string, string>];
    const fixes: SlotFix[] = [];
    for (const [unitId, stored] of Object.entries(positions)) {
      const fix = slotFix(slots[unitId], stored);
      if (fix) fixes.push(fix);
    }
    const tick = deps.lastTick() ?? Number(seq ?? 0);
    const frame = encodeFrame(tick, deps.worldNow(), true, fixes, { version: deps.frameVersion });
    return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  }

  function current(): Promise<Buffer> {
    const tick = deps.lastTick();
    const now = deps.realNow();
    if (!cache || cache.tick !== tick || now - cache.builtAt >= deps.tickMs) {
      const frame = build();
      const entry = { tick, builtAt: now, frame };
      cache = entry;
      frame.catch(() => {
        if (cache === entry) cache = undefined; // do not serve a failure to the next screen
      });
    }
    return cache.frame;
  }

  async function drained(socket: EgretSocket): Promise<void> {
    while (socket.connected && !socket.conn.transport.writable) await sleep(WRITABLE_POLL_MS);
  }

  async function send(socket: EgretSocket): Promise<void> {
    let state = screens.get(socket);
    if (!state) {
      const s = { busy: false, again: false, sentAt: undefined, elsewhere: false };
      state = s;
      screens.set(socket, s);
      socket.on('units:keyframe', () => {
        s.elsewhere = false;
        send(socket).catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'keyframe request failed'));
      });
      // The page's worker has the frames again on its own connection: none here until a keyframe is asked again.
      socket.on('units:elsewhere', () => {
        s.elsewhere = true;
        s.again = false;
        void socket.leave(LIVE_ROOM);
      });
    }
    if (state.busy) {
      state.again = true; // one more after the one in flight, however many were asked for
      return;
    }
    state.busy = true;
    try {
      do {
        state.again = false;
        // At most one keyframe per tick per screen: asking faster gains nothing and would let a screen make the
        // hub resend every unit as fast as it can read.
        if (state.sentAt !== undefined) await sleep(Math.max(0, state.sentAt + deps.tickMs - deps.realNow()));
        await drained(socket);
        if (!socket.connected || state.elsewhere) return;
        const frame = await current();
        if (state.elsewhere) return;
        socket.emit('units:frame', frame);
        state.sentAt = deps.realNow();
        metrics.keyframes.inc();
        // From now on the ticks apply on top of what it has (joining twice is a no-op).
        await socket.join(LIVE_ROOM);
        if (state.elsewhere) await socket.leave(LIVE_ROOM);
      } while (state.again && socket.connected);
    } finally {
      state.busy = false;
    }
  }

  return { send };
}
