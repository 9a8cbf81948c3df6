import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/translate.ts';
import LinkBadge from './LinkBadge.svelte';

const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('zh', key, params);

describe('LinkBadge', () => {
  it('says 实时 while data flows', () => {
    render(LinkBadge, { status: { kind: 'live' }, t: zh });
    expect(screen.getByRole('status').textContent).toContain('实时');
    expect(screen.getByRole('status').dataset.link).toBe('live');
  });

  it('says how old the data is when it is stale, and marks itself stale for the alarm style', () => {
    render(LinkBadge, { status: { kind: 'stale', seconds: 42 }, t: zh });
    const badge = screen.getByRole('status');
    expect(badge.textContent).toContain('数据已过期 42 秒');
    expect(badge.classList.contains('stale')).toBe(true);
  });

  it('says 重连中 while reconnecting with a fresh picture', () => {
    render(LinkBadge, { status: { kind: 'reconnecting' }, t: zh });
    expect(screen.getByRole('status').textContent).toContain('重连中');
  });

  it('says the unit positions are down, in the alarm style, while the log still flows', () => {
    render(LinkBadge, { status: { kind: 'positions-down', seconds: 12 }, t: zh });
    const badge = screen.getByRole('status');
    expect(badge.textContent).toContain('单位位置中断 12 秒');
    expect(badge.classList.contains('positions-down')).toBe(true);
  });

  it('shows frames refused and slots out of range, small, only once there are some', () => {
    const { container } = render(LinkBadge, { status: { kind: 'live' }, t: zh });
    expect(container.querySelector('[data-link-faults]')).toBeNull();
    const shown = render(LinkBadge, { status: { kind: 'live' }, t: zh, faults: { badFrames: 3, refusedSlots: 7 } });
    expect(shown.container.querySelector('[data-link-faults]')?.textContent).toMatch(/拒收帧 3.*越界单位 7/s);
  });
});
