import { z } from 'zod';
import { EpochMs } from './geo.ts';

/**
 * The world clock. Live deployments run at rate 1 (world time = real time); drills and demos run simulated time,
 * possibly faster (a 36-hour typhoon at 60×). Every time on the wire is world time; the hub validates "far future"
 * against it and the wall's clock shows it.
 */
export const Clock = z.object({
  /** Real (wall-clock) epoch ms at which `baseWorld` held. */
  baseReal: EpochMs,
  /** World epoch ms at `baseReal`. */
  baseWorld: EpochMs,
  /** World milliseconds per real millisecond. */
  rate: z.number().positive().max(100_000),
  /** Scenario name when simulated; absent for a real city. */
  scenario: z.string().max(64).optional(),
});
export type Clock = z.infer<typeof Clock>;

export const REAL_CLOCK: Clock = { baseReal: 0, baseWorld: 0, rate: 1 };

/** World time at real time `realNow`. */
export function worldNow(clock: Clock, realNow: number): number {
  return Math.round(clock.baseWorld + (realNow - clock.baseReal) * clock.rate);
}
