/**
 * Which of the phone's positions become fixes for the hub. `watchPosition` fires as often as the phone likes (every
 * second or faster while moving); the unit needs one fix per interval (configurable), the freshest, with its accuracy
 * kept. A pure function of the last sent fix, the new position and the time.
 */
export interface PhonePosition {
  lon: number;
  lat: number;
  /** Metres (the Geolocation API's 68% radius). */
  accuracy: number;
  /** When the phone measured it (epoch ms, the phone's clock). */
  at: number;
}

export interface PacerState {
  lastSentAt: number | null;
  /** The newest position not yet sent. */
  waiting: PhonePosition | null;
}

export const initialPacer = (): PacerState => ({ lastSentAt: null, waiting: null });

/** Positions this poor say nothing useful for a unit on a street (a cell-tower guess): kept back. */
export const WORST_ACCURACY_M = 500;

/** Takes a new position: answers what to send now (if anything) and the new state. */
export function pacePosition(
  s: PacerState,
  p: PhonePosition,
  now: number,
  intervalMs: number,
): { state: PacerState; send: PhonePosition | null } {
  if (!(p.accuracy <= WORST_ACCURACY_M)) return { state: s, send: null };
  // A better-or-newer reading replaces the one waiting.
  const waiting = p;
  if (s.lastSentAt === null || now - s.lastSentAt >= intervalMs)
    return { state: { lastSentAt: now, waiting: null }, send: waiting };
  return { state: { ...s, waiting }, send: null };
}

/** The interval has passed with a position waiting: send it. */
export function paceTick(
  s: PacerState,
  now: number,
  intervalMs: number,
): { state: PacerState; send: PhonePosition | null } {
  if (!s.waiting || (s.lastSentAt !== null && now - s.lastSentAt < intervalMs)) return { state: s, send: null };
  return { state: { lastSentAt: now, waiting: null }, send: s.waiting };
}
