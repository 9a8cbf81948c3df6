import { describe, expect, it } from 'vitest';
import { advanceJob, startJob, type FieldJob, type JobStep } from './field-job.ts';
import type { TaskPlan } from './task-plan.ts';

const T0 = Date.parse('2026-11-22T10:00:00+08:00');
const MIN = 60_000;
const task = { id: 'T-1', caseId: 'C-1', unitId: 'U-1', createdAt: T0 };
const accept: TaskPlan = { answer: 'accept', answerAfterMs: 2 * MIN, leaveAfterMs: MIN, workMs: 20 * MIN };

/** Steps the job every `dt` until `until`, arriving at `arriveAt`; collects steps and effects with the step time. */
function run(job: FieldJob, until: number, arriveAt: number, dt = 1000) {
  const steps: JobStep[] = [];
  const effects: { effect: string; now: number }[] = [];
  let j: FieldJob | undefined = job;
  for (let now = T0; now <= until && j; now += dt) {
    const r = advanceJob(j, now, now >= arriveAt);
    steps.push(...r.steps);
    effects.push(...r.effects.map((effect) => ({ effect, now })));
    j = r.job;
  }
  return { steps, effects, job: j };
}

describe(advanceJob.name, () => {
  it('accepts, leaves, arrives, works and reports done, each milestone at its own time', () => {
    const r = run(startJob(task, accept), T0 + 2 * 3_600_000, T0 + 10 * MIN);
    expect(r.steps).toEqual([
      { status: 'accepted', at: T0 + 2 * MIN },
      { status: 'en_route', at: T0 + 3 * MIN },
      { status: 'on_scene', at: T0 + 10 * MIN },
      { status: 'done', at: T0 + 30 * MIN },
    ]);
    expect(r.effects).toEqual([
      { effect: 'depart', now: T0 + 3 * MIN },
      { effect: 'release', now: T0 + 30 * MIN },
    ]);
    expect(r.job).toBeUndefined();
  });

  it('does not count an arrival seen in the step it sets off', () => {
    const job = { ...startJob(task, accept), phase: 'accepted' as const, dueAt: T0 };
    const r = advanceJob(job, T0, true);
    expect(r.steps.map((s) => s.status)).toEqual(['en_route']);
    expect(advanceJob(r.job!, T0 + 1000, true).steps).toEqual([{ status: 'on_scene', at: T0 + 1000 }]);
  });

  it('catches up on a late step without losing the times in between', () => {
    const r = advanceJob(startJob(task, accept), T0 + 5 * MIN, false);
    expect(r.steps).toEqual([
      { status: 'accepted', at: T0 + 2 * MIN },
      { status: 'en_route', at: T0 + 3 * MIN },
    ]);
    expect(r.job).toMatchObject({ phase: 'en_route', dueAt: Infinity });
  });

  it('declines with the reason, or times out when the unit never answers, and frees the unit', () => {
    const declined = run(
      startJob(task, { ...accept, answer: 'decline', reason: '人手不足' }),
      T0 + 3_600_000,
      Infinity,
    );
    expect(declined.steps).toEqual([{ status: 'declined', at: T0 + 2 * MIN, reason: '人手不足' }]);
    expect(declined.effects.map((e) => e.effect)).toEqual(['release']);
    const silent = run(
      startJob(task, { ...accept, answer: 'silent', answerAfterMs: 15 * MIN, reason: '超时' }),
      T0 + 3_600_000,
      Infinity,
    );
    expect(silent.steps).toEqual([{ status: 'timed_out', at: T0 + 15 * MIN, reason: '超时' }]);
  });

  it('waits on the way for as long as the trip takes', () => {
    const r = run(startJob(task, accept), T0 + 3_600_000, Infinity);
    expect(r.steps.map((s) => s.status)).toEqual(['accepted', 'en_route']);
    expect(r.job?.phase).toBe('en_route');
  });
});
