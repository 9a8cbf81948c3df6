import {
  activePlans,
  SensorKind,
  SensorLevel,
  SIGNAL_LEVELS,
  type HubConfig,
  type Mode,
  type PlanActivation,
  type PlanDef,
  type SignalLevel,
} from '@egret/protocol';
import type { MessageParams } from '../i18n/translate.ts';
import type { MessageKey } from '../i18n/zh.ts';

/**
 * What the screens show of the command manual's plans (issue #17): which plan is shown, its title, the announcement
 * of a plan raised by its trigger (the points of its rounds are drawn from `map/plan-picture.ts`). Pure functions of the world and the
 * config; the progress itself is `planProgress` (protocol), shared with the after-action summary.
 */

/** The manual's plans from the hub config (`plans`, served by the hub from `config/plans`); none when it has none. */
export function planDefs(config: HubConfig): readonly PlanDef[] {
  return config.plans ?? [];
}

export interface ShownPlan {
  activation: PlanActivation;
  /** Its definition; null when the hub's config does not know the plan (the id is shown). */
  def: PlanDef | null;
}

/**
 * The plan the wall shows: of the plans in force, the one whose posture is the wall's mode, else the one raised most
 * recently. Null when none is in force.
 */
export function shownPlan(plans: Iterable<PlanActivation>, defs: readonly PlanDef[], mode: Mode): ShownPlan | null {
  const active = activePlans(plans);
  if (active.length === 0) return null;
  const defOf = (id: string) => defs.find((d) => d.id === id) ?? null;
  const chosen = active.find((a) => defOf(a.planId)?.mode === mode) ?? active[0]!;
  return { activation: chosen, def: defOf(chosen.planId) };
}

/** How long (world time) the wall announces a plan its trigger raised. */
export const PLAN_ANNOUNCE_MS = 30 * 60_000;

/** What raised a plan, parsed from its activation's reason (`typhoon_signal:orange`, `sensor:dust:alarm`…). */
export type PlanCause =
  | { kind: 'typhoon_signal'; signal: string }
  | { kind: 'sensor'; sensorKind: string; level: string }
  | { kind: 'event_window'; eventId: string }
  | { kind: 'other'; text: string };

export function planCause(reason: string | undefined): PlanCause {
  const [head, ...rest] = (reason ?? '').split(':');
  if (head === 'typhoon_signal' && rest[0]) return { kind: 'typhoon_signal', signal: rest[0] };
  if (head === 'sensor' && rest[0]) return { kind: 'sensor', sensorKind: rest[0], level: rest[1] ?? 'alarm' };
  if (head === 'event_window') return { kind: 'event_window', eventId: rest.join(':') };
  return { kind: 'other', text: reason ?? '' };
}

export interface PlanAnnouncement {
  planId: string;
  level: PlanActivation['level'];
  cause: PlanCause;
  at: number;
}

/**
 * The plans their triggers raised (actor `system`) within the last `windowMs` of world time, newest first: the wall
 * announces each (what and why) — a commander's own click needs no announcement, the console says it.
 */
export function planAnnouncements(
  plans: Iterable<PlanActivation>,
  now: number,
  windowMs = PLAN_ANNOUNCE_MS,
): PlanAnnouncement[] {
  return activePlans(plans)
    .filter((p) => p.actor.role === 'system' && p.levelAt <= now && now - p.levelAt <= windowMs)
    .map((p) => ({ planId: p.planId, level: p.level, cause: planCause(p.reason), at: p.levelAt }));
}

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** What raised a plan, in words: 橙色台风预警, 扬尘报警, 重大活动临近… (the reason as given when the display does not know it). */
export function causeWords(cause: PlanCause, t: Translate): string {
  switch (cause.kind) {
    case 'typhoon_signal':
      return (SIGNAL_LEVELS as readonly string[]).includes(cause.signal)
        ? t(`signal.${cause.signal as SignalLevel}`)
        : t('plan.trigger.typhoon_signal', { signal: cause.signal });
    case 'sensor': {
      const kind = (SensorKind.options as readonly string[]).includes(cause.sensorKind)
        ? t(`sensorKind.${cause.sensorKind as SensorKind}`)
        : cause.sensorKind;
      const level = (SensorLevel.options as readonly string[]).includes(cause.level)
        ? t(`sensorLevel.${cause.level as SensorLevel}`)
        : cause.level;
      return t('plan.trigger.sensor', { kind, level });
    }
    case 'event_window':
      return t('plan.trigger.event_window');
    case 'other':
      return cause.text || t('plan.byCommander');
  }
}

/** A plan step waiting for the commander's confirmation (and an optional reason) on the console. */
export type PlanAsk =
  { kind: 'activate'; planId: string; level: PlanActivation['level'] } | { kind: 'end'; planId: string };
/** Any plan step of the console: activate or change level, end, 督办 of a squad on an action. */
export type PlanStep = PlanAsk | { kind: 'supervise'; planId: string; actionId: string; squadId: string };

/** The console's intent of a plan step (one idempotency key per intent: a double click is the same step). */
export function planIntent(step: PlanStep): string {
  switch (step.kind) {
    case 'activate':
      return `plan:activate:${step.planId}:${step.level}`;
    case 'end':
      return `plan:end:${step.planId}`;
    case 'supervise':
      return `plan:supervise:${step.planId}:${step.actionId}:${step.squadId}`;
  }
}
