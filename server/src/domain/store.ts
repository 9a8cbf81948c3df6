import type { Camera, Case, Mode, Sensor, Storm, Task, Unit } from '@egret/protocol';
import type { StoredInspection, StoredPlan, StoredPreposition } from './plan-entities.ts';
import type { Change, CommitResult, EntityWrite, Fence } from './change.ts';

/** Entities as read from the store, by id. An id that was asked for and is missing is simply absent. */
export interface LoadedEntities {
  cases: Map<string, Case>;
  units: Map<string, Unit>;
  tasks: Map<string, Task>;
  storms: Map<string, Storm>;
  sensors: Map<string, Sensor>;
  cameras: Map<string, Camera>;
  /** Plan activations by plan id, inspections and pre-position orders by id (issue #17; plan-entities.ts). */
  plans: Map<string, StoredPlan>;
  inspections: Map<string, StoredInspection>;
  prepositions: Map<string, StoredPreposition>;
}

/** The entities a decision asks for (with `follow`, the store adds what they link to). */
export interface EntityIds {
  caseIds?: readonly string[];
  unitIds?: readonly string[];
  taskIds?: readonly string[];
  stormIds?: readonly string[];
  sensorIds?: readonly string[];
  cameraIds?: readonly string[];
  planIds?: readonly string[];
  inspectionIds?: readonly string[];
  prepositionIds?: readonly string[];
}

/** An empty LoadedEntities. */
export function noEntities(): LoadedEntities {
  return {
    cases: new Map(),
    units: new Map(),
    tasks: new Map(),
    storms: new Map(),
    sensors: new Map(),
    cameras: new Map(),
    plans: new Map(),
    inspections: new Map(),
    prepositions: new Map(),
  };
}

/** The kinds of entity, as LoadedEntities names them. */
export type EntityKind = keyof LoadedEntities;
/** The kind of entity a write holds (`case` → `cases`): where it lands among the loaded entities. */
export const KIND_OF_WRITE: Readonly<Record<EntityWrite['kind'], EntityKind>> = {
  case: 'cases',
  unit: 'units',
  task: 'tasks',
  storm: 'storms',
  sensor: 'sensors',
  camera: 'cameras',
  plan: 'plans',
  inspection: 'inspections',
  preposition: 'prepositions',
};
/** The entity type of a kind (`cases` → Case). */
export type EntityOf<K extends EntityKind> = LoadedEntities[K] extends Map<string, infer E> ? E : never;
/** Every kind of entity: the world's entity maps, each stored under its own keys and replaced whole on change. */
export const ENTITY_KINDS: readonly EntityKind[] = [
  'cases',
  'units',
  'tasks',
  'storms',
  'sensors',
  'cameras',
  'plans',
  'inspections',
  'prepositions',
];

/** Rounds of link-following: a unit → its task → that task's case is as deep as any decision looks. */
const MAX_ROUNDS = 3;

/**
 * Reads entities through `fetch` (one call per kind and round, so a store can batch them) and, with `follow`, what
 * they link to: a case's task, a task's case and unit, a unit's task, a sensor's case. Every store loads this way,
 * so a decision sees the same entities from Redis and from memory.
 */
export async function loadWithLinks(
  ids: EntityIds,
  follow: boolean,
  fetch: <K extends EntityKind>(kind: K, ids: string[]) => Promise<Array<EntityOf<K> | undefined>>,
): Promise<LoadedEntities> {
  const out = noEntities();
  const asked: Record<EntityKind, Set<string>> = {
    cases: new Set(),
    units: new Set(),
    tasks: new Set(),
    storms: new Set(),
    sensors: new Set(),
    cameras: new Set(),
    plans: new Set(),
    inspections: new Set(),
    prepositions: new Set(),
  };
  let want: Record<EntityKind, string[]> = {
    cases: [...(ids.caseIds ?? [])],
    units: [...(ids.unitIds ?? [])],
    tasks: [...(ids.taskIds ?? [])],
    storms: [...(ids.stormIds ?? [])],
    sensors: [...(ids.sensorIds ?? [])],
    cameras: [...(ids.cameraIds ?? [])],
    plans: [...(ids.planIds ?? [])],
    inspections: [...(ids.inspectionIds ?? [])],
    prepositions: [...(ids.prepositionIds ?? [])],
  };
  const none = Promise.resolve([]);
  for (let round = 0; round < (follow ? MAX_ROUNDS : 1); round++) {
    for (const k of ENTITY_KINDS) want[k] = [...new Set(want[k])].filter((id) => !asked[k].has(id));
    if (ENTITY_KINDS.every((k) => !want[k].length)) break;
    for (const k of ENTITY_KINDS) for (const id of want[k]) asked[k].add(id);
    const [cases, units, tasks, storms, sensors, cameras, plans, inspections, prepositions] = await Promise.all([
      want.cases.length ? fetch('cases', want.cases) : none,
      want.units.length ? fetch('units', want.units) : none,
      want.tasks.length ? fetch('tasks', want.tasks) : none,
      want.storms.length ? fetch('storms', want.storms) : none,
      want.sensors.length ? fetch('sensors', want.sensors) : none,
      want.cameras.length ? fetch('cameras', want.cameras) : none,
      want.plans.length ? fetch('plans', want.plans) : none,
      want.inspections.length ? fetch('inspections', want.inspections) : none,
      want.prepositions.length ? fetch('prepositions', want.prepositions) : none,
    ]);
    const next: Record<EntityKind, string[]> = {
      cases: [],
      units: [],
      tasks: [],
      storms: [],
      sensors: [],
      cameras: [],
      plans: [],
      inspections: [],
      prepositions: [],
    };
    for (const c of cases) {
      if (!c) continue;
      out.cases.set(c.id, c);
      if (c.taskId !== undefined) next.tasks.push(c.taskId);
    }
    for (const u of units) {
      if (!u) continue;
      out.units.set(u.id, u);
      if (u.taskId !== undefined) next.tasks.push(u.taskId);
    }
    for (const t of tasks) {
      if (!t) continue;
      out.tasks.set(t.id, t);
      next.cases.push(t.caseId);
      next.units.push(t.unitId);
    }
    for (const s of storms) if (s) out.storms.set(s.id, s);
    for (const c of cameras) if (c) out.cameras.set(c.id, c);
    for (const p of plans) if (p) out.plans.set(p.id, p);
    for (const i of inspections) if (i) out.inspections.set(i.id, i);
    for (const o of prepositions) if (o) out.prepositions.set(o.id, o);
    for (const s of sensors) {
      if (!s) continue;
      out.sensors.set(s.id, s);
      if (s.caseId !== undefined) next.cases.push(s.caseId);
    }
    want = next;
  }
  return out;
}

/** A commit as the domain asks for it: the change, and the bookkeeping that must happen in the same atomic step. */
export interface CommitRequest {
  change: Change;
  /** Real time: the score of what is remembered as applied. */
  now: number;
  /** The input entry this change comes from: marked applied and acknowledged in the same step. */
  entry?: { stream: string; id: string };
  /**
   * The command's idempotency field and the result to keep under it (a JSON object; `seq` is added): a later
   * commit with the same field writes nothing and answers `replayed`.
   */
  idempotency?: { field: string; result: string };
  /** Commit only while this lease token holds (the input applier's); else answer `fenced`. */
  fence?: Fence;
}

/**
 * What the hub's deciding paths (commands, the control-plane input) need from the source of truth: read the
 * entities a decision needs, and commit a decided change atomically — every write compare-and-set on the version
 * it was decided on (else `conflict`: read and decide again), the log events appended with gapless seqs, an input
 * entry applied at most once (`already_applied`), a command's idempotency key answered from what it kept
 * (`replayed`), all behind an optional lease fence (`fenced`). `redis/store.ts` implements it with commit.lua;
 * `domain/memory-store.ts` in memory, for tests of the decisions and flows that need no Redis.
 */
export interface EntityStore {
  /** The entities asked for and, with `follow` (default true), what they link to. */
  load(ids: EntityIds, follow?: boolean): Promise<LoadedEntities>;
  /** The mode the store holds (peacetime when none was ever set). */
  mode(): Promise<Mode>;
  /** What a command kept under its idempotency field (JSON with `seq`), if that field was used. */
  kept(field: string): Promise<string | undefined>;
  /** Whether an input entry has been applied (and is still remembered). */
  applied(entryId: string): Promise<boolean>;
  commit(c: CommitRequest): Promise<CommitResult>;
}
