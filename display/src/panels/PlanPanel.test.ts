import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import {
  planProgress,
  type Inspection,
  type PlanActivation,
  type PlanDef,
  type PrepositionOrder,
} from '@egret/protocol';
import { T0 } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import PlanPanel from './PlanPanel.svelte';

const HOUR = 3_600_000;
const DEF: PlanDef = {
  id: 'typhoon',
  name: '防御台风应急预案',
  campaign: 'typhoon',
  mode: 'typhoon',
  version: '2026',
  levels: [
    {
      level: 'II',
      name: 'Ⅱ',
      triggers: [],
      actions: [
        { kind: 'staffing', id: 'staff', name: '在岗率90%', onDutyShare: 0.9, leaveCancelled: true },
        {
          kind: 'preposition',
          id: 'posts',
          name: '集结点前置',
          targets: [{ pointId: 'P1', units: 2 }],
          dueMinutes: 60,
        },
        {
          kind: 'round',
          id: 'trees',
          name: '行道树巡查',
          pointSet: 'street-trees',
          dueMinutes: 120,
          problem: { categoryCode: '10001', urgency: 'urgent', deadlineHours: 2 },
        },
      ],
    },
  ],
};
const ACTIVE: PlanActivation = {
  planId: 'typhoon',
  level: 'II',
  activatedAt: T0,
  levelAt: T0,
  actor: { role: 'system', id: 'triggers' },
};
const tree = (p: string, district: string, status: Inspection['status']): Inspection => ({
  id: `typhoon.trees.1.${p}`,
  planId: 'typhoon',
  actionId: 'trees',
  round: 1,
  pointId: p,
  kind: 'street_tree',
  position: [118.1, 24.5],
  district,
  squadId: `SQ-${district}-01`,
  issuedAt: T0,
  due: T0 + 2 * HOUR,
  status,
});
const order = (id: string, over: Partial<PrepositionOrder>): PrepositionOrder => ({
  id,
  planId: 'typhoon',
  actionId: 'posts',
  pointId: 'P1',
  position: [118.1, 24.5],
  unitId: id,
  squadId: 'SQ-350213-01',
  district: '350213',
  orderedAt: T0,
  due: T0 + HOUR,
  ...over,
});

describe('PlanPanel', () => {
  it('shows each action’s progress at the level, the late ones first, with the level and districts by name', () => {
    const progress = planProgress({
      plan: DEF,
      activation: ACTIVE,
      inspections: [tree('a', '350203', 'passed'), tree('b', '350203', 'open'), tree('c', '350206', 'problem')],
      prepositions: [order('u1', { arrivedAt: T0 + 10 * 60_000 }), order('u2', {})],
      units: [],
      now: T0 + 90 * 60_000,
    });
    const { container } = render(PlanPanel, {
      progress,
      planName: DEF.name,
      levelAt: T0,
      i18n: new I18n('zh'),
      timeZone: 'Asia/Shanghai',
      districtName: (code: string) => ({ '350203': '思明区', '350206': '湖里区' })[code] ?? code,
    });
    const panel = container.querySelector('[data-panel=plan]')!;
    expect(panel.textContent).toContain('防御台风应急预案');
    expect(panel.querySelector('[data-plan-level=II]')!.textContent).toContain('Ⅱ级响应');
    // The late pre-position and the staffing short of its target come before the round that is on time.
    expect([...panel.querySelectorAll('[data-action]')].map((a) => a.getAttribute('data-action'))).toEqual([
      'staff',
      'posts',
      'trees',
    ]);
    const fig = (action: string, f: string) =>
      panel.querySelector(`[data-action="${action}"] [data-fig="${f}"] b`)!.textContent;
    expect([fig('posts', 'arrived'), fig('posts', 'onTheWay'), fig('posts', 'late')]).toEqual(['1', '0', '1']);
    expect([fig('trees', 'done'), fig('trees', 'due'), fig('trees', 'overdue')]).toEqual(['2', '1', '0']);
    expect(panel.querySelector('[data-action=trees] [data-fig=problems]')!.textContent).toContain('发现问题 1');
    expect(
      [...panel.querySelectorAll('[data-action=trees] [data-district]')].map((r) => r.textContent?.trim().slice(0, 3)),
    ).toEqual(['思明区', '湖里区']);
    expect(fig('staff', 'share')).toBe('0%');
  });

  it('names the squads behind on a round, worst first, when it is given their names', () => {
    const progress = planProgress({
      plan: DEF,
      activation: ACTIVE,
      inspections: [tree('a', '350203', 'open'), tree('b', '350203', 'open'), tree('c', '350206', 'open')],
      prepositions: [],
      units: [],
      now: T0 + 3 * HOUR,
    });
    const base = {
      progress,
      planName: DEF.name,
      levelAt: T0,
      i18n: new I18n('zh'),
      timeZone: 'Asia/Shanghai',
      districtName: (code: string) => code,
    };
    const named = render(PlanPanel, { ...base, squadName: (id: string) => `${id.slice(3, 9)}一中队` });
    const line = named.container.querySelector('[data-action=trees] [data-squads-behind]')!;
    expect([...line.querySelectorAll('[data-squad]')].map((q) => q.textContent?.trim())).toEqual([
      '350203一中队 2',
      '350206一中队 1',
    ]);
    named.unmount();
    expect(render(PlanPanel, base).container.querySelector('[data-squads-behind]')).toBeNull();
  });
});
