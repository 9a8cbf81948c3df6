import { describe, expect, it } from 'vitest';
import { aCase, aSensor, T0 } from '../../test/fixtures.ts';
import { deriveAlerts, overdueCases, type Alert } from './alerts.ts';
import type { OffPostUnit, Perimeter } from '../map/event-picture.ts';

const MIN = 60_000;
const opts = { now: T0, windowMs: 30 * MIN, max: 10 };

describe(deriveAlerts.name, () => {
  it('raises new critical and urgent cases, and sensor alarms, newest first', () => {
    const alerts = deriveAlerts(
      [
        aCase({ id: 'crit', urgency: 'critical', reportedAt: T0 - 5 * MIN }),
        aCase({ id: 'urg', urgency: 'urgent', reportedAt: T0 - 2 * MIN }),
        aCase({ id: 'iot', source: 'iot', reportedAt: T0 - 1 * MIN }),
        aCase({ id: 'calm', reportedAt: T0 - 1 * MIN }),
      ],
      opts,
    );
    expect(alerts.map((a) => a.id)).toEqual(['sensor:iot', 'urgent:urg', 'critical:crit']);
  });

  it('raises a case that has just gone overdue, and forgets alerts older than the window', () => {
    const alerts = deriveAlerts(
      [
        aCase({ id: 'late', status: 'dispatched', deadline: T0 - 3 * MIN, reportedAt: T0 - 300 * MIN }),
        aCase({ id: 'long-late', status: 'dispatched', deadline: T0 - 60 * MIN, reportedAt: T0 - 300 * MIN }),
        aCase({ id: 'old-crit', urgency: 'critical', reportedAt: T0 - 45 * MIN }),
        aCase({ id: 'parked', status: 'parked', deadline: T0 - MIN, reportedAt: T0 - 300 * MIN }),
      ],
      opts,
    );
    expect(alerts.map((a) => [a.id, a.at])).toEqual([['overdue:late', T0 - 3 * MIN]]);
  });

  it('gives one alert per case: a passed deadline outranks the report', () => {
    const alerts = deriveAlerts(
      [aCase({ id: 'x', urgency: 'critical', reportedAt: T0 - 10 * MIN, deadline: T0 - MIN, status: 'filed' })],
      opts,
    );
    expect(alerts.map((a) => a.kind)).toEqual(['overdue']);
  });

  it('keeps at most max alerts however many cases qualify', () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      aCase({ id: `c${i}`, urgency: 'critical', reportedAt: T0 - i * 1000 }),
    );
    const alerts = deriveAlerts(many, { ...opts, max: 5 });
    expect(alerts.map((a) => a.id)).toEqual([
      'critical:c0',
      'critical:c1',
      'critical:c2',
      'critical:c3',
      'critical:c4',
    ]);
  });

  it('raises every sensor in alarm for as long as the alarm lasts, dated from its start, and not one at warning', () => {
    const sensors = [
      aSensor({ id: 'gauge', level: 'alarm', value: 42, alarmSince: T0 - 2 * MIN }),
      aSensor({ id: 'long', level: 'alarm', value: 35, alarmSince: T0 - 300 * MIN }),
      aSensor({ id: 'rising', level: 'warning', value: 20 }),
    ];
    const alerts = deriveAlerts([aCase({ id: 'crit', urgency: 'critical', reportedAt: T0 - 5 * MIN })], {
      ...opts,
      sensors,
    });
    expect(alerts.map((a) => [a.id, a.at])).toEqual([
      ['alarm:gauge', T0 - 2 * MIN],
      ['critical:crit', T0 - 5 * MIN],
      ['alarm:long', T0 - 300 * MIN],
    ]);
    const first = alerts[0] as Extract<Alert, { kind: 'alarm' }>;
    expect(first.sensor.id).toBe('gauge');
  });

  it('shows an alarm instead of the IoT case it raised, but still says when that case goes overdue', () => {
    const sensors = [aSensor({ id: 'gauge', level: 'alarm', alarmSince: T0 - 12 * MIN, caseId: 'iot-1' })];
    const cases = [
      aCase({ id: 'iot-1', source: 'iot', urgency: 'urgent', reportedAt: T0 - 2 * MIN }),
      aCase({ id: 'iot-2', source: 'iot', reportedAt: T0 - 1 * MIN, deadline: T0 - 30_000, status: 'dispatched' }),
    ];
    expect(deriveAlerts(cases, { ...opts, sensors }).map((a) => a.id)).toEqual(['overdue:iot-2', 'alarm:gauge']);
  });
});

describe(overdueCases.name, () => {
  it('finds open cases past their deadline, not parked ones and not those due exactly now', () => {
    const cases = [
      aCase({ id: 'late', status: 'dispatched', deadline: T0 - 1 }),
      aCase({ id: 'due-now', status: 'filed', deadline: T0 }),
      aCase({ id: 'parked', status: 'parked', deadline: T0 - 1 }),
      aCase({ id: 'no-deadline', status: 'reported' }),
    ];
    expect(overdueCases(cases, T0).map((c) => c.id)).toEqual(['late']);
  });
});

describe('the major-event guard alarms on the rail', () => {
  const core: Perimeter = {
    id: 'venue-core',
    name: { zh: '会展核心保障区', en: 'Venue core zone' },
    ring: [
      [118.17, 24.46],
      [118.2, 24.46],
      [118.2, 24.49],
      [118.17, 24.49],
    ],
    approximate: true,
  };
  const post = {
    id: 'post-n',
    name: { zh: '会展北路岗', en: 'Huizhan Rd North post' },
    position: [118.185, 24.48] as [number, number],
    radiusM: 200,
  };
  const away = (unitId: string, since: number): OffPostUnit => ({
    unitId,
    name: unitId,
    post,
    position: [118.19, 24.49],
    distanceM: 1200,
    since,
  });
  const inside: [number, number] = [118.18, 24.47];

  it('raises an overdue case inside a perimeter for as long as it is overdue, instead of its ordinary overdue alert', () => {
    const cases = [
      aCase({
        id: 'in-late',
        position: inside,
        status: 'dispatched',
        deadline: T0 - 90 * MIN,
        reportedAt: T0 - 150 * MIN,
      }),
      aCase({ id: 'in-just-late', position: inside, status: 'filed', deadline: T0 - MIN, reportedAt: T0 - 61 * MIN }),
      aCase({ id: 'out-late', status: 'dispatched', deadline: T0 - 2 * MIN, reportedAt: T0 - 300 * MIN }),
      aCase({ id: 'in-on-time', position: inside, status: 'filed', deadline: T0 + 10 * MIN }),
      aCase({ id: 'in-parked', position: inside, status: 'parked', deadline: T0 - 5 * MIN }),
    ];
    const alerts = deriveAlerts(cases, { ...opts, perimeters: [core] });
    expect(alerts.map((a) => [a.id, a.at])).toEqual([
      ['perimeter:in-just-late', T0 - MIN],
      ['perimeter:in-late', T0 - 90 * MIN],
      ['overdue:out-late', T0 - 2 * MIN],
    ]);
    expect((alerts[0] as Extract<Alert, { kind: 'perimeter' }>).perimeter.id).toBe('venue-core');
  });

  it('treats a case inside a perimeter as ordinary while no event is on (no perimeters given)', () => {
    const late = aCase({ id: 'in-late', position: inside, status: 'filed', deadline: T0 - MIN });
    expect(deriveAlerts([late], opts).map((a) => a.id)).toEqual(['overdue:in-late']);
  });

  it('leads the rail with units off their posts, then overdue perimeter cases, then the rest newest first', () => {
    const cases = [
      aCase({ id: 'crit', urgency: 'critical', reportedAt: T0 - 10_000 }),
      aCase({ id: 'in-late', position: inside, status: 'filed', deadline: T0 - 40 * MIN }),
    ];
    const alerts = deriveAlerts(cases, {
      ...opts,
      perimeters: [core],
      offPost: [away('U-old', T0 - 20 * MIN), away('U-new', T0 - 2 * MIN)],
    });
    expect(alerts.map((a) => a.id)).toEqual(['post:U-new', 'post:U-old', 'perimeter:in-late', 'critical:crit']);
    const first = alerts[0] as Extract<Alert, { kind: 'post' }>;
    expect([first.unit.unitId, first.at]).toEqual(['U-new', T0 - 2 * MIN]);
  });

  it('keeps the guard alarms when the rail is full of newer ordinary alerts', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      aCase({ id: `c${i}`, urgency: 'critical', reportedAt: T0 - i * 1000 }),
    );
    const alerts = deriveAlerts(many, { ...opts, max: 3, offPost: [away('U1', T0 - 25 * MIN)] });
    expect(alerts.map((a) => a.id)).toEqual(['post:U1', 'critical:c0', 'critical:c1']);
  });

  it('gives an empty rail for a rail of no cards', () => {
    expect(deriveAlerts([aCase({ urgency: 'critical' })], { ...opts, max: 0 })).toEqual([]);
  });
});
