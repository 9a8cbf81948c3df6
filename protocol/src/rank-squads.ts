import type { Case, Task, Unit, UnitStatus, UnitType } from './entities.ts';
import type { JurisdictionReason } from './jurisdiction.ts';
import { kmh, roadTrip, straightTrip, type RoadModel, type Trip } from './road-eta.ts';
import { isTaskActive, isUnitBusy } from './workflow.ts';

/**
 * Squad recommendation for one-click dispatch: every unit is given an estimated arrival time by road at its type's
 * speed, adjusted for the duty area (a squad from another district counts as further away; the grid's own squad
 * wins a tie), the squad's current workload and the unit type's suitability for the case's category group. Units
 * are grouped to their squad, and squads ranked by their best unit. Unavailable units (off duty, offline, busy)
 * are listed with why; units with no position or no road to the case are listed as unreachable. Pure.
 */

/** Why a candidate ranks where it does: a machine key with parameters, for the display to translate. */
export type RankReason =
  | { key: 'own_grid' }
  | { key: 'other_grid'; params: { grid: string } }
  | { key: 'own_district' }
  | { key: 'out_of_district'; params: { district: string } }
  | { key: 'squad_workload'; params: { active: number; units: number } }
  | { key: 'type_suited'; params: { type: UnitType; group: string } }
  | { key: 'type_unsuited'; params: { type: UnitType; group: string } }
  | { key: 'crossing'; params: { via: string } }
  | { key: 'straight_line' }
  | { key: 'off_duty' }
  | { key: 'offline' }
  | { key: 'busy'; params: { status: UnitStatus; taskId?: string } }
  | { key: 'no_position' }
  | { key: 'no_path' }
  | JurisdictionReason;
export type RankReasonKey = RankReason['key'];

/** How a unit type moves. */
export interface UnitProfile {
  /** Effective average speed in town, stops and lights included. */
  speedMps: number;
  /** Flies the straight line, ignoring streets and crossings (drones). */
  flies?: boolean;
}

/** A squad's duty area (责任网格). Without one, a squad's district is taken from its units. */
export interface SquadDuty {
  id: string;
  district: string;
  grids?: readonly string[];
}

export interface RankOptions {
  profiles: Readonly<Record<UnitType, UnitProfile>>;
  /** Category group → the unit types suited to it; a group missing or listing none has no preference. */
  suitability: Readonly<Record<string, readonly UnitType[]>>;
  /** Added to the ETA of a squad from another district: preferred less, not excluded. */
  outOfDistrictPenaltyMs: number;
  /** Added when the case's grid is known and is not one of the squad's: small, so the grid's own squad wins ties. */
  otherGridPenaltyMs: number;
  /** Added at full workload (as many active tasks as units on duty), in proportion below and above it. */
  fullWorkloadPenaltyMs: number;
  /** Added for a unit type not suited to the case's category group. */
  unsuitedPenaltyMs: number;
}

const MINUTE_MS = 60_000;

export const DEFAULT_UNIT_PROFILES: Readonly<Record<UnitType, UnitProfile>> = {
  enforcement: { speedMps: kmh(25) },
  inspector: { speedMps: kmh(15) },
  sanitation: { speedMps: kmh(18) },
  emergency: { speedMps: kmh(35) },
  vehicle: { speedMps: kmh(30) },
  drone: { speedMps: kmh(54), flies: true },
};

/**
 * Which unit types suit which category group (config/categories.json groups): sanitation crews for garbage and
 * dirty streets, enforcement for street order, advertising and construction sites, emergency crews for
 * emergencies, fallen trees and broken public facilities.
 */
export const DEFAULT_SUITABILITY: Readonly<Record<string, readonly UnitType[]>> = {
  sanitation: ['sanitation'],
  environment: ['sanitation', 'enforcement'],
  street: ['enforcement'],
  ads: ['enforcement'],
  construction: ['enforcement'],
  emergency: ['emergency'],
  greenery: ['emergency', 'sanitation'],
  municipal: ['emergency'],
  traffic: ['emergency'],
  other: [],
};

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  profiles: DEFAULT_UNIT_PROFILES,
  suitability: DEFAULT_SUITABILITY,
  outOfDistrictPenaltyMs: 5 * MINUTE_MS,
  otherGridPenaltyMs: 30_000,
  fullWorkloadPenaltyMs: 10 * MINUTE_MS,
  unsuitedPenaltyMs: 15 * MINUTE_MS,
};

export interface RankSquadsInput {
  case: Pick<Case, 'position' | 'district' | 'grid'>;
  /** The case's category group (config: `CategoryDictionary.group`), for type suitability. */
  group?: string;
  /** Candidate units, with their latest known position in `position`. */
  units: Iterable<Unit>;
  /** Tasks, for the squads' workload; only active ones count. */
  tasks?: Iterable<Task>;
  squads?: Iterable<SquadDuty>;
  road: RoadModel;
  options?: Partial<RankOptions>;
}

/** Where a candidate stands: can go now, could go but cannot get there, or cannot go. */
export type CandidateStatus = 'available' | 'unreachable' | 'unavailable';

export interface UnitCandidate {
  unitId: string;
  squadId: string;
  type: UnitType;
  status: CandidateStatus;
  /** Estimated arrival by road (null: no position or no road). Also given for a busy unit nearby. */
  etaMs: number | null;
  distanceM: number | null;
  /** ETA plus penalties, in ms: lower ranks first. Null unless available. */
  score: number | null;
  reasons: RankReason[];
}

export interface SquadCandidate {
  squadId: string;
  district: string;
  /** The status, figures and reasons of the squad's best unit. */
  status: CandidateStatus;
  etaMs: number | null;
  distanceM: number | null;
  score: number | null;
  reasons: RankReason[];
  /** Its units, best first. */
  units: UnitCandidate[];
  /** Held back by the jurisdiction rule (jurisdiction.ts): listed, not proposed; eligible from `until` (null: not by waiting). */
  held?: { until: number | null };
}

const STATUS_ORDER: Record<CandidateStatus, number> = { available: 0, unreachable: 1, unavailable: 2 };

interface SquadContext {
  duty: SquadDuty;
  units: number;
  active: number;
  reasons: RankReason[];
  penaltyMs: number;
}

/** The squad-wide part of every unit's rating: duty area and workload (`units`: units on duty). */
function squadContext(
  duty: SquadDuty,
  units: number,
  active: number,
  input: RankSquadsInput,
  o: RankOptions,
): SquadContext {
  const reasons: RankReason[] = [];
  let penaltyMs = 0;
  const grid = input.case.grid;
  if (grid !== undefined && duty.grids !== undefined) {
    if (duty.grids.includes(grid)) reasons.push({ key: 'own_grid' });
    else {
      reasons.push({ key: 'other_grid', params: { grid } });
      penaltyMs += o.otherGridPenaltyMs;
    }
  }
  if (duty.district === input.case.district) reasons.push({ key: 'own_district' });
  else {
    reasons.push({ key: 'out_of_district', params: { district: duty.district } });
    penaltyMs += o.outOfDistrictPenaltyMs;
  }
  if (active > 0) {
    reasons.push({ key: 'squad_workload', params: { active, units } });
    penaltyMs += (o.fullWorkloadPenaltyMs * active) / Math.max(1, units);
  }
  return { duty, units, active, reasons, penaltyMs };
}

function unavailability(u: Unit): RankReason | undefined {
  if (u.status === 'off_duty') return { key: 'off_duty' };
  if (u.status === 'offline') return { key: 'offline' };
  if (isUnitBusy(u) || u.taskId !== undefined) {
    return { key: 'busy', params: { status: u.status, ...(u.taskId !== undefined ? { taskId: u.taskId } : {}) } };
  }
  return undefined;
}

function rateUnit(u: Unit, squad: SquadContext, input: RankSquadsInput, o: RankOptions): UnitCandidate {
  const reasons: RankReason[] = [...squad.reasons];
  let penaltyMs = squad.penaltyMs;
  const suited = input.group === undefined ? undefined : o.suitability[input.group];
  if (input.group !== undefined && suited && suited.length > 0) {
    if (suited.includes(u.type)) reasons.push({ key: 'type_suited', params: { type: u.type, group: input.group } });
    else {
      reasons.push({ key: 'type_unsuited', params: { type: u.type, group: input.group } });
      penaltyMs += o.unsuitedPenaltyMs;
    }
  }

  const profile = o.profiles[u.type];
  let trip: Trip | null = null;
  if (!u.position) reasons.push({ key: 'no_position' });
  else if (profile.flies) {
    trip = straightTrip(u.position, input.case.position, profile.speedMps);
    reasons.push({ key: 'straight_line' });
  } else {
    trip = roadTrip(input.road, u.position, input.case.position, profile.speedMps);
    if (!trip) reasons.push({ key: 'no_path' });
    else for (const via of trip.via) reasons.push({ key: 'crossing', params: { via } });
  }

  const why = unavailability(u);
  if (why) reasons.push(why);
  const status: CandidateStatus = why ? 'unavailable' : trip ? 'available' : 'unreachable';
  return {
    unitId: u.id,
    squadId: u.squadId,
    type: u.type,
    status,
    etaMs: trip ? Math.round(trip.etaMs) : null,
    distanceM: trip ? Math.round(trip.distanceM) : null,
    score: status === 'available' ? Math.round(trip!.etaMs + penaltyMs) : null,
    reasons,
  };
}

/** null sorts last. */
function byNumber(a: number | null, b: number | null): number {
  return (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY) || 0;
}

function compareUnits(a: UnitCandidate, b: UnitCandidate): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    byNumber(a.score, b.score) ||
    byNumber(a.etaMs, b.etaMs) ||
    (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0)
  );
}

const has = (reasons: readonly RankReason[], key: RankReasonKey) => (reasons.some((r) => r.key === key) ? 0 : 1);

function compareSquads(a: SquadCandidate, b: SquadCandidate): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    byNumber(a.score, b.score) ||
    // Equal scores: the grid's own squad, then the district's, then the quicker one.
    has(a.reasons, 'own_grid') - has(b.reasons, 'own_grid') ||
    has(a.reasons, 'own_district') - has(b.reasons, 'own_district') ||
    byNumber(a.etaMs, b.etaMs) ||
    (a.squadId < b.squadId ? -1 : a.squadId > b.squadId ? 1 : 0)
  );
}

/** Squads for a case, best first, each with its units best first (see the module docblock). */
export function rankSquads(input: RankSquadsInput): SquadCandidate[] {
  const o: RankOptions = { ...DEFAULT_RANK_OPTIONS };
  for (const [k, v] of Object.entries(input.options ?? {})) if (v !== undefined) Object.assign(o, { [k]: v });
  const duties = new Map<string, SquadDuty>();
  for (const d of input.squads ?? []) duties.set(d.id, d);

  const unitsBySquad = new Map<string, Unit[]>();
  for (const u of input.units) {
    const list = unitsBySquad.get(u.squadId);
    if (list) list.push(u);
    else unitsBySquad.set(u.squadId, [u]);
  }
  const active = new Map<string, number>();
  for (const t of input.tasks ?? []) {
    if (isTaskActive(t)) active.set(t.squadId, (active.get(t.squadId) ?? 0) + 1);
  }

  const squads: SquadCandidate[] = [];
  for (const [squadId, members] of unitsBySquad) {
    const duty = duties.get(squadId) ?? { id: squadId, district: members[0]!.district };
    const onDuty = members.filter((u) => u.status !== 'off_duty' && u.status !== 'offline').length;
    const ctx = squadContext(duty, onDuty, active.get(squadId) ?? 0, input, o);
    const units = members.map((u) => rateUnit(u, ctx, input, o)).sort(compareUnits);
    const best = units[0]!;
    squads.push({
      squadId,
      district: duty.district,
      status: best.status,
      etaMs: best.etaMs,
      distanceM: best.distanceM,
      score: best.score,
      reasons: best.reasons,
      units,
    });
  }
  return squads.sort(compareSquads);
}
