import { describe, expect, it } from 'vitest';
import { MAX_WALL_VIDEO_WINDOWS } from '@egret/protocol';
import { VIDEO_LAYOUT, videoWindowRects, wallMapBox, type VideoRect } from './video-layout.ts';
import { wallLayout } from './wall-layout.ts';

/** The map's box on a wall this wide, in peacetime or with the wartime rail. */
function mapBox(width: number, rail = 236) {
  const layout = wallLayout(width, ['kpi', 'breakdown', 'units', 'districts', 'squads', 'tasks', 'feed']);
  return wallMapBox(layout.mapWidth, rail === 372);
}

const overlap = (a: VideoRect, b: VideoRect) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0 &&
  Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0;

describe(videoWindowRects.name, () => {
  for (const width of [3840, 5760]) {
    for (const rail of [236, 372]) {
      it(`keeps 1–${MAX_WALL_VIDEO_WINDOWS} windows apart, in the map's right half, clear of banner and legend (${width} px, rail ${rail})`, () => {
        const map = mapBox(width, rail);
        for (let n = 1; n <= MAX_WALL_VIDEO_WINDOWS; n++) {
          const rects = videoWindowRects(map, n);
          expect(rects).toHaveLength(n);
          for (const r of rects) {
            expect(r.x).toBeGreaterThanOrEqual(map.width / 2 - 1);
            expect(r.x + r.width).toBeLessThanOrEqual(map.width - VIDEO_LAYOUT.gap);
            expect(r.y).toBeGreaterThanOrEqual(VIDEO_LAYOUT.top);
            expect(r.y + r.height).toBeLessThanOrEqual(map.height - VIDEO_LAYOUT.bottom);
            // A picture a room can read: at least 380 px wide with the default four, 240 px even with nine.
            expect(r.width).toBeGreaterThanOrEqual(n <= 4 ? 380 : 240);
            expect(r.height - VIDEO_LAYOUT.titleHeight).toBe(Math.round((r.width * 9) / 16));
          }
          for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlap(rects[i]!, rects[j]!)).toBe(false);
        }
      });
    }
  }

  it('gives one window the whole region’s width, and four a 2 × 2 grid on a 4K wall', () => {
    const map = mapBox(3840);
    const [one] = videoWindowRects(map, 1);
    expect(one!.width).toBe(Math.floor(map.width * VIDEO_LAYOUT.share) - VIDEO_LAYOUT.gap);
    const four = videoWindowRects(map, 4);
    expect(new Set(four.map((r) => r.x)).size).toBe(2);
    expect(new Set(four.map((r) => r.y)).size).toBe(2);
  });

  it('has no boxes for no windows', () => {
    expect(videoWindowRects(mapBox(3840), 0)).toEqual([]);
  });
});
