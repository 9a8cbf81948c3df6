import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { FixBatch, InputMessage, MAX_INPUT_BYTES, redisKeys } from '@egret/protocol';
import { testNamespace } from '../../test/namespace.ts';
import { connectRedis, type Redis } from './publish/connect.ts';
import { RedisPublisher } from './publish/redis-publisher.ts';
import { MIN_REAL_STEP_MS, runSimulation, stepMs, type SimClock } from './runner.ts';
import { createWorld } from './scenario/registry.ts';
import { config, geometry, MIDNIGHT, places } from '../test/city.ts';

const TEN_AM = MIDNIGHT + 10 * 3_600_000;
const REAL_START = Date.parse('2026-11-22T02:00:00Z');

/** Real time that passes only when the loop sleeps: minutes of world time in milliseconds, on the same code path. */
function virtualClock(start: number): SimClock {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

interface Captured {
  events: string[];
  positions: string[];
  eventIds: string[];
  positionIds: string[];
}

describe(runSimulation.name, () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis.close();
  });

  /** Runs `minutes` of simulated world into a fresh namespace and reads both input streams back. */
  async function simulate(
    seed: number,
    minutes: number,
    options: { name?: string; units?: number; loadUnits?: number; rate?: number } = {},
  ): Promise<Captured> {
    const ns = testNamespace('sim');
    const world = createWorld({
      name: options.name ?? 'normal-day',
      config,
      places,
      geometry,
      seed,
      start: TEN_AM,
      ...(options.units ? { units: options.units } : {}),
      ...(options.loadUnits ? { loadUnits: options.loadUnits } : {}),
    });
    const publisher = new RedisPublisher(redis, { ns, positionsMaxLen: 100_000 });
    const progress = await runSimulation({
      world,
      publisher,
      clock: virtualClock(REAL_START),
      rate: options.rate ?? 1,
      worldStart: TEN_AM,
      fixIntervalMs: 1000,
      until: TEN_AM + minutes * 60_000,
    });
    expect(progress.steps).toBe((minutes * 60_000) / stepMs(1000, options.rate ?? 1));
    expect(progress.skippedSteps).toBe(0);
    const keys = redisKeys(ns);
    const ev = (await redis.xRange(keys.inEvents, '-', '+')) ?? [];
    const pos = (await redis.xRange(keys.inPositions, '-', '+')) ?? [];
    return {
      events: ev.map((e) => e.message.data!),
      positions: pos.map((e) => e.message.data!),
      eventIds: ev.map((e) => e.id),
      positionIds: pos.map((e) => e.id),
    };
  }

  it('publishes the same messages for the same seed, and different ones for another seed', async () => {
    const a = await simulate(7, 5);
    const b = await simulate(7, 5);
    const c = await simulate(8, 5);
    expect(a.events.length).toBeGreaterThan(240);
    expect(b.events).toEqual(a.events);
    expect(b.positions).toEqual(a.positions);
    expect(c.positions.slice(0, 50)).not.toEqual(a.positions.slice(0, 50));
    expect(c.events).not.toEqual(a.events);
  });

  it('writes only messages the protocol accepts: the clock first, units registered before their first fix', async () => {
    const run = await simulate(9, 10, { rate: 60 });
    const events = run.events.map((d) => InputMessage.parse(JSON.parse(d)));
    expect(events[0]).toEqual({
      kind: 'clock.set',
      clock: { baseReal: REAL_START, baseWorld: TEN_AM, rate: 60, scenario: 'normal-day' },
      at: TEN_AM,
    });
    for (const d of [...run.events, ...run.positions])
      expect(Buffer.byteLength(d)).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    const batches = run.positions.map((d) => FixBatch.parse(JSON.parse(d)));
    const registered = new Set(
      events.filter((e) => e.kind === 'unit.register').map((e) => e.kind === 'unit.register' && e.unitId),
    );
    const lastRegisterId = run.eventIds[events.findLastIndex((e) => e.kind === 'unit.register')]!;
    // Across two streams only the millisecond part of the ids compares (each stream numbers within a ms itself).
    expect(streamMs(lastRegisterId)).toBeLessThanOrEqual(streamMs(run.positionIds[0]!));
    for (const b of batches)
      for (const f of b.fixes) {
        if (!registered.has(f.unitId)) expect.fail(`fix of unregistered unit ${f.unitId}`);
        if (f.at < TEN_AM || f.at > TEN_AM + 600_000) expect.fail(`fix at ${f.at} outside the run`);
      }
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds).toEqual(
      new Set([
        'clock.set',
        'unit.register',
        'case.report',
        'case.transition',
        'unit.status',
        'sensor.register',
        'sensor.reading',
      ]),
    );
  });

  it('plays the load scenario: every unit reports every second', async () => {
    const run = await simulate(3, 1, { name: 'load', loadUnits: 2000 });
    const fixes = run.positions.flatMap((d) => FixBatch.parse(JSON.parse(d)).fixes);
    expect(fixes).toHaveLength(2000 * 61); // the start, then 60 steps
    const register = run.events.map((d) => JSON.parse(d)).filter((e) => e.kind === 'unit.register');
    expect(register).toHaveLength(2000);
    expect(register.every((e) => e.status === 'available')).toBe(true);
  });

  it('skips ahead when it falls behind, and loses no case on the way', async () => {
    const run = async (clock: SimClock) => {
      const ns = testNamespace('sim');
      const world = createWorld({ name: 'normal-day', config, places, geometry, seed: 4, start: TEN_AM, units: 20 });
      const progress = await runSimulation({
        world,
        publisher: new RedisPublisher(redis, { ns }),
        clock,
        rate: 1,
        worldStart: TEN_AM,
        fixIntervalMs: 1000,
        until: TEN_AM + 20 * 60_000,
      });
      const events = ((await redis.xRange(redisKeys(ns).inEvents, '-', '+')) ?? []).map((e) =>
        JSON.parse(e.message.data!),
      );
      return { progress, cases: events.filter((e) => e.kind.startsWith('case.')) };
    };
    // A machine so slow that every look at the clock finds 7 more seconds gone.
    let slow = REAL_START;
    const slowClock: SimClock = {
      now: () => (slow += 7_000),
      sleep: async (ms) => {
        slow += ms;
      },
    };
    const behind = await run(slowClock);
    const onTime = await run(virtualClock(REAL_START));
    expect(behind.progress.skippedSteps).toBeGreaterThan(0);
    expect(behind.progress.steps).toBeLessThan(onTime.progress.steps);
    expect(onTime.cases.length).toBeGreaterThan(5);
    expect(behind.cases).toEqual(onTime.cases);
  });

  it('steps every fixIntervalMs of world time, or coarser so that no step is shorter than 50 ms of real time', () => {
    expect(stepMs(1000, 1)).toBe(1000);
    expect(stepMs(1000, 20)).toBe(1000); // exactly 50 ms real
    expect(stepMs(1000, 21)).toBe(2000);
    expect(stepMs(1000, 60)).toBe(3000);
    expect(stepMs(1000, 1200)).toBe(60_000);
    expect(stepMs(5000, 60)).toBe(5000);
    expect(stepMs(5000, 240)).toBe(15_000);
    for (const rate of [1, 7, 30, 60, 240, 600, 1200, 3600])
      for (const fix of [100, 1000, 5000, 20_000]) {
        const step = stepMs(fix, rate);
        expect(step % fix).toBe(0);
        expect(step / rate).toBeGreaterThanOrEqual(MIN_REAL_STEP_MS - 1e-6);
        // The smallest such multiple: one interval less would be a shorter step than allowed.
        if (step > fix) expect((step - fix) / rate).toBeLessThan(MIN_REAL_STEP_MS);
      }
  });

  it('plays a run at 60× with one step per 3 world seconds, its cases the same as at 1×', async () => {
    const run = async (rate: number) => {
      const ns = testNamespace('sim');
      const world = createWorld({ name: 'normal-day', config, places, geometry, seed: 5, start: TEN_AM, units: 20 });
      const progress = await runSimulation({
        world,
        publisher: new RedisPublisher(redis, { ns }),
        clock: virtualClock(REAL_START),
        rate,
        worldStart: TEN_AM,
        fixIntervalMs: 1000,
        until: TEN_AM + 20 * 60_000,
      });
      const events = ((await redis.xRange(redisKeys(ns).inEvents, '-', '+')) ?? []).map((e) =>
        JSON.parse(e.message.data!),
      );
      return { progress, reports: events.filter((e) => e.kind === 'case.report') };
    };
    const slow = await run(1);
    const fast = await run(60);
    expect(slow.progress.steps).toBe(20 * 60);
    expect(fast.progress.steps).toBe(20 * 20);
    expect(fast.progress.skippedSteps).toBe(0);
    // Arrivals come from the seed, not the step: the same reports, at the same world times.
    expect(slow.reports.length).toBeGreaterThan(3);
    expect(fast.reports.map((r) => [r.caseId, r.at])).toEqual(slow.reports.map((r) => [r.caseId, r.at]));
  });

  it('stops cleanly when aborted', async () => {
    const ns = testNamespace('sim');
    const world = createWorld({ name: 'normal-day', config, places, geometry, seed: 1, start: TEN_AM, units: 20 });
    const stop = new AbortController();
    const progress = await runSimulation({
      world,
      publisher: new RedisPublisher(redis, { ns }),
      clock: virtualClock(REAL_START),
      rate: 1,
      worldStart: TEN_AM,
      fixIntervalMs: 1000,
      signal: stop.signal,
      onStep: (p) => {
        if (p.steps === 30) stop.abort();
      },
    });
    expect(progress.steps).toBe(30);
  });
});

function streamMs(id: string): number {
  return Number(id.split('-')[0]);
}
