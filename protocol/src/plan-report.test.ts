import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, LEADER, MINUTE } from '../test/fixtures.ts';
import type { LogEvent, NewLogEvent } from './events.ts';
import { campaignDayRows, campaignDays, PlanReportFold, planReportRows } from './plan-report.ts';
import type { Inspection, PlanActivation, PlanDef, PrepositionOrder } from './plans.ts';

const T0 = DAY0 + 8 * HOUR;
const PLAN: PlanDef = {
  id: 'typhoon',
  name: '防台风预案',
  nameEn: 'Typhoon plan',
  campaign: 'typhoon',
  mode: 'typhoon',
  version: '2026',
  levels: [
    {
      level: 'IV',
      name: 'Ⅳ级',
      triggers: [],
      actions: [
        {
          kind: 'round',
          id: 'boards',
          name: '户外广告加固巡查',
          nameEn: 'Billboard bracing round',
          pointSet: 'billboards',
          dueMinutes: 120,
          problem: { categoryCode: '03006', urgency: 'urgent', deadlineHours: 4 },
        },
      ],
    },
    {
      level: 'III',
      name: 'Ⅲ级',
      triggers: [],
      actions: [
        { kind: 'preposition', id: 'posts', name: '前置备勤', targets: [{ pointId: 'P1', units: 1 }], dueMinutes: 30 },
      ],
    },
  ],
};

let seq = 0;
const ev = (e: NewLogEvent): LogEvent => ({ ...e, seq: ++seq }) as LogEvent;
const activation = (level: PlanActivation['level'], at: number, o: Partial<PlanActivation> = {}): PlanActivation => ({
  planId: 'typhoon',
  level,
  activatedAt: T0,
  levelAt: at,
  actor: LEADER,
  ...o,
});
const insp = (point: string, district: string, squadId: string, o: Partial<Inspection> = {}): Inspection => ({
  id: `typhoon.boards.1.${point}`,
  planId: 'typhoon',
  actionId: 'boards',
  round: 1,
  pointId: point,
  kind: 'billboard',
  position: [118.1, 24.5],
  district,
  squadId,
  issuedAt: T0,
  due: T0 + 2 * HOUR,
  status: 'open',
  ...o,
});
const order = (o: Partial<PrepositionOrder> = {}): PrepositionOrder => ({
  id: 'typhoon.posts.P1.U1',
  planId: 'typhoon',
  actionId: 'posts',
  pointId: 'P1',
  position: [118.1, 24.5],
  unitId: 'U1',
  squadId: 'SQ-HL',
  district: '350206',
  orderedAt: T0 + HOUR,
  due: T0 + HOUR + 30 * MINUTE,
  ...o,
});

describe(PlanReportFold.name, () => {
  it('says what was ordered, what was done by when and what was late, by action, district and squad', () => {
    const a = insp('A', '350203', 'SQ-SM');
    const b = insp('B', '350203', 'SQ-SM');
    const c = insp('C', '350206', 'SQ-HL');
    const d = insp('D', '350206', 'SQ-HL', { due: T0 + 12 * HOUR });
    const before = insp('Z', '350206', 'SQ-HL', { issuedAt: T0 - 5 * HOUR, id: 'typhoon.boards.0.Z' });
    const events = [
      ev({ type: 'plan.changed', at: T0, change: 'activated', plan: activation('IV', T0), actor: LEADER }),
      ev({ type: 'inspections.issued', at: T0, inspections: [a, b, c, d] }),
      ev({
        type: 'inspection.checked',
        at: T0 + HOUR,
        inspection: { ...a, status: 'passed', checkedAt: T0 + HOUR },
        actor: LEADER,
      }),
      ev({
        type: 'inspection.checked',
        at: T0 + 3 * HOUR,
        inspection: { ...b, status: 'problem', checkedAt: T0 + 3 * HOUR, caseId: 'K1' },
        actor: LEADER,
      }),
      // issued before the window: not the window's to report
      ev({
        type: 'inspection.checked',
        at: T0 + HOUR,
        inspection: { ...before, status: 'passed', checkedAt: T0 + HOUR },
        actor: LEADER,
      }),
      ev({
        type: 'plan.changed',
        at: T0 + HOUR,
        change: 'level_changed',
        plan: activation('III', T0 + HOUR, { reason: 'typhoon_signal:orange' }),
        actor: { role: 'system', id: 'trigger' },
      }),
      ev({ type: 'prepositions.changed', at: T0 + HOUR, change: 'ordered', orders: [order()] }),
      ev({
        type: 'prepositions.changed',
        at: T0 + 2 * HOUR,
        change: 'arrived',
        orders: [order({ arrivedAt: T0 + 2 * HOUR })],
      }),
      ev({
        type: 'plan.supervised',
        at: T0 + 4 * HOUR,
        supervision: { planId: 'typhoon', actionId: 'boards', squadId: 'SQ-HL', at: T0 + 4 * HOUR, actor: LEADER },
      }),
    ];
    const fold = new PlanReportFold([PLAN]);
    for (const e of events) fold.add(e);
    const [p, ...rest] = fold.result(T0 + 5 * HOUR);
    expect(rest).toEqual([]);
    expect(p!.name).toBe('防台风预案');
    expect(p!.nameEn).toBe('Typhoon plan');
    expect(p!.orders.map((o) => [o.change, o.level, o.fromLevel, o.actions])).toEqual([
      ['activated', 'IV', undefined, ['boards']],
      ['level_changed', 'III', 'IV', ['boards', 'posts']],
    ]);
    const [boards, posts] = p!.actions;
    expect(boards).toMatchObject({
      actionId: 'boards',
      name: '户外广告加固巡查',
      nameEn: 'Billboard bracing round',
      kind: 'round',
    });
    expect(boards).toMatchObject({ total: 4, done: 2, doneLate: 1, pending: 1, overdue: 1, problems: 1 });
    expect(boards!.byDistrict).toEqual([
      { district: '350203', total: 2, done: 2, doneLate: 1, pending: 0, overdue: 0, problems: 1, released: 0 },
      { district: '350206', total: 2, done: 0, doneLate: 0, pending: 1, overdue: 1, problems: 0, released: 0 },
    ]);
    expect(boards!.bySquad.map((s) => s.squadId)).toEqual(['SQ-HL', 'SQ-SM']);
    expect(posts).toMatchObject({ actionId: 'posts', kind: 'preposition', total: 1, done: 1, doneLate: 1 });
    expect(p!.late.map((l) => [l.id, l.lateMs / MINUTE, l.doneAt !== undefined])).toEqual([
      ['typhoon.boards.1.C', 180, false],
      ['typhoon.boards.1.B', 60, true],
      ['typhoon.posts.P1.U1', 30, true],
    ]);
    expect(p!.supervisions).toHaveLength(1);

    const csv = planReportRows([p!], (t) => String((t - T0) / MINUTE));
    expect(csv).toContainEqual(['typhoon', 'boards', '350206', 2, 0, 0, 1, 1, 0, 0]);
    expect(csv).toContainEqual([
      'typhoon',
      'inspection',
      'typhoon.boards.1.C',
      'boards',
      'C',
      '350206',
      'SQ-HL',
      '',
      '120',
      '',
      '180.0',
    ]);
  });

  it('reports a plan it does not know by its ids, and an order released before arriving as neither done nor late', () => {
    const fold = new PlanReportFold();
    fold.add(ev({ type: 'prepositions.changed', at: T0, change: 'ordered', orders: [order({ planId: 'other' })] }));
    fold.add(
      ev({
        type: 'prepositions.changed',
        at: T0 + 2 * HOUR,
        change: 'released',
        orders: [order({ planId: 'other', releasedAt: T0 + 2 * HOUR })],
      }),
    );
    const [p] = fold.result(T0 + 3 * HOUR);
    expect(p).toMatchObject({ planId: 'other', orders: [], late: [] });
    expect(p!.name).toBeUndefined();
    expect(p!.prepositions).toMatchObject({ total: 1, done: 0, overdue: 0, released: 1 });
  });
});

describe(campaignDays.name, () => {
  const assess = (point: string, district: string, issuedAt: number, o: Partial<Inspection> = {}) =>
    insp(point, district, `SQ-${district}`, {
      id: `cc.assess.${issuedAt}.${point}`,
      planId: 'cc',
      actionId: 'assess',
      kind: 'assessment_point',
      issuedAt,
      due: issuedAt + 4 * HOUR,
      ...o,
    });

  it('ranks the districts on each day of the window, first day first, with the change against the day before', () => {
    const day2 = T0 + 24 * HOUR;
    const list = [
      ...['A', 'B', 'C', 'D', 'E'].map((p) => assess(p, '350203', T0, { status: 'passed', checkedAt: T0 + HOUR })),
      ...['F', 'G', 'H', 'I', 'J'].map((p) => assess(p, '350206', T0)), // never checked: overdue
      ...['A', 'B', 'C', 'D', 'E'].map((p, k) =>
        assess(p, '350203', day2, k < 4 ? { status: 'passed', checkedAt: day2 + HOUR } : {}),
      ),
      assess('Z', '350203', day2, { kind: 'billboard', status: 'passed', checkedAt: day2 }), // not an assessment point
    ];
    const days = campaignDays(list, new Map(), day2 + 6 * HOUR);
    expect(days.map((d) => d.day)).toEqual(['2016-09-15', '2016-09-16']);
    expect(days[0]!.rows.map((r) => [r.district, r.rank, r.score, r.flag, r.change])).toEqual([
      ['350203', 1, 100, 'red', null],
      ['350206', 2, 0, null, null], // nothing checked: no problem fixed either; no yellow among two
    ]);
    // 60 × 4/5 + 20 × 4/5 + 20 × 4/5 = 80, 20 down on the day before
    expect(days[1]!.rows.map((r) => [r.district, r.score, r.change])).toEqual([['350203', 80, -20]]);
    expect(campaignDayRows(days)).toContainEqual(['2016-09-16', 1, '350203', 80, -20, 'red', 5, 5, 4, 0, 1, 0, 0]);
    expect(days[0]!.squads.map((q) => [q.squadId, q.score])).toEqual([
      ['SQ-350203', 100],
      ['SQ-350206', 0],
    ]);
    expect(campaignDayRows(days)).toContainEqual(['2016-09-16', 'SQ-350203', '350203', 80, 5, 5, 4, 0, 1, 0, 0]);
  });
});
