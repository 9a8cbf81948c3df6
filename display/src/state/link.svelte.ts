/** The socket link as the badge needs it. */
export class LinkStore {
  connected = $state(false);
  /** Real time of the last snapshot, log event or frame received. */
  lastDataAt = $state<number | null>(null);
  hubId = $state<string | null>(null);
  reconnects = 0;

  touch(realNow: number): void {
    this.lastDataAt = realNow;
  }
}
