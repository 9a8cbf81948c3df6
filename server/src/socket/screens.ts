import {
  positionsElsewhere,
  positionsStreamOnly,
  PROTOCOL_VERSION,
  screenSnapshot,
  type LogEvent,
  type Result,
} from '@egret/protocol';
import type pino from 'pino';
import { z } from 'zod';
import type { LogMirror } from '../log/mirror.ts';
import type { Metrics } from '../metrics.ts';
import type { EgretIo, EgretSocket } from './types.ts';

/** The room of screens that receive live log events. A screen joins only once it is caught up. */
export const LIVE_ROOM = 'live';
/** Events per `log:events` message during a catch-up. */
const CATCH_UP_BATCH = 1_000;
/** Largest range one `log:range` request may ask for. */
const MAX_RANGE = 10_000;
/** A screen with more packets than this waiting in its write buffer has stalled: drop it, it resumes later. */
const MAX_BUFFERED_PACKETS = 2_000;

export interface ScreensOptions {
  io: EgretIo;
  mirror: LogMirror;
  hubId: string;
  city: string;
  metrics: Metrics;
  logger: pino.Logger;
  /** The events (afterSeq, toSeq] from the Redis log; undefined when trimmed. */
  readLog(afterSeq: number, toSeq: number): Promise<LogEvent[] | undefined>;
  /** Sent after the snapshot or catch-up (the first KPI report). */
  afterSync?(socket: EgretSocket): void;
  /**
   * Starts the position frames on this socket (a keyframe, then the ticks): after the sync, or at once on a
   * positions-only stream; not for a screen whose frames go to another connection (`positions: false`).
   */
  sendPositions?(socket: EgretSocket): Promise<void>;
}

const RangeRequest = z.object({ afterSeq: z.number().int().nonnegative(), toSeq: z.number().int().nonnegative() });

/**
 * Screens: on connect `hub:hello`, then either exactly the events missed since the handshake's `lastSeq` or a
 * `wall:snapshot`, then live `log:events` — with no gap and no duplicate. The last step of every path (the final
 * slice from the in-memory ring and joining the live room) runs in one synchronous step, and the mirror applies
 * and fans out each batch in one synchronous step too, so no live batch can fall between them.
 */
export function attachScreens(o: ScreensOptions): { connected(): number } {
  const { io, mirror, logger } = o;

  mirror.listen({
    events(batch) {
      const live = io.sockets.adapter.rooms.get(LIVE_ROOM);
      if (!live?.size) return;
      io.to(LIVE_ROOM).emit('log:events', batch);
      o.metrics.fannedOut.inc(batch.length * live.size);
      for (const id of live) {
        const s = io.sockets.sockets.get(id);
        if (s && bufferedPackets(s) > MAX_BUFFERED_PACKETS) {
          logger.warn(
            { socket: id },
            'screen stalled: disconnecting it (it resumes from its last seq when it returns)',
          );
          o.metrics.screensStalled.inc();
          s.disconnect(true);
        }
      }
    },
    reset() {
      // The mirror was rebuilt: every live screen starts again from a snapshot (sent and joined in one step).
      const snapshot = screenSnapshot(mirror.world);
      io.to(LIVE_ROOM).emit('wall:snapshot', snapshot);
    },
  });

  io.on('connection', (socket) => {
    socket.emit('hub:hello', { protocol: PROTOCOL_VERSION, hubId: o.hubId, city: o.city });
    const streamOnly = positionsStreamOnly(socket.handshake.auth);
    socket.data.positionsStream = streamOnly;
    socket.on('log:range', (req, ack) => {
      if (typeof ack !== 'function') return;
      if (streamOnly)
        return ack({
          ok: false,
          error: 'bad_request',
          message: 'a positions stream reads no log: ask the main socket',
        });
      void answerRange(o, req).then(ack, (err: Error) => ack({ ok: false, error: 'internal', message: err.message }));
    });
    if (streamOnly) {
      // Frames only (a page's worker): no snapshot, no live log, no KPI: they go to the page's main socket.
      void o.sendPositions?.(socket);
      return;
    }
    const withPositions = !positionsElsewhere(socket.handshake.auth);
    // Without them now, it gets them once it asks (`units:keyframe`): the page's fallback when its worker dies. From
    // then on the keyframes answer its asks themselves.
    if (!withPositions) socket.once('units:keyframe', () => void o.sendPositions?.(socket));
    const lastSeq = Number((socket.handshake.auth as { lastSeq?: unknown } | undefined)?.lastSeq);
    const resumeFrom = Number.isInteger(lastSeq) && lastSeq > 0 ? lastSeq : undefined;
    void sync(o, socket, resumeFrom, withPositions).catch((err: unknown) => {
      logger.error({ err, socket: socket.id }, 'could not bring a screen up to date; disconnecting it');
      socket.disconnect(true);
    });
  });

  return { connected: () => io.sockets.sockets.size };
}

/** Connections that are screens: a page's positions-only stream is part of its screen, not a second one. */
export function countScreens(io: EgretIo): { screens: number; positionStreams: number } {
  let positionStreams = 0;
  for (const s of io.sockets.sockets.values()) if (s.data.positionsStream) positionStreams++;
  return { screens: io.sockets.sockets.size - positionStreams, positionStreams };
}

async function sync(
  o: ScreensOptions,
  socket: EgretSocket,
  lastSeq: number | undefined,
  withPositions: boolean,
): Promise<void> {
  const caughtUp = lastSeq !== undefined && (await catchUp(o, socket, lastSeq));
  if (!socket.connected) return;
  if (!caughtUp) {
    socket.emit('wall:snapshot', screenSnapshot(o.mirror.world));
    socket.join(LIVE_ROOM);
  }
  o.afterSync?.(socket);
  if (withPositions) await o.sendPositions?.(socket);
}

/**
 * Sends the events after `lastSeq` and joins the live room; false when they are no longer held anywhere (or the
 * screen is ahead of this hub), so the caller sends a snapshot instead. Older events come from the Redis log
 * page by page (async); the rest comes from the ring in the same synchronous step as joining the live room.
 */
async function catchUp(o: ScreensOptions, socket: EgretSocket, lastSeq: number): Promise<boolean> {
  const { mirror } = o;
  let sent = lastSeq;
  for (;;) {
    if (!socket.connected) return true;
    if (sent > mirror.world.seq) return false;
    const tail = sent === mirror.world.seq ? [] : mirror.ring.range(sent);
    if (tail) {
      emitBatches(socket, tail);
      socket.join(LIVE_ROOM);
      return true;
    }
    const upTo = Math.min(sent + MAX_RANGE, (mirror.ring.firstSeq ?? mirror.world.seq + 1) - 1, mirror.world.seq);
    const older = await o.readLog(sent, upTo);
    if (!older || older.length === 0) return false;
    if (!socket.connected) return true;
    emitBatches(socket, older);
    sent = older[older.length - 1]!.seq;
  }
}

function emitBatches(socket: EgretSocket, events: LogEvent[]): void {
  for (let i = 0; i < events.length; i += CATCH_UP_BATCH)
    socket.emit('log:events', events.slice(i, i + CATCH_UP_BATCH));
}

async function answerRange(o: ScreensOptions, req: unknown): Promise<Result<LogEvent[]>> {
  const parsed = RangeRequest.safeParse(req);
  if (!parsed.success)
    return {
      ok: false,
      error: 'bad_request',
      message: 'log:range expects { afterSeq, toSeq } as non-negative integers',
    };
  const afterSeq = parsed.data.afterSeq;
  const toSeq = Math.min(parsed.data.toSeq, o.mirror.world.seq);
  if (toSeq <= afterSeq) return { ok: true, data: [] };
  if (toSeq - afterSeq > MAX_RANGE)
    return { ok: false, error: 'range_too_large', message: `ask for at most ${MAX_RANGE} events at a time` };
  const events = o.mirror.ring.range(afterSeq, toSeq) ?? (await o.readLog(afterSeq, toSeq));
  if (!events)
    return {
      ok: false,
      error: 'trimmed',
      message: `events after seq ${afterSeq} are no longer in the log: ask for a snapshot (reconnect)`,
    };
  return { ok: true, data: events };
}

/** Packets waiting to be written to a screen's transport (engine.io keeps them in `writeBuffer`, not typed public). */
function bufferedPackets(socket: EgretSocket): number {
  return (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
}
