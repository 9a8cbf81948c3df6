import type { Page } from 'playwright-core';
import type { InputMessage } from '@egret/protocol';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- page code reaches the DOM untyped
type Untyped = any;

/** The video's playback time in the window of `scope` (a CSS selector holding one `<video>`); -1 without one. */
export const videoTime = (page: Page, scope: string): Promise<number> =>
  page.evaluate((s) => {
    const v = (globalThis as Untyped).document.querySelector(`${s} video`);
    return v ? (v.currentTime as number) : -1;
  }, scope);

/**
 * A case that video analytics reported near 中山路 (118.0835, 24.4565) and the case system filed: what the console
 * selects to list the cameras nearest it.
 */
export function filedVideoCase(caseId: string, address: string, at: number): InputMessage[] {
  const actor = { role: 'upstream' as const, id: 'intake-1' };
  return [
    {
      kind: 'case.report',
      caseId,
      category: { code: '09006', standard: 'GB/T 47678.5-2026' },
      source: 'video_ai',
      urgency: 'urgent',
      lon: 118.0835,
      lat: 24.4565,
      address,
      at,
    },
    { kind: 'case.transition', caseId, to: 'accepted', actor, at: at + 1_000 },
    { kind: 'case.transition', caseId, to: 'filed', actor, at: at + 2_000 },
  ];
}
