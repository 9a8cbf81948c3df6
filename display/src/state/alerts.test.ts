import { describe, expect, it } from 'vitest';
import { aCase, T0 } from '../../test/fixtures.ts';
import { deriveAlerts, overdueCases } from './alerts.ts';

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
    expect(alerts.map((a) => a.case.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
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
