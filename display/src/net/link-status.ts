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
}

/**
 * The link state a commander must never misread. Stale wins over everything once data is older than
 * `staleAfterMs`, connected or not: a picture that silently stopped moving is the worst failure of a wall. The
 * same goes for the units alone: with the log and KPIs flowing on the main socket, a positions stream that is down
 * would freeze them under a "live" badge, so it is said too.
 */
export function linkStatus({
  connected,
  lastDataAt,
  now,
  staleAfterMs,
  positionsDownSince = null,
}: LinkFacts): LinkStatus {
  if (lastDataAt !== null) {
    const age = now - lastDataAt;
    if (age > staleAfterMs) return { kind: 'stale', seconds: Math.floor(age / 1000) };
    if (!connected) return { kind: 'reconnecting' };
    if (positionsDownSince !== null && now - positionsDownSince > POSITIONS_DOWN_AFTER_MS)
      return { kind: 'positions-down', seconds: Math.floor((now - positionsDownSince) / 1000) };
    return { kind: 'live' };
  }
  return { kind: 'connecting' };
}
