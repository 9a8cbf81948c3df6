/**
 * China's wind-force scale (GB/T 28591-2012 风力等级, the Beaufort scale extended to force 17): the lower bound in
 * m/s of each force, 10-minute/2-minute mean wind at 10 m. Force 7 ≥ 13.9, force 10 ≥ 24.5, force 12 ≥ 32.7.
 */
export const FORCE_MIN_MS = [
  0, 0.3, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7, 37.0, 41.5, 46.2, 51.0, 56.1,
] as const;

/** The force (0–17) of a mean wind in m/s. */
export function beaufortForce(ms: number): number {
  let force = 0;
  for (let f = 1; f < FORCE_MIN_MS.length; f++) if (ms >= FORCE_MIN_MS[f]!) force = f;
  return force;
}

/** The lowest wind speed in m/s of a force (0–17). */
export function forceMinMs(force: number): number {
  const v = FORCE_MIN_MS[force];
  if (v === undefined) throw new RangeError(`force must be 0–17, got ${force}`);
  return v;
}

/** Gale force (8, 17.2 m/s): below it nothing much breaks, so incident rates grow with the wind above it. */
export const GALE_MS = FORCE_MIN_MS[8];

// The tropical-cyclone intensity classes built on this scale are the protocol's (weather.ts: intensityClass).
