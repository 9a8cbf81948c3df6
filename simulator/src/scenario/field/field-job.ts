import type { TaskStatus } from '@egret/protocol';
import type { TaskPlan } from './task-plan.ts';

/** Where a task stands in the field: sent and waiting for an answer, accepted, on the way, on scene. */
export type JobPhase = 'offered' | 'accepted' | 'en_route' | 'on_scene';

/** One unit's task as its field app plays it. */
export interface FieldJob {
  taskId: string;
  caseId: string;
  unitId: string;
  plan: TaskPlan;
  phase: JobPhase;
  /** When the current phase's timer runs out (world ms); Infinity while travelling (arrival ends it). */
  dueAt: number;
}

/** A task update to send: the milestone and its world time. */
export interface JobStep {
  status: Extract<TaskStatus, 'accepted' | 'en_route' | 'on_scene' | 'done' | 'declined' | 'timed_out'>;
  at: number;
  reason?: string;
}

/** What the unit must do: set off for the case, or drop the task and go back to its beat. */
export type JobEffect = 'depart' | 'release';

export interface JobAdvance {
  /** The job afterwards; undefined once it has ended (done, declined, timed out). */
  job: FieldJob | undefined;
  steps: JobStep[];
  effects: JobEffect[];
}

/** A task that has just reached the unit (`createdAt`: when the hub created it). */
export function startJob(
  task: { id: string; caseId: string; unitId: string; createdAt: number },
  plan: TaskPlan,
): FieldJob {
  return {
    taskId: task.id,
    caseId: task.caseId,
    unitId: task.unitId,
    plan,
    phase: 'offered',
    dueAt: task.createdAt + plan.answerAfterMs,
  };
}

/**
 * Moves a job on to world time `now`, as far as it goes: offered → accepted (or declined, or timed out) when the
 * answer is due; accepted → en route when it is time to leave (the unit departs); en route → on scene once the unit
 * has `arrived` (at `now`: arrival is seen at a step); on scene → done when the work is finished (the unit is
 * released). Each milestone carries the world time it happened at, so a late step loses no time. Pure.
 */
export function advanceJob(job: FieldJob, now: number, arrived: boolean): JobAdvance {
  const steps: JobStep[] = [];
  const effects: JobEffect[] = [];
  let j: FieldJob = job;
  for (;;) {
    if (j.phase === 'offered' && now >= j.dueAt) {
      const at = j.dueAt;
      if (j.plan.answer === 'accept') {
        steps.push({ status: 'accepted', at });
        j = { ...j, phase: 'accepted', dueAt: at + j.plan.leaveAfterMs };
        continue;
      }
      steps.push({
        status: j.plan.answer === 'decline' ? 'declined' : 'timed_out',
        at,
        ...(j.plan.reason ? { reason: j.plan.reason } : {}),
      });
      effects.push('release');
      return { job: undefined, steps, effects };
    }
    if (j.phase === 'accepted' && now >= j.dueAt) {
      steps.push({ status: 'en_route', at: j.dueAt });
      effects.push('depart');
      // Arrival is judged on a later step, once the unit has moved.
      return { job: { ...j, phase: 'en_route', dueAt: Infinity }, steps, effects };
    }
    if (j.phase === 'en_route' && arrived) {
      steps.push({ status: 'on_scene', at: now });
      j = { ...j, phase: 'on_scene', dueAt: now + j.plan.workMs };
      continue;
    }
    if (j.phase === 'on_scene' && now >= j.dueAt) {
      steps.push({ status: 'done', at: j.dueAt });
      effects.push('release');
      return { job: undefined, steps, effects };
    }
    return { job: j, steps, effects };
  }
}
