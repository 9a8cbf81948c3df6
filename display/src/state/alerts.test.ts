import { describe, expect, it } from 'vitest';
import { aCase, aSensor, T0 } from '../../test/fixtures.ts';
import { deriveAlerts, overdueCases, type Alert } from './alerts.ts';

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
    const alerts = deriveAlerts([aCase({ id: 'x', urgency: 'critical', reportedAt: T0 - 10 * MIN, deadline: T0 - MIN, status: 'filed' })], opts);
    expect(alerts.map((a) => a.kind)).toEqual(['overdue']);
  });

  it('keeps at most max alerts however many cases qualify', () => {
    const many = Array.from({ length: 50 }, (_, i) => aCase({ id: `c${i}`, urgency: 'critical', reportedAt: T0 - i * 1000 }));
    const alerts = deriveAlerts(many, { ...opts, max: 5 });
    expect(alerts.map((a) => a.id)).toEqual(['critical:c0', 'critical:c1', 'critical:c2', 'critical:c3', 'critical:c4']);
  });

  it('raises every sensor in alarm for as long as the alarm lasts, dated from its start, and not one at warning', () => {
    const sensors = [
      aSensor({ id: 'gauge', level: 'alarm', value: 42, alarmSince: T0 - 2 * MIN }),
      aSensor({ id: 'long', level: 'alarm', value: 35, alarmSince: T0 - 300 * MIN }),
      aSensor({ id: 'rising', level: 'warning', value: 20 }),
    ];
    const alerts = deriveAlerts([aCase({ id: 'crit', urgency: 'critical', reportedAt: T0 - 5 * MIN })], { ...opts, sensors });
    expect(alerts.map((a) => [a.id, a.at])).toEqual([['alarm:gauge', T0 - 2 * MIN], ['critical:crit', T0 - 5 * MIN], ['alarm:long', T0 - 300 * MIN]]);
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
