import { z } from 'zod';
import { Actor, Id, Mode, Urgency } from './entities.ts';
import { EpochMs, LonLat } from './geo.ts';
import { SensorKind, SensorLevel } from './sensors.ts';
import { SignalLevel } from './weather.ts';

/**
 * The command manual (指挥手册) as data (issue #17): plans (预案) for the campaigns the bureau names, each with its
 * levels, what raises a level (a commander's click, a typhoon signal, sensors in alarm, an event's window) and what
 * a level orders (pre-positioning, inspection rounds over a point set, staffing, tightened deadlines with 督办). The
 * definitions live in `config/plans/*.json`; an active plan, its inspections and pre-position orders are world state,
 * changed by commands and folded from the log like everything else, so every screen and replay shows the same.
 */

/** The four campaigns (专项行动) of the bureau's report: 文明创建, 防抗台风, 环保督察, 重大任务保障. */
export const Campaign = z.enum(['civilised_city', 'typhoon', 'environmental', 'major_event']);
export type Campaign = z.infer<typeof Campaign>;

/**
 * Response levels, lowest first: Ⅳ (一般), Ⅲ (较大), Ⅱ (重大), Ⅰ (特别重大) — the national emergency-response scale.
 * A level orders its own actions and every lower level's (a plan raised to Ⅱ still runs Ⅳ's and Ⅲ's rounds).
 */
export const PlanLevel = z.enum(['IV', 'III', 'II', 'I']);
export type PlanLevel = z.infer<typeof PlanLevel>;
export const PLAN_LEVELS: readonly PlanLevel[] = PlanLevel.options;
/** 0 for Ⅳ … 3 for Ⅰ. */
export const levelRank = (level: PlanLevel): number => PLAN_LEVELS.indexOf(level);

/** The kinds of point an inspection round walks (点位). */
export const PointKind = z.enum([
  /** 测评点位 of the civilised-city assessment: markets, stations, schools, back streets, old quarters. */
  'assessment_point',
  /** 工地 (with its hoarding 围挡): noise, dust, covered soil trucks. */
  'construction_site',
  /** 户外广告 / 招牌: fastened before a typhoon. */
  'billboard',
  /** 行道树: staked and pruned before a typhoon, cleared after. */
  'street_tree',
  /** 易涝点: watched at red. */
  'ponding_point',
  /** 餐饮油烟: restaurants' fume purifiers. */
  'restaurant',
  /** 固定岗 / 集结点: where a major event or a typhoon pre-positions units. */
  'post',
]);
export type PointKind = z.infer<typeof PointKind>;

/** What an assessment point is (测评点位类型). */
export const AssessmentSite = z.enum([
  'market',
  'station',
  'school',
  'back_street',
  'old_quarter',
  'square',
  'hospital',
]);
export type AssessmentSite = z.infer<typeof AssessmentSite>;

/** A point of a point set (`config/cities/<city>/points/<set>.json`); positions approximate unless surveyed. */
export const InspectionPoint = z.object({
  id: Id,
  kind: PointKind,
  name: z.string().min(1).max(80),
  position: LonLat,
  district: z.string().regex(/^\d{6}$/),
  /** 单元网格; the hub fills it from the city's grids when the file does not say. */
  grid: z.string().max(32).optional(),
  site: AssessmentSite.optional(),
  /** True when the position is a placeholder near the real place, not surveyed (like the city's places). */
  approximate: z.boolean(),
});
export type InspectionPoint = z.infer<typeof InspectionPoint>;

/** What raises a plan to a level by itself (besides a commander's click, always possible). */
export const PlanTrigger = z.discriminatedUnion('kind', [
  /** The storm's signal for the city reaches this colour (blue … red). */
  z.object({ kind: z.literal('typhoon_signal'), atLeast: SignalLevel.exclude(['none']) }),
  /** At least `count` sensors of a kind read `level` or worse at once. */
  z.object({
    kind: z.literal('sensor'),
    sensorKind: SensorKind,
    level: SensorLevel.exclude(['normal']),
    count: z.number().int().min(1),
  }),
  /** A major event's window opens in `beforeMinutes` or less (config/…/major-events). */
  z.object({
    kind: z.literal('event_window'),
    eventId: Id,
    beforeMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
  }),
]);
export type PlanTrigger = z.infer<typeof PlanTrigger>;

/** The English name of a plan, level or action (the manual's own is Chinese): an English screen shows it when given. */
const NameEn = z.string().min(1).max(120).regex(/\S/, 'must not be blank').optional();

/** A plan's, level's or action's name in the screen's language: the manual's Chinese unless English is asked and given. */
export function manualName(named: { name: string; nameEn?: string | undefined }, locale: 'zh' | 'en'): string {
  return locale === 'en' && named.nameEn ? named.nameEn : named.name;
}

/** Minutes after the level's activation by which an action is due. */
const DueMinutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60);

export const PlanAction = z.discriminatedUnion('kind', [
  /** 前置: units of a squad (or the nearest available) to named points, in place by the deadline. */
  z.object({
    kind: z.literal('preposition'),
    id: Id,
    name: z.string().min(1).max(80),
    nameEn: NameEn,
    targets: z
      .array(
        z.object({
          pointId: Id,
          units: z.number().int().min(1).max(50),
          /** The squad to send; without it the nearest available units of the point's district. */
          squadId: Id.optional(),
        }),
      )
      .min(1),
    dueMinutes: DueMinutes,
  }),
  /** 巡查: every point of the kinds listed (or of the set named) becomes an inspection for the squad of its grid. */
  z.object({
    kind: z.literal('round'),
    id: Id,
    name: z.string().min(1).max(80),
    nameEn: NameEn,
    /** The point set file (its name without `.json`). */
    pointSet: Id,
    dueMinutes: DueMinutes,
    /** Daily rounds: a new round every so many minutes while the level holds (1440 for daily). */
    repeatMinutes: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 60)
      .optional(),
    /** Where a problem found becomes a case: its category and urgency, and the deadline the campaign gives it. */
    problem: z.object({
      categoryCode: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
      urgency: Urgency,
      deadlineHours: z.number().positive().max(720),
    }),
  }),
  /** 在岗率: the share of units on duty the level asks for; leave cancelled (取消休假). */
  z.object({
    kind: z.literal('staffing'),
    id: Id,
    name: z.string().min(1).max(80),
    nameEn: NameEn,
    onDutyShare: z.number().min(0).max(1),
    leaveCancelled: z.boolean(),
  }),
  /** 时限: tighter deadlines for case categories filed while the level holds; 督办 of what runs over. */
  z.object({
    kind: z.literal('deadlines'),
    id: Id,
    name: z.string().min(1).max(80),
    nameEn: NameEn,
    /** A category code, or a prefix of one (`01` for every 市容环境 category), with its deadline in hours. */
    categories: z
      .array(z.object({ code: z.string().regex(/^[0-9A-Za-z]{2,12}$/), hours: z.number().positive().max(720) }))
      .min(1),
    /** Raise 督办 on a case of these categories once its deadline passes. */
    superviseOverdue: z.boolean(),
  }),
]);
export type PlanAction = z.infer<typeof PlanAction>;
export type PlanActionKind = PlanAction['kind'];

export const PlanLevelDef = z.object({
  level: PlanLevel,
  /** What the level is called in the manual, e.g. 台风Ⅱ级应急响应. */
  name: z.string().min(1).max(80),
  nameEn: NameEn,
  triggers: z.array(PlanTrigger).default([]),
  actions: z.array(PlanAction).default([]),
});
export type PlanLevelDef = z.infer<typeof PlanLevelDef>;

/** One plan of the manual (`config/plans/<id>.json`). */
export const PlanDef = z.object({
  id: Id,
  name: z.string().min(1).max(80),
  nameEn: NameEn,
  campaign: Campaign,
  /** The wall's posture while the plan is active. */
  mode: Mode,
  /** The manual's revision this plan comes from, e.g. `2026-修订`. */
  version: z.string().min(1).max(32),
  levels: z.array(PlanLevelDef).min(1),
});
export type PlanDef = z.infer<typeof PlanDef>;

/** The actions a level orders: its own and every lower level's, by id (a higher level's action of the same id wins). */
export function actionsAt(plan: PlanDef, level: PlanLevel): PlanAction[] {
  const byId = new Map<string, PlanAction>();
  for (const def of [...plan.levels].sort((a, b) => levelRank(a.level) - levelRank(b.level)))
    if (levelRank(def.level) <= levelRank(level)) for (const a of def.actions) byId.set(a.id, a);
  return [...byId.values()];
}

// ————————————————————————————————— world state —————————————————————————————————

/** A plan in force: at which level, since when, raised by whom or by what trigger. Ended plans stay, with `endedAt`. */
export const PlanActivation = z.object({
  planId: Id,
  level: PlanLevel,
  activatedAt: EpochMs,
  /** When the current level began (a level change restarts its actions' deadlines). */
  levelAt: EpochMs,
  actor: Actor,
  /** Why: a commander's reason, or the trigger, e.g. `typhoon_signal:orange`. */
  reason: z.string().max(500).optional(),
  endedAt: EpochMs.optional(),
});
export type PlanActivation = z.infer<typeof PlanActivation>;

export const InspectionStatus = z.enum(['open', 'passed', 'problem']);
export type InspectionStatus = z.infer<typeof InspectionStatus>;

/**
 * One point of one round for one squad (巡查任务). Its id is derived (`inspectionId`), so issuing a round twice makes
 * nothing twice. Overdue is not a status: open past `due` (`inspectionOverdue`).
 */
export const Inspection = z.object({
  id: Id,
  planId: Id,
  actionId: Id,
  /** 1 for the first round of the action at this activation, 2 for the next day's … */
  round: z.number().int().min(1),
  pointId: Id,
  kind: PointKind,
  /** The point's name (中山路片区在建工地1号), so screens can name a site without the point set; absent in older logs. */
  name: z.string().min(1).max(80).optional(),
  position: LonLat,
  district: z.string().regex(/^\d{6}$/),
  grid: z.string().max(32).optional(),
  squadId: Id,
  issuedAt: EpochMs,
  due: EpochMs,
  status: InspectionStatus,
  checkedAt: EpochMs.optional(),
  unitId: Id.optional(),
  /** The case a problem found became. */
  caseId: Id.optional(),
  note: z.string().max(500).optional(),
});
export type Inspection = z.infer<typeof Inspection>;

/** `<plan>.<action>.<round>.<point>`: the same for the same round of the same point, whoever issues it. */
export const inspectionId = (planId: string, actionId: string, round: number, pointId: string): string =>
  `${planId}.${actionId}.${round}.${pointId}`.slice(0, 64);

export const inspectionOverdue = (i: Inspection, now: number): boolean => i.status === 'open' && now > i.due;

/** A pre-position order (前置): a unit to a point by a deadline; arrived is derived from its position (`PREPOSITION_RADIUS_M`). */
export const PrepositionOrder = z.object({
  id: Id,
  planId: Id,
  actionId: Id,
  pointId: Id,
  position: LonLat,
  unitId: Id,
  squadId: Id,
  district: z.string().regex(/^\d{6}$/),
  orderedAt: EpochMs,
  due: EpochMs,
  /** Set once the unit was seen within the radius (by the hub, from its fixes): kept, so replay needs no positions. */
  arrivedAt: EpochMs.optional(),
  /** Released when the level drops or the plan ends. */
  releasedAt: EpochMs.optional(),
});
export type PrepositionOrder = z.infer<typeof PrepositionOrder>;

/** How near its point a pre-positioned unit counts as in place. */
export const PREPOSITION_RADIUS_M = 150;

/** 督办 of a squad on one action of a plan, from the console. */
export const PlanSupervision = z.object({
  planId: Id,
  actionId: Id,
  squadId: Id,
  at: EpochMs,
  actor: Actor,
  note: z.string().max(500).optional(),
});
export type PlanSupervision = z.infer<typeof PlanSupervision>;

/** The most inspections or orders one log event carries: a 5,000-point round is ten events, not one huge one. */
export const PLAN_BATCH = 500;
