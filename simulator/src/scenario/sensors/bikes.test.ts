import { describe, expect, it } from 'vitest';
import { DEFAULT_BIKES } from '@egret/config';
import { bikeOverflow, bikesAt, type BikePoint } from './bikes.ts';
import { dayStartMs, localDay, ordinaryDay } from './daily.ts';
import { MIDNIGHT } from '../../../test/city.ts';

const ctx = ordinaryDay(3, 8 * 3_600_000);
const DAY = localDay(MIDNIGHT, ctx.offsetMs);
const cfg = DEFAULT_BIKES;
const at = (d: number, h: number) => dayStartMs(d, ctx.offsetMs) + h * 3_600_000;

describe(bikesAt.name, () => {
  it('fills a metro exit in the morning rush and a residential point in the evening', () => {
    const work: BikePoint = { id: 'BIKE-w', capacity: 100, kind: 'work' };
    const home: BikePoint = { id: 'BIKE-h', capacity: 100, kind: 'home' };
    const quiet = (p: BikePoint) =>
      Array.from({ length: 40 }, (_, i) => DAY + i).find((d) => !bikeOverflow(p, cfg, ctx, d))!;
    const dw = quiet(work),
      dh = quiet(home);
    expect(bikesAt(work, cfg, ctx, at(dw, 9))).toBeGreaterThan(2 * bikesAt(work, cfg, ctx, at(dw, 6)));
    expect(bikesAt(home, cfg, ctx, at(dh, 19.5))).toBeGreaterThan(2 * bikesAt(home, cfg, ctx, at(dh, 12)));
  });

  it('alarms only in an overflow, and then steadily for an hour or more', () => {
    const point: BikePoint = { id: 'BIKE-350203-04', capacity: 120, kind: 'work' };
    const alarm = Math.round(point.capacity * cfg.alarmRatio);
    let overflows = 0;
    for (let d = DAY; d < DAY + 100; d++) {
      const o = bikeOverflow(point, cfg, ctx, d);
      if (o) overflows++;
      for (let t = dayStartMs(d, ctx.offsetMs); t < dayStartMs(d + 1, ctx.offsetMs); t += 300_000) {
        const inOverflow = o !== undefined && t >= o.from && t < o.to;
        expect(bikesAt(point, cfg, ctx, t) >= alarm).toBe(inOverflow);
      }
      if (o) expect(o.to - o.from).toBeGreaterThanOrEqual(3_600_000);
    }
    expect(overflows).toBeGreaterThan(0);
    expect(overflows).toBeLessThan(20);
  });
});
