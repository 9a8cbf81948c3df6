import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { applyEvents, emptyWorld, type LogEvent, type WorldState } from '@egret/protocol';
import { MemoryStore } from '../domain/memory-store.ts';
import type { CommitRequest } from '../domain/store.ts';
import { planConfig } from '../../test/plans-fixture.ts';
import { citySquads } from '@egret/config';
import { decideActivate } from './decide-plans.ts';
import { catalogOf } from './engine.ts';
import { createPlanIssuer } from './issue.ts';

const AT = Date.UTC(2026, 8, 13, 1, 0, 0);
const N = 230;
const config = planConfig(N);
const catalog = catalogOf({ plans: config.plans, pointSets: config.pointSets, squads: citySquads(config.city) });

/** The store's log folded, as a hub's mirror would hold it. */
const fold = (store: MemoryStore): WorldState => applyEvents(emptyWorld(), structuredClone(store.log) as LogEvent[]);

describe('the plan issuer (issue #17): batches, and a hub that dies mid-issue', () => {
  it('issues in batches; a second issuer after a crash finishes what is missing and makes nothing twice', async () => {
    const store = new MemoryStore();
    const world = emptyWorld();
    const decided = decideActivate(
      { planId: 'test-typhoon', level: 'IV', idempotencyKey: 'k' },
      await store.load({ planIds: ['test-typhoon'] }),
      { actor: { role: 'commander', id: 'cora' }, at: AT, mode: 'peacetime', catalog, world },
    );
    if (!decided.ok) throw new Error(decided.message);
    expect(decided.data.receipt.issued.inspections).toBe(N);
    expect((await store.commit({ change: decided.data.change, now: 0 })).status).toBe('committed');

    // The first hub dies after two batches of 50: its third commit never happens.
    let commits = 0;
    const dying = Object.create(store) as MemoryStore;
    dying.commit = async (c: CommitRequest) => {
      if (++commits > 2) throw new Error('the hub died');
      return store.commit(c);
    };
    const logger = pino({ level: 'silent' });
    const deps = { catalog, worldNow: () => AT, realNow: () => 0, logger, batch: 50 };
    await expect(
      createPlanIssuer({ ...deps, store: dying, world: () => fold(store) }).issue('test-typhoon'),
    ).rejects.toThrow('the hub died');
    expect(store.entities.inspections.size).toBe(100);

    // Another hub's reconcile (or the same after restart), reading a mirror that lags one batch behind.
    const lagging = fold(store);
    for (const id of [...lagging.inspections.keys()].slice(50)) lagging.inspections.delete(id);
    const done = await createPlanIssuer({ ...deps, store, world: () => lagging }).issue('test-typhoon');
    expect(done.inspections).toBe(N - 100);
    expect(store.entities.inspections.size).toBe(N);
    const issued = store.log.flatMap((e) => (e.type === 'inspections.issued' ? e.inspections.map((i) => i.id) : []));
    expect(issued).toHaveLength(N);
    expect(new Set(issued).size).toBe(N);
    expect(
      store.log
        .filter((e) => e.type === 'inspections.issued')
        .every((e) => e.type === 'inspections.issued' && e.inspections.length <= 50),
    ).toBe(true);
    // Once more: nothing.
    expect(
      (await createPlanIssuer({ ...deps, store, world: () => fold(store) }).issue('test-typhoon')).inspections,
    ).toBe(0);
  });
});
