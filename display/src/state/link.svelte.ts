/** The socket link as the badge needs it. */
export class LinkStore {
  connected = $state(false);
  /** Real time of the last snapshot, log event or frame received. */
  lastDataAt = $state<number | null>(null);
  hubId = $state<string | null>(null);
  reconnects = 0;
  /** Where the position frames come from: the main socket, or the page's worker and its own socket (net/positions-link.ts). */
  positionsVia = $state<'main' | 'worker'>('main');
  /** Real time the worker's socket went down; null while it is up, or while frames come on the main socket. */
  positionsDownSince = $state<number | null>(null);
  /** Whether the worker's socket has connected since the page loaded. */
  positionsEverUp = $state(false);
  /** Why the page took the frames back from its worker (null: it did not). */
  positionsFallback: string | null = null;
  /** How many times a new worker took the frames back from the main socket after a fallback. */
  positionsResumed = 0;
  /**
   * Real time the last position frame arrived, on either socket (null before the first). Not reactive: it changes ten
   * times a second, and the badge reads it with the clock, once a second.
   */
  lastFrameAt: number | null = null;
  /** Frames received on the main socket, and through the worker (each frame the worker merged counts). */
  framesOnMain = 0;
  framesViaWorker = 0;

  touch(realNow: number): void {
    this.lastDataAt = realNow;
  }
}
