import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { ArrivalProcess } from './arrivals.ts';
import { EIGHT_HOURS, HOUR, MIDNIGHT, normalDay } from '../../test/city.ts';

const { perDay, hourly } = normalDay.cases;

/** Arrivals of one simulated day, counted per local hour. */
function dayByHour(seed: number, stepMs: number): { times: number[]; hours: number[] } {
  const p = new ArrivalProcess(perDay, hourly, EIGHT_HOURS, new Rng(seed), MIDNIGHT);
  const times: number[] = [];
  for (let t = MIDNIGHT + stepMs; t <= MIDNIGHT + 24 * HOUR; t += stepMs) times.push(...p.until(t));
  const hours = new Array<number>(24).fill(0);
  for (const t of times) hours[Math.floor((t - MIDNIGHT) / HOUR)]!++;
  return { times, hours };
}

describe(ArrivalProcess.name, () => {
  it('brings about 3,190 cases a day, within a few standard deviations, for several seeds', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { times } = dayByHour(seed, 60_000);
      // Poisson: sd = √3190 ≈ 56; 4 sd ≈ 7%.
      expect(Math.abs(times.length - perDay)).toBeLessThan(4 * Math.sqrt(perDay));
    }
  });

  it('peaks by day and dips at night', () => {
    const { hours } = dayByHour(11, 60_000);
    const night = hours[2]! + hours[3]! + hours[4]!;
    const morning = hours[9]! + hours[10]! + hours[11]!;
    const evening = hours[17]! + hours[18]! + hours[19]!;
    expect(morning).toBeGreaterThan(8 * night);
    expect(evening).toBeGreaterThan(8 * night);
    expect(Math.max(...hours)).toBe(Math.max(...hours.slice(8, 21)));
    expect(hours[3]).toBeLessThan(30);
  });

  it('gives the same arrivals whether the simulator steps every second or every hour', () => {
    const fine = dayByHour(7, 1000).times;
    const coarse = dayByHour(7, HOUR).times;
    expect(coarse).toEqual(fine);
    expect(coarse.every((t, i) => i === 0 || t >= coarse[i - 1]!)).toBe(true);
  });

  it('has a daily mean of exactly perDay in its rate profile', () => {
    const p = new ArrivalProcess(perDay, hourly, EIGHT_HOURS, new Rng(1), MIDNIGHT);
    let sum = 0;
    for (let m = 0; m < 1440; m++) sum += p.ratePerHour(MIDNIGHT + m * 60_000) / 60;
    expect(sum).toBeCloseTo(perDay, 0);
    expect(p.ratePerHour(MIDNIGHT + 3.5 * HOUR)).toBeLessThan(p.ratePerHour(MIDNIGHT + 10.5 * HOUR) / 10);
  });

  it('brings nothing when the rate is zero', () => {
    const p = new ArrivalProcess(0, hourly, EIGHT_HOURS, new Rng(1), MIDNIGHT);
    expect(p.until(MIDNIGHT + 24 * HOUR)).toEqual([]);
  });

  it('scales its rate down by a factor, keeping only arrivals the full rate would bring', () => {
    const full = new ArrivalProcess(perDay, hourly, EIGHT_HOURS, new Rng(3), MIDNIGHT).until(MIDNIGHT + 24 * HOUR);
    const noon = MIDNIGHT + 12 * HOUR;
    const factor = (t: number) => (t < noon ? 0.25 : 1);
    const scaled = new ArrivalProcess(perDay, hourly, EIGHT_HOURS, new Rng(3), MIDNIGHT, factor).until(
      MIDNIGHT + 24 * HOUR,
    );
    const all = new Set(full);
    expect(scaled.every((t) => all.has(t))).toBe(true);
    const morning = (xs: number[]) => xs.filter((t) => t < noon).length;
    expect(morning(scaled) / morning(full)).toBeGreaterThan(0.18);
    expect(morning(scaled) / morning(full)).toBeLessThan(0.32);
    expect(scaled.filter((t) => t >= noon)).toEqual(full.filter((t) => t >= noon));
  });
});
