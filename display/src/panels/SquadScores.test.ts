import { render } from '@testing-library/svelte';
import { emptyScoreTally, type SquadScoreRow } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { I18n } from '../i18n/i18n.svelte.ts';
import SquadScores from './SquadScores.svelte';

const NAMES: Record<string, string> = {
  'SQ-350203-1': '思明一中队',
  'SQ-350206-2': '湖里二中队',
  'SQ-350211-1': '集美一中队',
};
const row = (squadId: string, o: Partial<SquadScoreRow>): SquadScoreRow => ({
  ...emptyScoreTally(),
  squadId,
  district: squadId.slice(3, 9),
  rank: null,
  score: null,
  ...o,
});
const rows = [
  row('SQ-350211-1', { rank: 1, score: 100, inspections: 8, settled: 8, passed: 8 }),
  row('SQ-350203-1', { rank: 2, score: 72.5, inspections: 10, settled: 9, passed: 6, problems: 2, overdue: 1 }),
  row('SQ-350206-2', { inspections: 4, pending: 4 }),
];
const panel = () => document.querySelector('[data-panel=squads]')!;
const rowOf = (id: string) => panel().querySelector(`[data-squad="${id}"]`)!;

describe('SquadScores', () => {
  it('lists the squads by today’s score with what each checked and let run over, the unranked last with a dash', () => {
    render(SquadScores, { rows, i18n: new I18n('zh'), squadName: (id) => NAMES[id] ?? id });
    expect(panel().textContent).toContain('文明创建 · 中队得分');
    expect(panel().textContent).toContain('2 个中队已评分');
    expect([...panel().querySelectorAll('li')].map((li) => li.getAttribute('data-squad'))).toEqual([
      'SQ-350211-1',
      'SQ-350203-1',
      'SQ-350206-2',
    ]);
    expect(rowOf('SQ-350203-1').textContent).toMatch(/2.*思明一中队.*72\.5.*8\/10.*1/s);
    expect(rowOf('SQ-350206-2').getAttribute('data-rank')).toBe('');
    expect(rowOf('SQ-350206-2').querySelector('.score')!.textContent).toBe('—');
  });

  it('says so in English when nothing is inspected today', () => {
    render(SquadScores, { rows: [], i18n: new I18n('en'), squadName: (id) => id });
    expect(panel().textContent).toContain('Civilised city · squad scores');
    expect(panel().textContent).toContain('No assessment points inspected today');
  });
});
