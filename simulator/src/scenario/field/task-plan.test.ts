import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { planTask, timeoutReason, type TaskSituation } from './task-plan.ts';
import { normalDay } from '../../../test/city.ts';

const field = normalDay.field;
const ready: TaskSituation = { unitType: 'enforcement', group: 'street', unitState: 'ready', reachable: true };
const plan = (id: string, s: Partial<TaskSituation> = {}) =>
  planTask({ ...ready, ...s }, field, new Rng(`seed/task/${id}`));

describe(planTask.name, () => {
  it('accepts most tasks, declines about 3 % with a reason and leaves about 2 % unanswered', () => {
    const plans = Array.from({ length: 20_000 }, (_, k) => plan(`T-${k}`));
    const share = (a: string) => plans.filter((p) => p.answer === a).length / plans.length;
    expect(share('decline')).toBeGreaterThan(0.025);
    expect(share('decline')).toBeLessThan(0.035);
    expect(share('silent')).toBeGreaterThan(0.015);
    expect(share('silent')).toBeLessThan(0.025);
    for (const p of plans.filter((x) => x.answer === 'decline')) expect(field.declineReasons).toContain(p.reason);
    expect(new Set(plans.filter((x) => x.answer === 'decline').map((p) => p.reason))).toEqual(
      new Set(field.declineReasons),
    );
  });

  it('answers within the unit type’s minutes and works as long as the case’s group takes', () => {
    for (const [unitType, group] of [
      ['emergency', 'emergency'],
      ['sanitation', 'sanitation'],
      ['enforcement', 'construction'],
    ] as const) {
      const [aLo, aHi] = field.answerMinutes[unitType];
      const [wLo, wHi] = field.workMinutes.byGroup[group]!;
      for (let k = 0; k < 500; k++) {
        const p = plan(`${unitType}-${k}`, { unitType, group });
        if (p.answer === 'silent') continue;
        expect(p.answerAfterMs).toBeGreaterThanOrEqual(aLo * 60_000);
        expect(p.answerAfterMs).toBeLessThanOrEqual(aHi * 60_000);
        expect(p.workMs).toBeGreaterThanOrEqual(wLo * 60_000);
        expect(p.workMs).toBeLessThanOrEqual(wHi * 60_000);
      }
    }
    const [dLo, dHi] = field.workMinutes.default;
    const other = plan('x', { group: 'other' });
    expect(other.workMs).toBeGreaterThanOrEqual(dLo * 60_000);
    expect(other.workMs).toBeLessThanOrEqual(dHi * 60_000);
  });

  it('gives the same task the same plan, and another task its own', () => {
    expect(plan('T-1')).toEqual(plan('T-1'));
    const others = Array.from({ length: 5 }, (_, k) => plan(`T-${k + 2}`).answerAfterMs);
    expect(new Set(others).size).toBe(5);
  });

  it('lets the desk time out a task sent to an offline device, and declines when off duty or out of reach', () => {
    expect(plan('a', { unitState: 'offline' })).toMatchObject({
      answer: 'silent',
      answerAfterMs: field.timeoutMinutes * 60_000,
      reason: timeoutReason(field),
    });
    expect(timeoutReason(field)).toBe('派遣后15分钟未响应，调度按超时处理');
    expect(plan('b', { unitState: 'off_duty' })).toMatchObject({ answer: 'decline', reason: '当班人员已下班' });
    expect(plan('c', { reachable: false })).toMatchObject({ answer: 'decline', reason: '非本辖区，无法到达现场' });
  });
});
