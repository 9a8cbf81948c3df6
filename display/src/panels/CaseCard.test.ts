import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { aCase, T0 } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import CaseCard from './CaseCard.svelte';

const HOUR = 3_600_000;

const props = (over: Record<string, unknown> = {}) => ({
  c: aCase({
    status: 'filed',
    deadline: T0 + 2 * HOUR,
    history: [
      { to: 'reported' as const, at: T0, actor: { role: 'upstream' as const, id: 'patrol-gw' } },
      {
        to: 'parked' as const,
        at: T0 + 60_000,
        actor: { role: 'commander' as const, id: 'li' },
        action: 'park' as const,
        reason: '等待产权单位',
      },
    ],
  }),
  task: undefined,
  taskUnit: undefined,
  i18n: new I18n('zh'),
  timeZone: 'Asia/Shanghai',
  worldNow: T0 + HOUR,
  categoryName: '暴露垃圾',
  districtName: '思明区',
  actions: ['park' as const, 'extend' as const],
  busy: () => false,
  onAction: () => {},
  onDismiss: () => {},
  ...over,
});

describe('CaseCard', () => {
  it('shows the category, code and standard, address, district, source and time left', () => {
    render(CaseCard, props());
    const card = document.querySelector('[data-case-id="C1"]')!;
    expect(card.textContent).toContain('暴露垃圾');
    expect(card.textContent).toContain('06010（GB/T 47678.5-2026）');
    expect(card.textContent).toContain('思明区湖滨南路');
    expect(card.textContent).toContain('监督员巡查');
    expect(screen.getByTestId('countdown').textContent).toBe('剩余 1小时00分');
    expect(card.querySelector('.deadline')!.classList.contains('overdue')).toBe(false);
  });

  it('names the unit grid the case is filed in, when it is known', () => {
    render(CaseCard, props({ c: { ...props().c, grid: '350203041052001' } }));
    expect(screen.getByTestId('case-grid').textContent).toBe('350203041052001');
    expect(document.querySelector('.facts')!.textContent).toContain('网格');
  });

  it('leaves the grid out for a case without one', () => {
    render(CaseCard, props());
    expect(screen.queryByTestId('case-grid')).toBeNull();
  });

  it('turns the countdown red once the deadline has passed', () => {
    render(CaseCard, props({ worldNow: T0 + 3 * HOUR }));
    expect(screen.getByTestId('countdown').textContent).toBe('超期 1小时00分');
    expect(document.querySelector('.deadline')!.classList.contains('overdue')).toBe(true);
  });

  it('lists the history newest first, with actor and reason', () => {
    render(CaseCard, props());
    const steps = [...document.querySelectorAll('.history li')].map((li) => li.textContent ?? '');
    expect(steps[0]).toContain('挂账');
    expect(steps[0]).toContain('指挥长 li');
    expect(steps[0]).toContain('等待产权单位');
    expect(steps[1]).toContain('上报');
  });

  it('shows only the actions it is given', () => {
    render(CaseCard, props());
    expect([...document.querySelectorAll('[data-action]')].map((b) => b.getAttribute('data-action'))).toEqual([
      'park',
      'extend',
    ]);
  });

  it('says whether a closed case closed on time', () => {
    render(
      CaseCard,
      props({
        c: aCase({ status: 'closed', deadline: T0 + HOUR, closedAt: T0 + 30 * 60_000 }),
        worldNow: T0 + 5 * HOUR,
      }),
    );
    expect(document.querySelector('[data-closed]')!.textContent).toBe('按期结案');
  });
});
