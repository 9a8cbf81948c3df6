import { describe, expect, it } from 'vitest';
import type { RankReason } from '@egret/protocol';
import { RANK_REASON_MESSAGES, reasonText, reasonTone, type ReasonNames } from './rank-reasons.ts';
import { CATALOGUES, translate } from './translate.ts';

const names: ReasonNames = {
  district: (code) => (code === '350206' ? '湖里区' : code),
  unitType: (t) => (t === 'sanitation' ? '环卫' : t),
  group: (g) => (g === 'sanitation' ? '环境卫生' : g),
  unitStatus: (s) => (s === 'en_route' ? '途中' : s),
  crossing: (id) => (id === 'haicang-bridge' ? '海沧大桥' : id),
};
const zh = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh', k, p);

describe('ranking reasons', () => {
  it('have a Chinese and an English message for every key rank-squads.ts can give', () => {
    for (const key of Object.values(RANK_REASON_MESSAGES)) {
      expect(CATALOGUES.zh[key], key).toBeTruthy();
      expect(CATALOGUES.en[key], key).toBeTruthy();
    }
  });
});

describe(reasonText.name, () => {
  it('turns codes inside a reason into names', () => {
    const cases: [RankReason, string][] = [
      [{ key: 'own_grid' }, '本网格责任中队'],
      [{ key: 'out_of_district', params: { district: '350206' } }, '跨区（湖里区）'],
      [{ key: 'squad_workload', params: { active: 2, units: 5 } }, '中队在办 2/5'],
      [{ key: 'type_suited', params: { type: 'sanitation', group: 'sanitation' } }, '环卫对口环境卫生'],
      [{ key: 'busy', params: { status: 'en_route', taskId: 'T1' } }, '任务中（途中）'],
      [{ key: 'crossing', params: { via: 'haicang-bridge' } }, '经海沧大桥'],
    ];
    for (const [r, text] of cases) expect(reasonText(zh, r, names)).toBe(text);
  });

  it('says why a squad from elsewhere is held back, and until when, in the city’s time (属地管理)', () => {
    const at = Date.UTC(2026, 11, 6, 6, 35); // 14:35 in Xiamen
    const timed: ReasonNames = { ...names, time: (t) => (t === at ? '14:35' : 'wrong') };
    const cases: [RankReason, string][] = [
      [{ key: 'own_grid_first' }, '属地优先：本网格中队'],
      [{ key: 'waiting_for_grid', params: { until: at } }, '等待本网格中队至 14:35'],
      [{ key: 'waiting_for_district', params: { until: at } }, '属地优先：等待本区至 14:35'],
      [{ key: 'not_neighbour', params: { until: at } }, '非相邻区，14:35 后可调'],
      [{ key: 'not_neighbour', params: { until: null } }, '非相邻区，不调派'],
      [{ key: 'neighbour_allowed', params: { because: 'deadline' } }, '可调相邻区：本区力量赶不上时限'],
      [{ key: 'city_wide_allowed', params: { because: 'mode' } }, '可全市调派：战时模式'],
    ];
    for (const [r, text] of cases) expect(reasonText(zh, r, timed)).toBe(text);
    expect(
      reasonText((k, p) => translate('en', k, p), { key: 'neighbour_allowed', params: { because: 'urgent' } }, timed),
    ).toBe('Neighbouring district allowed: urgent case');
    expect(reasonTone({ key: 'waiting_for_district', params: { until: at } })).toBe('against');
  });

  it('leaves no placeholder unfilled for any reason', () => {
    const all: RankReason[] = [
      { key: 'own_grid' },
      { key: 'other_grid', params: { grid: '350203001001001' } },
      { key: 'own_district' },
      { key: 'out_of_district', params: { district: '350206' } },
      { key: 'squad_workload', params: { active: 1, units: 4 } },
      { key: 'type_suited', params: { type: 'sanitation', group: 'sanitation' } },
      { key: 'type_unsuited', params: { type: 'drone', group: 'street' } },
      { key: 'crossing', params: { via: 'x' } },
      { key: 'straight_line' },
      { key: 'off_duty' },
      { key: 'offline' },
      { key: 'busy', params: { status: 'on_scene' } },
      { key: 'no_position' },
      { key: 'no_path' },
      { key: 'own_grid_first' },
      { key: 'waiting_for_grid', params: { until: 0 } },
      { key: 'waiting_for_district', params: { until: null } },
      { key: 'not_neighbour', params: { until: 0 } },
      { key: 'not_neighbour', params: { until: null } },
      { key: 'neighbour_allowed', params: { because: 'deadline' } },
      { key: 'city_wide_allowed', params: { because: 'no_own_squad' } },
    ];
    expect(new Set(all.map((r) => r.key)).size).toBe(Object.keys(RANK_REASON_MESSAGES).length);
    for (const because of ['waited', 'deadline', 'urgent', 'mode', 'no_own_squad'] as const)
      all.push({ key: 'neighbour_allowed', params: { because } });
    for (const locale of ['zh', 'en'] as const) {
      for (const r of all) expect(reasonText((k, p) => translate(locale, k, p), r, names)).not.toMatch(/\{\w+\}/);
    }
  });
});

describe(reasonTone.name, () => {
  it('tells reasons for a candidate from reasons against it', () => {
    expect(reasonTone({ key: 'own_grid' })).toBe('for');
    expect(reasonTone({ key: 'out_of_district', params: { district: '350206' } })).toBe('against');
    expect(reasonTone({ key: 'straight_line' })).toBe('info');
  });
});
