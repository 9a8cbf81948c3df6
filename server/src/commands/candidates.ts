import type { CategoryDictionary } from '@egret/config';
import {
  applyJurisdiction,
  CandidatesRequest,
  decideJurisdiction,
  rankSquads,
  refuse,
  type Case,
  type JurisdictionRule,
  type LonLat,
  type RedisKeys,
  type Result,
  type RoadModel,
  type SquadCandidate,
  type SquadDuty,
  type Unit,
  type WorldState,
} from '@egret/protocol';
import { describeIssues } from '../domain/parse-input.ts';
import { decodeStoredFix } from '../positions/stored-fix.ts';
import type { Redis } from '../redis/connect.ts';
import { loadEntities } from '../redis/load-entities.ts';

/** Squads answered per request. */
export const CANDIDATES_SHOWN = 10;

/** Each squad's duty district: the district most of its units belong to (ties: the smaller code). Pure. */
export function squadDuties(units: Iterable<Unit>): SquadDuty[] {
  const counts = new Map<string, Map<string, number>>();
  for (const u of units) {
    let byDistrict = counts.get(u.squadId);
    if (!byDistrict) counts.set(u.squadId, (byDistrict = new Map()));
    byDistrict.set(u.district, (byDistrict.get(u.district) ?? 0) + 1);
  }
  return [...counts].map(([id, byDistrict]) => {
    const [district] = [...byDistrict].sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1))[0]!;
    return { id, district };
  });
}

/** The position of a fix as stored in `keys.positions` (`stored-fix.ts`), or undefined when missing or unreadable. */
export function parseStoredPosition(stored: string | null | undefined): LonLat | undefined {
  const fix = decodeStoredFix(stored);
  return fix && [fix.lon, fix.lat];
}

/** Units with their latest fix from Redis as `position` (the log's last known position where there is none). */
export function withPositions(units: readonly Unit[], stored: readonly (string | null | undefined)[]): Unit[] {
  return units.map((u, i) => {
    const position = parseStoredPosition(stored[i]);
    return position ? { ...u, position } : u;
  });
}

export interface CandidatesDeps {
  redis: Redis;
  keys: RedisKeys;
  /** The hub's mirror: units and tasks (the roster changes rarely; a few ms behind is fine for a ranking). */
  world: () => WorldState;
  categories: CategoryDictionary;
  road: RoadModel;
  /** 属地管理 (config `settings.jurisdiction`): absent, every squad is proposed by its ranking alone. */
  jurisdiction?: JurisdictionRule;
  /** World time, for how long the case has waited. */
  now?: () => number;
}

/**
 * The squads best placed to take a case (`rankSquads`): every unit from the mirror with its latest position from
 * Redis, the squads' workload from the tasks, their duty district from their units, the case's category group for
 * type suitability, and the city's road model (bridges and tunnels to the island). Then the jurisdiction rule
 * (属地管理, widened by the mode and by a plan in force): squads from beyond what the rule allows now are listed after those it allows, marked `held` with the
 * reason and when they become eligible. Best first, at most 10.
 */
export async function caseCandidates(deps: CandidatesDeps, req: unknown): Promise<Result<SquadCandidate[]>> {
  const parsed = CandidatesRequest.safeParse(req);
  if (!parsed.success) return refuse('bad_request', `case:candidates: ${describeIssues(parsed.error.issues)}`);
  const { caseId } = parsed.data;
  const world = deps.world();
  const redis = deps.redis;
  const c: Case | undefined =
    world.cases.get(caseId) ?? (await loadEntities(redis, deps.keys, { caseIds: [caseId] }, false)).cases.get(caseId);
  if (!c) return refuse('unknown_case', `caseId: no case ${caseId}`);
  const units = [...world.units.values()];
  const stored = units.length
    ? await redis.hmGet(
        deps.keys.positions,
        units.map((u) => u.id),
      )
    : [];
  const group = deps.categories.group(c.category.standard, c.category.code);
  const ranked = rankSquads({
    case: c,
    ...(group !== undefined ? { group } : {}),
    units: withPositions(units, stored),
    tasks: world.tasks.values(),
    squads: squadDuties(units),
    road: deps.road,
  });
  if (!deps.jurisdiction || !deps.now) return { ok: true, data: ranked.slice(0, CANDIDATES_SHOWN) };
  const rule = deps.jurisdiction;
  const decision = decideJurisdiction({
    case: c,
    now: deps.now(),
    mode: world.mode,
    squads: ranked,
    rule,
    // A plan in force at a level the rule lists calls the neighbours (or the city) at once (属地管理 by campaign level).
    plans: world.plans.values(),
  });
  return { ok: true, data: applyJurisdiction(ranked, decision).slice(0, CANDIDATES_SHOWN) };
}
