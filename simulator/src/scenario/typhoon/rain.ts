import type { LonLat } from '@egret/protocol';
import { distanceKm } from './local-geo.ts';
import { stormAt, type StormCore, type StormPhysics, type Track } from './track.ts';

/**
 * A simple parametric rain field: heaviest in the eyewall, half that in the eye, decaying exponentially outside
 * it, scaled with the storm's intensity (linearly in V_max relative to a reference storm, capped at 1.5×).
 *   R(r) = R₀·k·(0.5 + 0.5·r/R_max)          for r < R_max
 *   R(r) = R₀·k·exp(−(r − R_max)/ℓ)          for r ≥ R_max,      k = min(1.5, V_max/V_ref)
 * With R₀ = 45 mm/h, ℓ = 90 km and a storm crossing at ~18 km/h this gives 150–250 mm on the island over the
 * event — the order of Meranti's totals in Xiamen (an assumption, not a fitted value).
 */
export function rainFromStorm(storm: StormCore, physics: StormPhysics, point: LonLat): number {
  const { peakMmH, efoldKm, referenceWindMs } = physics.rain;
  const k = Math.min(1.5, storm.maxWindMs / referenceWindMs);
  const r = distanceKm(storm.center, point);
  const rm = storm.rmwKm;
  const shape = r < rm ? 0.5 + (0.5 * r) / rm : Math.exp(-(r - rm) / efoldKm);
  return peakMmH * k * shape;
}

/** Rain rate at a place and time, mm/h. */
export function rainAt(track: Track, t: number, point: LonLat): number {
  return rainFromStorm(stormAt(track, t), track.physics, point);
}

/** Rain accumulated at a place between `from` and `to`, mm (midpoint rule, 10-minute steps). */
export function rainTotalMm(track: Track, point: LonLat, from: number, to: number, stepMs = 10 * 60_000): number {
  let sum = 0;
  for (let t = from; t < to; t += stepMs) {
    const dt = Math.min(stepMs, to - t);
    sum += rainAt(track, t + dt / 2, point) * (dt / 3_600_000);
  }
  return sum;
}
