import type { Rng } from '../rng.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Case arrivals as a non-homogeneous Poisson process: a mean of `perDay` a day shaped by a 24-hour profile of
 * local time (night low, morning and evening peaks), drawn exactly by thinning (Lewis–Shedler): candidates at the
 * profile's peak rate, each kept with probability rate(t) / peak. Arrival times depend only on the seed, never on
 * how often the simulator steps. An optional `factor(t)` in [0, 1] scales the rate down (a storm keeps people
 * indoors); it thins the same candidates with the same draws, so it never shifts the stream.
 */
export class ArrivalProcess {
  private readonly weights: number[];
  private readonly peakPerMs: number;
  private readonly basePerMs: number;
  private t: number;

  constructor(
    perDay: number,
    hourly: readonly number[],
    private readonly offsetMs: number,
    private readonly rng: Rng,
    start: number,
    private readonly factor?: (t: number) => number,
  ) {
    if (hourly.length !== 24) throw new RangeError('hourly profile needs 24 values');
    const mean = hourly.reduce((a, b) => a + b, 0) / 24;
    this.weights = hourly.map((h) => (mean > 0 ? h / mean : 0));
    this.basePerMs = perDay / DAY_MS;
    this.peakPerMs = this.basePerMs * Math.max(...this.weights);
    this.t = start;
  }

  /**
   * Relative rate at `at` (mean 1 over a day): the hourly values sit at the middle of their hour and are joined by
   * straight lines, so the rate has no steps on the hour and the day's integral is exactly `perDay`.
   */
  profileAt(at: number): number {
    const h = ((((at + this.offsetMs) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS - 0.5;
    const i = Math.floor(h);
    const f = h - i;
    const a = this.weights[(i + 24) % 24]!,
      b = this.weights[(i + 25) % 24]!;
    return a + (b - a) * f;
  }

  /** Expected arrivals per hour at `at`. */
  ratePerHour(at: number): number {
    return this.basePerMs * this.profileAt(at) * HOUR_MS;
  }

  /** Arrival times in (previous call, until], in order. */
  until(until: number): number[] {
    const out: number[] = [];
    if (this.peakPerMs <= 0) return out;
    for (;;) {
      // The next candidate is drawn once and kept across calls, so where the simulator's steps fall never
      // changes which arrivals the seed gives.
      this.candidate ??= this.t + this.rng.exponential(this.peakPerMs);
      if (this.candidate > until) return out;
      const c = this.candidate;
      this.candidate = undefined;
      this.t = c;
      const keep = this.basePerMs * this.profileAt(c) * (this.factor ? Math.min(1, Math.max(0, this.factor(c))) : 1);
      if (this.rng.float() * this.peakPerMs < keep) out.push(Math.round(c));
    }
  }

  private candidate: number | undefined;
}
