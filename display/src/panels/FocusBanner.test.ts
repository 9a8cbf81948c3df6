import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FocusBanner from './FocusBanner.svelte';

describe('FocusBanner', () => {
  it('is centred over the map, or kept left of the case legend when that sits in the top corner (a major event)', () => {
    const props = { text: '推屏 · 乱张贴 · 中山路 12 号', id: 'C-1', kind: 'case' };
    const centred = render(FocusBanner, props).container.querySelector<HTMLElement>('[data-focus="C-1"]')!;
    expect(centred.classList.contains('clear')).toBe(false);
    expect(centred.style.right).toBe('');
    expect(centred.textContent!.trim()).toBe('推屏 · 乱张贴 · 中山路 12 号');
    const beside = render(FocusBanner, { ...props, clearRight: 520 }).container.querySelector<HTMLElement>(
      '.focus-banner.clear',
    )!;
    expect(beside.style.right).toBe('520px');
    // Never wider than the room left of the legend: a long address is cut there, not drawn under the legend.
    expect(beside.style.maxWidth).toBe('calc(100% - 544px)');
    expect(beside.getAttribute('data-focus-kind')).toBe('case');
  });
});
