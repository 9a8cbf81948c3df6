import {
  actionsAt,
  levelRank,
  refuse,
  type Actor,
  type Inspection,
  type Mode,
  type PlanActivation,
  type PlanActivateCommand,
  type PlanEndCommand,
  type PlanReceipt,
  type PlanEndReceipt,
  type PlanSuperviseCommand,
  type PlanSuperviseReceipt,
  type PrepositionOrder,
  type Result,
  type Unit,
} from '@egret/protocol';
import type { Change } from '../domain/change.ts';
import { toActivation, type StoredPlan } from '../domain/plan-entities.ts';
import type { LoadedEntities } from '../domain/store.ts';
import { inForce, inspectionsFor, prepositionsFor, releasedOrders, roundBase, type PlanCatalog } from './engine.ts';

/**
 * The plan commands decided (issue #17), pure like commands/decide.ts: `plan:activate` (activate, or move to another
 * level), `plan:end`, `plan:supervise`. Activation commits the activation, its `plan.changed` and — when the wall is
 * in another posture — the plan's mode with its `mode.changed`, in one step; the inspections and orders follow in
 * batches (issue.ts), so the receipt's `issued` counts what the level calls for that the world does not hold yet.
 */

export interface PlanDecideContext {
  actor: Actor;
  at: number;
  mode: Mode;
  catalog: PlanCatalog;
  /** The hub's mirror at this instant: what is already issued, and the units to pre-position (counts only). */
  world: {
    inspections: ReadonlyMap<string, Inspection>;
    prepositions: ReadonlyMap<string, PrepositionOrder>;
    units: ReadonlyMap<string, Unit>;
  };
}

export interface PlanDecision<R> {
  change: Change;
  receipt: R;
}

const unknownPlan = (id: string, ctx: PlanDecideContext) =>
  refuse(
    'unknown_plan',
    `planId: no plan ${id} in the command manual (config/plans): the plans are ${[...ctx.catalog.plans.keys()].join(', ') || 'none'}`,
  );

/** The stored activation after a change: the same `id` as the plan, one version up. */
function stored(plan: PlanActivation, before: StoredPlan | undefined): StoredPlan {
  return { ...plan, id: plan.planId, version: before ? before.version + 1 : 0 };
}

export function decideActivate(
  cmd: PlanActivateCommand,
  s: LoadedEntities,
  ctx: PlanDecideContext,
): Result<PlanDecision<Omit<PlanReceipt, 'seq'>>> {
  const def = ctx.catalog.plans.get(cmd.planId);
  if (!def) return unknownPlan(cmd.planId, ctx);
  if (!def.levels.some((l) => l.level === cmd.level))
    return refuse(
      'unknown_level',
      `level: plan ${def.id} has no level ${cmd.level} (its levels: ${def.levels.map((l) => l.level).join(', ')})`,
    );
  const before = s.plans.get(def.id);
  const current = before && toActivation(before);
  if (inForce(current) && current.level === cmd.level)
    return refuse('already_at_level', `plan ${def.id} is already in force at level ${cmd.level}`);
  const reason = cmd.reason?.trim() || undefined;
  const next: PlanActivation = {
    planId: def.id,
    level: cmd.level,
    activatedAt: inForce(current) ? current.activatedAt : ctx.at,
    levelAt: ctx.at,
    actor: ctx.actor,
    ...(reason !== undefined ? { reason } : {}),
  };
  const change = inForce(current) ? 'level_changed' : 'activated';
  const events: Change['events'][number][] = [
    { type: 'plan.changed', at: ctx.at, change, plan: next, actor: ctx.actor },
  ];
  const mode = def.mode !== ctx.mode ? { expected: ctx.mode, next: def.mode } : undefined;
  if (mode) events.push({ type: 'mode.changed', at: ctx.at, mode: def.mode, actor: ctx.actor });
  // What the level calls for that is not issued yet (a level up keeps the lower levels' rounds: they exist).
  const base = roundBase(ctx.world.inspections.values(), next);
  const inspections = inspectionsFor(next, ctx.catalog, ctx.at, base).filter(
    (i) => !ctx.world.inspections.has(i.id),
  ).length;
  const lowered = inForce(current) && levelRank(cmd.level) < levelRank(current.level);
  const orders = lowered ? [] : prepositionsFor(next, ctx.catalog, ctx.world.units.values(), ctx.world.prepositions);
  return {
    ok: true,
    data: {
      change: {
        writes: [{ kind: 'plan', expectedVersion: before ? before.version : null, entity: stored(next, before) }],
        events,
        ...(mode ? { mode } : {}),
      },
      receipt: { planId: def.id, level: cmd.level, issued: { inspections, prepositions: orders.length } },
    },
  };
}

export function decideEnd(
  cmd: PlanEndCommand,
  s: LoadedEntities,
  ctx: PlanDecideContext,
): Result<PlanDecision<Omit<PlanEndReceipt, 'seq'>>> {
  const def = ctx.catalog.plans.get(cmd.planId);
  if (!def) return unknownPlan(cmd.planId, ctx);
  const before = s.plans.get(def.id);
  const current = before && toActivation(before);
  if (!inForce(current)) return refuse('plan_not_active', `plan ${def.id} is not in force: there is nothing to end`);
  const reason = cmd.reason?.trim() || undefined;
  const next: PlanActivation = {
    ...current,
    actor: ctx.actor,
    endedAt: ctx.at,
    ...(reason !== undefined ? { reason } : {}),
  };
  const released = releasedOrders(next, def, ctx.world.prepositions.values(), ctx.at).length;
  return {
    ok: true,
    data: {
      change: {
        writes: [{ kind: 'plan', expectedVersion: before!.version, entity: stored(next, before) }],
        events: [{ type: 'plan.changed', at: ctx.at, change: 'ended', plan: next, actor: ctx.actor }],
      },
      receipt: { planId: def.id, released },
    },
  };
}

export function decideSupervise(
  cmd: PlanSuperviseCommand,
  s: LoadedEntities,
  ctx: PlanDecideContext,
): Result<PlanDecision<Omit<PlanSuperviseReceipt, 'seq'>>> {
  const def = ctx.catalog.plans.get(cmd.planId);
  if (!def) return unknownPlan(cmd.planId, ctx);
  const stored = s.plans.get(def.id);
  const current = stored && toActivation(stored);
  if (!inForce(current)) return refuse('plan_not_active', `plan ${def.id} is not in force: there is nothing to 督办`);
  const actions = actionsAt(def, current.level);
  if (!actions.some((a) => a.id === cmd.actionId))
    return refuse(
      'unknown_action',
      `actionId: plan ${def.id} at level ${current.level} orders no action ${cmd.actionId} (its actions: ${actions.map((a) => a.id).join(', ')})`,
    );
  const squads = new Set([...ctx.catalog.squads.values()].flat());
  if (!squads.has(cmd.squadId)) return refuse('bad_request', `squadId: no squad ${cmd.squadId} in the city`);
  const note = cmd.note?.trim() || undefined;
  return {
    ok: true,
    data: {
      change: {
        writes: [],
        events: [
          {
            type: 'plan.supervised',
            at: ctx.at,
            supervision: {
              planId: def.id,
              actionId: cmd.actionId,
              squadId: cmd.squadId,
              at: ctx.at,
              actor: ctx.actor,
              ...(note !== undefined ? { note } : {}),
            },
          },
        ],
      },
      receipt: { planId: def.id, actionId: cmd.actionId, squadId: cmd.squadId },
    },
  };
}
