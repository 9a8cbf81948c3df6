import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputMessage, LogEvent, StormUpdate } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { asData, now, Screen, startHub, testRedis, waitFor, xaddInput, type TestHub } from './hub-fixture.ts';

const MIN = 60_000;

function stormUpdate(at: number, over: Partial<StormUpdate['storm']> = {}): InputMessage {
  return {
    kind: 'storm.update',
    at,
    storm: {
      id: '1614',
      name: { zh: '莫兰蒂', en: 'Meranti' },
      at,
      center: [118.9, 24.0],
      pressureHpa: 935,
      maxWindMs: 52,
      r7Km: 300,
      r10Km: 120,
      r12Km: 60,
      stage: 'at_sea',
      phase: 'landfall',
      signal: 'red',
      landfall: { at: at + 2 * 3_600_000, center: [118.3, 24.6], place: '翔安' },
      track: [{ at: at - 3_600_000, center: [119.2, 23.6], pressureHpa: 933, maxWindMs: 55 }],
      forecast: [
        { at: at + 6 * 3_600_000, leadHours: 6, center: [117.9, 25.0], pressureHpa: 960, maxWindMs: 33, coneKm: 15 },
      ],
      ...over,
    },
  };
}

const gauge = (sensorId: string, at: number): InputMessage => ({
  kind: 'sensor.register',
  sensorId,
  sensorKind: 'water_level',
  name: '湖滨南路积水点',
  district: '350203',
  lon: 118.0894,
  lat: 24.4798,
  unit: 'cm',
  warning: 10,
  alarm: 20,
  at,
});
const reading = (sensorId: string, at: number, value: number): InputMessage => ({
  kind: 'sensor.reading',
  sensorId,
  value,
  at,
});

describe('storms and sensors on the live path', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let screen: Screen;
  const send = (m: InputMessage) => xaddInput(redis, keys, asData(m));

  beforeAll(async () => {
    const t = await testRedis('wx');
    ({ redis, keys } = t);
    hub = await startHub(t.ns);
    screen = new Screen(hub.url);
    await waitFor('the first snapshot', () => screen.snapshots.length === 1);
  });
  afterAll(async () => {
    screen.close();
    await hub.close();
    await redis.close();
  });

  it('logs a storm update, keeps it in Redis and on every screen, and refuses an older one', async () => {
    const t = now() - 20 * MIN;
    await send(stormUpdate(t));
    await send(stormUpdate(t + 10 * MIN, { signal: 'red', center: [118.7, 24.2] }));
    await send(stormUpdate(t + 5 * MIN));
    await waitFor('two storm events', () => screen.events.filter((e) => e.type === 'storm.updated').length === 2);
    await waitFor('the stale update dead-lettered', async () => (await redis.xLen(keys.deadletter)) === 1);
    const [dead] = (await redis.xRange(keys.deadletter, '-', '+')) ?? [];
    expect(dead!.message.reason).toBe('out_of_order');
    const storm = hub.app.world().storms.get('1614')!;
    expect([storm.version, storm.center, storm.signal]).toEqual([1, [118.7, 24.2], 'red']);
    expect(JSON.parse((await redis.hGet(keys.storms, '1614'))!)).toEqual(storm);

    const later = new Screen(hub.url);
    await waitFor('a later screen’s snapshot', () => later.snapshots.length === 1);
    expect(later.snapshots[0]!.storms).toEqual([storm]);
    later.close();
  });

  it('turns a gauge that stays over its alarm threshold into one case, and logs only some of its readings', async () => {
    const t0 = now() - 60 * MIN;
    await send(gauge('WL-HB', t0));
    // 30 readings a minute apart, all over the alarm threshold: one case after 10 minutes, not one per reading.
    for (let i = 1; i <= 30; i++) await send(reading('WL-HB', t0 + i * MIN, 30 + i));
    await waitFor(
      'every reading applied',
      async () => JSON.parse((await redis.hGet(keys.sensors, 'WL-HB')) ?? '{}').value === 60,
    );

    const sensor = JSON.parse((await redis.hGet(keys.sensors, 'WL-HB'))!);
    expect(sensor).toMatchObject({ level: 'alarm', caseId: 'IOT-WL-HB-1', casesRaised: 1, readAt: t0 + 30 * MIN });
    const log = ((await redis.xRange(keys.log, '-', '+')) ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent);
    const cases = log.filter((e) => e.type === 'case.reported' && e.case.source === 'iot');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      at: t0 + 11 * MIN,
      case: { id: 'IOT-WL-HB-1', category: { code: 'L0001', standard: 'local' }, urgency: 'urgent' },
    });
    const reads = log.filter((e) => e.type === 'sensor.read' && e.sensor.id === 'WL-HB');
    // First reading (normal → alarm), the case raised at minute 11, then every 10 minutes after it.
    expect(reads.map((e) => (e.at - t0) / MIN)).toEqual([1, 11, 21]);
    await waitFor('the screen has the sensor and its case', () => {
      const w = hub.app.world();
      return w.sensors.get('WL-HB')?.caseId === 'IOT-WL-HB-1' && w.cases.has('IOT-WL-HB-1');
    });
  });

  it('raises another case only once the first is closed', async () => {
    const t0 = now() - 30 * MIN;
    await redis.hSet(
      keys.cases,
      'IOT-WL-HB-1',
      JSON.stringify({
        ...JSON.parse((await redis.hGet(keys.cases, 'IOT-WL-HB-1'))!),
        status: 'closed',
      }),
    );
    await send(reading('WL-HB', t0, 45));
    await waitFor('the second case', async () => (await redis.hExists(keys.cases, 'IOT-WL-HB-2')) === 1);
  });

  it('dead-letters readings of an unknown sensor and a register whose warning is above its alarm', async () => {
    const before = await redis.xLen(keys.deadletter);
    await send(reading('NO-SUCH', now(), 1));
    await send({ ...gauge('WL-BAD', now()), warning: 30, alarm: 20 } as InputMessage);
    await waitFor('both dead-lettered', async () => (await redis.xLen(keys.deadletter)) === before + 2);
    const reasons = ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).slice(-2).map((e) => e.message.reason);
    expect(reasons).toEqual(['unknown_sensor', 'schema']);
  });
});
