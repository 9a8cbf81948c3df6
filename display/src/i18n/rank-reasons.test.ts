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
    ];
    expect(new Set(all.map((r) => r.key)).size).toBe(Object.keys(RANK_REASON_MESSAGES).length);
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
