import type pino from 'pino';
import type { Actor, LonLat, Result, WorldState } from '@egret/protocol';
import type { Commands } from '../commands/execute.ts';
import { arrivedOrders, decideTriggers, inForce, overdueToSupervise, type PlanCatalog } from './engine.ts';
import type { PlanIssuer } from './issue.ts';

/** Who the manual's automatic steps are logged as. */
export const PLAN_ACTOR: Actor = { role: 'system', id: 'plan-engine' };

/** How often (real ms) the leader looks at triggers, due rounds, missing issues and overdue cases. */
export const PLAN_TICK_MS = 5_000;

export interface PlanRunnerDeps {
  commands: Commands;
  issuer: PlanIssuer;
  catalog: PlanCatalog;
  world: () => WorldState;
  worldNow: () => number;
  /** The city's major events (event-window triggers). */
  events: ReadonlyArray<{ id: string; from: number; to: number }>;
  /** Whether this hub leads (the position ticker's lease): only the leader runs the manual's automatic steps. */
  isLeader: () => boolean;
  /** The units' latest fixes (Redis' latest positions, fresher than the log's). */
  positions: (unitIds: readonly string[]) => Promise<Map<string, LonLat>>;
  logger: pino.Logger;
  tickMs?: number;
  /** Called after each pass this hub ran as the leader (tests wait for passes instead of sleeping). */
  onPass?: () => void;
}

export interface PlanRunner {
  /** One pass (the interval calls it; tests call it directly). */
  tick(): Promise<void>;
  /**
   * A pass soon, out of turn: the mirror saw what a trigger reads (a storm, a sensor reading, the clock), so a plan
   * is raised within moments of the signal rather than at the next interval. Passes never overlap: one asked for
   * while one runs follows it.
   */
  poke(): void;
  stop(): void;
}

/**
 * The manual's automatic side, on the leader's tick (issue #17): triggers raise plans (through the one command path
 * as `plan:activate` with actor system and the trigger's deterministic idempotency key, so a raise is logged,
 * audited and made once whichever hub leads); every plan in force (or with orders still out) is reconciled — the
 * next daily round, and whatever a hub that died mid-issue left missing; overdue cases of a `deadlines` action are
 * 督办'd through `case:supervise`; pre-positioned units seen at their point are marked arrived. The decisions are the engine's (pure); this is the I/O around them.
 */
export function startPlanRunner(deps: PlanRunnerDeps): PlanRunner {
  let busy = false;
  let again = false;
  const run = async (name: string, payload: object): Promise<Result<unknown>> =>
    deps.commands.execute(name, payload, PLAN_ACTOR);

  async function tick(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    if (!deps.isLeader() || deps.catalog.plans.size === 0) return;
    busy = true;
    try {
      const world = deps.world();
      const now = deps.worldNow();
      for (const raise of decideTriggers(
        {
          plans: world.plans,
          storms: world.storms.values(),
          sensors: world.sensors.values(),
          events: deps.events,
          now,
        },
        deps.catalog.plans.values(),
      )) {
        const r = await run('plan:activate', {
          planId: raise.planId,
          level: raise.level,
          reason: raise.reason,
          idempotencyKey: raise.idempotencyKey,
        });
        if (r.ok) deps.logger.info({ ...raise }, 'plan raised by its trigger');
      }
      const after = deps.world();
      const planIds = new Set<string>();
      for (const a of after.plans.values()) if (inForce(a)) planIds.add(a.planId);
      for (const o of after.prepositions.values()) if (o.releasedAt === undefined) planIds.add(o.planId);
      for (const id of planIds) if (deps.catalog.plans.has(id)) await deps.issuer.issue(id);
      // Pre-positioned units seen within the radius of their point: arrived (kept, so replay needs no positions).
      const out = [...after.prepositions.values()].filter(
        (o) => o.arrivedAt === undefined && o.releasedAt === undefined,
      );
      if (out.length) {
        const seen = await deps.positions(out.map((o) => o.unitId));
        await deps.issuer.arrive(arrivedOrders(out, (id) => seen.get(id), now));
      }
      for (const s of overdueToSupervise(after.cases.values(), after.plans.values(), deps.catalog.plans, now)) {
        await run('case:supervise', {
          caseId: s.caseId,
          reason: `预案 ${s.planId} · ${s.actionId}: 超期督办`,
          idempotencyKey: `plan-supervise:${s.caseId}`,
        });
      }
    } catch (err) {
      deps.logger.warn({ err }, 'plan tick failed');
    } finally {
      busy = false;
    }
    deps.onPass?.();
    if (again) {
      again = false;
      void tick();
    }
  }

  const timer = setInterval(() => void tick(), deps.tickMs ?? PLAN_TICK_MS);
  timer.unref();
  return { tick, poke: () => void tick(), stop: () => clearInterval(timer) };
}
