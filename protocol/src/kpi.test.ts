import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, LogBuilder, MINUTE } from '../test/fixtures.ts';
import {
  applyKpiEvent,
  applyKpiEvents,
  createKpiAccumulator,
  kpiDay,
  kpiFigures,
  kpiTable,
  type KpiFigures,
} from './kpi.ts';
import { SequenceGapError } from './state.ts';

/** Today (2016-09-15, Asia/Shanghai) at hh:mm; negative hours are yesterday. */
const t = (h: number, m = 0) => DAY0 + h * HOUR + m * MINUTE;
const SIMING = { district: '350203' };
const HULI = { district: '350206' };
const GARBAGE = { category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' } } as const;
const STALLS = { category: { code: '09006', standard: 'GB/T 47678.5-2026', name: '占道经营' } } as const;

/**
 * One day in a small city, every deadline 4 h after filing. Figures below are worked out by hand from this story.
 *  A 思明 garbage hotline  filed 08:10 (due 12:10) → SQ1 08:20, handled 09:20, closed 09:40          on time
 *  B 思明 stalls  patrol   filed 09:10 (due 13:10) → SQ1 09:20, returned 09:30 → SQ2 09:40,
 *                                                  handled 11:40, closed 14:00                      late
 *  C 湖里 garbage video    filed 10:10 (due 14:10) → SQ2 10:20, handled 11:00, rework 11:20,
 *                          supervised 11:25, → SQ2 11:30, handled 12:00, closed 12:20                on time
 *  D 湖里 stalls  hotline  filed 11:10 (due 15:10) → SQ2 11:20, in progress                         overdue at 16:00
 *  E 思明 garbage hotline  filed 12:10 (due 16:10) → SQ1 12:20, supervised 13:00                    on time at 16:00
 *  F 思明 garbage hotline  filed 13:10, parked 13:30
 *  G 湖里 garbage patrol   reported 14:00, rejected 14:05
 *  H 思明 garbage hotline  reported 15:00, accepted 15:05
 *  Y 思明 garbage hotline  filed yesterday 14:10 (due 18:10) → SQ1, handled today 00:30, closed 01:00   late
 */
function day(): LogBuilder {
  const log = new LogBuilder();
  log
    .report('A', t(8), { ...SIMING, ...GARBAGE, source: 'hotline' })
    .steps('A', ['accepted', t(8, 5)], ['filed', t(8, 10)])
    .dispatch('A', 'SQ1', t(8, 20))
    .steps('A', ['in_progress', t(8, 30)], ['handled', t(9, 20)], ['verifying', t(9, 30)], ['closed', t(9, 40)]);
  log
    .report('B', t(9), { ...SIMING, ...STALLS, source: 'patrol' })
    .steps('B', ['accepted', t(9, 5)], ['filed', t(9, 10)])
    .dispatch('B', 'SQ1', t(9, 20), 'task-first')
    .move('B', 'filed', t(9, 30), { reason: 'not our street' })
    .dispatch('B', 'SQ2', t(9, 40), 'task-after')
    .steps('B', ['in_progress', t(9, 50)], ['handled', t(11, 40)], ['verifying', t(11, 50)], ['closed', t(14)]);
  log
    .report('C', t(10), { ...HULI, ...GARBAGE, source: 'video_ai' })
    .steps('C', ['accepted', t(10, 5)], ['filed', t(10, 10)])
    .dispatch('C', 'SQ2', t(10, 20))
    .steps('C', ['in_progress', t(10, 30)], ['handled', t(11)], ['verifying', t(11, 10)], ['filed', t(11, 20)])
    .supervise('C', t(11, 25))
    .dispatch('C', 'SQ2', t(11, 30))
    .steps('C', ['in_progress', t(11, 40)], ['handled', t(12)], ['verifying', t(12, 10)], ['closed', t(12, 20)]);
  log
    .report('D', t(11), { ...HULI, ...STALLS, source: 'hotline' })
    .steps('D', ['accepted', t(11, 5)], ['filed', t(11, 10)])
    .dispatch('D', 'SQ2', t(11, 20))
    .move('D', 'in_progress', t(11, 30));
  log
    .report('E', t(12), { ...SIMING, ...GARBAGE, source: 'hotline' })
    .steps('E', ['accepted', t(12, 5)], ['filed', t(12, 10)])
    .dispatch('E', 'SQ1', t(12, 20))
    .supervise('E', t(13));
  log
    .report('F', t(13), { ...SIMING, ...GARBAGE, source: 'hotline' })
    .steps('F', ['accepted', t(13, 5)], ['filed', t(13, 10)], ['parked', t(13, 30)]);
  log.report('G', t(14), { ...HULI, ...GARBAGE, source: 'patrol' }).move('G', 'rejected', t(14, 5));
  log.report('H', t(15), { ...SIMING, ...GARBAGE, source: 'hotline' }).move('H', 'accepted', t(15, 5));
  log
    .report('Y', t(-10), { ...SIMING, ...GARBAGE, source: 'hotline' })
    .steps('Y', ['accepted', t(-9, -55)], ['filed', t(-9, -50)])
    .dispatch('Y', 'SQ1', t(-9, -40))
    .steps('Y', ['in_progress', t(-9, -30)], ['handled', t(0, 30)], ['verifying', t(0, 40)], ['closed', t(1)]);
  return log;
}

const fold = (events: Parameters<typeof applyKpiEvents>[1]) => applyKpiEvents(createKpiAccumulator(), events);
const NOW = t(16);

/** Every number in a figures object: none may be NaN. */
function expectNoNaN(f: KpiFigures): void {
  for (const [k, v] of Object.entries(f)) expect(Number.isNaN(v), k).toBe(false);
}

describe(kpiFigures.name, () => {
  const report = kpiFigures(fold(day().chronological()), NOW);

  it('counts today’s cohort for the city, by hand', () => {
    expect(report.today.period).toBe('2016-09-15');
    expect(report.today.city).toEqual({
      reported: 8, // A–H
      filed: 6, // A–F
      dispatched: 5, // A–E
      inProgress: 2, // D, E
      parked: 1, // F
      closed: 3, // A, B, C
      closedOnTime: 2, // A, C
      onTimeOpen: 2, // E (due 16:10) and the parked F
      overdueOpen: 1, // D (due 15:10)
      due: 4, // 6 − 2
      reworked: 1, // C
      returned: 1, // B
      supervised: 2, // C, E
      supervisedOpen: 1, // E
      closureRate: 3 / 4,
      onTimeClosureRate: 2 / 4,
      reworkRate: 1 / 6,
      accurateDispatchRate: 4 / 5, // B's first squad returned it
      avgHandlingMs: 100 * MINUTE, // A 60, B 140 (from its first dispatch), C 100 (to its latest handling)
      score: 0.5 * 50 + 0.75 * 30 + (1 - 1 / 6) * 10 + (10 - 0.5 * 2 - 1),
      // No unit registered in this log: no task is attributed to a district (kpi-cross-district.test.ts).
      tasks: 0,
      crossDistrictTasks: 0,
      crossDistrictRate: null,
    });
  });

  it('slices by district, category and source', () => {
    expect(report.today.byDistrict['350203']).toMatchObject({
      reported: 5,
      filed: 4,
      dispatched: 3,
      inProgress: 1,
      parked: 1,
      closed: 2,
      closedOnTime: 1,
      onTimeOpen: 2,
      overdueOpen: 0,
      due: 2,
      closureRate: 1,
      onTimeClosureRate: 0.5,
      reworkRate: 0,
      supervisedOpen: 1,
    });
    expect(report.today.byDistrict['350206']).toMatchObject({
      reported: 3,
      filed: 2,
      closed: 1,
      closedOnTime: 1,
      overdueOpen: 1,
      due: 2,
      closureRate: 0.5,
      reworkRate: 0.5,
    });
    expect(report.today.byCategory['06010']).toMatchObject({
      reported: 6,
      filed: 4,
      closed: 2,
      due: 2,
      onTimeClosureRate: 1,
    });
    expect(report.today.byCategory['09006']).toMatchObject({
      reported: 2,
      filed: 2,
      closed: 1,
      closedOnTime: 0,
      due: 2,
      onTimeClosureRate: 0,
    });
    expect(report.today.bySource).toMatchObject({
      hotline: { reported: 5, filed: 4 },
      patrol: { reported: 2, filed: 1, returned: 1 },
      video_ai: { reported: 1, filed: 1, reworked: 1 },
    });
    expect(Object.keys(report.today.bySource).sort()).toEqual(['hotline', 'patrol', 'video_ai']);
  });

  it('gives a case to the squad of its latest dispatch, and its first dispatch’s accuracy to the first squad', () => {
    // SQ1 holds A and E (B left it by return); SQ2 holds B, C and D.
    expect(report.today.bySquad.SQ1).toMatchObject({
      filed: 2,
      closed: 1,
      closedOnTime: 1,
      onTimeOpen: 1,
      due: 1,
      closureRate: 1,
      onTimeClosureRate: 1,
      accurateDispatchRate: 2 / 3,
      avgHandlingMs: 60 * MINUTE,
      supervised: 1,
      supervisedOpen: 1,
      score: 50 + 30 + 10 + (10 - 0.5 - 1),
    });
    expect(report.today.bySquad.SQ2).toMatchObject({
      filed: 3,
      closed: 2,
      closedOnTime: 1,
      overdueOpen: 1,
      due: 3,
      reworkRate: 1 / 3,
      accurateDispatchRate: 1,
      avgHandlingMs: 120 * MINUTE,
    });
    expect(report.today.bySquad.SQ2!.score).toBeCloseTo((1 / 3) * 50 + (2 / 3) * 30 + (2 / 3) * 10 + 9.5, 10);
  });

  it('keeps a slice named like an Object.prototype key (a squad __proto__ or constructor) as a row of its own', () => {
    const log = new LogBuilder();
    log
      .report('P', t(8), { ...SIMING, ...GARBAGE, source: 'hotline' })
      .steps('P', ['accepted', t(8, 5)], ['filed', t(8, 10)])
      .dispatch('P', '__proto__', t(8, 20));
    log
      .report('Q', t(9), { ...SIMING, ...GARBAGE, source: 'hotline' })
      .steps('Q', ['accepted', t(9, 5)], ['filed', t(9, 10)])
      .dispatch('Q', 'constructor', t(9, 20));
    const table = kpiFigures(fold(log.events), NOW).today;
    expect(Object.keys(table.bySquad).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(table.bySquad, '__proto__')?.value).toMatchObject({
      filed: 1,
      dispatched: 1,
    });
    expect(JSON.parse(JSON.stringify(table)).bySquad.__proto__).toMatchObject({ filed: 1 });
    expect(Object.getPrototypeOf(table.bySquad)).not.toMatchObject({ filed: 1 });
  });

  it('takes a returned case off its squad at once, but keeps the return against that squad’s dispatch accuracy', () => {
    const log = day();
    const returnedAt = log.events.findIndex(
      (e) => e.type === 'case.transitioned' && e.case.id === 'B' && e.from === 'dispatched',
    );
    const sq1 = kpiTable(fold(log.events.slice(0, returnedAt + 1)), 'all', t(9, 31)).bySquad.SQ1!;
    expect(sq1).toMatchObject({ filed: 1, inProgress: 0, accurateDispatchRate: 0.5 }); // A, not B; B’s first dispatch returned
  });

  it('judges dispatch accuracy by the first dispatch only', () => {
    // Right first time at SQ1; reworked, sent to SQ2, which hands it back: the first dispatch still counts as right.
    const log = new LogBuilder()
      .report('R', t(8))
      .steps('R', ['accepted', t(8, 1)], ['filed', t(8, 2)])
      .dispatch('R', 'SQ1', t(8, 3))
      .steps('R', ['in_progress', t(8, 4)], ['handled', t(8, 5)], ['verifying', t(8, 6)], ['filed', t(8, 7)])
      .dispatch('R', 'SQ2', t(8, 8))
      .move('R', 'filed', t(8, 9), { reason: 'not ours' });
    const table = kpiTable(fold(log.events), 'all', t(9));
    expect(table.city).toMatchObject({ accurateDispatchRate: 1, returned: 1, reworked: 1 });
    expect(table.bySquad.SQ1).toMatchObject({ accurateDispatchRate: 1 });
    expect(table.bySquad.SQ2).toBeUndefined(); // it handed the case back and never had a first dispatch
  });

  it('keeps yesterday’s cohort apart, closed today but late', () => {
    expect(report.yesterday.period).toBe('2016-09-14');
    expect(report.yesterday.city).toMatchObject({
      reported: 1,
      filed: 1,
      closed: 1,
      closedOnTime: 0,
      due: 1,
      closureRate: 1,
      onTimeClosureRate: 0,
      reworkRate: 0,
      accurateDispatchRate: 1,
      avgHandlingMs: 10 * HOUR + 10 * MINUTE,
      score: 0 + 30 + 10 + 10,
    });
  });

  it('adds everything up in the all table', () => {
    expect(report.all.city).toMatchObject({
      reported: 9,
      filed: 7,
      closed: 4,
      closedOnTime: 2,
      overdueOpen: 1,
      onTimeOpen: 2,
      due: 5,
      closureRate: 4 / 5,
      onTimeClosureRate: 2 / 5,
      reworkRate: 1 / 7,
      accurateDispatchRate: 5 / 6,
      avgHandlingMs: ((60 + 140 + 100 + 610) / 4) * MINUTE,
    });
    expect(report.all.bySquad.SQ1).toMatchObject({ filed: 3, closed: 2, closedOnTime: 1 });
  });

  it('shows "—" (null), never NaN, where there is nothing to divide by', () => {
    const empty = kpiFigures(createKpiAccumulator(), NOW);
    expect(empty.all.city).toMatchObject({
      filed: 0,
      closureRate: null,
      onTimeClosureRate: null,
      reworkRate: null,
      accurateDispatchRate: null,
      avgHandlingMs: null,
      score: null,
    });
    expect(empty.today).toEqual({
      period: '2016-09-15',
      city: empty.all.city,
      byDistrict: {},
      bySquad: {},
      byCategory: {},
      bySource: {},
    });
    for (const table of [report.today, report.yesterday, report.all]) {
      for (const group of [table.byDistrict, table.bySquad, table.byCategory, table.bySource]) {
        for (const f of Object.values(group)) expectNoNaN(f);
      }
    }
    // G was rejected and H never filed: rates for a cohort of reports only are undefined.
    const reportsOnly = new LogBuilder().report('G', t(14)).move('G', 'rejected', t(14, 5)).report('H', t(15));
    const city = kpiFigures(fold(reportsOnly.events), NOW).today.city;
    expect(city).toMatchObject({ reported: 2, filed: 0, due: 0, closureRate: null, reworkRate: null, score: null });
  });
});

describe('按时待处置 (open, not yet overdue) and 应结案数', () => {
  // P, Q, R filed at 08:00 (due 12:00); S filed at 10:00 (due 14:00). P closes at 09:00.
  const log = new LogBuilder();
  for (const id of ['P', 'Q', 'R']) log.report(id, t(7, 50)).steps(id, ['accepted', t(7, 55)], ['filed', t(8)]);
  log
    .dispatch('P', 'SQ1', t(8, 10))
    .steps('P', ['in_progress', t(8, 20)], ['handled', t(8, 40)], ['verifying', t(8, 50)], ['closed', t(9)]);
  log.report('S', t(9, 50)).steps('S', ['accepted', t(9, 55)], ['filed', t(10)]);
  const acc = fold(log.events);

  it('leaves cases still in time out of the denominator', () => {
    // At 11:00 nothing is overdue: 应结案数 = 4 − 3 = 1, so 1/1 — not the 1/4 that would blame in-flight cases.
    expect(kpiTable(acc, 'all', t(11)).city).toMatchObject({
      filed: 4,
      closed: 1,
      onTimeOpen: 3,
      overdueOpen: 0,
      due: 1,
      closureRate: 1,
      onTimeClosureRate: 1,
    });
    // Due exactly now is not yet overdue.
    expect(kpiTable(acc, 'all', t(12)).city).toMatchObject({ onTimeOpen: 3, due: 1 });
  });

  it('lets cases past their deadline count against the rate', () => {
    expect(kpiTable(acc, 'all', t(13)).city).toMatchObject({
      onTimeOpen: 1,
      overdueOpen: 2,
      due: 3,
      closureRate: 1 / 3,
      onTimeClosureRate: 1 / 3,
    });
    expect(kpiTable(acc, 'all', t(15)).city).toMatchObject({
      onTimeOpen: 0,
      overdueOpen: 3,
      due: 4,
      closureRate: 1 / 4,
    });
  });

  it('follows an extended deadline and stops the clock of a parked case', () => {
    const more = new LogBuilder(log.events.length + 1);
    for (const id of ['Q', 'R']) more.cases.set(id, log.cases.get(id)!);
    more.extend('Q', 2 * HOUR, t(11, 30)).move('R', 'parked', t(11, 45), { reason: 'needs a contractor' });
    const after = applyKpiEvents(fold(log.events), more.events);
    // Q is now due 14:00, R is parked: only S (due 14:00) could be overdue, and at 13:00 it is not.
    expect(kpiTable(after, 'all', t(13)).city).toMatchObject({ onTimeOpen: 3, overdueOpen: 0, parked: 1, due: 1 });
    expect(kpiTable(after, 'all', t(14, 1)).city).toMatchObject({ onTimeOpen: 1, overdueOpen: 2, due: 3 });
  });

  it('counts a case closed after its extended deadline as on time only up to the new deadline', () => {
    const more = new LogBuilder(log.events.length + 1);
    more.cases.set('Q', log.cases.get('Q')!);
    more
      .extend('Q', HOUR, t(11))
      .dispatch('Q', 'SQ1', t(11, 10))
      .steps('Q', ['in_progress', t(11, 20)], ['handled', t(12, 30)], ['verifying', t(12, 40)], ['closed', t(12, 50)]);
    const after = applyKpiEvents(fold(log.events), more.events);
    expect(kpiTable(after, 'all', t(13)).city).toMatchObject({ closed: 2, closedOnTime: 2 });
  });
});

describe(applyKpiEvent.name, () => {
  const events = day().chronological();

  it('folds live in pieces, with resent events, to exactly what a replay of the whole log gives', () => {
    const live = createKpiAccumulator();
    for (let i = 0; i < events.length; i += 7) {
      // Every batch resends the previous three events, as a reconnecting reader might.
      applyKpiEvents(live, events.slice(Math.max(0, i - 3), i + 7));
      const replay = fold(events.slice(0, Math.min(events.length, i + 7)));
      for (const now of [t(9), t(13), t(16)]) expect(kpiFigures(live, now)).toEqual(kpiFigures(replay, now));
    }
    expect(live.seq).toBe(events.length);
  });

  it('throws SequenceGapError on a jump, and only advances the seq for events about no case', () => {
    const acc = fold(events.slice(0, 5));
    expect(() => applyKpiEvent(acc, events[6]!)).toThrow(SequenceGapError);
    const before = kpiFigures(acc, NOW);
    applyKpiEvent(acc, {
      seq: 6,
      at: t(8),
      type: 'mode.changed',
      mode: 'typhoon',
      actor: { role: 'commander', id: 'c' },
    });
    expect(acc.seq).toBe(6);
    expect(kpiFigures(acc, NOW)).toEqual(before);
  });

  it('counts a supervision once, however many later events carry the flag', () => {
    const log = new LogBuilder()
      .report('K', t(9))
      .steps('K', ['accepted', t(9, 1)], ['filed', t(9, 2)])
      .supervise('K', t(9, 3))
      .dispatch('K', 'SQ1', t(9, 4))
      .steps('K', ['in_progress', t(9, 5)], ['handled', t(9, 6)]);
    expect(kpiTable(fold(log.events), 'all', t(10)).city).toMatchObject({ supervised: 1, supervisedOpen: 0 });
  });

  it('can start after a given seq', () => {
    const acc = createKpiAccumulator({ seq: 10 });
    expect(() => applyKpiEvent(acc, { ...events[0]!, seq: 12 })).toThrow(SequenceGapError);
    applyKpiEvent(acc, { ...events[0]!, seq: 11 });
    expect(kpiTable(acc, 'all', NOW).city.reported).toBe(1);
  });
});

describe(kpiDay.name, () => {
  it('cuts days at midnight Asia/Shanghai by default, in any time zone passed in', () => {
    expect(kpiDay(t(-0, -1))).toBe('2016-09-14');
    expect(kpiDay(t(0))).toBe('2016-09-15');
    expect(kpiDay(t(0), 'UTC')).toBe('2016-09-14'); // 16:00 UTC
  });

  it('follows daylight saving where the city keeps it', () => {
    // Europe/Berlin is UTC+2 in summer, UTC+1 in winter: local midnight falls at 22:00 and 23:00 UTC.
    expect(kpiDay(Date.UTC(2016, 6, 1, 21, 59), 'Europe/Berlin')).toBe('2016-07-01');
    expect(kpiDay(Date.UTC(2016, 6, 1, 22, 0), 'Europe/Berlin')).toBe('2016-07-02');
    expect(kpiDay(Date.UTC(2016, 11, 1, 22, 59), 'Europe/Berlin')).toBe('2016-12-01');
    expect(kpiDay(Date.UTC(2016, 11, 1, 23, 0), 'Europe/Berlin')).toBe('2016-12-02');
  });

  it('refuses a time zone that does not exist when the fold is set up', () => {
    expect(() => createKpiAccumulator({ timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('files a case at 23:59 and one at 00:01 on different days, and on one day in UTC', () => {
    const log = new LogBuilder()
      .report('late', t(-1))
      .steps('late', ['accepted', t(-1, 30)], ['filed', t(0, -1)])
      .report('early', t(-1))
      .steps('early', ['accepted', t(-1, 30)], ['filed', t(0, 1)]);
    const shanghai = kpiFigures(fold(log.events), NOW);
    expect([shanghai.yesterday.city.filed, shanghai.today.city.filed]).toEqual([1, 1]);
    const utc = kpiFigures(applyKpiEvents(createKpiAccumulator({ timeZone: 'UTC' }), log.events), NOW);
    expect([utc.yesterday.city.filed, utc.today.city.filed]).toEqual([2, 0]);
  });
});
