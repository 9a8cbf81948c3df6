import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import { InputMessage, REAL_CLOCK, toSnapshot, type LogEvent } from '@egret/protocol';
import { applyInput } from '../src/domain/apply-input.ts';
import { ensureGroup } from '../src/ingest/consumer.ts';
import { handleEntry, type IngestContext } from '../src/ingest/handle-entry.ts';
import { createMetrics } from '../src/metrics.ts';
import { commit } from '../src/redis/commit.ts';
import { redisStore } from '../src/redis/store.ts';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, now, startHub, testRedis, waitFor } from './hub-fixture.ts';

const config = loadConfig();
const clients: Redis[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
});

async function setup(label: string) {
  const t = await testRedis(label);
  clients.push(t.redis);
  await ensureGroup(t.redis, t.keys.inEvents, t.keys.ingestGroup);
  return t;
}

/** Puts one input in the stream and has consumer `ghost` read it (so it is pending, as with a hub that died). */
async function pendingOnGhost(redis: Redis, keys: Awaited<ReturnType<typeof setup>>['keys'], input: unknown) {
  const id = await redis.xAdd(keys.inEvents, '*', asData(input));
  await redis.xReadGroup(keys.ingestGroup, 'ghost', { key: keys.inEvents, id: '>' }, { COUNT: 1 });
  return id;
}

const logEvents = async (redis: Redis, key: string): Promise<LogEvent[]> =>
  ((await redis.xRange(key, '-', '+')) ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent);

describe('exactly once', () => {
  it('commits an input entry once: a second commit of the same entry only acknowledges it', async () => {
    const { redis, keys } = await setup('once');
    const input = InputMessage.parse(caseReport('ONCE-1'));
    const entryId = await pendingOnGhost(redis, keys, input);
    const decided = applyInput(
      input,
      {},
      {
        categories: config.categories,
        shapes: districtShapes(config.boundaries),
        districts: new Set(),
        worldNow: now(),
        realNow: now(),
        sensors: config.settings.sensors,
        grids: gridSpec(config.city.bbox, GRID_CELL_M),
      },
    );
    if (!decided.ok || decided.events.length === 0) throw new Error('expected a change');
    const args = {
      keys,
      entry: { stream: keys.inEvents, id: entryId },
      change: decided,
      logMaxLen: 10_000,
      now: now(),
    };

    expect(await commit(redis, args)).toEqual({ status: 'committed', firstSeq: 1, seq: 1 });
    expect(await commit(redis, args)).toEqual({ status: 'already_applied' });

    expect((await logEvents(redis, keys.log)).map((e) => e.seq)).toEqual([1]);
    expect(await redis.get(keys.logSeq)).toBe('1');
    expect(Number((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending)).toBe(0);
  });

  it('refuses a commit whose entity changed since it was read, so the caller decides again', async () => {
    const { redis, keys } = await setup('cas');
    const input = InputMessage.parse(caseReport('CAS-1'));
    const ctx = {
      categories: config.categories,
      shapes: districtShapes(config.boundaries),
      districts: new Set<string>(),
      worldNow: now(),
      realNow: now(),
      sensors: config.settings.sensors,
      grids: gridSpec(config.city.bbox, GRID_CELL_M),
    };
    const first = applyInput(input, {}, ctx);
    const second = applyInput(input, {}, ctx); // decided on the same (empty) read, as a concurrent hub would
    if (!first.ok || !second.ok) throw new Error('expected changes');
    const [a, b] = [await pendingOnGhost(redis, keys, input), await pendingOnGhost(redis, keys, input)];
    expect(
      await commit(redis, {
        keys,
        entry: { stream: keys.inEvents, id: a },
        change: first,
        logMaxLen: 10_000,
        now: now(),
      }),
    ).toMatchObject({ status: 'committed' });
    expect(
      await commit(redis, {
        keys,
        entry: { stream: keys.inEvents, id: b },
        change: second,
        logMaxLen: 10_000,
        now: now(),
      }),
    ).toEqual({ status: 'conflict', kind: 'case', id: 'CAS-1' });
    expect(await logEvents(redis, keys.log)).toHaveLength(1);
  });

  it('handles an entry claimed again after it was applied as a mere acknowledgement, not a duplicate', async () => {
    const { redis, keys } = await setup('reclaim');
    const entryId = await pendingOnGhost(redis, keys, caseReport('RE-1'));
    const ctx: IngestContext = {
      store: redisStore(redis, keys, { logMaxLen: 10_000 }),
      redis,
      keys,
      apply: {
        categories: config.categories,
        shapes: districtShapes(config.boundaries),
        districts: new Set(),
        sensors: config.settings.sensors,
        grids: gridSpec(config.city.bbox, GRID_CELL_M),
      },
      clock: () => REAL_CLOCK,
      realNow: now,
      deadletterMaxLen: 1_000,
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
    };
    const entry = { id: entryId, message: asData(caseReport('RE-1')) };
    expect(await handleEntry(ctx, keys.inEvents, entry)).toBe('applied');
    // Another hub claims the same entry (as after a crash before its bookkeeping) and handles it again.
    expect(await handleEntry(ctx, keys.inEvents, entry)).toBe('already_applied');
    expect(await logEvents(redis, keys.log)).toHaveLength(1);
    expect(await redis.xLen(keys.deadletter)).toBe(0);
  });

  it('claims an entry left pending by a dead hub and applies it', async () => {
    const { redis, keys, ns } = await setup('claim');
    const entryId = await pendingOnGhost(redis, keys, caseReport('DEAD-1'));
    // The ghost has held it for 31 s (XCLAIM … IDLE sets the idle time: no need to wait for real).
    await redis.xClaim(keys.inEvents, keys.ingestGroup, 'ghost', 0, entryId, { IDLE: 31_000 });
    const hub = await startHub(ns);
    try {
      await waitFor('the claimed case', () => hub.app.world().cases.has('DEAD-1'));
      expect(Number((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending)).toBe(0);
      expect(await logEvents(redis, keys.log)).toHaveLength(1);
    } finally {
      await hub.close();
    }
  });

  it('two hubs on one namespace turn a burst of 2,000 inputs into 2,000 log events, none twice, and agree', async () => {
    const { redis, keys, ns } = await setup('two');
    const [a, b] = [await startHub(ns, { hubId: 'hub-a' }), await startHub(ns, { hubId: 'hub-b' })];
    try {
      // 1,900 reports, and 100 registrations of 5 units that the hubs race to write (version conflicts, slots).
      const inputs: unknown[] = [];
      for (let i = 0; i < 2_000; i++) {
        inputs.push(
          i % 20 === 0
            ? {
                kind: 'unit.register',
                unitId: `U-${(i / 20) % 5}`,
                name: `unit ${i}`,
                type: 'sanitation',
                squadId: 'SQ-1',
                district: '350206',
                at: now(),
              }
            : caseReport(`B-${i}`),
        );
      }
      const multi = redis.multi();
      for (const input of inputs) multi.xAdd(keys.inEvents, '*', asData(input));
      await multi.exec();

      await waitFor('both mirrors at 2,000', () => a.app.world().seq === 2_000 && b.app.world().seq === 2_000, 30_000);
      const events = await logEvents(redis, keys.log);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
      const reported = events.flatMap((e) => (e.type === 'case.reported' ? [e.case.id] : []));
      expect(reported).toHaveLength(1_900);
      expect(new Set(reported).size).toBe(1_900);
      expect(events.filter((e) => e.type === 'unit.registered')).toHaveLength(100);
      const units = [...a.app.world().units.values()];
      expect(units.map((u) => u.version).sort()).toEqual([19, 19, 19, 19, 19]);
      expect(new Set(units.map((u) => u.slot)).size).toBe(5);
      expect(await redis.xLen(keys.deadletter)).toBe(0);
      expect(Number((await redis.xPending(keys.inEvents, keys.ingestGroup)).pending)).toBe(0);
      expect(toSnapshot(a.app.world())).toEqual(toSnapshot(b.app.world()));

      // One applier at a time (the lease holder applies the control plane in stream order; the other stands by, see
      // server/test/ingest-order.test.ts): between them the two hubs applied every entry exactly once.
      const applied: number[] = [];
      for (const hub of [a, b]) {
        const m = await (await fetch(`${hub.url}/metrics`)).text();
        applied.push(Number(/egret_ingest_entries_total\{stream="[^"]+",result="applied"\} (\d+)/.exec(m)?.[1] ?? 0));
      }
      expect(applied.reduce((x, y) => x + y, 0)).toBe(2_000);
    } finally {
      await a.close();
      await b.close();
    }
  }, 45_000);
});
