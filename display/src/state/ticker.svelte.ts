/** Real time, ticking: the clock, the stale badge and unit greying follow it. */
export class Ticker {
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;

  start(periodMs = 500): void {
    this.stop();
    this.timer = setInterval(() => (this.now = Date.now()), periodMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
