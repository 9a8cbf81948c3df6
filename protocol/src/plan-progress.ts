import type { Unit, UnitStatus } from './entities.ts';
import {
  actionsAt,
  inspectionOverdue,
  levelRank,
  type Inspection,
  type PlanAction,
  type PlanActivation,
  type PlanDef,
  type PlanSupervision,
  type PrepositionOrder,
} from './plans.ts';

/**
 * How far a plan's actions have got (issue #17): the same figures for the wall's plan panel, the console's plan
 * actions and the after-action summary, so the three never disagree. Pure: the state and `now` are passed in.
 *
 * - An inspection is **done** once checked (passed or a problem found), **due** while open before its deadline,
 *   **overdue** open past it (`inspectionOverdue`).
 * - A pre-position order is **arrived** once its unit was seen in place (`arrivedAt`; `arrivedLate` when after its
 *   deadline), **on the way** while not arrived before its deadline, **late** not arrived past it; released orders
 *   (level lowered, plan ended) are left out of the three and counted apart.
 * - Staffing: the share of units **on duty** (neither `off_duty` nor `offline`, as the squad ranking counts them) against
 *   the level's target.
 */

/** Inspections of one round, district or squad. */
export interface InspectionTally {
  total: number;
  done: number;
  /** Of `done`: checks that found a problem (each became a case). */
  problems: number;
  /** Open, deadline not passed. */
  due: number;
  /** Open past the deadline. */
  overdue: number;
}

/** Pre-position orders of one district or squad. */
export interface PrepositionTally {
  total: number;
  arrived: number;
  /** Of `arrived`: seen in place only after the deadline. */
  arrivedLate: number;
  onTheWay: number;
  late: number;
  released: number;
}

/** One round of a round action: when it was issued and its deadline (the latest of its points'). */
export interface RoundCount extends InspectionTally {
  round: number;
  issuedAt: number;
  deadline: number;
}

/** The last 督办 of a squad on an action, if any. */
interface Supervised {
  supervisedAt?: number;
}

export interface RoundProgress {
  kind: 'round';
  action: Extract<PlanAction, { kind: 'round' }>;
  /** False for an action of another level whose inspections this activation still holds (the level was lowered). */
  inLevel: boolean;
  tally: InspectionTally;
  /** One entry per round issued, first round first. */
  rounds: RoundCount[];
  byDistrict: Array<InspectionTally & { district: string }>;
  /** Squads with overdue inspections first, then by how much is left. */
  bySquad: Array<InspectionTally & Supervised & { squadId: string; district: string }>;
}

export interface PrepositionProgress {
  kind: 'preposition';
  action: Extract<PlanAction, { kind: 'preposition' }>;
  inLevel: boolean;
  tally: PrepositionTally;
  byDistrict: Array<PrepositionTally & { district: string }>;
  bySquad: Array<PrepositionTally & Supervised & { squadId: string; district: string }>;
}

export interface StaffingProgress {
  kind: 'staffing';
  action: Extract<PlanAction, { kind: 'staffing' }>;
  inLevel: boolean;
  /** Units on duty and units registered. */
  onDuty: number;
  units: number;
  /** onDuty / units (0 without units). */
  share: number;
  target: number;
  met: boolean;
  byDistrict: Array<{ district: string; onDuty: number; units: number; share: number; met: boolean }>;
}

export interface DeadlinesProgress {
  kind: 'deadlines';
  action: Extract<PlanAction, { kind: 'deadlines' }>;
  inLevel: boolean;
}

export type ActionProgress = RoundProgress | PrepositionProgress | StaffingProgress | DeadlinesProgress;

export interface PlanProgress {
  planId: string;
  level: PlanActivation['level'];
  active: boolean;
  /** The level's actions in the manual's order, then any action of another level this activation still holds. */
  actions: ActionProgress[];
  /** Totals over every round and every pre-position of the activation. */
  inspections: InspectionTally;
  prepositions: PrepositionTally;
  /** Overdue inspections plus late pre-positions: what 督办 is for. */
  overdue: number;
}

export interface PlanProgressInput {
  plan: PlanDef;
  activation: PlanActivation;
  inspections: Iterable<Inspection>;
  prepositions: Iterable<PrepositionOrder>;
  units: Iterable<Unit>;
  supervisions?: Iterable<PlanSupervision>;
  now: number;
}

const OFF: ReadonlySet<UnitStatus> = new Set<UnitStatus>(['off_duty', 'offline']);
/** On duty as the squad ranking counts it: neither off duty nor offline. */
export const unitOnDuty = (u: Unit): boolean => !OFF.has(u.status);

export const emptyInspectionTally = (): InspectionTally => ({ total: 0, done: 0, problems: 0, due: 0, overdue: 0 });
export const emptyPrepositionTally = (): PrepositionTally => ({
  total: 0,
  arrived: 0,
  arrivedLate: 0,
  onTheWay: 0,
  late: 0,
  released: 0,
});

/** Adds one inspection to a tally. */
export function countInspection(t: InspectionTally, i: Inspection, now: number): void {
  t.total++;
  if (i.status !== 'open') {
    t.done++;
    if (i.status === 'problem') t.problems++;
  } else if (inspectionOverdue(i, now)) t.overdue++;
  else t.due++;
}

/** Adds one pre-position order to a tally. */
export function countPreposition(t: PrepositionTally, o: PrepositionOrder, now: number): void {
  t.total++;
  if (o.arrivedAt !== undefined) {
    t.arrived++;
    if (o.arrivedAt > o.due) t.arrivedLate++;
  } else if (o.releasedAt !== undefined) t.released++;
  else if (now > o.due) t.late++;
  else t.onTheWay++;
}

/** What a pre-position order is now: arrived, on the way, late or released. */
export function prepositionState(o: PrepositionOrder, now: number): 'arrived' | 'on_the_way' | 'late' | 'released' {
  if (o.arrivedAt !== undefined) return 'arrived';
  if (o.releasedAt !== undefined) return 'released';
  return now > o.due ? 'late' : 'on_the_way';
}

/** Whether an inspection or order belongs to this activation of its plan (a plan activated again starts afresh). */
const ofActivation = (a: PlanActivation, planId: string, at: number): boolean =>
  planId === a.planId && at >= a.activatedAt;

function group<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

const byKey = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Overdue (or late) first, then most left to do, then by id: the order the console supervises in. */
const worstFirst =
  <T extends { squadId: string }>(left: (t: T) => number, behind: (t: T) => number) =>
  (a: T, b: T) =>
    behind(b) - behind(a) || left(b) - left(a) || (a.squadId < b.squadId ? -1 : a.squadId > b.squadId ? 1 : 0);

function roundProgress(
  action: RoundProgress['action'],
  inLevel: boolean,
  list: readonly Inspection[],
  lastSupervised: (squadId: string) => number | undefined,
  now: number,
): RoundProgress {
  const tally = emptyInspectionTally();
  for (const i of list) countInspection(tally, i, now);
  const rounds = [...group(list, (i) => i.round)]
    .sort((a, b) => a[0] - b[0])
    .map(([round, items]) => {
      const t = emptyInspectionTally();
      for (const i of items) countInspection(t, i, now);
      return {
        round,
        issuedAt: Math.min(...items.map((i) => i.issuedAt)),
        deadline: Math.max(...items.map((i) => i.due)),
        ...t,
      };
    });
  const byDistrict = [...group(list, (i) => i.district)].sort(byKey).map(([district, items]) => {
    const t = emptyInspectionTally();
    for (const i of items) countInspection(t, i, now);
    return { district, ...t };
  });
  const bySquad = [...group(list, (i) => i.squadId)]
    .map(([squadId, items]) => {
      const t = emptyInspectionTally();
      for (const i of items) countInspection(t, i, now);
      return { squadId, district: items[0]!.district, supervisedAt: lastSupervised(squadId), ...t };
    })
    .sort(
      worstFirst(
        (s) => s.due,
        (s) => s.overdue,
      ),
    );
  return { kind: 'round', action, inLevel, tally, rounds, byDistrict, bySquad };
}

function prepositionProgress(
  action: PrepositionProgress['action'],
  inLevel: boolean,
  list: readonly PrepositionOrder[],
  lastSupervised: (squadId: string) => number | undefined,
  now: number,
): PrepositionProgress {
  const tally = emptyPrepositionTally();
  for (const o of list) countPreposition(tally, o, now);
  const byDistrict = [...group(list, (o) => o.district)].sort(byKey).map(([district, items]) => {
    const t = emptyPrepositionTally();
    for (const o of items) countPreposition(t, o, now);
    return { district, ...t };
  });
  const bySquad = [...group(list, (o) => o.squadId)]
    .map(([squadId, items]) => {
      const t = emptyPrepositionTally();
      for (const o of items) countPreposition(t, o, now);
      return { squadId, district: items[0]!.district, supervisedAt: lastSupervised(squadId), ...t };
    })
    .sort(
      worstFirst(
        (s) => s.onTheWay,
        (s) => s.late,
      ),
    );
  return { kind: 'preposition', action, inLevel, tally, byDistrict, bySquad };
}

function staffingProgress(
  action: StaffingProgress['action'],
  inLevel: boolean,
  units: readonly Unit[],
): StaffingProgress {
  const share = (on: number, all: number) => (all === 0 ? 0 : on / all);
  const onDuty = units.filter(unitOnDuty).length;
  const byDistrict = [...group(units, (u) => u.district)].sort(byKey).map(([district, us]) => {
    const on = us.filter(unitOnDuty).length;
    const s = share(on, us.length);
    return { district, onDuty: on, units: us.length, share: s, met: s >= action.onDutyShare };
  });
  const s = share(onDuty, units.length);
  return {
    kind: 'staffing',
    action,
    inLevel,
    onDuty,
    units: units.length,
    share: s,
    target: action.onDutyShare,
    met: units.length > 0 && s >= action.onDutyShare,
    byDistrict,
  };
}

/** Every action of any level of the plan, by id (the highest level's definition of an id wins, as in `actionsAt`). */
function allActions(plan: PlanDef): Map<string, PlanAction> {
  const top = plan.levels.reduce((a, b) => (levelRank(b.level) > levelRank(a.level) ? b : a)).level;
  return new Map(actionsAt(plan, top).map((a) => [a.id, a]));
}

/**
 * The progress of one activation of a plan: each action of its level (and any action of another level whose
 * inspections or orders the activation still holds), by district and squad, at `now`.
 */
export function planProgress({
  plan,
  activation,
  inspections,
  prepositions,
  units,
  supervisions = [],
  now,
}: PlanProgressInput): PlanProgress {
  const mine = [...inspections].filter((i) => ofActivation(activation, i.planId, i.issuedAt));
  const orders = [...prepositions].filter((o) => ofActivation(activation, o.planId, o.orderedAt));
  const inspectionsOf = group(mine, (i) => i.actionId);
  const ordersOf = group(orders, (o) => o.actionId);
  const last = new Map<string, number>();
  for (const s of supervisions)
    if (s.planId === activation.planId && s.at >= activation.activatedAt) {
      const k = `${s.actionId}\u0000${s.squadId}`;
      last.set(k, Math.max(last.get(k) ?? 0, s.at));
    }
  const lastSupervised = (actionId: string) => (squadId: string) => last.get(`${actionId}\u0000${squadId}`);

  const atLevel = actionsAt(plan, activation.level);
  const levelIds = new Set(atLevel.map((a) => a.id));
  const every = allActions(plan);
  const others = [...new Set([...inspectionsOf.keys(), ...ordersOf.keys()])]
    .filter((id) => !levelIds.has(id) && every.has(id))
    .map((id) => every.get(id)!);
  const unitList = [...units];

  const actions = [...atLevel, ...others].map((action): ActionProgress => {
    const inLevel = levelIds.has(action.id);
    switch (action.kind) {
      case 'round':
        return roundProgress(action, inLevel, inspectionsOf.get(action.id) ?? [], lastSupervised(action.id), now);
      case 'preposition':
        return prepositionProgress(action, inLevel, ordersOf.get(action.id) ?? [], lastSupervised(action.id), now);
      case 'staffing':
        return staffingProgress(action, inLevel, unitList);
      case 'deadlines':
        return { kind: 'deadlines', action, inLevel };
    }
  });

  const inspectionTotal = emptyInspectionTally();
  for (const i of mine) countInspection(inspectionTotal, i, now);
  const prepositionTotal = emptyPrepositionTally();
  for (const o of orders) countPreposition(prepositionTotal, o, now);
  return {
    planId: activation.planId,
    level: activation.level,
    active: activation.endedAt === undefined,
    actions,
    inspections: inspectionTotal,
    prepositions: prepositionTotal,
    overdue: inspectionTotal.overdue + prepositionTotal.late,
  };
}

/** How many inspections or orders of an action are behind (overdue or late): the console lists the worst first. */
export function actionBehind(a: ActionProgress): number {
  if (a.kind === 'round') return a.tally.overdue;
  if (a.kind === 'preposition') return a.tally.late;
  if (a.kind === 'staffing') return a.met ? 0 : 1;
  return 0;
}

/** The plans in force in a world, most recently raised first (ended ones left out). */
export function activePlans(plans: Iterable<PlanActivation>): PlanActivation[] {
  return [...plans].filter((p) => p.endedAt === undefined).sort((a, b) => b.levelAt - a.levelAt);
}
