import type { BikeSensors } from '@egret/config';
import { dayStartMs, drawFor, localDay, minuteOfDay, type SensorContext } from './daily.ts';

const MINUTE_MS = 60_000;

/**
 * A shared-bike counter at a congestion point (共享单车停放点): a metro exit or office street fills in the morning
 * rush and empties in the evening (`work`); a residential one the other way round (`home`).
 */
export interface BikePoint {
  id: string;
  /** Bikes its parking area holds. */
  capacity: number;
  kind: 'work' | 'home';
}

/** Share of capacity in use through the day: [minute of day, share], joined by straight lines. */
const PROFILES: Record<BikePoint['kind'], readonly (readonly [number, number])[]> = {
  work: [
    [0, 0.2],
    [420, 0.25],
    [540, 0.9],
    [720, 0.8],
    [1020, 0.75],
    [1140, 0.3],
    [1440, 0.2],
  ],
  home: [
    [0, 0.7],
    [420, 0.75],
    [540, 0.3],
    [1020, 0.3],
    [1170, 0.9],
    [1440, 0.7],
  ],
};
/** The rush each kind of point fills in: its busiest minute of the day. */
const RUSH_MINUTE: Record<BikePoint['kind'], number> = { work: 540, home: 1170 };

/** An overflow: from `from` to `to` (world ms) the operators are late clearing and the bikes pile up past the alarm. */
export interface BikeOverflow {
  from: number;
  to: number;
  /** Bikes as a multiple of capacity meanwhile (over the alarm ratio). */
  ratio: number;
}

/** The day's overflow at a point, if any (`overflowShare` of days): from 20 min before its rush for 1–2 h. */
export function bikeOverflow(
  point: BikePoint,
  cfg: BikeSensors,
  ctx: SensorContext,
  day: number,
): BikeOverflow | undefined {
  const r = drawFor(ctx.seed, 'bikes', point.id, day);
  if (!r.chance(cfg.overflowShare)) return undefined;
  const from = dayStartMs(day, ctx.offsetMs) + (RUSH_MINUTE[point.kind] - 20) * MINUTE_MS;
  return { from, to: from + Math.round(r.range(60, 120)) * MINUTE_MS, ratio: cfg.alarmRatio + r.range(0.1, 0.3) };
}

/**
 * Bikes parked at t (a whole number): capacity × the day profile of its kind with a 4 % jitter per reading —
 * about 0.9 of capacity at its rush, seldom a warning, never an alarm — except in an overflow, when it holds
 * steadily over the alarm threshold. A sheltering city rides nowhere: the bikes stand as at night.
 */
export function bikesAt(point: BikePoint, cfg: BikeSensors, ctx: SensorContext, t: number): number {
  const jitter = 1 + 0.04 * drawFor(ctx.seed, 'bikes', point.id, 'at', t).normal();
  const profile = PROFILES[point.kind];
  if (ctx.sheltering(t)) return Math.max(0, Math.round(point.capacity * profile[0]![1] * jitter));
  const overflow = bikeOverflow(point, cfg, ctx, localDay(t, ctx.offsetMs));
  if (overflow && t >= overflow.from && t < overflow.to) {
    return Math.ceil(point.capacity * Math.max(cfg.alarmRatio + 0.02, overflow.ratio + (0.03 * (jitter - 1)) / 0.04));
  }
  return Math.max(0, Math.round(point.capacity * shareAt(profile, minuteOfDay(t, ctx.offsetMs)) * jitter));
}

function shareAt(profile: readonly (readonly [number, number])[], m: number): number {
  for (let i = 1; i < profile.length; i++) {
    const [m1, s1] = profile[i]!;
    if (m <= m1) {
      const [m0, s0] = profile[i - 1]!;
      return s0 + ((s1 - s0) * (m - m0)) / (m1 - m0);
    }
  }
  return profile[profile.length - 1]![1];
}
