import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { aHubConfig } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import Legend from './Legend.svelte';

const groups = aHubConfig().categories.groups;

describe('Legend', () => {
  it('names the heat by what it counts: the dust and noise complaints in 环保督察, today’s cases elsewhere', () => {
    const zh = new I18n('zh');
    const complaints = render(Legend, { i18n: zh, groups, heat: 'complaints' });
    const row = complaints.container.querySelector('[data-legend=heat]')!;
    expect(row.getAttribute('data-heat')).toBe('complaints');
    expect(row.textContent).toContain('扬尘噪声投诉热力');
    expect((row.querySelector('.ramp') as HTMLElement).style.background).toContain('linear-gradient');
    const cases = render(Legend, { i18n: new I18n('en'), groups, heat: 'cases' });
    expect(cases.container.querySelector('[data-legend=heat]')!.textContent).toContain("Heat of today's cases");
  });

  it('says nothing of a heat that is not drawn', () => {
    const { container } = render(Legend, { i18n: new I18n('zh'), groups });
    expect(container.querySelector('[data-legend=heat]')).toBeNull();
  });
});
