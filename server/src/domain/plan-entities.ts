import type { Inspection, PlanActivation, PrepositionOrder } from '@egret/protocol';

/**
 * Plans' state as the hub keeps it in Redis (issue #17): the protocol's activation, inspection and pre-position
 * order, each with the `version` the commit compares and sets (commit.lua), and an activation with its plan id as
 * `id`. Events carry the protocol's shape: `toActivation` and friends take the bookkeeping off.
 */
export type StoredPlan = PlanActivation & { id: string; version: number };
export type StoredInspection = Inspection & { version: number };
export type StoredPreposition = PrepositionOrder & { version: number };

export function toActivation({ id: _id, version: _v, ...plan }: StoredPlan): PlanActivation {
  return plan;
}
export function toInspection({ version: _v, ...i }: StoredInspection): Inspection {
  return i;
}
export function toPreposition({ version: _v, ...o }: StoredPreposition): PrepositionOrder {
  return o;
}
