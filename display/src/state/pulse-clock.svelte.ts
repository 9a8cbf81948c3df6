/**
 * The phase (0–1) of the new-case pulse, advanced on animation frames only while something pulses, and at most
 * `fps` times a second: the one number the pulse layer animates with. Idle, it costs nothing.
 */
export class PulseClock {
  phase = $state(0);
  private handle: number | null = null;
  private last = 0;

  constructor(
    private readonly periodMs = 1_600,
    private readonly fps = 15,
  ) {}

  /** Animates while `on`; stops (phase 0) otherwise. Safe to call on every change. */
  run(on: boolean): void {
    if (on && this.handle === null) {
      this.handle = requestAnimationFrame(this.frame);
    } else if (!on) {
      this.stop();
      this.phase = 0;
    }
  }

  stop(): void {
    if (this.handle !== null) cancelAnimationFrame(this.handle);
    this.handle = null;
  }

  private readonly frame = (t: number): void => {
    if (t - this.last >= 1000 / this.fps) {
      this.last = t;
      this.phase = (t % this.periodMs) / this.periodMs;
    }
    this.handle = requestAnimationFrame(this.frame);
  };
}
