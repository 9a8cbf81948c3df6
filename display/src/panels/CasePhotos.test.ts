import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PhotoRef } from '@egret/protocol';
import { aCase, T0 } from '../../test/fixtures.ts';
import { I18n } from '../i18n/i18n.svelte.ts';
import CaseCard from './CaseCard.svelte';
import CaseMomentsPanel from '../replay/CaseMomentsPanel.svelte';
import CasePhotos from './CasePhotos.svelte';
import { photoStrip } from './case-photos.ts';

const id = (c: string) => c.repeat(64);
const photos: PhotoRef[] = [
  { id: id('b'), role: 'after', at: T0 + 3_000, by: 'unit:U-1' },
  { id: id('a'), role: 'before', at: T0 + 2_000, by: 'unit:U-1' },
  { id: id('c'), role: 'report', at: T0 + 1_000 },
  { id: id('d'), role: 'verify', at: T0 + 4_000, by: 'wang' },
  { id: id('e'), role: 'rework', at: T0 + 5_000, by: 'wang' },
];

describe('photoStrip', () => {
  it('orders photos as they were taken into the case, with same-origin URLs', () => {
    const strip = photoStrip(photos);
    expect(strip.map((p) => p.role)).toEqual(['report', 'before', 'after', 'verify', 'rework']);
    expect(strip[0]).toMatchObject({ thumb: `/api/photos/${id('c')}/thumb`, full: `/api/photos/${id('c')}` });
    expect(photoStrip(undefined)).toEqual([]);
  });

  it('builds no URL from anything but a photo id', () => {
    const bad = [
      { id: '../../api/auth/logout', role: 'after', at: T0 },
      { id: id('A'), role: 'after', at: T0 },
      { id: `${id('a')}?x=1`, role: 'after', at: T0 },
    ] as unknown as PhotoRef[];
    expect(photoStrip(bad)).toEqual([]);
  });
});

describe('CasePhotos', () => {
  it('shows each thumbnail with its role label in Chinese, and opens the full size on a click', async () => {
    render(CasePhotos, { photos, i18n: new I18n('zh'), timeZone: 'Asia/Shanghai' });
    const items = [...document.querySelectorAll('[data-photo]')];
    expect(items.map((li) => li.textContent!.trim())).toEqual(['上报', '处置前', '处置后', '核查', '返工']);
    expect(items.map((li) => li.querySelector('img')!.getAttribute('src'))).toEqual(
      ['c', 'a', 'b', 'd', 'e'].map((c) => `/api/photos/${id(c)}/thumb`),
    );
    expect(screen.queryByTestId('photo-viewer')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: '查看原图：处置后' }));
    const viewer = screen.getByTestId('photo-viewer');
    expect(viewer.querySelector('img')!.getAttribute('src')).toBe(`/api/photos/${id('b')}`);
    expect(viewer.textContent).toContain('unit:U-1');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('photo-viewer')).toBeNull();
  });

  it('speaks English when switched, and shows nothing for a case without photos', async () => {
    const i18n = new I18n('en');
    const { unmount } = render(CasePhotos, { photos, i18n, timeZone: 'Asia/Shanghai' });
    expect(document.querySelector('[data-photo-role="before"]')!.textContent).toContain('Before');
    expect(document.querySelector('[data-photo-role="after"]')!.textContent).toContain('After');
    unmount();
    render(CasePhotos, { photos: [], i18n, timeZone: 'Asia/Shanghai' });
    expect(screen.queryByTestId('case-photos')).toBeNull();
  });

  it('is on the console’s case card', () => {
    render(CaseCard, {
      c: aCase({ status: 'verifying', photos }),
      task: undefined,
      taskUnit: undefined,
      i18n: new I18n('zh'),
      timeZone: 'Asia/Shanghai',
      worldNow: T0,
      categoryName: '暴露垃圾',
      districtName: '思明区',
      actions: [],
      busy: () => false,
      onAction: () => {},
      onDismiss: () => {},
    });
    const strip = document.querySelector('[data-case-id="C1"] [data-testid="case-photos"]')!;
    expect(strip.textContent).toContain('现场照片');
    expect(strip.querySelectorAll('img')).toHaveLength(5);
  });
});

describe('CasePhotos on the wall (replay)', () => {
  it('shows the newest few, counts the rest, in the replay’s case panel', () => {
    render(CaseMomentsPanel, {
      i18n: new I18n('zh'),
      timeZone: 'Asia/Shanghai',
      moments: { case: aCase({ status: 'closed' }), tasks: [] },
      categoryName: '暴露垃圾',
      onJump: () => {},
      onClose: () => {},
      photos,
    });
    const panel = document.querySelector('[data-case-moments="C1"]')!;
    expect([...panel.querySelectorAll('[data-photo]')].map((li) => li.getAttribute('data-photo-role'))).toEqual([
      'before',
      'after',
      'verify',
      'rework',
    ]);
    expect(panel.querySelector('[data-testid="photos-hidden"]')!.textContent).toBe('+1');
    expect(panel.querySelector('.photos')!.classList.contains('wall')).toBe(true);
  });

  it('shows nothing in the replay’s panel before the case had photos', () => {
    render(CaseMomentsPanel, {
      i18n: new I18n('zh'),
      timeZone: 'Asia/Shanghai',
      moments: { case: aCase({ photos }), tasks: [] },
      categoryName: '暴露垃圾',
      onJump: () => {},
      onClose: () => {},
      photos: undefined,
    });
    expect(screen.queryByTestId('case-photos')).toBeNull();
  });
});

describe('CasePhotos on the console with many photos', () => {
  it('shows the newest eight on the case card, and all of them on a click of +N', async () => {
    const many: PhotoRef[] = Array.from({ length: 11 }, (_, i) => ({
      id: i.toString(16).padStart(2, '0').repeat(32),
      role: i % 2 ? 'after' : 'before',
      at: T0 + i * 1_000,
    }));
    render(CasePhotos, { photos: many, i18n: new I18n('zh'), timeZone: 'Asia/Shanghai', max: 8 });
    expect(document.querySelectorAll('[data-photo]')).toHaveLength(8);
    expect(document.querySelector('[data-photo]')!.getAttribute('data-photo')).toBe('03'.repeat(32));
    await fireEvent.click(screen.getByRole('button', { name: '+3' }));
    expect(document.querySelectorAll('[data-photo]')).toHaveLength(11);
    expect(screen.queryByTestId('photos-hidden')).toBeNull();
  });
});
