import { z } from 'zod';
import { Id, Mode, Urgency, type Case } from './entities.ts';
import { levelRank, PlanLevel, type PlanActivation } from './plans.ts';
import type { SquadCandidate } from './rank-squads.ts';

/**
 * 属地管理: which squads may take a case now (the command manual's jurisdiction rule). A case first waits for its
 * own grid's squad, then its own district's; a neighbouring district is called when the case has waited long
 * enough for its urgency, when the own squads cannot meet its deadline, when the district has no squad on duty, when
 * a plan of the manual is in force at a level that widens the rule (`planJurisdiction`: a campaign level), or when the
 * wall's mode (typhoon, major event) widens it; the whole city after a longer wait. Everyone else
 * is still listed, marked held back with the reason and the moment they become eligible: the dispatcher may still
 * send them (it is their call), the auto-dispatcher does not. Pure; time is passed in.
 */

/** How far a case may reach for a squad, narrowest first. */
export const JurisdictionLevel = z.enum(['grid', 'district', 'neighbour', 'city']);
export type JurisdictionLevel = z.infer<typeof JurisdictionLevel>;
const LEVEL_ORDER: Record<JurisdictionLevel, number> = { grid: 0, district: 1, neighbour: 2, city: 3 };

const Minutes = z
  .number()
  .min(0)
  .max(7 * 24 * 60);

/** Minutes after filing at which each wider level opens, for one urgency. Each at least the one before. */
export const JurisdictionWait = z
  .object({
    /** Until then only the grid's own squad (where squads have duty grids). */
    gridMinutes: Minutes,
    /** Until then only the district's squads; then the neighbouring districts'. */
    districtMinutes: Minutes,
    /** Then any squad in the city; null: never by waiting alone. */
    cityMinutes: Minutes.nullable(),
  })
  .refine((w) => w.gridMinutes <= w.districtMinutes, {
    message: 'expected gridMinutes ≤ districtMinutes',
    path: ['districtMinutes'],
  })
  .refine((w) => w.cityMinutes === null || w.districtMinutes <= w.cityMinutes, {
    message: 'expected districtMinutes ≤ cityMinutes (or null)',
    path: ['cityMinutes'],
  });
export type JurisdictionWait = z.infer<typeof JurisdictionWait>;

/** The rule as configured (`config/settings.json` → `jurisdiction`). */
export const JurisdictionRule = z.object({
  note: z.string().max(2000).optional(),
  /** Per urgency, how long a case waits for its own squads. */
  wait: z.record(Urgency, JurisdictionWait),
  /**
   * Minutes a squad needs on the scene, for the deadline rule: when the own district's best available unit's ETA
   * plus this runs past the case's deadline, the neighbours are called at once.
   */
  handlingMinutes: Minutes,
  /** Per wall mode, the level it opens at once (a campaign widens the rule; absent: no widening). */
  modes: z.partialRecord(Mode, JurisdictionLevel).default({}),
  /**
   * Per plan of the manual (its id) and response level, the level it opens at once while in force (a campaign level,
   * e.g. 文明创建 Ⅲ 迎检冲刺 calls the neighbours without waiting). A level not listed takes the widest of the lower
   * levels listed: a higher response never narrows the rule.
   */
  plans: z.record(Id, z.partialRecord(PlanLevel, JurisdictionLevel)).default({}),
  /** District code → its neighbouring districts' codes (by land, bridge or tunnel). Symmetric. */
  neighbours: z.record(z.string().regex(/^\d{6}$/), z.array(z.string().regex(/^\d{6}$/))),
});
export type JurisdictionRule = z.infer<typeof JurisdictionRule>;

/** Why a neighbouring district (or the whole city) may be called now. */
export type JurisdictionBecause = 'waited' | 'deadline' | 'urgent' | 'plan' | 'mode' | 'no_own_squad';

/** The rule's word on one squad: a `RankReason` (see rank-squads.ts). `until`: world epoch ms. */
export type JurisdictionReason =
  | { key: 'own_grid_first' }
  | { key: 'waiting_for_grid'; params: { until: number } }
  | { key: 'waiting_for_district'; params: { until: number | null } }
  | { key: 'neighbour_allowed'; params: { because: JurisdictionBecause } }
  | { key: 'not_neighbour'; params: { until: number | null } }
  | { key: 'city_wide_allowed'; params: { because: JurisdictionBecause } };

/** Where a squad stands to the case. */
export type SquadTier = JurisdictionLevel;

export interface JurisdictionInput {
  case: Pick<Case, 'district' | 'grid' | 'urgency' | 'deadline' | 'filedAt' | 'reportedAt'>;
  now: number;
  mode: Mode;
  /** The ranked squads (rankSquads), with their district and grid reasons. */
  squads: readonly Pick<SquadCandidate, 'squadId' | 'district' | 'reasons' | 'units' | 'status'>[];
  rule: JurisdictionRule;
  /** The world's plans (ended ones are skipped): a plan in force may widen the rule (`planJurisdiction`). */
  plans?: Iterable<PlanActivation>;
}

export interface SquadJurisdiction {
  squadId: string;
  tier: SquadTier;
  eligible: boolean;
  /** When a held-back squad becomes eligible by waiting (null: not by waiting alone). Absent when eligible. */
  until?: number | null;
  reason?: JurisdictionReason;
}

export interface JurisdictionDecision {
  /** The widest level open now. */
  level: JurisdictionLevel;
  /** Why it is wider than the district, when it is. */
  because?: JurisdictionBecause;
  /** The plan in force that opened it (`because: 'plan'`). */
  plan?: PlanJurisdiction;
  squads: SquadJurisdiction[];
}

/** What the plans in force open at once: the widest level, and the plan (and its level) that opens it. */
export interface PlanJurisdiction {
  level: JurisdictionLevel;
  planId: string;
  planLevel: PlanLevel;
}

/**
 * The level the plans in force open at once under the rule's `plans` (属地管理 by campaign level), or undefined when
 * none widens it. A plan at a level the rule does not list takes the widest of its lower levels listed (Ⅰ is the
 * highest response); ended plans are skipped; of several plans the widest wins, ties to the smaller plan id (the same
 * answer whatever order the world holds them in). Pure.
 */
export function planJurisdiction(
  plans: Iterable<PlanActivation>,
  rule: Pick<JurisdictionRule, 'plans'>,
): PlanJurisdiction | undefined {
  let best: PlanJurisdiction | undefined;
  for (const p of plans) {
    if (p.endedAt !== undefined) continue;
    const levels = rule.plans[p.planId];
    if (!levels) continue;
    let level: JurisdictionLevel | undefined;
    for (const [at, opens] of Object.entries(levels) as [PlanLevel, JurisdictionLevel][])
      if (levelRank(at) <= levelRank(p.level) && (level === undefined || LEVEL_ORDER[opens] > LEVEL_ORDER[level]))
        level = opens;
    if (level === undefined) continue;
    const wins =
      !best ||
      LEVEL_ORDER[level] > LEVEL_ORDER[best.level] ||
      (LEVEL_ORDER[level] === LEVEL_ORDER[best.level] && p.planId < best.planId);
    if (wins) best = { level, planId: p.planId, planLevel: p.level };
  }
  return best;
}

const MINUTE_MS = 60_000;

/** The squad's tier: its grid reasons come from rankSquads (`own_grid` only where squads have duty grids). */
export function squadTier(
  squad: Pick<SquadCandidate, 'district' | 'reasons'>,
  caseDistrict: string,
  neighbours: readonly string[],
): SquadTier {
  if (squad.district === caseDistrict) return squad.reasons.some((r) => r.key === 'own_grid') ? 'grid' : 'district';
  return neighbours.includes(squad.district) ? 'neighbour' : 'city';
}

/** A squad with someone on duty: an available unit, or a busy one that will be free again. */
function staffed(s: Pick<SquadCandidate, 'units'>): boolean {
  return s.units.some((u) => u.status !== 'unavailable' || u.reasons.some((r) => r.key === 'busy'));
}

const wider = (a: JurisdictionLevel, b: JurisdictionLevel) => (LEVEL_ORDER[a] >= LEVEL_ORDER[b] ? a : b);

/** Which of the ranked squads may take the case now, and why (see the module docblock). */
export function decideJurisdiction(input: JurisdictionInput): JurisdictionDecision {
  const { rule, now } = input;
  const c = input.case;
  const wait = rule.wait[c.urgency];
  const neighbours = rule.neighbours[c.district] ?? [];
  const since = c.filedAt ?? c.reportedAt;
  const at = (minutes: number) => since + minutes * MINUTE_MS;
  const tiers = input.squads.map((s) => squadTier(s, c.district, neighbours));

  // By waiting.
  const gridUntil = at(wait.gridMinutes);
  const districtUntil = at(wait.districtMinutes);
  const cityUntil = wait.cityMinutes === null ? null : at(wait.cityMinutes);
  let level: JurisdictionLevel = 'grid';
  let because: JurisdictionBecause | undefined;
  if (now >= gridUntil) level = 'district';
  if (now >= districtUntil) [level, because] = ['neighbour', wait.districtMinutes === 0 ? 'urgent' : 'waited'];
  if (cityUntil !== null && now >= cityUntil) [level, because] = ['city', wait.cityMinutes === 0 ? 'urgent' : 'waited'];

  // No grid squad on duty: nothing to wait for at the grid level.
  const ownGrid = input.squads.filter((s, i) => tiers[i] === 'grid');
  if (level === 'grid' && !ownGrid.some(staffed)) level = 'district';

  const own = input.squads.filter((s, i) => tiers[i] === 'grid' || tiers[i] === 'district');
  const widen = (to: JurisdictionLevel, why: JurisdictionBecause) => {
    if (LEVEL_ORDER[to] > LEVEL_ORDER[level]) [level, because] = [wider(level, to), why];
  };
  // No squad of the district on duty at all: the neighbours at once.
  if (!own.some(staffed)) widen('neighbour', 'no_own_squad');
  // The deadline rule: the own squads' best arrival plus the handling time runs past the deadline.
  if (c.deadline !== undefined && LEVEL_ORDER[level] < LEVEL_ORDER.neighbour) {
    let best: number | null = null;
    for (const s of own)
      for (const u of s.units)
        if (u.status === 'available' && u.etaMs !== null && (best === null || u.etaMs < best)) best = u.etaMs;
    const handlingMs = rule.handlingMinutes * MINUTE_MS;
    // No own unit free now: only a deadline even an instant arrival cannot meet calls the neighbours early.
    if (now + (best ?? 0) + handlingMs > c.deadline) widen('neighbour', 'deadline');
  }
  const byPlan = input.plans ? planJurisdiction(input.plans, rule) : undefined;
  if (byPlan) widen(byPlan.level, 'plan');
  const byMode = rule.modes[input.mode];
  if (byMode) widen(byMode, 'mode');

  const squads = input.squads.map((s, i): SquadJurisdiction => {
    const tier = tiers[i]!;
    const eligible = LEVEL_ORDER[tier] <= LEVEL_ORDER[level];
    const out: SquadJurisdiction = { squadId: s.squadId, tier, eligible };
    if (tier === 'grid') {
      if (level === 'grid') out.reason = { key: 'own_grid_first' };
    } else if (tier === 'district') {
      if (!eligible) [out.until, out.reason] = [gridUntil, { key: 'waiting_for_grid', params: { until: gridUntil } }];
    } else if (tier === 'neighbour') {
      if (eligible) out.reason = { key: 'neighbour_allowed', params: { because: because ?? 'waited' } };
      else {
        out.until = districtUntil;
        out.reason = { key: 'waiting_for_district', params: { until: districtUntil } };
      }
    } else if (eligible) out.reason = { key: 'city_wide_allowed', params: { because: because ?? 'waited' } };
    else [out.until, out.reason] = [cityUntil, { key: 'not_neighbour', params: { until: cityUntil } }];
    return out;
  });
  return {
    level,
    ...(because !== undefined && LEVEL_ORDER[level] >= LEVEL_ORDER.neighbour ? { because } : {}),
    ...(because === 'plan' && byPlan ? { plan: byPlan } : {}),
    squads,
  };
}

/**
 * The ranked squads as the rule has them: each (and each of its units) carries the rule's reason, held-back squads carry `held` with the
 * moment they become eligible, and squads that can go now come first — eligible ones before held-back ones —, then
 * those that cannot (unreachable, unavailable), each group in the ranking's order.
 */
export function applyJurisdiction(ranked: readonly SquadCandidate[], decision: JurisdictionDecision): SquadCandidate[] {
  const by = new Map(decision.squads.map((s) => [s.squadId, s]));
  const group = (s: SquadCandidate) => {
    const j = by.get(s.squadId);
    if (s.status !== 'available') return s.status === 'unreachable' ? 2 : 3;
    return j && !j.eligible ? 1 : 0;
  };
  return ranked
    .map((s, order) => {
      const j = by.get(s.squadId);
      const why = j?.reason;
      const reasons = why ? [...s.reasons, why] : s.reasons;
      const units = why ? s.units.map((u) => ({ ...u, reasons: [...u.reasons, why] })) : s.units;
      const held = j && !j.eligible ? { held: { until: j.until ?? null } } : {};
      return { s: { ...s, reasons, units, ...held }, order, group: group(s) };
    })
    .sort((a, b) => a.group - b.group || a.order - b.order)
    .map((x) => x.s);
}
