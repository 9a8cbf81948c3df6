import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import PlanBanner from './PlanBanner.svelte';

const announcements = [
  { planId: 'major-event', level: 'II' as const, cause: { kind: 'other' as const, text: '' }, at: T0 },
];

describe('PlanBanner', () => {
  it('is centred over the map, or kept left of the case legend when that sits in the top corner (a major event)', () => {
    const props = { announcements, nameOf: () => '重大活动保障预案', i18n: new I18n('zh'), timeZone: 'Asia/Shanghai' };
    const centred = render(PlanBanner, props).container.querySelector<HTMLElement>('.plan-banner')!;
    expect(centred.classList.contains('clear')).toBe(false);
    expect(centred.style.right).toBe('');
    const beside = render(PlanBanner, { ...props, clearRight: 520 }).container.querySelector<HTMLElement>(
      '.plan-banner.clear',
    )!;
    expect(beside.style.right).toBe('520px');
    expect(beside.textContent).toContain('重大活动保障预案');
  });
});
