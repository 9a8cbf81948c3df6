/** What the link badge says. */
export type LinkStatus =
  { kind: 'connecting' } | { kind: 'live' } | { kind: 'reconnecting' } | { kind: 'stale'; seconds: number };

export interface LinkFacts {
  connected: boolean;
  /** Real time (epoch ms) of the last log event, snapshot or frame received; null before the first. */
  lastDataAt: number | null;
  now: number;
  staleAfterMs: number;
}

/**
 * The link state a commander must never misread. Stale wins over everything once data is older than
 * `staleAfterMs`, connected or not: a picture that silently stopped moving is the worst failure of a wall.
 */
export function linkStatus({ connected, lastDataAt, now, staleAfterMs }: LinkFacts): LinkStatus {
  if (lastDataAt !== null) {
    const age = now - lastDataAt;
    if (age > staleAfterMs) return { kind: 'stale', seconds: Math.floor(age / 1000) };
    return connected ? { kind: 'live' } : { kind: 'reconnecting' };
  }
  return { kind: 'connecting' };
}
