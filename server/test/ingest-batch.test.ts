import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { districtShapes, GRID_CELL_M, gridSpec, loadConfig } from '@egret/config';
import { REAL_CLOCK, type InputMessage, type LogEvent, type Unit } from '@egret/protocol';
import type { EntityStore } from '../src/domain/store.ts';
import { ensureGroup, startConsumer, type Consumer } from '../src/ingest/consumer.ts';
import { handleBatch } from '../src/ingest/handle-batch.ts';
import type { IngestContext } from '../src/ingest/handle-entry.ts';
import { Fenced, readBacklog, type LiveEntry } from '../src/ingest/stream-consumer.ts';
import { createMetrics } from '../src/metrics.ts';
import type { Redis } from '../src/redis/connect.ts';
import { redisStore } from '../src/redis/store.ts';
import { asData, caseReport, now, startHub, testRedis, waitFor } from './hub-fixture.ts';

/**
 * Issue 19: the control plane applied in batches — one script call per batch (commit-batch.lua), each entry still
 * validated, decided, logged or refused on its own, in stream order, exactly once, behind the applier's fence.
 */
const config = loadConfig();
const clients: Redis[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
});
const upstream = { role: 'upstream', id: 'case-system' } as const;

async function setup(label: string) {
  const t = await testRedis(label);
  clients.push(t.redis);
  await ensureGroup(t.redis, t.keys.inEvents, t.keys.ingestGroup);
  const metrics = createMetrics();
  const ctx: IngestContext = {
    store: redisStore(t.redis, t.keys, { logMaxLen: 10_000 }),
    redis: t.redis,
    keys: t.keys,
    apply: {
      categories: config.categories,
      shapes: districtShapes(config.boundaries),
      districts: new Set(config.city.districts.map((d) => d.code)),
      sensors: config.settings.sensors,
      grids: gridSpec(config.city.bbox, GRID_CELL_M),
    },
    clock: () => REAL_CLOCK,
    realNow: now,
    deadletterMaxLen: 1_000,
    metrics,
    logger: pino({ level: 'silent' }),
  };
  /** Writes raw payloads to the stream and has the applier read them (pending on it, as a batch it handles). */
  const deliver = async (payloads: Array<Record<string, string>>): Promise<LiveEntry[]> => {
    const multi = t.redis.multi();
    for (const p of payloads) multi.xAdd(t.keys.inEvents, '*', p);
    await multi.exec();
    const read = (await t.redis.xReadGroup(
      t.keys.ingestGroup,
      'applier',
      { key: t.keys.inEvents, id: '>' },
      { COUNT: payloads.length },
    )) as Array<{ messages: Array<{ id: string; message: Record<string, string> }> }> | null;
    return (read?.[0]?.messages ?? []).map((m) => ({ id: m.id, message: { ...m.message } }));
  };
  const log = async (): Promise<LogEvent[]> =>
    ((await t.redis.xRange(t.keys.log, '-', '+')) ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent);
  const deadLetters = async () =>
    ((await t.redis.xRange(t.keys.deadletter, '-', '+')) ?? []).map((e) => ({ ...e.message }));
  const pending = async () => Number((await t.redis.xPending(t.keys.inEvents, t.keys.ingestGroup)).pending);
  return { ...t, ctx, metrics, deliver, log, deadLetters, pending };
}

const register = (unitId: string, name = unitId): InputMessage => ({
  kind: 'unit.register',
  unitId,
  name,
  type: 'sanitation',
  squadId: 'SQ-1',
  district: '350203',
  status: 'available',
  at: now(),
});

describe('batched control-plane ingest', () => {
  it('commits a batch mixing valid and invalid inputs: each bad one dead-lettered with its reason, the rest applied in order', async () => {
    const s = await setup('batch-mixed');
    const entries = await s.deliver([
      asData(caseReport('MIX-1')),
      { data: '{"kind":"case.report"' }, // cut short
      asData(caseReport('MIX-2', { category: { code: '99999', standard: 'GB/T 47678.5-2026' } })),
      asData(caseReport('MIX-1')), // the same case again
      { other: 'no data field' },
      asData({ ...caseReport('MIX-3'), kind: 'CASE.REPORT' }), // another letter case is another kind: refused
      asData(caseReport('MIX-4', { at: now() + 3_600_000 })),
      asData(caseReport('MIX-5')),
      asData({ kind: 'case.transition', caseId: 'MIX-5', to: 'accepted', actor: upstream, at: now() }),
    ]);
    expect(entries).toHaveLength(9);

    expect(await handleBatch(s.ctx, s.keys.inEvents, entries, undefined, 10_000)).toBe('done');

    const events = await s.log();
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'case.reported'],
      [2, 'case.reported'],
      [3, 'case.transitioned'],
    ]);
    expect(events.flatMap((e) => (e.type === 'case.reported' ? [e.case.id] : []))).toEqual(['MIX-1', 'MIX-5']);
    const dead = await s.deadLetters();
    expect(dead.map((d) => [d.entryId, d.reason])).toEqual([
      [entries[1]!.id, 'invalid_json'],
      [entries[2]!.id, 'unknown_category'],
      [entries[3]!.id, 'duplicate'],
      [entries[4]!.id, 'missing_data'],
      [entries[5]!.id, 'schema'],
      [entries[6]!.id, 'far_future'],
    ]);
    expect(dead[1]!.detail).toContain('99999');
    expect(dead[1]!.source).toBe(s.keys.inEvents);
    expect(await s.redis.hGetAll(s.keys.deadletterCounts)).toMatchObject({
      invalid_json: '1',
      unknown_category: '1',
      duplicate: '1',
      missing_data: '1',
      schema: '1',
      far_future: '1',
    });
    expect(await s.pending()).toBe(0);
    const metrics = await s.metrics.registry.metrics();
    expect(metrics).toMatch(/egret_ingest_entries_total\{stream="[^"]+",result="applied"\} 3/);
    expect(metrics).toMatch(/egret_ingest_entries_total\{stream="[^"]+",result="rejected"\} 6/);
  });

  it('refuses a field update sent for another unit — also the same id in another letter case — and an oversized entry, and applies the owner’s in order', async () => {
    const s = await setup('batch-owner');
    const at = now() - 60_000;
    const caseId = 'OWN-1';
    const taskId = 'OWN-T';
    // A case dispatched to unit OWN-U (as a dispatcher's command leaves it): case, task and unit in Redis.
    await s.redis.hSet(
      s.keys.cases,
      caseId,
      JSON.stringify({
        id: caseId,
        category: { code: '04002', standard: 'GB/T 47678.5-2026' },
        source: 'hotline',
        urgency: 'normal',
        position: [118.09, 24.46],
        address: '思明南路',
        district: '350203',
        status: 'dispatched',
        reportedAt: at,
        supervised: false,
        history: [{ to: 'reported', at, actor: upstream }],
        taskId,
        version: 3,
      }),
    );
    await s.redis.hSet(
      s.keys.tasks,
      taskId,
      JSON.stringify({
        id: taskId,
        caseId,
        unitId: 'OWN-U',
        squadId: 'SQ-1',
        status: 'dispatched',
        createdAt: at,
        updatedAt: at,
        actor: { role: 'dispatcher', id: 'd1' },
        version: 0,
      }),
    );
    await s.redis.hSet(
      s.keys.units,
      'OWN-U',
      JSON.stringify({ ...(register('OWN-U') as object), slot: 0, status: 'dispatched', taskId, version: 0 }),
    );
    const update = (unitId: string, status: string) =>
      asData({ kind: 'task.update', taskId, unitId, status, at: now() });
    const entries = await s.deliver([
      update('OTHER-U', 'accepted'),
      update('own-u', 'accepted'),
      update('OWN-U', 'accepted'),
      { data: JSON.stringify({ ...caseReport('OWN-BIG'), description: 'x'.repeat(70_000) }) },
      update('OWN-U', 'en_route'),
    ]);
    expect(await handleBatch(s.ctx, s.keys.inEvents, entries, undefined, 10_000)).toBe('done');
    expect((await s.deadLetters()).map((d) => d.reason)).toEqual(['unit_mismatch', 'unit_mismatch', 'oversized']);
    const task = JSON.parse((await s.redis.hGet(s.keys.tasks, taskId))!) as { status: string; unitId: string };
    expect(task).toMatchObject({ status: 'en_route', unitId: 'OWN-U' });
    expect((await s.log()).flatMap((e) => (e.type === 'task.updated' ? [[e.from, e.to, e.actor.id]] : []))).toEqual([
      ['dispatched', 'accepted', 'OWN-U'],
      ['accepted', 'en_route', 'OWN-U'],
    ]);
    expect(await s.pending()).toBe(0);
  });

  it('applies exactly once: the same batch claimed again after its commit is only acknowledged', async () => {
    const s = await setup('batch-replay');
    const entries = await s.deliver([
      asData(caseReport('RP-1')),
      asData({ kind: 'case.transition', caseId: 'RP-1', to: 'accepted', actor: upstream, at: now() }),
      { data: 'not json' },
      asData(register('RP-U')),
    ]);
    expect(await handleBatch(s.ctx, s.keys.inEvents, entries, undefined, 10_000)).toBe('done');
    const once = await s.log();
    expect(once).toHaveLength(3);
    // A hub that died after the commit left them pending (as if never acknowledged): another claims them again.
    await s.redis.xClaim(
      s.keys.inEvents,
      s.keys.ingestGroup,
      'applier',
      0,
      entries.map((e) => e.id),
    );
    expect(await handleBatch(s.ctx, s.keys.inEvents, entries, undefined, 10_000)).toBe('done');
    // …and the same batch again, in part and in another order (a replay by an attacker with stream access).
    expect(await handleBatch(s.ctx, s.keys.inEvents, [entries[3]!, entries[0]!], undefined, 10_000)).toBe('done');
    expect(await s.log()).toEqual(once);
    // The applied entries were acknowledged as applied before; the refused one was never in the applied set, and
    // its entry was acknowledged with its dead letter: a replay of it is refused again, never applied.
    expect((await s.deadLetters()).map((d) => d.reason)).toEqual(['invalid_json', 'invalid_json']);
    expect(Number(await s.redis.get(s.keys.slotSeq))).toBe(1);
    expect(await s.pending()).toBe(0);
  });

  it('refuses a stale applier’s batch whole: nothing written, nothing acknowledged, nothing dead-lettered', async () => {
    const s = await setup('batch-fenced');
    const lease = `${s.keys.inEvents}:applier`;
    await s.redis.set(lease, 'the-successor');
    const entries = await s.deliver([asData(caseReport('FEN-1')), { data: '{' }, asData(register('FEN-U'))]);
    await expect(
      handleBatch(s.ctx, s.keys.inEvents, entries, { key: lease, token: 'the-ex-leader' }, 10_000),
    ).rejects.toBeInstanceOf(Fenced);
    expect(await s.log()).toEqual([]);
    expect(await s.deadLetters()).toEqual([]);
    expect(await s.redis.hLen(s.keys.cases)).toBe(0);
    expect(await s.redis.hLen(s.keys.slots)).toBe(0);
    expect(await s.pending()).toBe(3);
    // The rightful holder's batch goes through.
    expect(await handleBatch(s.ctx, s.keys.inEvents, entries, { key: lease, token: 'the-successor' }, 10_000)).toBe(
      'done',
    );
    expect((await s.log()).map((e) => e.type)).toEqual(['case.reported', 'unit.registered']);
    expect(await s.pending()).toBe(0);
  });

  it('decides the batch again when a command changed one of its entities between the load and the commit', async () => {
    const s = await setup('batch-conflict');
    const unit: Unit = {
      id: 'CF-U',
      name: 'CF-U',
      type: 'sanitation',
      squadId: 'SQ-1',
      district: '350203',
      status: 'available',
      slot: 0,
      version: 4,
    };
    await s.redis.hSet(s.keys.units, unit.id, JSON.stringify(unit));
    // The first load of the batch is followed by a change from elsewhere (a screen's command): version 5.
    let loads = 0;
    const base = s.ctx.store;
    const store: EntityStore = {
      ...base,
      async load(ids, follow) {
        const read = await base.load(ids, follow);
        if (loads++ === 0)
          await s.redis.hSet(
            s.keys.units,
            unit.id,
            JSON.stringify({ ...unit, name: 'renamed by a command', version: 5 }),
          );
        return read;
      },
    };
    const entries = await s.deliver([
      asData(caseReport('CF-1')),
      asData({ kind: 'unit.status', unitId: 'CF-U', status: 'offline', at: now() }),
    ]);
    expect(await handleBatch({ ...s.ctx, store }, s.keys.inEvents, entries, undefined, 10_000)).toBe('done');
    expect(loads).toBeGreaterThanOrEqual(2);
    const stored = JSON.parse((await s.redis.hGet(s.keys.units, unit.id))!) as Unit;
    // Decided again on the command's version: its change is kept, the status applied on top.
    expect(stored).toMatchObject({ name: 'renamed by a command', status: 'offline', version: 6 });
    expect((await s.log()).map((e) => e.type)).toEqual(['case.reported', 'unit.status_changed']);
    expect(await s.metrics.registry.metrics()).toMatch(/egret_commit_conflicts_total 1/);
    expect(await s.pending()).toBe(0);
  });

  it('a hub applies a report and its transitions written in one burst, in order, and shows the backlog in /metrics', async () => {
    const s = await setup('batch-hub');
    // Written before the hub starts: the hub finds them all at once and applies them as one batch.
    const inputs: Array<Record<string, string>> = [];
    for (let i = 0; i < 40; i++) {
      const caseId = `HB-${i}`;
      inputs.push(
        asData(caseReport(caseId)),
        asData({ kind: 'case.transition', caseId, to: 'accepted', actor: upstream, at: now() }),
        asData({ kind: 'case.transition', caseId, to: 'filed', actor: upstream, at: now() }),
        asData({ kind: 'case.transition', caseId, to: 'closed', actor: upstream, at: now() }), // illegal from filed
      );
    }
    const multi = s.redis.multi();
    for (const p of inputs) multi.xAdd(s.keys.inEvents, '*', p);
    await multi.exec();
    expect(await readBacklog(s.redis, s.keys.inEvents, s.keys.ingestGroup)).toEqual({ undelivered: 160, pending: 0 });

    const hub = await startHub(s.ns, { ingestApplyBatch: 500 });
    try {
      await waitFor('every case filed', () => {
        const cases = [...hub.app.world().cases.values()];
        return cases.length === 40 && cases.every((c) => c.status === 'filed');
      });
      await waitFor('all settled', async () => (await s.pending()) === 0);
      const events = await s.log();
      expect(events).toHaveLength(120);
      for (let i = 0; i < 40; i++) {
        const mine = events.filter(
          (e) => (e.type === 'case.reported' || e.type === 'case.transitioned') && e.case.id === `HB-${i}`,
        );
        expect(mine.map((e) => e.type)).toEqual(['case.reported', 'case.transitioned', 'case.transitioned']);
      }
      // All 120 applied in one commit (one batch read at once): they share the applied set's score, the commit's time.
      const applied = await s.redis.zRangeWithScores(s.keys.applied, 0, -1);
      expect(applied).toHaveLength(120);
      expect(new Set(applied.map((a) => a.score)).size).toBe(1);
      const dead = await s.deadLetters();
      expect(dead).toHaveLength(40);
      expect(new Set(dead.map((d) => d.reason))).toEqual(new Set(['illegal_transition']));
      const text = await (await fetch(`${hub.url}/metrics`)).text();
      expect(text).toMatch(/^egret_ingest_backlog_entries\{stream="[^"]*in:events"\} 0$/m);
    } finally {
      await hub.close();
    }
  });
  it('a batched applier stalled mid-batch past its lease: the successor applies the batch in order, the stalled one’s late commit writes nothing', async () => {
    const s = await setup('batch-stall');
    // Hub A reads the batch, loads its entities, then stalls (a GC pause, a frozen VM) until released.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let stalled = false;
    const base = s.ctx.store;
    const stalling: EntityStore = {
      ...base,
      async load(ids, follow) {
        const read = await base.load(ids, follow);
        if (!stalled) {
          stalled = true;
          await gate;
        }
        return read;
      },
    };
    const consumers: Consumer[] = [];
    try {
      const opts = { batch: 500, applyBatch: 500, logMaxLen: 10_000, leaseMs: 400 };
      consumers.push(await startConsumer({ ...s.ctx, store: stalling }, s.keys.inEvents, { hubId: 'A', ...opts }));
      const inputs: Array<Record<string, string>> = [];
      for (let i = 0; i < 30; i++) {
        const caseId = `ST-${i}`;
        inputs.push(
          asData(caseReport(caseId)),
          asData({ kind: 'case.transition', caseId, to: 'accepted', actor: upstream, at: now() }),
        );
      }
      const multi = s.redis.multi();
      for (const p of inputs) multi.xAdd(s.keys.inEvents, '*', p);
      await multi.exec();
      await waitFor('A stalled with the batch in hand', () => stalled);
      // A's lease runs out; B takes it, claims what A held and applies it.
      consumers.push(await startConsumer(s.ctx, s.keys.inEvents, { hubId: 'B', ...opts }));
      await waitFor('B applied the batch', async () => Number(await s.redis.get(s.keys.logSeq)) === 60);
      release();
      // A wakes up, decides its stale batch and commits it: fenced (it learns it lost the lease only then), nothing
      // written.
      await waitFor('A fenced and standing by', () => !consumers[0]!.isApplier(), 5_000);
      await waitFor('all settled', async () => (await s.pending()) === 0);
      const events = await s.log();
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      for (let i = 0; i < 30; i++) {
        const mine = events.filter(
          (e) => (e.type === 'case.reported' || e.type === 'case.transitioned') && e.case.id === `ST-${i}`,
        );
        expect(mine.map((e) => e.type)).toEqual(['case.reported', 'case.transitioned']);
      }
      expect(await s.deadLetters()).toEqual([]);
      expect(consumers[1]!.isApplier()).toBe(true);
    } finally {
      release();
      for (const c of consumers) await c.stop();
    }
  });
});
