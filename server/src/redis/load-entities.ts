import type { Case, RedisKeys, Task, Unit } from '@egret/protocol';
import type { Redis } from './connect.ts';

/** Entities as read from Redis, by id. An id that was asked for and is missing is simply absent. */
export interface LoadedEntities {
  cases: Map<string, Case>;
  units: Map<string, Unit>;
  tasks: Map<string, Task>;
}

export interface EntityIds {
  caseIds?: readonly string[];
  unitIds?: readonly string[];
  taskIds?: readonly string[];
}

/** Rounds of link-following: a unit → its task → that task's case is as deep as any decision looks. */
const MAX_ROUNDS = 3;

/**
 * Reads entities from Redis — the source of truth, never the possibly lagging mirror — and, with `follow`, what
 * they link to: a case's task, a task's case and unit, a unit's task. One round trip per level of links (the
 * three HMGETs of a round are pipelined).
 */
export async function loadEntities(redis: Redis, keys: RedisKeys, ids: EntityIds, follow = true): Promise<LoadedEntities> {
  const out: LoadedEntities = { cases: new Map(), units: new Map(), tasks: new Map() };
  const asked = { cases: new Set<string>(), units: new Set<string>(), tasks: new Set<string>() };
  let want = { cases: [...(ids.caseIds ?? [])], units: [...(ids.unitIds ?? [])], tasks: [...(ids.taskIds ?? [])] };

  for (let round = 0; round < (follow ? MAX_ROUNDS : 1); round++) {
    want = {
      cases: [...new Set(want.cases)].filter((id) => !asked.cases.has(id)),
      units: [...new Set(want.units)].filter((id) => !asked.units.has(id)),
      tasks: [...new Set(want.tasks)].filter((id) => !asked.tasks.has(id)),
    };
    if (!want.cases.length && !want.units.length && !want.tasks.length) break;
    for (const k of ['cases', 'units', 'tasks'] as const) for (const id of want[k]) asked[k].add(id);
    const [cases, units, tasks] = await Promise.all([
      want.cases.length ? redis.hmGet(keys.cases, want.cases) : [],
      want.units.length ? redis.hmGet(keys.units, want.units) : [],
      want.tasks.length ? redis.hmGet(keys.tasks, want.tasks) : [],
    ]);
    const next = { cases: [] as string[], units: [] as string[], tasks: [] as string[] };
    for (const text of cases) {
      if (!text) continue;
      const c = JSON.parse(text) as Case;
      out.cases.set(c.id, c);
      if (c.taskId !== undefined) next.tasks.push(c.taskId);
    }
    for (const text of units) {
      if (!text) continue;
      const u = JSON.parse(text) as Unit;
      out.units.set(u.id, u);
      if (u.taskId !== undefined) next.tasks.push(u.taskId);
    }
    for (const text of tasks) {
      if (!text) continue;
      const t = JSON.parse(text) as Task;
      out.tasks.set(t.id, t);
      next.cases.push(t.caseId);
      next.units.push(t.unitId);
    }
    want = next;
  }
  return out;
}
