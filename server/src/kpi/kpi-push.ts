import type pino from 'pino';
import type { EgretIo, EgretSocket } from '../socket/types.ts';
import type { KpiFeed } from './kpi-feed.ts';

export interface KpiPushOptions {
  io: EgretIo;
  feed: KpiFeed;
  /** The room of screens that are caught up (they got their first report when they joined). */
  room: string;
  worldNow: () => number;
  realNow: () => number;
  logger: pino.Logger;
  /** Shortest time between two reports while cases change (real ms). */
  minIntervalMs?: number;
  /** Longest time without a report, changes or not: 超期 grows with time alone (real ms). */
  maxIntervalMs?: number;
}

export interface KpiPush {
  /** Sends the current report to one screen (after its snapshot or catch-up); nothing before the first fold. */
  sendTo(socket: EgretSocket): void;
  stop(): void;
}

/**
 * Pushes `kpi:report` to the screens: to each one right after it is caught up, then to all at most every
 * `minIntervalMs` (2 s) while the log brings changes and every `maxIntervalMs` (30 s) regardless. One report is
 * computed per push and shared by every screen.
 */
export function startKpiPush(o: KpiPushOptions): KpiPush {
  const minIntervalMs = o.minIntervalMs ?? 2_000;
  const maxIntervalMs = o.maxIntervalMs ?? 30_000;
  let lastSent = Number.NEGATIVE_INFINITY;

  const broadcast = () => {
    const report = o.feed.report(o.worldNow());
    if (!report) return;
    o.feed.dirty = false;
    lastSent = o.realNow();
    o.io.to(o.room).emit('kpi:report', report);
  };
  const tick = () => {
    try {
      if (o.feed.dirty || o.realNow() - lastSent >= maxIntervalMs) broadcast();
    } catch (err) {
      o.logger.error({ err }, 'KPI report failed');
    }
  };
  const timer = setInterval(tick, minIntervalMs);
  timer.unref();
  o.feed.onLoaded(tick);

  return {
    sendTo(socket) {
      const report = o.feed.report(o.worldNow());
      if (report) socket.emit('kpi:report', report);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
