import { worldNow as clockWorldNow, type Clock, type InputMessage, type NewLogEvent } from '@egret/protocol';
import {
  applyInput,
  currentEntities,
  entitiesNeeded,
  type ApplyContext,
  type CurrentEntities,
} from '../domain/apply-input.ts';
import type { EntityWrite } from '../domain/change.ts';
import type { Refusal } from '../domain/rejection.ts';
import { KIND_OF_WRITE, noEntities, type EntityIds, type EntityKind, type LoadedEntities } from '../domain/store.ts';

/** One entry of a batch as the edge parsed it: the input, or the refusal of its payload (and what it held). */
export interface BatchEntry {
  id: string;
  parsed: { ok: true; value: InputMessage } | Refusal;
  /** The raw payload, kept with a dead letter. */
  raw: string;
}

/**
 * What the batch may read: the entities loaded from the store for it, and every id that was asked for (an id asked
 * for and absent does not exist; an id never asked for is unknown, and the decision asks for it).
 */
export interface Known {
  entities: LoadedEntities;
  asked: Record<EntityKind, Set<string>>;
}

/** Nothing known yet. */
export function nothingKnown(): Known {
  const entities = noEntities();
  const asked = {} as Record<EntityKind, Set<string>>;
  for (const k of Object.keys(entities) as EntityKind[]) asked[k] = new Set();
  return { entities, asked };
}

/** Adds what a load answered for `ids` (and the links it followed) to what is known. */
export function learn(known: Known, ids: EntityIds, loaded: LoadedEntities): void {
  const idsOf: Record<EntityKind, readonly string[] | undefined> = {
    cases: ids.caseIds,
    units: ids.unitIds,
    tasks: ids.taskIds,
    storms: ids.stormIds,
    sensors: ids.sensorIds,
    cameras: ids.cameraIds,
    plans: ids.planIds,
    inspections: ids.inspectionIds,
    prepositions: ids.prepositionIds,
  };
  for (const kind of Object.keys(known.asked) as EntityKind[]) {
    for (const id of idsOf[kind] ?? []) known.asked[kind].add(id);
    for (const [id, e] of loaded[kind] as Map<string, never>) {
      known.asked[kind].add(id);
      (known.entities[kind] as Map<string, never>).set(id, e);
    }
  }
}

/** The ids the inputs of a batch name directly (`entitiesNeeded`), merged; `follow` when any of them follows links. */
export function batchNeeds(entries: readonly BatchEntry[]): { ids: EntityIds; follow: boolean } {
  const acc: Record<keyof EntityIds, Set<string>> = {
    caseIds: new Set(),
    unitIds: new Set(),
    taskIds: new Set(),
    stormIds: new Set(),
    sensorIds: new Set(),
    cameraIds: new Set(),
    planIds: new Set(),
    inspectionIds: new Set(),
    prepositionIds: new Set(),
  };
  let follow = false;
  for (const e of entries) {
    if (!e.parsed.ok) continue;
    const { follow: f, ...ids } = entitiesNeeded(e.parsed.value);
    follow ||= f;
    for (const [k, list] of Object.entries(ids) as Array<[keyof EntityIds, string[] | undefined]>)
      for (const id of list ?? []) acc[k].add(id);
  }
  const ids: EntityIds = {};
  for (const [k, set] of Object.entries(acc) as Array<[keyof EntityIds, Set<string>]>) if (set.size) ids[k] = [...set];
  return { ids, follow };
}

/** Units a batch registers that the store does not hold yet: each needs a frame slot reserved before deciding. */
export function unitsNeedingSlots(entries: readonly BatchEntry[], known: Known): string[] {
  const out = new Set<string>();
  for (const e of entries)
    if (e.parsed.ok && e.parsed.value.kind === 'unit.register' && !known.entities.units.has(e.parsed.value.unitId))
      out.add(e.parsed.value.unitId);
  return [...out];
}

export interface BatchContext {
  apply: Omit<ApplyContext, 'worldNow' | 'realNow'>;
  /** The world clock when the batch starts; a `clock.set` in the batch moves it for the inputs after it. */
  clock: Clock;
  realNow: number;
  /** Frame slots reserved for units registering for the first time (see `unitsNeedingSlots`). */
  slots: ReadonlyMap<string, number>;
}

/** What became of one entry. */
export type EntryDecision =
  { id: string; result: 'applied' | 'noop' } | { id: string; result: 'rejected'; refusal: Refusal; raw: string };

/** The whole batch's change: what one atomic commit writes, logs, marks applied and acknowledges. */
export interface BatchChange {
  /** Each entity once, in its last state, with the version it had when loaded (null: must not exist yet). */
  writes: EntityWrite[];
  /** Every applied entry's events, in stream order. */
  events: NewLogEvent[];
  /** The world clock to store: the last `clock.set` applied. */
  clock?: Clock;
  /** Entries whose change was written (remembered as applied, so a re-claim only acknowledges them). */
  applied: string[];
}

export type BatchDecision =
  | { ok: true; entries: EntryDecision[]; change: BatchChange }
  /** An entity the batch needs was never loaded (a link made within the batch), or a new unit has no slot. */
  | { ok: false; missing: EntityIds; slots: string[] };

const ID_FIELD: Record<EntityKind, keyof EntityIds> = {
  cases: 'caseIds',
  units: 'unitIds',
  tasks: 'taskIds',
  storms: 'stormIds',
  sensors: 'sensorIds',
  cameras: 'cameraIds',
  plans: 'planIds',
  inspections: 'inspectionIds',
  prepositions: 'prepositionIds',
};

/** A view of one kind that notes every id read that was never asked for (so unknown, not absent). */
class Watched<V> extends Map<string, V> {
  constructor(
    entries: Map<string, V>,
    private readonly asked: Set<string>,
    private readonly missed: Set<string>,
  ) {
    super(entries);
  }

  override get(id: string): V | undefined {
    if (!this.asked.has(id) && !super.has(id)) this.missed.add(id);
    return super.get(id);
  }
}

/**
 * Decides a batch of control-plane inputs in stream order, as `applyInput` would one by one: each entry sees the
 * entities as the entries before it in the batch left them (a `case.report` then its `case.transition`s all apply),
 * and is validated, decided and refused on its own — a refused entry changes nothing and sinks nothing. The writes
 * are merged per entity (its last state, checked against the version loaded), so the batch commits in one step.
 * Pure: the caller loads `known` from the store, and loads what a `missing` answer names before deciding again.
 */
export function decideBatch(entries: readonly BatchEntry[], known: Known, ctx: BatchContext): BatchDecision {
  const missed = {} as Record<EntityKind, Set<string>>;
  const state = {} as Record<EntityKind, Watched<unknown>>;
  for (const kind of Object.keys(known.asked) as EntityKind[]) {
    missed[kind] = new Set();
    state[kind] = new Watched(known.entities[kind] as Map<string, unknown>, known.asked[kind], missed[kind]);
  }
  const view = state as unknown as LoadedEntities;
  const writes = new Map<string, EntityWrite>();
  const events: NewLogEvent[] = [];
  const applied: string[] = [];
  const decisions: EntryDecision[] = [];
  const missingSlots: string[] = [];
  let clock = ctx.clock;
  let clockSet: Clock | undefined;

  for (const entry of entries) {
    if (!entry.parsed.ok) {
      decisions.push({ id: entry.id, result: 'rejected', refusal: entry.parsed, raw: entry.raw });
      continue;
    }
    const input = entry.parsed.value;
    const current: CurrentEntities = currentEntities(input, view);
    if (input.kind === 'unit.register' && !current.unit) {
      const slot = ctx.slots.get(input.unitId);
      if (slot === undefined) missingSlots.push(input.unitId);
      else current.slot = slot;
    }
    if (missingSlots.length > 0 || Object.values(missed).some((s) => s.size > 0)) {
      const missing: EntityIds = {};
      for (const [kind, ids] of Object.entries(missed) as Array<[EntityKind, Set<string>]>)
        if (ids.size) missing[ID_FIELD[kind]] = [...ids];
      return { ok: false, missing, slots: missingSlots };
    }
    const result = applyInput(input, current, {
      ...ctx.apply,
      worldNow: clockWorldNow(clock, ctx.realNow),
      realNow: ctx.realNow,
    });
    if (!result.ok) {
      decisions.push({ id: entry.id, result: 'rejected', refusal: result, raw: entry.raw });
      continue;
    }
    if (result.events.length === 0 && result.writes.length === 0) {
      decisions.push({ id: entry.id, result: 'noop' });
      continue;
    }
    for (const w of result.writes) {
      const key = `${w.kind}:${w.entity.id}`;
      const first = writes.get(key);
      writes.set(key, { ...w, expectedVersion: first ? first.expectedVersion : w.expectedVersion } as EntityWrite);
      (state[KIND_OF_WRITE[w.kind]] as Map<string, unknown>).set(w.entity.id, w.entity);
    }
    events.push(...result.events);
    if (result.clock) clock = clockSet = result.clock;
    applied.push(entry.id);
    decisions.push({ id: entry.id, result: 'applied' });
  }
  return {
    ok: true,
    entries: decisions,
    change: { writes: [...writes.values()], events, applied, ...(clockSet ? { clock: clockSet } : {}) },
  };
}
