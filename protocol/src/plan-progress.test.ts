import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, LEADER, makeUnit, MINUTE } from '../test/fixtures.ts';
import { actionBehind, activePlans, planProgress, prepositionState, type RoundProgress } from './plan-progress.ts';
import {
  inspectionId,
  type Inspection,
  type PlanActivation,
  type PlanDef,
  type PlanSupervision,
  type PrepositionOrder,
} from './plans.ts';

const SIMING = '350203';
const HULI = '350206';
const T0 = DAY0 + 8 * HOUR;

const PLAN: PlanDef = {
  id: 'civilised-city',
  name: '文明创建迎检预案',
  campaign: 'civilised_city',
  mode: 'civilised_city',
  version: '2026',
  levels: [
    {
      level: 'IV',
      name: 'Ⅳ级',
      triggers: [],
      actions: [
        {
          kind: 'round',
          id: 'assess',
          name: '测评点位巡查',
          pointSet: 'assessment-points',
          dueMinutes: 240,
          repeatMinutes: 1440,
          problem: { categoryCode: '0101', urgency: 'normal', deadlineHours: 4 },
        },
      ],
    },
    {
      level: 'III',
      name: 'Ⅲ级',
      triggers: [],
      actions: [
        { kind: 'staffing', id: 'staff', name: '在岗率', onDutyShare: 0.9, leaveCancelled: true },
        {
          kind: 'preposition',
          id: 'posts',
          name: '前置',
          targets: [{ pointId: 'P1', units: 2 }],
          dueMinutes: 30,
        },
        {
          kind: 'deadlines',
          id: 'tight',
          name: '时限',
          categories: [{ code: '01', hours: 2 }],
          superviseOverdue: true,
        },
      ],
    },
  ],
};

const activation = (over: Partial<PlanActivation> = {}): PlanActivation => ({
  planId: PLAN.id,
  level: 'III',
  activatedAt: T0,
  levelAt: T0,
  actor: LEADER,
  ...over,
});

function insp(point: string, squadId: string, district: string, over: Partial<Inspection> = {}): Inspection {
  const round = over.round ?? 1;
  return {
    id: inspectionId(PLAN.id, 'assess', round, point),
    planId: PLAN.id,
    actionId: 'assess',
    round,
    pointId: point,
    kind: 'assessment_point',
    position: [118.08, 24.47],
    district,
    squadId,
    issuedAt: T0,
    due: T0 + 4 * HOUR,
    status: 'open',
    ...over,
  };
}

function order(id: string, squadId: string, over: Partial<PrepositionOrder> = {}): PrepositionOrder {
  return {
    id,
    planId: PLAN.id,
    actionId: 'posts',
    pointId: 'P1',
    position: [118.08, 24.47],
    unitId: `${squadId}-u1`,
    squadId,
    district: SIMING,
    orderedAt: T0,
    due: T0 + 30 * MINUTE,
    ...over,
  };
}

const round = (p: ReturnType<typeof planProgress>) => p.actions.find((a): a is RoundProgress => a.kind === 'round')!;

describe(planProgress.name, () => {
  const inspections = [
    insp('A', 'SQ1', SIMING, { status: 'passed', checkedAt: T0 + HOUR }),
    insp('B', 'SQ1', SIMING, { status: 'problem', checkedAt: T0 + HOUR, caseId: 'C1' }),
    insp('C', 'SQ1', SIMING),
    insp('D', 'SQ2', HULI),
    insp('E', 'SQ2', HULI, { due: T0 + HOUR }),
  ];

  it('counts a round’s points as done, due and overdue, by district and squad', () => {
    const p = planProgress({
      plan: PLAN,
      activation: activation(),
      inspections,
      prepositions: [],
      units: [],
      now: T0 + 2 * HOUR,
    });
    const r = round(p);
    expect(r.tally).toEqual({ total: 5, done: 2, problems: 1, due: 2, overdue: 1 });
    expect(r.byDistrict).toEqual([
      { district: SIMING, total: 3, done: 2, problems: 1, due: 1, overdue: 0 },
      { district: HULI, total: 2, done: 0, problems: 0, due: 1, overdue: 1 },
    ]);
    // The squad behind comes first, whatever its id.
    expect(r.bySquad.map((s) => [s.squadId, s.overdue])).toEqual([
      ['SQ2', 1],
      ['SQ1', 0],
    ]);
    expect(r.rounds).toEqual([
      { round: 1, issuedAt: T0, deadline: T0 + 4 * HOUR, total: 5, done: 2, problems: 1, due: 2, overdue: 1 },
    ]);
    expect(p.inspections.overdue).toBe(1);
    expect(p.overdue).toBe(1);
  });

  it('turns due into overdue when the deadline passes, and not one ms before', () => {
    const at = (now: number) =>
      round(planProgress({ plan: PLAN, activation: activation(), inspections, prepositions: [], units: [], now }))
        .tally;
    expect(at(T0 + 4 * HOUR)).toMatchObject({ due: 2, overdue: 1 });
    expect(at(T0 + 4 * HOUR + 1)).toMatchObject({ due: 0, overdue: 3 });
  });

  it('keeps each round apart and counts the first round’s open points as overdue the next day', () => {
    const two = [...inspections, insp('A', 'SQ1', SIMING, { round: 2, issuedAt: T0 + 24 * HOUR, due: T0 + 28 * HOUR })];
    const r = round(
      planProgress({
        plan: PLAN,
        activation: activation(),
        inspections: two,
        prepositions: [],
        units: [],
        now: T0 + 25 * HOUR,
      }),
    );
    expect(r.rounds.map((x) => [x.round, x.total, x.due, x.overdue])).toEqual([
      [1, 5, 0, 3],
      [2, 1, 1, 0],
    ]);
  });

  it('leaves out another plan’s inspections and those of an earlier activation of the same plan', () => {
    const old = insp('Z', 'SQ1', SIMING, { issuedAt: T0 - 48 * HOUR, round: 1, id: 'old' });
    const other = { ...insp('Y', 'SQ1', SIMING), planId: 'typhoon', id: 'other' };
    const r = round(
      planProgress({
        plan: PLAN,
        activation: activation(),
        inspections: [old, other, ...inspections],
        prepositions: [],
        units: [],
        now: T0,
      }),
    );
    expect(r.tally.total).toBe(5);
  });

  it('lists the level’s actions in the manual’s order, lower levels first', () => {
    const p = planProgress({
      plan: PLAN,
      activation: activation(),
      inspections: [],
      prepositions: [],
      units: [],
      now: T0,
    });
    expect(p.actions.map((a) => [a.action.id, a.inLevel])).toEqual([
      ['assess', true],
      ['staff', true],
      ['posts', true],
      ['tight', true],
    ]);
    const low = planProgress({
      plan: PLAN,
      activation: activation({ level: 'IV' }),
      inspections: [],
      prepositions: [],
      units: [],
      now: T0,
    });
    expect(low.actions.map((a) => a.action.id)).toEqual(['assess']);
  });

  it('keeps a higher level’s pre-positions on record after the level was lowered, marked out of level', () => {
    const p = planProgress({
      plan: PLAN,
      activation: activation({ level: 'IV', levelAt: T0 + HOUR }),
      inspections: [],
      prepositions: [order('o1', 'SQ1', { releasedAt: T0 + HOUR })],
      units: [],
      now: T0 + 2 * HOUR,
    });
    expect(p.actions.map((a) => [a.action.id, a.inLevel])).toEqual([
      ['assess', true],
      ['posts', false],
    ]);
    expect(p.prepositions).toMatchObject({ total: 1, released: 1, late: 0 });
  });

  it('counts pre-positions arrived, on the way and late, and an arrival after the deadline as arrived late', () => {
    const orders = [
      order('o1', 'SQ1', { arrivedAt: T0 + 10 * MINUTE }),
      order('o2', 'SQ1', { arrivedAt: T0 + 40 * MINUTE }),
      order('o3', 'SQ2', { district: HULI }),
      order('o4', 'SQ3', { due: T0 + 60 * MINUTE }),
    ];
    const p = planProgress({
      plan: PLAN,
      activation: activation(),
      inspections: [],
      prepositions: orders,
      units: [],
      now: T0 + 45 * MINUTE,
    });
    const pre = p.actions.find((a) => a.kind === 'preposition')!;
    expect(pre.kind === 'preposition' && pre.tally).toEqual({
      total: 4,
      arrived: 2,
      arrivedLate: 1,
      onTheWay: 1,
      late: 1,
      released: 0,
    });
    expect(pre.kind === 'preposition' && pre.bySquad[0]!.squadId).toBe('SQ2');
    expect(p.overdue).toBe(1);
    expect(orders.map((o) => prepositionState(o, T0 + 45 * MINUTE))).toEqual([
      'arrived',
      'arrived',
      'late',
      'on_the_way',
    ]);
  });

  it('measures staffing as the share on duty (not off duty, not offline) against the target, by district', () => {
    const units = [
      ...Array.from({ length: 9 }, (_, k) => makeUnit({ id: `s${k}`, squadId: 'SQ1', district: SIMING })),
      makeUnit({ id: 's9', squadId: 'SQ1', district: SIMING, status: 'off_duty' }),
      makeUnit({ id: 'h0', squadId: 'SQ2', district: HULI }),
      makeUnit({ id: 'h1', squadId: 'SQ2', district: HULI, status: 'offline' }),
    ];
    const p = planProgress({ plan: PLAN, activation: activation(), inspections: [], prepositions: [], units, now: T0 });
    const s = p.actions.find((a) => a.kind === 'staffing')!;
    expect(s.kind === 'staffing' && [s.onDuty, s.units, s.target, s.met]).toEqual([10, 12, 0.9, false]);
    expect(s.kind === 'staffing' && s.byDistrict).toEqual([
      { district: SIMING, onDuty: 9, units: 10, share: 0.9, met: true },
      { district: HULI, onDuty: 1, units: 2, share: 0.5, met: false },
    ]);
    expect(actionBehind(s)).toBe(1);
  });

  it('gives each squad its last 督办 on the action of this activation', () => {
    const sup = (at: number, actionId = 'assess', squadId = 'SQ2'): PlanSupervision => ({
      planId: PLAN.id,
      actionId,
      squadId,
      at,
      actor: LEADER,
    });
    const r = round(
      planProgress({
        plan: PLAN,
        activation: activation(),
        inspections,
        prepositions: [],
        units: [],
        supervisions: [sup(T0 - HOUR), sup(T0 + HOUR), sup(T0 + 3 * HOUR, 'posts'), sup(T0 + 2 * HOUR)],
        now: T0 + 3 * HOUR,
      }),
    );
    expect(Object.fromEntries(r.bySquad.map((s) => [s.squadId, s.supervisedAt]))).toEqual({
      SQ2: T0 + 2 * HOUR,
      SQ1: undefined,
    });
  });

  it('says whether the plan is still in force', () => {
    const input = { plan: PLAN, inspections: [], prepositions: [], units: [], now: T0 };
    expect(planProgress({ ...input, activation: activation() }).active).toBe(true);
    expect(planProgress({ ...input, activation: activation({ endedAt: T0 + HOUR }) }).active).toBe(false);
  });
});

describe(activePlans.name, () => {
  it('lists the plans in force, the most recently raised first', () => {
    const a = activation({ planId: 'a', levelAt: T0 });
    const b = activation({ planId: 'b', levelAt: T0 + HOUR });
    const c = activation({ planId: 'c', levelAt: T0 + 2 * HOUR, endedAt: T0 + 3 * HOUR });
    expect(activePlans([a, b, c]).map((p) => p.planId)).toEqual(['b', 'a']);
  });
});
