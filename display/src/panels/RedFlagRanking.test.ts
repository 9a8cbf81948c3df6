import { render } from '@testing-library/svelte';
import { emptyScoreTally, type RankingRow } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { I18n } from '../i18n/i18n.svelte.ts';
import RedFlagRanking from './RedFlagRanking.svelte';

const NAMES: Record<string, string> = { '350203': '思明区', '350206': '湖里区', '350211': '集美区' };
const row = (district: string, o: Partial<RankingRow>): RankingRow => ({
  ...emptyScoreTally(),
  district,
  rank: null,
  score: null,
  change: null,
  flag: null,
  ...o,
});
const rows = [
  row('350211', { rank: 1, score: 100, change: 0, flag: 'red', inspections: 10, settled: 10, passed: 10 }),
  row('350203', { rank: 2, score: 92, change: 32, inspections: 10, settled: 10, passed: 9, overdue: 1 }),
  row('350206', {
    rank: 3,
    score: 60,
    change: -4.5,
    flag: 'yellow',
    inspections: 10,
    settled: 10,
    passed: 5,
    overdue: 5,
  }),
];

const panel = () => document.querySelector('[data-panel=ranking]')!;
const rowOf = (d: string) => panel().querySelector(`[data-district="${d}"]`)!;

describe('RedFlagRanking', () => {
  it('ranks the districts with the red flag on the best, the yellow on the worst, and the change since yesterday', () => {
    render(RedFlagRanking, { rows, day: '2016-09-15', i18n: new I18n('zh'), districtName: (c) => NAMES[c] ?? c });
    expect(panel().textContent).toContain('文明创建 · 流动红旗');
    expect(panel().textContent).toContain('2016-09-15 考评');
    expect([...panel().querySelectorAll('li')].map((li) => li.getAttribute('data-district'))).toEqual([
      '350211',
      '350203',
      '350206',
    ]);
    expect(rowOf('350211').textContent).toContain('红旗');
    expect(rowOf('350211').getAttribute('data-flag')).toBe('red');
    expect(rowOf('350206').textContent).toContain('黄旗');
    expect(rowOf('350203').textContent).toMatch(/思明区.*92\.0.*▲32\.0.*9\/10.*1/s);
    expect(rowOf('350206').textContent).toContain('▼4.5');
  });

  it('says so when no district has anything to score, in English too', () => {
    render(RedFlagRanking, { rows: [], day: '2016-09-15', i18n: new I18n('en'), districtName: (c) => c });
    expect(panel().textContent).toContain('No assessment points inspected today');
  });

  it('shows an unranked district with a dash rather than a score', () => {
    render(RedFlagRanking, {
      rows: [row('350203', { inspections: 2, pending: 2 })],
      day: '2016-09-15',
      i18n: new I18n('zh'),
      districtName: (c) => NAMES[c] ?? c,
    });
    expect(rowOf('350203').querySelector('.score')!.textContent).toBe('—');
    expect(rowOf('350203').getAttribute('data-flag')).toBe('');
  });
});
