import { Inspection, PlanActivation, PrepositionOrder, redisKeys } from '@egret/protocol';
import type { Redis } from '../publish/connect.ts';

/** What a plan in force still asks of the simulator's squads and units (issue #17). */
export interface OpenPlanWork {
  /** Open inspections of plans not ended, for the given squads. */
  inspections: Inspection[];
  /** Pre-position orders in force (not released) of plans not ended, for the given units. */
  orders: PrepositionOrder[];
}

/**
 * The plan work the hub holds open for our squads and units — left over when a simulator restarts in the middle of
 * a campaign: it reads the log only from now on, so without this the round issued before would never be walked.
 * Read from the hub's live entities (plans, inspections, orders); entries that do not parse are skipped.
 */
export async function openPlanWork(
  client: Redis,
  ns: string,
  squadIds: ReadonlySet<string>,
  unitIds: ReadonlySet<string>,
): Promise<OpenPlanWork> {
  const keys = redisKeys(ns);
  const plans = await client.hGetAll(keys.plans);
  const inForce = new Set(
    Object.values(plans).flatMap((json) => {
      const p = PlanActivation.safeParse(safeJson(json));
      return p.success && p.data.endedAt === undefined ? [p.data.planId] : [];
    }),
  );
  if (inForce.size === 0) return { inspections: [], orders: [] };
  const inspections = Object.values(await client.hGetAll(keys.inspections)).flatMap((json) => {
    const i = Inspection.safeParse(safeJson(json));
    return i.success && i.data.status === 'open' && inForce.has(i.data.planId) && squadIds.has(i.data.squadId)
      ? [i.data]
      : [];
  });
  const orders = Object.values(await client.hGetAll(keys.prepositions)).flatMap((json) => {
    const o = PrepositionOrder.safeParse(safeJson(json));
    return o.success && o.data.releasedAt === undefined && inForce.has(o.data.planId) && unitIds.has(o.data.unitId)
      ? [o.data]
      : [];
  });
  return { inspections, orders };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
