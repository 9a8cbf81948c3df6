import type { UnitType } from '@egret/protocol';
import type { FieldResponse } from '@egret/config';
import type { Rng } from '../../rng.ts';

const MINUTE_MS = 60_000;

/** How a unit answers a task: takes it, turns it down (退单), or never answers (the dispatch desk times it out). */
export type TaskAnswer = 'accept' | 'decline' | 'silent';

/** Everything the field decides about one task, drawn once when it arrives. */
export interface TaskPlan {
  answer: TaskAnswer;
  /** From dispatch to the answer; for a silent unit, until the dispatch desk marks the task timed out. */
  answerAfterMs: number;
  /** Why it was declined or timed out. */
  reason?: string;
  /** From acceptance to leaving for the scene. */
  leaveAfterMs: number;
  /** Work on scene, from arrival to done. */
  workMs: number;
}

/** What the unit is doing when the task reaches it. */
export interface TaskSituation {
  unitType: UnitType;
  /** The case's category group (config/categories.json), for the time the work takes. */
  group: string | undefined;
  /** `off_duty`: the shift ended as the task was sent; `offline`: the device cannot receive it. */
  unitState: 'ready' | 'offline' | 'off_duty';
  /** Whether the unit can get to the case at all (its own land, or a crossing within reach). */
  reachable: boolean;
}

/** The reason the dispatch desk records when a unit never answers. */
export function timeoutReason(field: Pick<FieldResponse, 'timeoutMinutes'>): string {
  return `派遣后${field.timeoutMinutes}分钟未响应，调度按超时处理`;
}

/**
 * Plans a task's life in the field from its own random stream (`rng`: forked from the seed and the task id, so the
 * same task always gets the same plan however the hub's events interleave). An unreachable case or a unit that just
 * went off duty is declined; an offline device never answers; otherwise the unit declines `declineShare` of tasks,
 * leaves `silentShare` unanswered and accepts the rest. Every draw is made in a fixed order whatever the outcome.
 */
export function planTask(s: TaskSituation, field: FieldResponse, rng: Rng): TaskPlan {
  const roll = rng.float();
  const [aLo, aHi] = field.answerMinutes[s.unitType];
  const answerAfterMs = Math.round(rng.range(aLo, aHi) * MINUTE_MS);
  const declineReason = rng.pick(field.declineReasons);
  const [lLo, lHi] = field.leaveMinutes;
  const leaveAfterMs = Math.round(rng.range(lLo, lHi) * MINUTE_MS);
  const [wLo, wHi] =
    (s.group !== undefined ? field.workMinutes.byGroup[s.group] : undefined) ?? field.workMinutes.default;
  const workMs = Math.round(rng.range(wLo, wHi) * MINUTE_MS);
  const timeoutMs = Math.round(field.timeoutMinutes * MINUTE_MS);

  const decline = (reason: string): TaskPlan => ({ answer: 'decline', answerAfterMs, reason, leaveAfterMs, workMs });
  const silent = (): TaskPlan => ({
    answer: 'silent',
    answerAfterMs: timeoutMs,
    reason: timeoutReason(field),
    leaveAfterMs,
    workMs,
  });
  if (s.unitState === 'offline') return silent();
  if (s.unitState === 'off_duty') return decline('当班人员已下班');
  if (!s.reachable) return decline('非本辖区，无法到达现场');
  if (roll < field.declineShare) return decline(declineReason);
  if (roll < field.declineShare + field.silentShare) return silent();
  return { answer: 'accept', answerAfterMs, leaveAfterMs, workMs };
}
