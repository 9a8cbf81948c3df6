import { describe, expect, it } from 'vitest';
import { InputMessage, type SensorReading } from '@egret/protocol';
import { createSensorFeed, type SimSensor } from './sensor-feed.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-22T10:00:00+08:00');

const sensor = (id: string, phaseMs: number, moving = false): SimSensor => ({
  id,
  kind: moving ? 'dog_tag' : 'noise',
  name: `测试 ${id}`,
  district: '350203',
  position: [118.1, 24.47],
  unit: moving ? '' : 'dB(A)',
  warning: moving ? 1 : 65,
  alarm: moving ? 1 : 70,
  phaseMs,
  read: (t) => (moving ? { value: 0, position: [118.1 + (t - T0) / 1e10, 24.47] } : { value: 50 + ((t / 1000) % 7) }),
});

describe(createSensorFeed.name, () => {
  const feed = createSensorFeed(
    'sensors',
    [sensor('A', 0), sensor('B', 17_000), sensor('DOG-1', 42_000, true)],
    5 * MINUTE,
  );

  it('registers every sensor at start, as the protocol wants it', () => {
    const regs = feed.start(T0).map((e) => InputMessage.parse(e));
    expect(
      regs.map((e) => e.kind === 'sensor.register' && [e.sensorId, e.sensorKind, e.unit, e.warning, e.alarm, e.at]),
    ).toEqual([
      ['A', 'noise', 'dB(A)', 65, 70, T0],
      ['B', 'noise', 'dB(A)', 65, 70, T0],
      ['DOG-1', 'dog_tag', '', 1, 1, T0],
    ]);
  });

  it('reads each sensor every interval at its own phase, in time order, a moving one with its position', () => {
    const { events, reports } = feed.step(T0, T0 + 15 * MINUTE);
    expect(reports).toEqual([]);
    const readings = events.map((e) => InputMessage.parse(e) as SensorReading);
    expect(readings.map((r) => [r.sensorId, (r.at - T0) / 1000])).toEqual([
      ['B', 17],
      ['DOG-1', 42],
      ['A', 300],
      ['B', 317],
      ['DOG-1', 342],
      ['A', 600],
      ['B', 617],
      ['DOG-1', 642],
      ['A', 900],
    ]);
    expect(readings.filter((r) => r.lon !== undefined).map((r) => r.sensorId)).toEqual(['DOG-1', 'DOG-1', 'DOG-1']);
  });

  it('gives the same readings however the steps slice time', () => {
    const once = feed.step(T0, T0 + HOURS(2)).events;
    const sliced = [];
    for (let t = T0; t < T0 + HOURS(2); t += 7_000)
      sliced.push(...feed.step(t, Math.min(t + 7_000, T0 + HOURS(2))).events);
    expect(sliced).toEqual(once);
  });
});

function HOURS(h: number) {
  return h * 3_600_000;
}
