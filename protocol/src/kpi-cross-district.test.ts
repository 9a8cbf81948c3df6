import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, LogBuilder, makeUnit, MINUTE } from '../test/fixtures.ts';
import type { LogEvent } from './events.ts';
import { applyKpiEvents, createKpiAccumulator, KPI_COUNT_LENGTH, kpiFigures } from './kpi.ts';

/** 跨区派遣率 (issue #17, 属地管理): the share of the day's tasks given to a unit of another district than the case's. */
const t = (h: number, m = 0) => DAY0 + h * HOUR + m * MINUTE;
const SIMING = { district: '350203' };
const HULI = { district: '350206' };

/** Unit registrations first (seq 1…), then the story. */
function story(): LogEvent[] {
  const units: LogEvent[] = [
    { seq: 1, at: t(-20), type: 'unit.registered', unit: makeUnit({ id: 'SQ1-u1', squadId: 'SQ1', ...SIMING }) },
    { seq: 2, at: t(-20), type: 'unit.registered', unit: makeUnit({ id: 'SQ2-u1', squadId: 'SQ2', ...HULI }) },
  ];
  const log = new LogBuilder(3);
  //  Y 思明, filed yesterday → SQ2 (湖里) yesterday: yesterday's only task, across.
  log.report('Y', t(-10), SIMING).steps('Y', ['accepted', t(-10, 5)], ['filed', t(-10, 10)]);
  log.dispatch('Y', 'SQ2', t(-9), 'task-after');
  //  A 思明 → SQ1 (思明): own district.
  log
    .report('A', t(8), SIMING)
    .steps('A', ['accepted', t(8, 5)], ['filed', t(8, 10)])
    .dispatch('A', 'SQ1', t(8, 20), 'task-after');
  //  B 思明 → SQ2 (湖里): across.
  log.report('B', t(9), SIMING).steps('B', ['accepted', t(9, 5)], ['filed', t(9, 10)]);
  log.dispatch('B', 'SQ2', t(9, 20), 'task-after');
  //  C 湖里 → SQ2: own.
  log
    .report('C', t(10), HULI)
    .steps('C', ['accepted', t(10, 5)], ['filed', t(10, 10)])
    .dispatch('C', 'SQ2', t(10, 20), 'task-after');
  //  D 湖里 → SQ3, whose unit the log never registered: left out of both counts.
  log
    .report('D', t(11), HULI)
    .steps('D', ['accepted', t(11, 5)], ['filed', t(11, 10)])
    .dispatch('D', 'SQ3', t(11, 20), 'task-after');
  //  Z 思明 filed yesterday, dispatched today → SQ2: counts for today, the task's day.
  log
    .report('Z', t(-5), SIMING)
    .steps('Z', ['accepted', t(-5, 5)], ['filed', t(-5, 10)])
    .dispatch('Z', 'SQ2', t(12), 'task-after');
  return [...units, ...log.events];
}

describe('跨区派遣率 in the KPI fold', () => {
  it('counts the day’s tasks and those across districts, by the task’s day, for the city and each slice', () => {
    const acc = applyKpiEvents(createKpiAccumulator(), story());
    const r = kpiFigures(acc, t(16));
    expect(r.today.city).toMatchObject({ tasks: 4, crossDistrictTasks: 2, crossDistrictRate: 0.5 });
    expect(r.today.byDistrict['350203']).toMatchObject({ tasks: 3, crossDistrictTasks: 2 });
    expect(r.today.byDistrict['350203']!.crossDistrictRate).toBeCloseTo(2 / 3);
    expect(r.today.byDistrict['350206']).toMatchObject({ tasks: 1, crossDistrictTasks: 0, crossDistrictRate: 0 });
    expect(r.today.bySquad['SQ2']).toMatchObject({ tasks: 3, crossDistrictTasks: 2 });
    expect(r.today.bySquad['SQ3']).toMatchObject({ tasks: 0, crossDistrictTasks: 0, crossDistrictRate: null });
    expect(r.yesterday.city).toMatchObject({ tasks: 1, crossDistrictTasks: 1, crossDistrictRate: 1 });
    expect(r.all.city).toMatchObject({ tasks: 5, crossDistrictTasks: 3 });
    // The cases' own cohort figures are untouched: Z still belongs to yesterday's filings.
    expect(r.today.city.filed).toBe(4);
  });

  it('has no rate before the first task, and follows a unit that moves to another district', () => {
    expect(kpiFigures(createKpiAccumulator(), t(1)).today.city).toMatchObject({ tasks: 0, crossDistrictRate: null });
    const moved: LogEvent = {
      seq: 1,
      at: t(7),
      type: 'unit.status_changed',
      from: 'off_duty',
      to: 'available',
      unit: makeUnit({ id: 'SQ1-u1', squadId: 'SQ1', ...HULI }),
    };
    const log = new LogBuilder(2);
    log
      .report('A', t(8), SIMING)
      .steps('A', ['accepted', t(8, 5)], ['filed', t(8, 10)])
      .dispatch('A', 'SQ1', t(8, 20), 'task-after');
    const acc = applyKpiEvents(createKpiAccumulator(), [moved, ...log.events]);
    expect(kpiFigures(acc, t(9)).today.city).toMatchObject({ tasks: 1, crossDistrictTasks: 1 });
  });

  it('counts a resent task.created once', () => {
    const events = story();
    const acc = applyKpiEvents(createKpiAccumulator(), events);
    applyKpiEvents(acc, events.slice(-5));
    expect(kpiFigures(acc, t(16)).today.city).toMatchObject({ tasks: 4, crossDistrictTasks: 2 });
    expect(KPI_COUNT_LENGTH).toBe(18);
  });
});
