import { render } from '@testing-library/svelte';
import type { PlanExecution } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { I18n } from '../i18n/i18n.svelte.ts';
import PlanReport from './PlanReport.svelte';

const T0 = Date.UTC(2016, 8, 14, 0, 0, 0);
const HOUR = 3_600_000;
const tally = { total: 4, done: 3, doneLate: 1, pending: 0, overdue: 1, problems: 1, released: 0 };
const plan: PlanExecution = {
  planId: 'typhoon',
  name: '防台风预案',
  orders: [
    {
      at: T0,
      change: 'activated',
      level: 'IV',
      actor: { role: 'commander', id: 'cora' },
      reason: '蓝色预警',
      actions: ['boards'],
    },
    {
      at: T0 + HOUR,
      change: 'level_changed',
      level: 'II',
      fromLevel: 'IV',
      actor: { role: 'system', id: 'trigger' },
      reason: 'typhoon_signal:orange',
      actions: ['boards', 'muster'],
    },
  ],
  actions: [
    {
      actionId: 'boards',
      kind: 'round',
      name: '户外广告巡查',
      ...tally,
      firstAt: T0,
      lastDue: T0 + 3 * HOUR,
      byDistrict: [{ district: '350203', ...tally }],
      bySquad: [{ squadId: 'SQ-350203-01', district: '350203', ...tally }],
    },
  ],
  inspections: tally,
  prepositions: { total: 0, done: 0, doneLate: 0, pending: 0, overdue: 0, problems: 0, released: 0 },
  supervisions: [
    { at: T0 + 2 * HOUR, actionId: 'boards', squadId: 'SQ-350203-01', actor: { role: 'dispatcher', id: 'dan' } },
  ],
  late: [
    {
      kind: 'inspection',
      id: 'typhoon.boards.1.B',
      actionId: 'boards',
      pointId: 'B',
      district: '350203',
      squadId: 'SQ-350203-01',
      due: T0 + 3 * HOUR,
      lateMs: 90 * 60_000,
    },
  ],
};

describe('PlanReport', () => {
  it('prints what was ordered with its levels, each action done / late by district and squad, 督办 and the late items', () => {
    render(PlanReport, {
      plans: [plan],
      i18n: new I18n('zh'),
      when: (t) => `T+${(t - T0) / HOUR}h`,
      districtName: () => '思明区',
    });
    const section = document.querySelector('[data-plan-report=typhoon]')!;
    expect(section.querySelector('h2')!.textContent).toBe('预案执行 · 防台风预案');
    const orders = [...section.querySelectorAll('[data-order]')].map((r) => r.textContent);
    expect(orders[0]).toMatch(/T\+0h.*启动.*Ⅳ级.*cora.*蓝色预警.*户外广告巡查/);
    expect(orders[1]).toMatch(/调级.*Ⅳ级 → Ⅱ级/);
    const boards = section.querySelector('[data-action=boards]')!;
    expect([...boards.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '户外广告巡查',
      '巡查',
      'T+0h',
      'T+3h',
      '4',
      '3',
      '1',
      '0',
      '1',
      '1',
      '0',
    ]);
    expect(section.querySelector('[data-district="350203"]')!.textContent).toContain('思明区');
    expect(section.querySelector('[data-squad="SQ-350203-01"]')).not.toBeNull();
    expect(section.textContent).toContain('督办 (1)');
    expect(section.querySelector('[data-late="typhoon.boards.1.B"]')!.textContent).toMatch(/未完成.*90\.0/);
  });

  it('speaks English on an English page', () => {
    render(PlanReport, { plans: [plan], i18n: new I18n('en'), when: String, districtName: (c) => c });
    expect(document.querySelector('[data-plan-report=typhoon] h2')!.textContent).toBe('Plan execution · 防台风预案');
    expect(document.body.textContent).toContain('Late items (1)');
  });
});

describe('PlanReport, campaign days', () => {
  it('prints each day’s 流动红旗 ranking with the flags and the change', () => {
    const row = (
      district: string,
      rank: number,
      score: number,
      change: number | null,
      flag: 'red' | 'yellow' | null,
    ) => ({
      district,
      rank,
      score,
      change,
      flag,
      inspections: 6,
      settled: 6,
      passed: 5,
      problems: 1,
      overdue: 0,
      pending: 0,
      fixedOnTime: 0,
      fixedLate: 0,
    });
    render(PlanReport, {
      plans: [],
      days: [
        {
          day: '2016-09-15',
          rows: [row('350203', 1, 93.3, 2.5, 'red'), row('350206', 2, 56.7, -4, 'yellow')],
          squads: [],
        },
      ],
      i18n: new I18n('zh'),
      when: String,
      districtName: (c) => (c === '350203' ? '思明区' : '湖里区'),
    });
    const rows = [...document.querySelectorAll('[data-campaign-days] tbody tr')].map((r) => r.textContent);
    expect(rows[0]).toMatch(/2016-09-15.*1.*思明区.*93\.3.*\+2\.5.*红旗/);
    expect(rows[1]).toMatch(/湖里区.*56\.7.*-4\.0.*黄旗/);
  });

  it('names the plan and its actions in English on an English page, in Chinese where the manual gives no English', () => {
    const [action] = plan.actions;
    const en: PlanExecution = { ...plan, nameEn: 'Typhoon plan', actions: [{ ...action!, nameEn: 'Billboard round' }] };
    const { container, unmount } = render(PlanReport, {
      plans: [en],
      i18n: new I18n('en'),
      when: (t) => `T+${(t - T0) / HOUR}h`,
      districtName: () => 'Siming',
    });
    expect(container.querySelector('h2')!.textContent).toContain('Typhoon plan');
    expect(container.querySelector('[data-action=boards] td')!.textContent).toBe('Billboard round');
    expect(container.textContent).not.toContain('防台风预案');
    unmount();
    const zhOnly = render(PlanReport, { plans: [plan], i18n: new I18n('en'), when: () => '', districtName: () => '' });
    expect(zhOnly.container.querySelector('h2')!.textContent).toContain('防台风预案');
  });
});
