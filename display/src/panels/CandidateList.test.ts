import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { SquadCandidate } from '@egret/protocol';
import { I18n } from '../i18n/i18n.svelte.ts';
import CandidateList from './CandidateList.svelte';

function squad(unitId: string, status: 'available' | 'unavailable' = 'available'): SquadCandidate {
  const unit = {
    unitId,
    squadId: 'SQ-350203-01',
    type: 'enforcement' as const,
    status,
    etaMs: 7 * 60_000,
    distanceM: 2300,
    score: 1,
    reasons: [{ key: 'own_district' as const }],
  };
  return {
    squadId: `SQ-${unitId}`,
    district: '350203',
    status,
    etaMs: unit.etaMs,
    distanceM: unit.distanceM,
    score: 1,
    reasons: unit.reasons,
    units: [unit],
  };
}

const props = (over: Record<string, unknown> = {}) => ({
  view: { state: 'ready' as const, caseId: 'C1', squads: [squad('U1'), squad('U2', 'unavailable')] },
  i18n: new I18n('zh'),
  mode: 'dispatch' as const,
  unitName: (id: string) => `队员 ${id}`,
  squadName: () => '思明一中队',
  reasonText: () => '本区力量',
  busy: () => false,
  onChoose: () => {},
  onRefresh: () => {},
  ...over,
});

describe('CandidateList', () => {
  it('lists each squad’s best unit with its ETA, distance and reasons, and a dispatch button', () => {
    render(CandidateList, props());
    const first = document.querySelector('[data-unit="U1"]')!;
    expect(first.textContent).toContain('队员 U1');
    expect(first.textContent).toContain('7 分钟');
    expect(first.textContent).toContain('2.3 公里');
    expect(first.textContent).toContain('本区力量');
    expect(screen.getAllByRole('button', { name: '派遣' })).toHaveLength(1);
  });

  it('disables a unit’s button while its dispatch is in flight, and an unavailable unit’s for good', () => {
    render(CandidateList, props({ busy: (id: string) => id === 'U1' }));
    const buttons = document.querySelectorAll<HTMLButtonElement>('button.go');
    expect(buttons[0]!.disabled).toBe(true);
    expect(buttons[0]!.textContent).toContain('派遣中');
    expect(buttons[1]!.disabled).toBe(true);
    expect(buttons[1]!.textContent).toContain('不可派');
  });

  it('marks a squad the jurisdiction rule holds back, with its reasons, and still lets the dispatcher send it', () => {
    const until = Date.UTC(2026, 11, 6, 6, 35);
    const held = {
      ...squad('U3'),
      held: { until },
      reasons: [{ key: 'waiting_for_district' as const, params: { until } }],
    };
    held.units = [{ ...held.units[0]!, reasons: held.reasons }];
    let chosen = '';
    render(
      CandidateList,
      props({
        view: { state: 'ready' as const, caseId: 'C1', squads: [squad('U1'), held] },
        reasonText: (r: { key: string }) =>
          r.key === 'waiting_for_district' ? '属地优先：等待本区至 14:35' : '本区力量',
        onChoose: (u: { unitId: string }) => (chosen = u.unitId),
      }),
    );
    const row = document.querySelector<HTMLElement>('[data-unit="U3"]')!;
    expect(row.dataset['held']).toBe(String(until));
    expect(row.classList.contains('held')).toBe(true);
    expect(row.textContent).toContain('暂缓');
    expect(row.textContent).toContain('属地优先：等待本区至 14:35');
    expect(document.querySelector<HTMLElement>('[data-unit="U1"]')!.dataset['held']).toBeUndefined();
    const go = row.querySelector<HTMLButtonElement>('button.go')!;
    expect(go.disabled).toBe(false);
    go.click();
    expect(chosen).toBe('U3');
  });
});
