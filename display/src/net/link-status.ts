/** What the link badge says. */
export type LinkStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting' }
  | { kind: 'stale'; seconds: number }
  | { kind: 'positions-down'; seconds: number };

/**
 * How long the positions stream may be down before the badge says so: a reconnect's blip is not an alarm, a wall
 * whose units froze is.
 */
export const POSITIONS_DOWN_AFTER_MS = 3_000;

/**
 * The same before the stream's first connect: a loaded wall PC may take seconds to start the worker and open its
 * socket while the snapshot already drew the city; that is starting up, not an outage, and must not flash red.
 */
export const POSITIONS_FIRST_CONNECT_MS = 15_000;

/**
 * How long the position frames may stop while their socket is up before the badge says the units are down. A hub's
 * ticker writes a frame every tick (~10 a second) even when no unit moved, so a silence means the stream stopped
 * (no hub leads the ticks, a fan-out stuck) while the log and its KPIs may still flow. Not shorter: a wall PC
 * without a GPU blocks its main thread for seconds per draw at 50,000 units, and a hub that died hands the ticks
 * over when its 10-s lease runs out.
 */
export const POSITIONS_SILENT_MS = 10_000;

export interface LinkFacts {
  connected: boolean;
  /** Real time (epoch ms) of the last log event, snapshot or frame received; null before the first. */
  lastDataAt: number | null;
  now: number;
  staleAfterMs: number;
  /**
   * Real time the socket that carries the position frames apart from this one (the page's worker) went down; null
   * while it is up, or while the frames come on this socket.
   */
  positionsDownSince?: number | null;
  /** Whether that socket has connected since the page loaded (before that, the longer first-connect grace). */
  positionsEverUp?: boolean;
  /** Real time (epoch ms) the last position frame arrived, on either socket; null before the first. */
  lastFrameAt?: number | null;
}

/**
 * The link state a commander must never misread. Stale wins over everything once data is older than
 * `staleAfterMs`, connected or not: a picture that silently stopped moving is the worst failure of a wall. The
 * same goes for the units alone: with the log and KPIs flowing on the main socket, a positions stream that is down
 * would freeze them under a "live" badge, so it is said too — and so is a stream whose socket is up but whose frames
 * stopped coming (`POSITIONS_SILENT_MS`).
 */
export function linkStatus({
  connected,
  lastDataAt,
  now,
  staleAfterMs,
  positionsDownSince = null,
  positionsEverUp = true,
  lastFrameAt = null,
}: LinkFacts): LinkStatus {
  const positionsGrace = positionsEverUp ? POSITIONS_DOWN_AFTER_MS : POSITIONS_FIRST_CONNECT_MS;
  if (lastDataAt !== null) {
    const age = now - lastDataAt;
    if (age > staleAfterMs) return { kind: 'stale', seconds: Math.floor(age / 1000) };
    if (!connected) return { kind: 'reconnecting' };
    const socketDown = positionsDownSince !== null && now - positionsDownSince > positionsGrace;
    const silent = lastFrameAt !== null && now - lastFrameAt > POSITIONS_SILENT_MS;
    if (socketDown || silent) {
      // Since whichever happened first: the units have not moved on the screen since then.
      const since = Math.min(socketDown ? positionsDownSince : now, silent ? lastFrameAt : now);
      return { kind: 'positions-down', seconds: Math.floor((now - since) / 1000) };
    }
    return { kind: 'live' };
  }
  return { kind: 'connecting' };
}
