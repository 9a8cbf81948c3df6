import type { Case, RedisKeys, Sensor, Storm, Task, Unit } from '@egret/protocol';
import { noEntities, type EntityIds, type LoadedEntities } from '../domain/store.ts';
import type { Redis } from './connect.ts';

type Kind = 'cases' | 'units' | 'tasks' | 'storms' | 'sensors';
const KINDS: readonly Kind[] = ['cases', 'units', 'tasks', 'storms', 'sensors'];

/** Rounds of link-following: a unit → its task → that task's case is as deep as any decision looks. */
const MAX_ROUNDS = 3;

/**
 * Reads entities from Redis — the source of truth, never the possibly lagging mirror — and, with `follow`, what
 * they link to: a case's task, a task's case and unit, a unit's task, a sensor's case. One round trip per level of
 * links (the HMGETs of a round are pipelined).
 */
export async function loadEntities(redis: Redis, keys: RedisKeys, ids: EntityIds, follow = true): Promise<LoadedEntities> {
  const out = noEntities();
  const asked: Record<Kind, Set<string>> = { cases: new Set(), units: new Set(), tasks: new Set(), storms: new Set(), sensors: new Set() };
  let want: Record<Kind, string[]> = {
    cases: [...(ids.caseIds ?? [])], units: [...(ids.unitIds ?? [])], tasks: [...(ids.taskIds ?? [])],
    storms: [...(ids.stormIds ?? [])], sensors: [...(ids.sensorIds ?? [])],
  };

  for (let round = 0; round < (follow ? MAX_ROUNDS : 1); round++) {
    for (const k of KINDS) want[k] = [...new Set(want[k])].filter((id) => !asked[k].has(id));
    if (KINDS.every((k) => !want[k].length)) break;
    for (const k of KINDS) for (const id of want[k]) asked[k].add(id);
    const [cases, units, tasks, storms, sensors] = await Promise.all(
      KINDS.map((k) => (want[k].length ? redis.hmGet(keys[k], want[k]) : Promise.resolve([] as (string | null)[]))),
    );
    const next: Record<Kind, string[]> = { cases: [], units: [], tasks: [], storms: [], sensors: [] };
    for (const text of cases!) {
      if (!text) continue;
      const c = JSON.parse(text) as Case;
      out.cases.set(c.id, c);
      if (c.taskId !== undefined) next.tasks.push(c.taskId);
    }
    for (const text of units!) {
      if (!text) continue;
      const u = JSON.parse(text) as Unit;
      out.units.set(u.id, u);
      if (u.taskId !== undefined) next.tasks.push(u.taskId);
    }
    for (const text of tasks!) {
      if (!text) continue;
      const t = JSON.parse(text) as Task;
      out.tasks.set(t.id, t);
      next.cases.push(t.caseId);
      next.units.push(t.unitId);
    }
    for (const text of storms!) {
      if (!text) continue;
      const s = JSON.parse(text) as Storm;
      out.storms.set(s.id, s);
    }
    for (const text of sensors!) {
      if (!text) continue;
      const s = JSON.parse(text) as Sensor;
      out.sensors.set(s.id, s);
      if (s.caseId !== undefined) next.cases.push(s.caseId);
    }
    want = next;
  }
  return out;
}
