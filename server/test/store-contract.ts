import { describe, expect, it } from 'vitest';
import type { Case, LogEvent, NewLogEvent, Task } from '@egret/protocol';
import type { EntityWrite, Fence } from '../src/domain/change.ts';
import type { EntityStore } from '../src/domain/store.ts';
import { ALICE, AT, availableUnit, filedCase } from './entities.ts';

/** A store under test, with what the contract needs to arrange and observe it. */
export interface StoreUnderTest {
  store: EntityStore;
  /** Puts entities in place as if committed before. */
  seed(...writes: Array<{ kind: EntityWrite['kind']; entity: EntityWrite['entity'] }>): Promise<void>;
  /** A lease key and an input stream of the store's own (namespaced). */
  leaseKey: string;
  stream: string;
  /** Makes `fence.token` the holder of the lease `fence.key`. */
  hold(fence: Fence): Promise<void>;
  /** The log as the store holds it. */
  log(): Promise<LogEvent[]>;
  close(): Promise<void>;
}

const NOW = 1_780_000_000_000;
const DAY = 24 * 3_600_000;
const aCase = filedCase;
const aUnit = availableUnit;

const aTask = (id: string, caseId: string, unitId: string, over: Partial<Task> = {}): Task => ({
  id,
  caseId,
  unitId,
  squadId: `SQ-${unitId}`,
  status: 'dispatched',
  createdAt: AT,
  updatedAt: AT,
  actor: ALICE,
  version: 0,
  ...over,
});
const amended = (c: Case): NewLogEvent => ({
  type: 'case.amended',
  at: AT,
  change: 'supervised',
  actor: ALICE,
  case: c,
});

/**
 * The store contract (domain/store.ts `EntityStore`): every implementation — Redis with commit.lua, and memory —
 * runs these, so a test that moves from one to the other tests the same semantics.
 */
export function storeContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} store`, () => {
    async function using(body: (s: StoreUnderTest) => Promise<void>): Promise<void> {
      const s = await open();
      try {
        await body(s);
      } finally {
        await s.close();
      }
    }

    it('commits writes and events in one step: the events get gapless seqs, and the entities load with their links', () =>
      using(async ({ store, seed, log }) => {
        await seed({ kind: 'unit', entity: aUnit('U-1', { taskId: 'T-1', status: 'dispatched', version: 3 }) });
        const c = aCase('C-1', { taskId: 'T-1', status: 'dispatched' });
        const t = aTask('T-1', 'C-1', 'U-1');
        const r = await store.commit({
          change: {
            writes: [
              { kind: 'case', expectedVersion: null, entity: c },
              { kind: 'task', expectedVersion: null, entity: t },
            ],
            events: [amended(c), amended(c)],
          },
          now: NOW,
        });
        expect(r).toEqual({ status: 'committed', firstSeq: 1, seq: 2 });
        const again = await store.commit({ change: { writes: [], events: [amended(c)] }, now: NOW });
        expect(again).toEqual({ status: 'committed', firstSeq: 3, seq: 3 });
        expect((await log()).map((e) => e.seq)).toEqual([1, 2, 3]);
        expect((await log())[0]).toMatchObject({ seq: 1, type: 'case.amended', case: { id: 'C-1' } });

        const linked = await store.load({ unitIds: ['U-1'] });
        expect([...linked.units.keys()]).toEqual(['U-1']);
        expect([...linked.tasks.keys()]).toEqual(['T-1']);
        expect(linked.cases.get('C-1')).toEqual(c);
        const alone = await store.load({ unitIds: ['U-1', 'U-NONE'] }, false);
        expect([...alone.units.keys()]).toEqual(['U-1']);
        expect(alone.tasks.size).toBe(0);
      }));

    it('refuses a write decided on a version that is no longer the stored one (or an entity that now exists), and writes nothing', () =>
      using(async ({ store, seed, log }) => {
        await seed({ kind: 'case', entity: aCase('C-1', { version: 5 }) });
        const stale = await store.commit({
          change: {
            writes: [{ kind: 'case', expectedVersion: 4, entity: aCase('C-1', { version: 5 }) }],
            events: [amended(aCase('C-1'))],
          },
          now: NOW,
        });
        expect(stale).toEqual({ status: 'conflict', kind: 'case', id: 'C-1' });
        const exists = await store.commit({
          change: {
            writes: [{ kind: 'case', expectedVersion: null, entity: aCase('C-1', { version: 0 }) }],
            events: [],
          },
          now: NOW,
        });
        expect(exists).toEqual({ status: 'conflict', kind: 'case', id: 'C-1' });
        const missing = await store.commit({
          change: { writes: [{ kind: 'unit', expectedVersion: 0, entity: aUnit('U-9', { version: 1 }) }], events: [] },
          now: NOW,
        });
        expect(missing).toEqual({ status: 'conflict', kind: 'unit', id: 'U-9' });
        expect(await log()).toEqual([]);
        expect((await store.load({ caseIds: ['C-1'] })).cases.get('C-1')?.version).toBe(5);

        const fresh = await store.commit({
          change: {
            writes: [{ kind: 'case', expectedVersion: 5, entity: aCase('C-1', { version: 6, supervised: true }) }],
            events: [amended(aCase('C-1'))],
          },
          now: NOW,
        });
        expect(fresh.status).toBe('committed');
        expect((await store.load({ caseIds: ['C-1'] })).cases.get('C-1')).toMatchObject({
          version: 6,
          supervised: true,
        });
      }));

    it('compares and sets the mode', () =>
      using(async ({ store }) => {
        expect(await store.mode()).toBe('peacetime');
        const wrong = await store.commit({
          change: { writes: [], events: [], mode: { expected: 'major_event', next: 'typhoon' } },
          now: NOW,
        });
        expect(wrong).toEqual({ status: 'conflict', kind: 'mode', id: 'mode' });
        expect(
          (
            await store.commit({
              change: { writes: [], events: [], mode: { expected: 'peacetime', next: 'typhoon' } },
              now: NOW,
            })
          ).status,
        ).toBe('committed');
        expect(await store.mode()).toBe('typhoon');
      }));

    it('answers a used idempotency key with what it kept (its seq added), and writes nothing', () =>
      using(async ({ store, log }) => {
        const c = aCase('C-1', { version: 0 });
        const idempotency = { field: 'case:supervise:k1', result: '{"fp":"abc","data":{"caseId":"C-1"}}' };
        const first = await store.commit({
          change: { writes: [{ kind: 'case', expectedVersion: null, entity: c }], events: [amended(c), amended(c)] },
          now: NOW,
          idempotency,
        });
        expect(first).toEqual({ status: 'committed', firstSeq: 1, seq: 2 });
        const kept = '{"seq":2,"fp":"abc","data":{"caseId":"C-1"}}';
        expect(await store.kept('case:supervise:k1')).toBe(kept);
        expect(await store.kept('case:supervise:other')).toBeUndefined();
        const second = await store.commit({
          change: {
            writes: [{ kind: 'case', expectedVersion: 0, entity: { ...c, version: 1 } }],
            events: [amended(c)],
          },
          now: NOW,
          idempotency,
        });
        expect(second).toEqual({ status: 'replayed', result: kept });
        expect((await log()).length).toBe(2);
      }));

    it('applies an input entry once: again, it is only acknowledged', () =>
      using(async ({ store, log, stream }) => {
        const c = aCase('C-1', { version: 0 });
        const entry = { stream, id: '1700000000000-0' };
        expect(await store.applied(entry.id)).toBe(false);
        expect(
          (
            await store.commit({
              change: { writes: [{ kind: 'case', expectedVersion: null, entity: c }], events: [amended(c)] },
              now: NOW,
              entry,
            })
          ).status,
        ).toBe('committed');
        expect(await store.applied(entry.id)).toBe(true);
        expect(await store.commit({ change: { writes: [], events: [amended(c)] }, now: NOW, entry })).toEqual({
          status: 'already_applied',
        });
        expect((await log()).length).toBe(1);
      }));

    it('forgets applied entries and idempotency keys after the retention', () =>
      using(async ({ store, stream }) => {
        const entry = { stream, id: '1700000000000-0' };
        const idempotency = { field: 'mode:set:k', result: '{"data":{}}' };
        await store.commit({ change: { writes: [], events: [amended(aCase('C-1'))] }, now: NOW, entry });
        await store.commit({ change: { writes: [], events: [amended(aCase('C-1'))] }, now: NOW, idempotency });
        await store.commit({ change: { writes: [], events: [amended(aCase('C-1'))] }, now: NOW + DAY - 1 });
        expect(await store.applied(entry.id)).toBe(true);
        await store.commit({ change: { writes: [], events: [amended(aCase('C-1'))] }, now: NOW + DAY + 1 });
        expect(await store.applied(entry.id)).toBe(false);
        expect(await store.kept(idempotency.field)).toBeUndefined();
      }));

    it('writes nothing, not even the applied mark, when the fence token is not the lease’s', () =>
      using(async ({ store, hold, log, stream, leaseKey }) => {
        const c = aCase('C-1', { version: 0 });
        const entry = { stream, id: '1700000000000-0' };
        await hold({ key: leaseKey, token: 'new-leader' });
        const change = { writes: [{ kind: 'case' as const, expectedVersion: null, entity: c }], events: [amended(c)] };
        expect(await store.commit({ change, now: NOW, entry, fence: { key: leaseKey, token: 'old-leader' } })).toEqual({
          status: 'fenced',
        });
        expect(await log()).toEqual([]);
        expect(await store.applied(entry.id)).toBe(false);
        expect((await store.load({ caseIds: ['C-1'] })).cases.size).toBe(0);
        expect(
          (await store.commit({ change, now: NOW, entry, fence: { key: leaseKey, token: 'new-leader' } })).status,
        ).toBe('committed');
      }));
  });
}
