import {
  activePlans,
  inspectionOverdue,
  prepositionState,
  type Inspection,
  type LonLat,
  type PlanActivation,
  type PrepositionOrder,
  type Unit,
} from '@egret/protocol';

export type PointState = 'open' | 'overdue' | 'passed' | 'problem';

/** One point of a round on the map. */
export interface PlanPoint {
  id: string;
  position: LonLat;
  state: PointState;
}

/** A pre-position order on the map: its target, and while the unit is on its way, the unit's frame slot. */
export interface PlanTarget {
  id: string;
  to: LonLat;
  state: 'arrived' | 'on_the_way' | 'late';
  /** The unit's frame slot and last logged position (null: not known to the log). */
  slot: number | null;
  from: LonLat | null;
}

export interface PlanMapPicture {
  points: PlanPoint[];
  targets: PlanTarget[];
}

export const EMPTY_PLAN_PICTURE: PlanMapPicture = { points: [], targets: [] };

/** Passed points under open ones, problems over them, the overdue on top. */
const DRAW_ORDER: Readonly<Record<PointState, number>> = { passed: 0, open: 1, problem: 2, overdue: 3 };

export const pointState = (i: Inspection, now: number): PointState =>
  i.status !== 'open' ? i.status : inspectionOverdue(i, now) ? 'overdue' : 'open';

/**
 * What the plan layer draws: the points of the active plans' rounds (only a point's latest round), each by its
 * state at `now`, and the active plans' pre-position orders that are not released (a line from the unit while it has
 * not arrived). Rebuilt when a plan part of the world changes or the judged minute moves, never per frame.
 */
export function planMapPicture(
  plans: Iterable<PlanActivation>,
  inspections: Iterable<Inspection>,
  prepositions: Iterable<PrepositionOrder>,
  units: ReadonlyMap<string, Unit>,
  now: number,
): PlanMapPicture {
  const active = new Map(activePlans(plans).map((p) => [p.planId, p]));
  if (active.size === 0) return EMPTY_PLAN_PICTURE;
  const latest = new Map<string, Inspection>();
  for (const i of inspections) {
    const a = active.get(i.planId);
    if (!a || i.issuedAt < a.activatedAt) continue;
    const key = `${i.planId}\u0000${i.pointId}`;
    const had = latest.get(key);
    if (!had || i.round > had.round || (i.round === had.round && i.issuedAt > had.issuedAt)) latest.set(key, i);
  }
  // Drawn in this order, so what needs action is on top where points crowd (300 billboards over 150 assessment points).
  const points = [...latest.values()]
    .map((i) => ({ id: i.id, position: i.position, state: pointState(i, now) }))
    .sort((a, b) => DRAW_ORDER[a.state] - DRAW_ORDER[b.state]);
  const targets: PlanTarget[] = [];
  for (const o of prepositions) {
    const a = active.get(o.planId);
    if (!a || o.orderedAt < a.activatedAt) continue;
    const state = prepositionState(o, now);
    if (state === 'released') continue;
    const unit = state === 'arrived' ? undefined : units.get(o.unitId);
    targets.push({ id: o.id, to: o.position, state, slot: unit?.slot ?? null, from: unit?.position ?? null });
  }
  return { points, targets };
}
