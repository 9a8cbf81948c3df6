import { describe, expect, it } from 'vitest';
import { MODE_PROFILES, PANEL_KEYS, wallPanels, type PanelKey } from './modes.ts';
import {
  columnCount,
  dealPanels,
  PANEL_COLUMN_WIDTH,
  PANEL_WEIGHTS,
  WALL_GAP,
  wallLayout,
  wallWidthFromQuery,
} from './wall-layout.ts';

const weight = (col: PanelKey[]) => col.reduce((n, k) => n + PANEL_WEIGHTS[k], 0);

describe(wallWidthFromQuery.name, () => {
  it('takes ?w= for a spliced wall and clamps it to what the layout supports', () => {
    expect(wallWidthFromQuery('')).toBe(3840);
    expect(wallWidthFromQuery('?w=5760')).toBe(5760);
    expect(wallWidthFromQuery('?w=7680')).toBe(7680);
    expect(wallWidthFromQuery('?w=20000')).toBe(7680);
    expect(wallWidthFromQuery('?w=800')).toBe(3840);
    expect(wallWidthFromQuery('?w=wide')).toBe(3840);
  });
});

describe(columnCount.name, () => {
  it('adds panel columns as the wall gets wider', () => {
    expect([3840, 5760, 7680].map(columnCount)).toEqual([2, 3, 4]);
  });
});

describe(dealPanels.name, () => {
  it('keeps the order and deals every panel once', () => {
    const cols = dealPanels(MODE_PROFILES.peacetime.panels, 3);
    expect(cols.flat()).toEqual(MODE_PROFILES.peacetime.panels);
    expect(cols).toHaveLength(3);
    expect(cols.every((c) => c.length > 0)).toBe(true);
  });

  it('balances the columns: the heaviest is as light as any split in order allows', () => {
    const panels = MODE_PROFILES.typhoon.panels;
    const cols = dealPanels(panels, 2);
    const heaviest = Math.max(...cols.map(weight));
    for (let cut = 1; cut < panels.length; cut++) {
      const other = Math.max(weight(panels.slice(0, cut)), weight(panels.slice(cut)));
      expect(heaviest).toBeLessThanOrEqual(other);
    }
  });

  it('never makes more columns than panels', () => {
    expect(dealPanels(['kpi', 'feed'], 4)).toEqual([['kpi'], ['feed']]);
  });
});

describe(wallLayout.name, () => {
  it('gives a wider wall a wider map and more panel columns', () => {
    const [w4, w6, w8] = [3840, 5760, 7680].map((w) => wallLayout(w, PANEL_KEYS));
    expect(w4!.columns).toHaveLength(2);
    expect(w6!.columns).toHaveLength(3);
    expect(w8!.columns).toHaveLength(4);
    expect(w6!.mapWidth).toBeGreaterThan(w4!.mapWidth);
    expect(w8!.mapWidth).toBeGreaterThan(w6!.mapWidth);
  });

  it('puts the map between the columns and accounts for every pixel', () => {
    for (const width of [3840, 5760, 7680]) {
      const l = wallLayout(width, PANEL_KEYS);
      expect(l.leftColumns).toBeGreaterThanOrEqual(1);
      expect(l.columns.length - l.leftColumns).toBeGreaterThanOrEqual(l.leftColumns);
      expect(l.mapWidth + l.columns.length * PANEL_COLUMN_WIDTH + (l.columns.length + 2) * WALL_GAP).toBe(width);
      // A 4K wall's map is still wider than its panel column, and square enough for the city.
      expect(l.mapWidth).toBeGreaterThan(1700);
    }
  });

  it('moves panels when the mode changes: the lead panel after the KPI strip is top-left', () => {
    const peace = wallLayout(3840, wallPanels(MODE_PROFILES.peacetime, false));
    const storm = wallLayout(3840, wallPanels(MODE_PROFILES.typhoon, false));
    expect(peace.columns[0]!.slice(0, 2)).toEqual(['kpi', 'breakdown']);
    expect(storm.columns[0]!.slice(0, 2)).toEqual(['kpi', 'units']);
  });

  it('deals the plan panel only while a plan is in force, and leads with it in the campaign modes', () => {
    for (const mode of ['peacetime', 'typhoon', 'civilised_city', 'environmental'] as const)
      expect(wallLayout(3840, wallPanels(MODE_PROFILES[mode], false)).columns.flat(), mode).not.toContain('plan');
    for (const mode of ['typhoon', 'major_event', 'civilised_city', 'environmental'] as const)
      expect(wallLayout(3840, wallPanels(MODE_PROFILES[mode], true)).columns[0]!.slice(0, 2), mode).toEqual([
        'kpi',
        'plan',
      ]);
  });
});
