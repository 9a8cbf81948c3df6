import { describe, expect, it } from 'vitest';
import type { InspectionPoint, PlanActivation, PlanDef, Sensor, Storm } from '@egret/protocol';
import { availableUnit, filedCase } from '../../test/entities.ts';
import {
  arrivedOrders,
  catalogOf,
  decideTriggers,
  inspectionsFor,
  overdueToSupervise,
  planDeadlineMs,
  prepositionsFor,
  releasedOrders,
  roundBase,
  roundsDue,
  squadForPoint,
} from './engine.ts';

const T0 = Date.UTC(2026, 6, 1, 0, 0, 0);
const MIN = 60_000;

const point = (id: string, over: Partial<InspectionPoint> = {}): InspectionPoint => ({
  id,
  kind: 'billboard',
  name: id,
  position: [118.09, 24.46],
  district: '350203',
  approximate: true,
  ...over,
});

export const typhoonPlan: PlanDef = {
  id: 'typhoon',
  name: '防台风预案',
  campaign: 'typhoon',
  mode: 'typhoon',
  version: 'test',
  levels: [
    {
      level: 'IV',
      name: 'Ⅳ',
      triggers: [{ kind: 'typhoon_signal', atLeast: 'blue' }],
      actions: [
        {
          kind: 'round',
          id: 'boards',
          name: '广告牌',
          pointSet: 'boards',
          dueMinutes: 120,
          repeatMinutes: 1440,
          problem: { categoryCode: '02001', urgency: 'urgent', deadlineHours: 12 },
        },
      ],
    },
    {
      level: 'II',
      name: 'Ⅱ',
      triggers: [{ kind: 'typhoon_signal', atLeast: 'orange' }],
      actions: [
        {
          kind: 'preposition',
          id: 'muster',
          name: '集结',
          targets: [{ pointId: 'M1', units: 2 }],
          dueMinutes: 60,
        },
        {
          kind: 'deadlines',
          id: 'tight',
          name: '时限',
          categories: [{ code: '06', hours: 4 }],
          superviseOverdue: true,
        },
      ],
    },
    { level: 'I', name: 'Ⅰ', triggers: [{ kind: 'typhoon_signal', atLeast: 'red' }], actions: [] },
  ],
};

const catalog = catalogOf({
  plans: [typhoonPlan],
  pointSets: new Map([
    [
      'boards',
      [
        point('B1', { grid: '350203001001001' }),
        point('B2'),
        point('B3', { district: '350206', position: [118.1, 24.5] }),
      ],
    ],
    ['muster', [point('M1', { kind: 'post', position: [118.1, 24.47] })]],
  ]),
  squads: new Map([
    ['350203', ['SQ-350203-01', 'SQ-350203-02']],
    ['350206', ['SQ-350206-01']],
  ]),
  gridSquads: new Map([['350203001001001', 'SQ-GRID']]),
});

const active = (level: PlanActivation['level'], over: Partial<PlanActivation> = {}): PlanActivation => ({
  planId: 'typhoon',
  level,
  activatedAt: T0,
  levelAt: T0,
  actor: { role: 'system', id: 'trigger' },
  ...over,
});

describe('the plan engine (issue #17)', () => {
  it('activation at Ⅳ: one inspection per point of the round, for the squad of its grid, due after dueMinutes', () => {
    const issued = inspectionsFor(active('IV'), catalog, T0 + 5 * MIN);
    expect(issued.map((i) => i.id)).toEqual(['typhoon.boards.1.B1', 'typhoon.boards.1.B2', 'typhoon.boards.1.B3']);
    expect(issued[0]).toMatchObject({
      squadId: 'SQ-GRID',
      due: T0 + 120 * MIN,
      issuedAt: T0,
      status: 'open',
      round: 1,
    });
    // No duty area for the grid: one of the district's squads, the same one every time.
    expect(['SQ-350203-01', 'SQ-350203-02']).toContain(issued[1]!.squadId);
    expect(issued[2]!.squadId).toBe('SQ-350206-01');
    expect(inspectionsFor(active('IV'), catalog, T0 + 5 * MIN)).toEqual(issued);
    expect(squadForPoint(point('B2'), catalog)).toBe(issued[1]!.squadId);
  });

  it('is idempotent by id: a level up re-derives the lower level’s round with the same ids (the issuer skips them)', () => {
    const before = inspectionsFor(active('IV'), catalog, T0).map((i) => i.id);
    const up = inspectionsFor(active('II', { levelAt: T0 + 30 * MIN }), catalog, T0 + 30 * MIN).map((i) => i.id);
    expect(up).toEqual(before);
  });

  it('daily rounds: round n+1 once world time passes levelAt + n × repeat', () => {
    const round = typhoonPlan.levels[0]!.actions[0]! as Extract<PlanDef['levels'][0]['actions'][0], { kind: 'round' }>;
    expect(roundsDue(round, T0, T0)).toBe(1);
    expect(roundsDue(round, T0, T0 + 1439 * MIN)).toBe(1);
    expect(roundsDue(round, T0, T0 + 1440 * MIN)).toBe(2);
    const two = inspectionsFor(active('IV'), catalog, T0 + 1441 * MIN);
    expect(two).toHaveLength(6);
    expect(two.find((i) => i.id === 'typhoon.boards.2.B1')).toMatchObject({
      issuedAt: T0 + 1440 * MIN,
      due: T0 + 1560 * MIN,
    });
  });

  it('a plan activated again after it ended goes on with the next round numbers: new ids, nothing skipped', () => {
    const first = inspectionsFor(active('IV'), catalog, T0 + 1441 * MIN);
    const again = active('IV', { activatedAt: T0 + 7 * 1440 * MIN, levelAt: T0 + 7 * 1440 * MIN });
    const next = inspectionsFor(again, catalog, again.activatedAt, roundBase(first, again));
    expect(next.map((i) => i.id)).toEqual(['typhoon.boards.3.B1', 'typhoon.boards.3.B2', 'typhoon.boards.3.B3']);
    expect(next[0]).toMatchObject({ round: 3, issuedAt: again.activatedAt });
    // The same activation's own inspections do not move its base.
    expect(roundBase(first, active('IV'))('boards')).toBe(0);
  });

  it('an ended plan calls for nothing', () => {
    expect(inspectionsFor(active('IV', { endedAt: T0 + MIN }), catalog, T0 + 2 * MIN)).toEqual([]);
  });

  it('pre-positions the nearest available units of the point’s district, not busy ones, and releases on level down or end', () => {
    const near = availableUnit('U-near', { position: [118.1, 24.471], squadId: 'SQ-350203-01' });
    const far = availableUnit('U-far', { position: [118.2, 24.6], squadId: 'SQ-350203-02' });
    const mid = availableUnit('U-mid', { position: [118.11, 24.48], squadId: 'SQ-350203-01' });
    const busy = availableUnit('U-busy', { position: [118.1, 24.47], status: 'dispatched', taskId: 'T-1' });
    const other = availableUnit('U-other', { position: [118.1, 24.47], district: '350206' });
    const orders = prepositionsFor(active('II'), catalog, [far, busy, mid, other, near], new Map());
    expect(orders.map((o) => [o.id, o.unitId])).toEqual([
      ['typhoon.muster.M1.1', 'U-near'],
      ['typhoon.muster.M1.2', 'U-mid'],
    ]);
    expect(orders[0]).toMatchObject({ due: T0 + 60 * MIN, position: [118.1, 24.47], district: '350203' });
    // Given once: the same call with the orders in place gives none.
    const held = new Map(orders.map((o) => [o.id, o]));
    expect(prepositionsFor(active('II'), catalog, [far, mid, near], held)).toEqual([]);
    // Level down to Ⅳ: the muster no longer holds; at Ⅱ (or Ⅰ) it does.
    expect(releasedOrders(active('IV'), typhoonPlan, orders, T0 + 90 * MIN).map((o) => o.releasedAt)).toEqual([
      T0 + 90 * MIN,
      T0 + 90 * MIN,
    ]);
    expect(releasedOrders(active('I'), typhoonPlan, orders, T0 + 90 * MIN)).toEqual([]);
    expect(releasedOrders(active('II', { endedAt: T0 + 95 * MIN }), typhoonPlan, orders, T0 + 95 * MIN)).toHaveLength(
      2,
    );
    // Arrived: within PREPOSITION_RADIUS_M (150 m) of the point, once; a released order never arrives.
    const at = new Map<string, [number, number]>([
      ['U-near', [118.1009, 24.4705]],
      ['U-mid', [118.1025, 24.47]],
    ]);
    expect(arrivedOrders(orders, (id) => at.get(id), T0 + 20 * MIN).map((o) => [o.unitId, o.arrivedAt])).toEqual([
      ['U-near', T0 + 20 * MIN],
    ]);
    expect(arrivedOrders([{ ...orders[0]!, arrivedAt: T0 }], (id) => at.get(id), T0 + 30 * MIN)).toEqual([]);
    expect(arrivedOrders([{ ...orders[0]!, releasedAt: T0 }], (id) => at.get(id), T0 + 30 * MIN)).toEqual([]);
  });

  const storm = (signal: Storm['signal']): Storm => ({ id: 'meranti', signal }) as Storm;
  // As the hub passes them: a Map's values, iterable once.
  const world = (storms: Storm[], plans: PlanActivation[] = [], sensors: Sensor[] = []) => ({
    plans: new Map(plans.map((p) => [p.planId, p])),
    storms: new Map(storms.map((s) => [s.id, s])).values(),
    sensors: new Map(sensors.map((s) => [s.id, s])).values(),
    events: [],
    now: T0,
  });

  it('triggers: the highest level whose trigger holds, only upward, with its reason and a deterministic key', () => {
    expect(decideTriggers(world([storm('none')]), [typhoonPlan])).toEqual([]);
    expect(decideTriggers(world([storm('orange')]), [typhoonPlan])).toEqual([
      {
        planId: 'typhoon',
        level: 'II',
        reason: 'typhoon_signal:orange',
        idempotencyKey: 'trigger:typhoon:II:meranti',
      },
    ]);
    // Already at Ⅱ: orange raises nothing; red raises to Ⅰ.
    expect(decideTriggers(world([storm('orange')], [active('II')]), [typhoonPlan])).toEqual([]);
    expect(decideTriggers(world([storm('red')], [active('II')]), [typhoonPlan])[0]?.level).toBe('I');
    // Never lowered by itself: at Ⅰ with the signal down to blue, nothing.
    expect(decideTriggers(world([storm('blue')], [active('I')]), [typhoonPlan])).toEqual([]);
    // An ended plan is raised again by its trigger.
    expect(decideTriggers(world([storm('blue')], [active('I', { endedAt: T0 })]), [typhoonPlan])[0]?.level).toBe('IV');
  });

  it('sensor and event-window triggers', () => {
    const dust: PlanDef = {
      ...typhoonPlan,
      id: 'env',
      levels: [
        {
          level: 'IV',
          name: 'Ⅳ',
          triggers: [{ kind: 'sensor', sensorKind: 'dust', level: 'alarm', count: 2 }],
          actions: [],
        },
        {
          level: 'III',
          name: 'Ⅲ',
          triggers: [{ kind: 'event_window', eventId: 'forum', beforeMinutes: 60 }],
          actions: [],
        },
      ],
    };
    const s = (id: string, level: Sensor['level']) => ({ id, kind: 'dust', level }) as Sensor;
    expect(decideTriggers(world([], [], [s('a', 'alarm'), s('b', 'warning')]), [dust])).toEqual([]);
    expect(decideTriggers(world([], [], [s('a', 'alarm'), s('b', 'alarm')]), [dust])[0]).toMatchObject({
      level: 'IV',
      reason: 'sensor:dust:alarm:2',
    });
    const w = { ...world([]), events: [{ id: 'forum', from: T0 + 30 * MIN, to: T0 + 600 * MIN }] };
    expect(decideTriggers(w, [dust])[0]).toMatchObject({ level: 'III', reason: 'event_window:forum' });
    expect(decideTriggers({ ...w, now: T0 - 31 * MIN }, [dust])).toEqual([]);
  });

  it('tightened deadlines while a deadlines action is in force, only when shorter', () => {
    const plans = catalog.plans;
    const dict = 48 * 3_600_000;
    expect(planDeadlineMs(dict, '06010', [active('IV')], plans)).toBe(dict);
    expect(planDeadlineMs(dict, '06010', [active('II')], plans)).toBe(4 * 3_600_000);
    expect(planDeadlineMs(2 * 3_600_000, '06010', [active('II')], plans)).toBe(2 * 3_600_000);
    expect(planDeadlineMs(dict, '08004', [active('II')], plans)).toBe(dict);
    expect(planDeadlineMs(dict, '06010', [active('II', { endedAt: T0 })], plans)).toBe(dict);
  });

  it('escalation: 督办 of open overdue cases of the categories, not yet supervised', () => {
    const now = filedCase('C-1').deadline! + MIN;
    const cases = [
      filedCase('C-1'),
      filedCase('C-2', { supervised: true }),
      filedCase('C-3', { status: 'closed' }),
      filedCase('C-4', { deadline: now + MIN }),
      filedCase('C-5', { category: { code: '08004', standard: 'GB/T 47678.5-2026', name: '工地扬尘' } }),
    ];
    expect(overdueToSupervise(cases, [active('II')], catalog.plans, now)).toEqual([
      { caseId: 'C-1', planId: 'typhoon', actionId: 'tight' },
    ]);
    expect(overdueToSupervise(cases, [active('IV')], catalog.plans, now)).toEqual([]);
  });
});
