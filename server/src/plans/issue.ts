import type pino from 'pino';
import { actionsAt, PLAN_BATCH, type LonLat, type PrepositionOrder, type Unit, type WorldState } from '@egret/protocol';
import type { EntityWrite } from '../domain/change.ts';
import { toActivation, toPreposition, type StoredInspection, type StoredPreposition } from '../domain/plan-entities.ts';
import type { EntityStore } from '../domain/store.ts';
import { inspectionsFor, prepositionsFor, releasedOrders, roundBase, type PlanCatalog } from './engine.ts';

/** Commits of one batch retried this often when another hub keeps writing the same ids (then left to the next tick). */
const MAX_ATTEMPTS = 10;

export interface IssueDeps {
  store: EntityStore;
  catalog: PlanCatalog;
  /** The hub's mirror: a cheap first filter of what exists (the store decides) and the units to pre-position. */
  world: () => WorldState;
  worldNow: () => number;
  realNow: () => number;
  logger: pino.Logger;
  /** Items per atomic commit (PLAN_BATCH; tests make it smaller). */
  batch?: number;
  /** The units' latest fixes (Redis), for choosing the nearest units to pre-position; without it the log's positions. */
  positions?: (unitIds: readonly string[]) => Promise<Map<string, LonLat>>;
}

export interface Issued {
  inspections: number;
  prepositions: number;
  released: number;
}

export interface PlanIssuer {
  /**
   * Brings what a plan's activation (as the store holds it) calls for into the store: the inspections of its due
   * rounds and its pre-position orders that do not exist yet, and the release of orders no longer in force — in
   * batches of `PLAN_BATCH`, one atomic commit each, that skip the ids that exist (checked by the commit: a
   * concurrent hub's batch makes ours conflict, re-read and skip them). So a command, a trigger, a reconcile after
   * a hub died mid-issue and a second hub can all call it: nothing is issued twice. One run per plan at a time here.
   */
  issue(planId: string): Promise<Issued>;
  /** Marks these orders arrived (their new state), compare-and-set on the stored versions; answers how many. */
  arrive(orders: readonly PrepositionOrder[]): Promise<number>;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createPlanIssuer(deps: IssueDeps): PlanIssuer {
  const size = deps.batch ?? PLAN_BATCH;
  const running = new Map<string, Promise<Issued>>();

  /** Commits `items` that do not exist yet, in batches; `event` builds each batch's log event. */
  async function createMissing<T extends StoredInspection | StoredPreposition>(
    kind: 'inspection' | 'preposition',
    items: readonly T[],
    event: (batch: T[]) => Parameters<EntityStore['commit']>[0]['change']['events'][number],
  ): Promise<number> {
    let made = 0;
    for (let i = 0; i < items.length; i += size) {
      const chunk = items.slice(i, i + size);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const ids = chunk.map((x) => x.id);
        const loaded = await deps.store.load(
          kind === 'inspection' ? { inspectionIds: ids } : { prepositionIds: ids },
          false,
        );
        const there = kind === 'inspection' ? loaded.inspections : loaded.prepositions;
        const missing = chunk.filter((x) => !there.has(x.id));
        if (!missing.length) break;
        const writes = missing.map((entity) => ({ kind, expectedVersion: null, entity }) as EntityWrite);
        const r = await deps.store.commit({ change: { writes, events: [event(missing)] }, now: deps.realNow() });
        if (r.status === 'committed') {
          made += missing.length;
          break;
        }
        if (r.status !== 'conflict') throw new Error(`plan batch commit answered ${r.status}`);
      }
      // Let the live path (position ticks, commands, screens) run between two batches.
      await yieldToLoop();
    }
    return made;
  }

  async function run(planId: string): Promise<Issued> {
    const out: Issued = { inspections: 0, prepositions: 0, released: 0 };
    const stored = (await deps.store.load({ planIds: [planId] }, false)).plans.get(planId);
    if (!stored) return out;
    const activation = toActivation(stored);
    const def = deps.catalog.plans.get(planId);
    const world = deps.world();
    const at = deps.worldNow();

    const base = roundBase(world.inspections.values(), activation);
    const wanted = inspectionsFor(activation, deps.catalog, at, base).filter((i) => !world.inspections.has(i.id));
    out.inspections = await createMissing(
      'inspection',
      wanted.map((i) => ({ ...i, version: 0 })),
      (batch) => ({
        type: 'inspections.issued',
        at,
        inspections: batch.map(({ version: _v, ...i }) => i),
      }),
    );

    // Orders the activation no longer asks for are released (a level lowered, the plan ended).
    const mine = [...world.prepositions.values()].filter((o) => o.planId === planId && o.releasedAt === undefined);
    if (mine.length) {
      const loaded = await deps.store.load({ prepositionIds: mine.map((o) => o.id) }, false);
      const current = [...loaded.prepositions.values()];
      const released = releasedOrders(activation, def, current.map(toPreposition), at);
      for (let i = 0; i < released.length; i += size) {
        const chunk = released.slice(i, i + size);
        const writes: EntityWrite[] = chunk.map((o) => {
          const before = loaded.prepositions.get(o.id)!;
          return {
            kind: 'preposition',
            expectedVersion: before.version,
            entity: { ...o, version: before.version + 1 },
          };
        });
        const r = await deps.store.commit({
          change: { writes, events: [{ type: 'prepositions.changed', at, change: 'released', orders: chunk }] },
          now: deps.realNow(),
        });
        if (r.status === 'committed') out.released += chunk.length;
        await yieldToLoop();
      }
    }

    /** The available units with their latest fix, when the level pre-positions anyone. */
    async function unitsWithFixes(level: typeof activation.level): Promise<Unit[]> {
      const pre = def && actionsAt(def, level).some((a) => a.kind === 'preposition');
      if (!pre) return [];
      const pool = [...world.units.values()].filter((u) => u.status === 'available' && u.taskId === undefined);
      if (!deps.positions || !pool.length) return pool;
      const fixes = await deps.positions(pool.map((u) => u.id));
      return pool.map((u) => {
        const p = fixes.get(u.id);
        return p ? { ...u, position: p } : u;
      });
    }
    const existing = new Map<string, PrepositionOrder>(
      [...world.prepositions.values()].filter((o) => o.planId === planId).map((o) => [o.id, o]),
    );
    const orders = prepositionsFor(activation, deps.catalog, await unitsWithFixes(activation.level), existing);
    out.prepositions = await createMissing(
      'preposition',
      orders.map((o) => ({ ...o, version: 0 })),
      (batch) => ({
        type: 'prepositions.changed',
        at,
        change: 'ordered',
        orders: batch.map(toPreposition),
      }),
    );
    if (out.inspections || out.prepositions || out.released)
      deps.logger.info({ planId, level: activation.level, ...out }, 'plan issued');
    return out;
  }

  return {
    async arrive(orders) {
      if (!orders.length) return 0;
      const loaded = await deps.store.load({ prepositionIds: orders.map((o) => o.id) }, false);
      const fresh = orders.filter((o) => {
        const before = loaded.prepositions.get(o.id);
        return before && before.arrivedAt === undefined && before.releasedAt === undefined;
      });
      if (!fresh.length) return 0;
      const writes: EntityWrite[] = fresh.map((o) => {
        const before = loaded.prepositions.get(o.id)!;
        return { kind: 'preposition', expectedVersion: before.version, entity: { ...o, version: before.version + 1 } };
      });
      const at = deps.worldNow();
      const r = await deps.store.commit({
        change: { writes, events: [{ type: 'prepositions.changed', at, change: 'arrived', orders: fresh }] },
        now: deps.realNow(),
      });
      return r.status === 'committed' ? fresh.length : 0;
    },
    issue(planId) {
      const busy = running.get(planId);
      if (busy) return busy.then(() => this.issue(planId));
      const p = run(planId).finally(() => running.delete(planId));
      running.set(planId, p);
      return p;
    },
  };
}
