import { createHash } from 'node:crypto';
import {
  actionsAt,
  haversineM,
  inspectionId,
  levelRank,
  PLAN_LEVELS,
  PREPOSITION_RADIUS_M,
  SignalLevel,
  TERMINAL_CASE_STATUSES,
  type Case,
  type Inspection,
  type LonLat,
  type InspectionPoint,
  type PlanAction,
  type PlanActivation,
  type PlanDef,
  type PlanLevel,
  type PlanTrigger,
  type PrepositionOrder,
  type Sensor,
  type Storm,
  type Unit,
} from '@egret/protocol';

/**
 * The plan engine (issue #17), pure: what a plan in force at a level orders — its rounds' inspections, its
 * pre-position orders, what a level change or an end releases, which plans their triggers raise, the deadline a
 * case gets while a `deadlines` action holds, and the overdue cases to 督办. Time is passed in; the I/O (reading the
 * store, committing in batches) is `issue.ts` and `plan-commands.ts`.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** The manual as the engine reads it: plans by id, point sets by id, the city's squads by district. */
export interface PlanCatalog {
  plans: ReadonlyMap<string, PlanDef>;
  pointSets: ReadonlyMap<string, readonly InspectionPoint[]>;
  /** District → its squads (config `citySquads`). */
  squads: ReadonlyMap<string, readonly string[]>;
  /** Grid → the squad whose duty area holds it, where the city says (none yet: the district's squad is used). */
  gridSquads?: ReadonlyMap<string, string>;
}

export function catalogOf(c: {
  plans: readonly PlanDef[];
  pointSets: ReadonlyMap<string, readonly InspectionPoint[]>;
  squads: ReadonlyMap<string, readonly string[]>;
  gridSquads?: ReadonlyMap<string, string>;
}): PlanCatalog {
  return { ...c, plans: new Map(c.plans.map((p) => [p.id, p])) };
}

/** Whether an activation is in force (not ended). */
export const inForce = (a: PlanActivation | undefined): a is PlanActivation =>
  a !== undefined && a.endedAt === undefined;

/**
 * The squad that inspects a point: its grid's squad where duty areas are known, else one of its district's squads,
 * chosen by a stable hash of the point id (so every hub and every round pick the same one, and a district's points
 * spread evenly over its squads). Undefined when the district has no squad.
 */
export function squadForPoint(point: InspectionPoint, catalog: PlanCatalog): string | undefined {
  const byGrid = point.grid !== undefined ? catalog.gridSquads?.get(point.grid) : undefined;
  if (byGrid !== undefined) return byGrid;
  const squads = catalog.squads.get(point.district);
  if (!squads?.length) return undefined;
  const h = createHash('sha1').update(point.id).digest().readUInt32BE(0);
  return squads[h % squads.length];
}

/** How many rounds of a round action are due at `now`: 1 at once, one more per `repeatMinutes` passed since levelAt. */
export function roundsDue(action: Extract<PlanAction, { kind: 'round' }>, levelAt: number, now: number): number {
  if (action.repeatMinutes === undefined || now < levelAt) return 1;
  return Math.floor((now - levelAt) / (action.repeatMinutes * MINUTE)) + 1;
}

/**
 * Every inspection the activation calls for at `now`: for each round action of its level (and the lower levels'),
 * each due round, each point of the round's set, for the point's squad, due `dueMinutes` after the round began.
 * Ids from `inspectionId`, so the same call twice gives the same inspections (the caller skips the ids that exist).
 */
export function inspectionsFor(
  activation: PlanActivation,
  catalog: PlanCatalog,
  now: number,
  /** Rounds of each action before this activation (`roundBase`): the first round of this one is base + 1. */
  baseOf: (actionId: string) => number = () => 0,
): Inspection[] {
  const def = catalog.plans.get(activation.planId);
  if (!def || !inForce(activation)) return [];
  const out: Inspection[] = [];
  for (const action of actionsAt(def, activation.level)) {
    if (action.kind !== 'round') continue;
    const points = catalog.pointSets.get(action.pointSet) ?? [];
    const rounds = roundsDue(action, activation.levelAt, now);
    const base = baseOf(action.id);
    for (let n = 1; n <= rounds; n++) {
      const round = base + n;
      const began = activation.levelAt + (n - 1) * (action.repeatMinutes ?? 0) * MINUTE;
      for (const p of points) {
        const squadId = squadForPoint(p, catalog);
        if (squadId === undefined) continue;
        out.push({
          id: inspectionId(def.id, action.id, round, p.id),
          planId: def.id,
          actionId: action.id,
          round,
          pointId: p.id,
          kind: p.kind,
          name: p.name,
          position: p.position,
          district: p.district,
          ...(p.grid !== undefined ? { grid: p.grid } : {}),
          squadId,
          issuedAt: began,
          due: began + action.dueMinutes * MINUTE,
          status: 'open',
        });
      }
    }
  }
  return out;
}

/**
 * The rounds of each action of a plan that earlier activations issued (the highest round number among inspections
 * issued before this activation began): a plan ended and activated again next week goes on with round base + 1, so
 * its ids (`inspectionId`) are new rather than the first activation's.
 */
export function roundBase(
  inspections: Iterable<Inspection>,
  activation: Pick<PlanActivation, 'planId' | 'activatedAt'>,
): (actionId: string) => number {
  const max = new Map<string, number>();
  for (const i of inspections)
    if (i.planId === activation.planId && i.issuedAt < activation.activatedAt)
      max.set(i.actionId, Math.max(max.get(i.actionId) ?? 0, i.round));
  return (actionId) => max.get(actionId) ?? 0;
}

/** `<plan>.<action>.<point>.<n>`: the n-th unit a pre-position target asks for (hashed when too long). */
export function prepositionId(planId: string, actionId: string, pointId: string, n: number): string {
  const id = `${planId}.${actionId}.${pointId}.${n}`;
  return id.length <= 64 ? id : `P-${createHash('sha1').update(id).digest('hex').slice(0, 40)}.${n}`;
}

const pointsById = (catalog: PlanCatalog): Map<string, InspectionPoint> => {
  const m = new Map<string, InspectionPoint>();
  for (const set of catalog.pointSets.values()) for (const p of set) m.set(p.id, p);
  return m;
};

/**
 * The pre-position orders the activation calls for that are not yet given: for each target, as many of the nearest
 * available units (of the target's squad, else of the point's district) as it asks for, leaving out units that
 * hold an order in force. A unit without a known position goes last. Deterministic for the same world.
 */
export function prepositionsFor(
  activation: PlanActivation,
  catalog: PlanCatalog,
  units: Iterable<Unit>,
  existing: ReadonlyMap<string, PrepositionOrder>,
): PrepositionOrder[] {
  const def = catalog.plans.get(activation.planId);
  if (!def || !inForce(activation)) return [];
  const points = pointsById(catalog);
  const busy = new Set([...existing.values()].filter((o) => o.releasedAt === undefined).map((o) => o.unitId));
  const pool = [...units].filter((u) => u.status === 'available' && u.taskId === undefined);
  const out: PrepositionOrder[] = [];
  for (const action of actionsAt(def, activation.level)) {
    if (action.kind !== 'preposition') continue;
    for (const target of action.targets) {
      const point = points.get(target.pointId);
      if (!point) continue;
      const wanted: number[] = [];
      for (let n = 1; n <= target.units; n++) {
        const o = existing.get(prepositionId(def.id, action.id, point.id, n));
        if (!o || o.releasedAt !== undefined) wanted.push(n);
      }
      if (!wanted.length) continue;
      const far = (u: Unit) => (u.position ? haversineM(u.position, point.position) : Number.MAX_VALUE);
      const candidates = pool
        .filter((u) => !busy.has(u.id))
        .filter((u) => (target.squadId !== undefined ? u.squadId === target.squadId : u.district === point.district))
        .sort((a, b) => far(a) - far(b) || (a.id < b.id ? -1 : 1));
      for (const n of wanted) {
        const u = candidates.shift();
        if (!u) break;
        busy.add(u.id);
        out.push({
          id: prepositionId(def.id, action.id, point.id, n),
          planId: def.id,
          actionId: action.id,
          pointId: point.id,
          position: point.position,
          unitId: u.id,
          squadId: u.squadId,
          district: point.district,
          orderedAt: activation.levelAt,
          due: activation.levelAt + action.dueMinutes * MINUTE,
        });
      }
    }
  }
  return out;
}

/**
 * The orders in force that the activation no longer asks for (a level lowered below their action, or the plan
 * ended), released at `at`.
 */
export function releasedOrders(
  activation: PlanActivation,
  def: PlanDef | undefined,
  orders: Iterable<PrepositionOrder>,
  at: number,
): PrepositionOrder[] {
  const kept = new Set(
    def && inForce(activation)
      ? actionsAt(def, activation.level)
          .filter((a) => a.kind === 'preposition')
          .map((a) => a.id)
      : [],
  );
  const out: PrepositionOrder[] = [];
  for (const o of orders)
    if (o.planId === activation.planId && o.releasedAt === undefined && !kept.has(o.actionId))
      out.push({ ...o, releasedAt: at });
  return out;
}

/**
 * Orders whose unit is now within `PREPOSITION_RADIUS_M` of its point (in force, not yet arrived), marked arrived at
 * `at`. `positionOf`: the unit's latest fix.
 */
export function arrivedOrders(
  orders: Iterable<PrepositionOrder>,
  positionOf: (unitId: string) => LonLat | undefined,
  at: number,
): PrepositionOrder[] {
  const out: PrepositionOrder[] = [];
  for (const o of orders) {
    if (o.arrivedAt !== undefined || o.releasedAt !== undefined) continue;
    const p = positionOf(o.unitId);
    if (p && haversineM(p, o.position) <= PREPOSITION_RADIUS_M) out.push({ ...o, arrivedAt: at });
  }
  return out;
}

// ————————————————————————————————— triggers —————————————————————————————————

/** What the triggers read of the world. */
export interface TriggerWorld {
  plans: ReadonlyMap<string, PlanActivation>;
  storms: Iterable<Storm>;
  sensors: Iterable<Sensor>;
  /** The city's major events with their windows (world ms). */
  events: ReadonlyArray<{ id: string; from: number; to: number }>;
  now: number;
}

/** Why a trigger holds (`typhoon_signal:orange`, `sensor:dust:alarm:3`, `event_window:straits-forum`), or undefined. */
export function triggerHolds(t: PlanTrigger, w: TriggerWorld): { reason: string; cause: string } | undefined {
  switch (t.kind) {
    case 'typhoon_signal': {
      const order = SignalLevel.options;
      const storm = [...w.storms]
        .filter((s) => order.indexOf(s.signal) >= order.indexOf(t.atLeast))
        .sort((a, b) => order.indexOf(b.signal) - order.indexOf(a.signal) || (a.id < b.id ? -1 : 1))[0];
      return storm && { reason: `typhoon_signal:${storm.signal}`, cause: storm.id };
    }
    case 'sensor': {
      const worse = t.level === 'alarm' ? ['alarm'] : ['warning', 'alarm'];
      const n = [...w.sensors].filter((s) => s.kind === t.sensorKind && worse.includes(s.level)).length;
      return n >= t.count
        ? { reason: `sensor:${t.sensorKind}:${t.level}:${n}`, cause: `${t.sensorKind}-${t.level}` }
        : undefined;
    }
    case 'event_window': {
      const e = w.events.find((x) => x.id === t.eventId);
      return e && w.now >= e.from - t.beforeMinutes * MINUTE && w.now < e.to
        ? { reason: `event_window:${e.id}`, cause: e.id }
        : undefined;
    }
  }
}

/** A plan its triggers raise: to `level`, with the reason and the idempotency key of the raise. */
export interface TriggeredRaise {
  planId: string;
  level: PlanLevel;
  reason: string;
  /** `trigger:<plan>:<level>:<cause>`: the same raise from any hub, at any tick, is one command. */
  idempotencyKey: string;
}

/**
 * For each plan: the highest level whose triggers hold, when it is above the level the plan holds (or the plan is
 * not in force). Only upward: a trigger that stops holding lowers nothing (a commander does).
 */
export function decideTriggers(world: TriggerWorld, plans: Iterable<PlanDef>): TriggeredRaise[] {
  // Iterables (a Map's values) are read once: every trigger of every level reads them again.
  const w: TriggerWorld = { ...world, storms: [...world.storms], sensors: [...world.sensors] };
  const out: TriggeredRaise[] = [];
  for (const def of plans) {
    const current = w.plans.get(def.id);
    const held = inForce(current) ? levelRank(current.level) : -1;
    let best: TriggeredRaise | undefined;
    for (const lv of def.levels) {
      if (levelRank(lv.level) <= held || (best && levelRank(best.level) >= levelRank(lv.level))) continue;
      for (const t of lv.triggers) {
        const holds = triggerHolds(t, w);
        if (!holds) continue;
        best = {
          planId: def.id,
          level: lv.level,
          reason: holds.reason,
          idempotencyKey: `trigger:${def.id}:${lv.level}:${holds.cause}`.slice(0, 128),
        };
        break;
      }
    }
    if (best) out.push(best);
  }
  return out;
}

// ————————————————————————————————— deadlines and 督办 —————————————————————————————————

type DeadlinesAction = Extract<PlanAction, { kind: 'deadlines' }>;

/** The `deadlines` actions in force, with their plan. */
export function deadlinesInForce(
  activations: Iterable<PlanActivation>,
  plans: ReadonlyMap<string, PlanDef>,
): Array<{ planId: string; action: DeadlinesAction }> {
  const out: Array<{ planId: string; action: DeadlinesAction }> = [];
  for (const a of activations) {
    const def = plans.get(a.planId);
    if (!def || !inForce(a)) continue;
    for (const action of actionsAt(def, a.level))
      if (action.kind === 'deadlines') out.push({ planId: a.planId, action });
  }
  return out;
}

/** The hours a plan in force gives a category (a code, or a prefix of it), the shortest of them; undefined: none. */
export function tightenedHours(
  code: string,
  activations: Iterable<PlanActivation>,
  plans: ReadonlyMap<string, PlanDef>,
): number | undefined {
  let hours: number | undefined;
  for (const { action } of deadlinesInForce(activations, plans))
    for (const c of action.categories) if (code.startsWith(c.code)) hours = Math.min(hours ?? Infinity, c.hours);
  return hours;
}

/** A case's deadline in ms from filing: the dictionary's, or a plan's when that is shorter. */
export function planDeadlineMs(
  dictionaryMs: number,
  code: string,
  activations: Iterable<PlanActivation>,
  plans: ReadonlyMap<string, PlanDef>,
): number {
  const hours = tightenedHours(code, activations, plans);
  return hours === undefined ? dictionaryMs : Math.min(dictionaryMs, hours * HOUR);
}

/**
 * The cases to 督办 (supervise) now: open, past their deadline, not yet supervised, of a category a `deadlines`
 * action with `superviseOverdue` covers. With the plan whose action asks for it (the first one).
 */
export function overdueToSupervise(
  cases: Iterable<Case>,
  activations: Iterable<PlanActivation>,
  plans: ReadonlyMap<string, PlanDef>,
  now: number,
): Array<{ caseId: string; planId: string; actionId: string }> {
  const actions = deadlinesInForce(activations, plans).filter((x) => x.action.superviseOverdue);
  if (!actions.length) return [];
  const out: Array<{ caseId: string; planId: string; actionId: string }> = [];
  for (const c of cases) {
    if (c.supervised || c.deadline === undefined || c.deadline >= now) continue;
    if (TERMINAL_CASE_STATUSES.includes(c.status)) continue;
    const hit = actions.find((x) => x.action.categories.some((k) => c.category.code.startsWith(k.code)));
    if (hit) out.push({ caseId: c.id, planId: hit.planId, actionId: hit.action.id });
  }
  return out;
}

/** Levels by rank, for messages. */
export const levelList = (def: PlanDef): string => def.levels.map((l) => l.level).join(', ') || PLAN_LEVELS.join(', ');
