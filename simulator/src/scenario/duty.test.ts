import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { Duty } from './duty.ts';
import { localMinuteOfDay } from './local-time.ts';
import { buildRoster } from './roster.ts';
import { config, EIGHT_HOURS, geometry, HOUR, MIDNIGHT, normalDay } from '../../test/city.ts';

const roster = buildRoster({
  districts: config.city.districts,
  lattice: geometry.lattice,
  cells: geometry.cells,
  types: normalDay.units.types,
  speedJitter: 0.1,
  shifts: normalDay.units.shifts,
  shiftJitterMinutes: 15,
  totalUnits: 240,
  rng: new Rng(1),
});
const shiftOf = (i: number) => normalDay.units.shifts[roster.shift[i]!]!.name;
const minute = (t: number) => localMinuteOfDay(t, EIGHT_HOURS);

describe(Duty.name, () => {
  it('starts day-shift units off duty at 3 a.m. and night-shift units on duty', () => {
    const duty = new Duty(roster, normalDay.units.shifts, normalDay.units.offline);
    const t = MIDNIGHT + 3 * HOUR;
    duty.start(t, minute(t), new Rng(2));
    for (let i = 0; i < roster.count; i++) {
      if (shiftOf(i) === 'day') expect(duty.statusOf(i)).toBe('off_duty');
      if (shiftOf(i) === 'night') expect(duty.statusOf(i)).toBe('available');
    }
  });

  it('brings units on and off with their shifts over a day, each a few minutes off the hour', () => {
    const duty = new Duty(roster, normalDay.units.shifts, { perUnitPerHour: 0, duration: { median: 5, sigma: 0.5 } });
    const rng = new Rng(3);
    duty.start(MIDNIGHT, minute(MIDNIGHT), rng);
    const onAt: number[][] = roster.id.map(() => []);
    for (let t = MIDNIGHT + 60_000; t <= MIDNIGHT + 24 * HOUR; t += 60_000) {
      for (let i = 0; i < roster.count; i++) if (duty.update(i, t, minute(t), rng) === 'available') onAt[i]!.push(t);
    }
    for (let i = 0; i < roster.count; i++) {
      if (shiftOf(i) !== 'day') continue;
      expect(onAt[i]).toHaveLength(1);
      const late = (onAt[i]![0]! - (MIDNIGHT + 8 * HOUR)) / 60_000;
      expect(Math.abs(late)).toBeLessThanOrEqual(15);
    }
    const onDutyAtTen = roster.id.filter((_, i) => shiftOf(i) === 'day' || shiftOf(i) === 'early').length;
    expect(onDutyAtTen).toBeGreaterThan(roster.count / 2);
  });

  it('drops devices out now and then and brings them back; offline units move but do not report', () => {
    // Everyone on one all-day shift, devices dropping out about once an hour for about five minutes.
    const allDay = { ...roster, shift: new Uint8Array(roster.count) };
    const d = new Duty(allDay, [{ name: 'all', from: '00:00', to: '24:00', share: 1 }], {
      perUnitPerHour: 1,
      duration: { median: 5, sigma: 0.3 },
    });
    const rng = new Rng(4);
    d.start(MIDNIGHT, 0, rng);
    const changes: string[] = [];
    let sawOffline = false;
    for (let t = MIDNIGHT + 10_000; t <= MIDNIGHT + 2 * HOUR; t += 10_000) {
      const s = d.update(0, t, minute(t), rng);
      if (s) changes.push(s);
      if (d.statusOf(0) === 'offline') {
        sawOffline = true;
        expect(d.onDuty(0)).toBe(true);
        expect(d.reporting(0)).toBe(false);
      }
    }
    expect(sawOffline).toBe(true);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    changes.forEach((s, k) => expect(s).toBe(k % 2 === 0 ? 'offline' : 'available'));
  });
});
