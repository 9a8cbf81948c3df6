import { describe, expect, it } from 'vitest';
import { loadConfig } from '@egret/config';
import type { Case, Sensor, SensorReading } from '@egret/protocol';
import { holdsOpenCase, readSensor, sensorCaseId } from './sensor-step.ts';

const policy = {
  ...loadConfig().settings.sensors,
  logEveryMinutes: 10,
  persistMinutes: 10,
  repeatCount: 3,
  repeatWindowMinutes: 60,
};
const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);
const MIN = 60_000;

const gauge: Sensor = {
  id: 'WL-1',
  kind: 'water_level',
  name: '湖滨南路积水点',
  district: '350203',
  position: [118.09, 24.47],
  unit: 'cm',
  warning: 10,
  alarm: 20,
  level: 'normal',
  alarmOnsets: [],
  casesRaised: 0,
  version: 0,
};
const reading = (minute: number, value: number): SensorReading => ({
  kind: 'sensor.reading',
  sensorId: gauge.id,
  value,
  at: T0 + minute * MIN,
});

/** Feeds readings one by one, as the hub would, and says at which minutes a case was raised. */
function feed(
  values: Array<[minute: number, value: number]>,
  start: Sensor = gauge,
): { sensor: Sensor; raisedAt: number[]; logged: number[] } {
  let sensor = start;
  const raisedAt: number[] = [];
  const logged: number[] = [];
  for (const [minute, value] of values) {
    const step = readSensor(sensor, reading(minute, value), policy, sensor.caseId !== undefined);
    sensor = step.sensor;
    if (step.log) logged.push(minute);
    if (step.raiseCase) {
      raisedAt.push(minute);
      sensor = {
        ...sensor,
        caseId: sensorCaseId(sensor.id, sensor.casesRaised + 1),
        casesRaised: sensor.casesRaised + 1,
        alarmOnsets: [],
      };
    }
  }
  return { sensor, raisedAt, logged };
}

describe(readSensor.name, () => {
  it('grades a reading against the thresholds: under warning normal, at warning a warning, at alarm an alarm', () => {
    expect(readSensor(gauge, reading(0, 9.9), policy, false).sensor.level).toBe('normal');
    expect(readSensor(gauge, reading(0, 10), policy, false).sensor.level).toBe('warning');
    expect(readSensor(gauge, reading(0, 20), policy, false).sensor.level).toBe('alarm');
  });

  it('turns an alarm that lasts persistMinutes into one case, however many readings stay over the threshold', () => {
    const minutes = Array.from({ length: 60 }, (_, i) => [i, 35] as [number, number]);
    const { raisedAt, sensor } = feed(minutes);
    expect(raisedAt).toEqual([10]);
    expect(sensor.caseId).toBe('IOT-WL-1-1');
  });

  it('turns the third alarm within the repeat window into a case, even when none of them lasts', () => {
    const flapping: Array<[number, number]> = [
      [0, 25],
      [1, 5],
      [15, 25],
      [16, 5],
      [30, 25],
      [31, 5],
      [45, 25],
    ];
    expect(feed(flapping).raisedAt).toEqual([30]);
  });

  it('forgets alarms older than the repeat window', () => {
    const sparse: Array<[number, number]> = [
      [0, 25],
      [1, 5],
      [50, 25],
      [51, 5],
      [120, 25],
      [121, 5],
    ];
    expect(feed(sparse).raisedAt).toEqual([]);
  });

  it('raises a second case only once the first is no longer open', () => {
    const first = feed(Array.from({ length: 20 }, (_, i) => [i, 35] as [number, number]));
    expect(first.raisedAt).toEqual([10]);
    const stillOpen = readSensor(first.sensor, reading(40, 35), policy, true);
    expect(stillOpen.raiseCase).toBe(false);
    expect(stillOpen.sensor.caseId).toBe('IOT-WL-1-1');
    const closed = readSensor(first.sensor, reading(41, 35), policy, false);
    expect(closed.raiseCase).toBe(true);
    expect(closed.sensor.caseId).toBeUndefined();
  });

  it('logs every change of level and a move, and otherwise one reading every logEveryMinutes', () => {
    const values: Array<[number, number]> = [
      [0, 1],
      [5, 2],
      [9, 3],
      [10, 4],
      [12, 11],
      [13, 12],
      [25, 3],
    ];
    expect(feed(values).logged).toEqual([0, 10, 12, 25]);
    const moved = readSensor({ ...gauge, loggedAt: T0 }, { ...reading(1, 0), lon: 118.1, lat: 24.48 }, policy, false);
    expect([moved.log, moved.sensor.position]).toEqual([true, [118.1, 24.48]]);
  });
});

describe(holdsOpenCase.name, () => {
  const c = { id: 'IOT-WL-1-1', status: 'dispatched' } as Case;
  it('holds while the case it raised is anything but closed or rejected', () => {
    expect(holdsOpenCase({ ...gauge, caseId: c.id }, c)).toBe(true);
    expect(holdsOpenCase({ ...gauge, caseId: c.id }, { ...c, status: 'closed' })).toBe(false);
    expect(holdsOpenCase({ ...gauge, caseId: c.id }, { ...c, status: 'rejected' })).toBe(false);
    expect(holdsOpenCase(gauge, c)).toBe(false);
  });
});
