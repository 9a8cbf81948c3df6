import type { PanelKey } from './modes.ts';

/**
 * The wall's geometry: a fixed canvas at the wall's native resolution — 3840×2160, or a spliced 5760×2160 or
 * 7680×2160 — with the map in the middle and panel columns either side. A wider wall gives the map more room
 * and adds panel columns; the panels are dealt into the columns in the mode's order, so switching modes moves
 * panels without rebuilding anything.
 */

export const WALL_HEIGHT = 2160;
export const WALL_WIDTHS = { min: 3840, max: 7680 } as const;
export const PANEL_COLUMN_WIDTH = 960;
/** Space between and around the wall's blocks, in pixels. */
export const WALL_GAP = 32;
export const TITLE_HEIGHT = 168;

/**
 * How tall each panel wants to be, relative to the others in its column (about 115 px a unit on a 4K wall).
 * The KPI strip sizes itself; its weight only counts when panels are dealt into columns.
 */
export const PANEL_WEIGHTS: Readonly<Record<PanelKey, number>> = {
  kpi: 3,
  breakdown: 5,
  units: 5,
  districts: 5,
  squads: 6,
  tasks: 5,
  feed: 5,
  plan: 9,
  // Xiamen's six districts and the column header, whole, in 文明创建's 4K column beside the plan (e2e/plans-squads).
  ranking: 8,
  sites: 6,
};

export interface WallLayout {
  width: number;
  height: number;
  /** Panel columns left to right; the map sits after the first `leftColumns` of them. */
  columns: PanelKey[][];
  leftColumns: number;
  columnWidth: number;
  /** Width left to the map (and the alert rail above it). */
  mapWidth: number;
}

/** The wall's width from `?w=5760` (clamped to what the layout supports); 3840 without one. */
export function wallWidthFromQuery(search: string): number {
  const w = Number(new URLSearchParams(search).get('w'));
  if (!Number.isFinite(w) || w <= 0) return WALL_WIDTHS.min;
  return Math.round(Math.min(WALL_WIDTHS.max, Math.max(WALL_WIDTHS.min, w)));
}

/** Panel columns for a wall this wide: two on a 4K wall, three from 5760, four from 7680. */
export function columnCount(width: number): number {
  if (width >= 6720) return 4;
  if (width >= 4800) return 3;
  return 2;
}

/**
 * Splits `panels` (kept in order) into `n` consecutive runs so that the heaviest run is as light as possible:
 * reading order survives (the lead panel is top-left), and no column is crammed while another stands half empty.
 */
export function dealPanels(panels: readonly PanelKey[], n: number, weights = PANEL_WEIGHTS): PanelKey[][] {
  const cols = Math.max(1, Math.min(n, panels.length));
  if (panels.length === 0) return [[]];
  let best: number[] | null = null;
  let bestMax = Infinity;
  // Every choice of cols-1 cut points: at most C(6, 3) = 20 for seven panels in four columns.
  const walk = (cuts: number[], from: number): void => {
    if (cuts.length === cols - 1) {
      const bounds = [0, ...cuts, panels.length];
      let max = 0;
      for (let i = 0; i < cols; i++) {
        let sum = 0;
        for (let j = bounds[i]!; j < bounds[i + 1]!; j++) sum += weights[panels[j]!];
        max = Math.max(max, sum);
      }
      if (max < bestMax) [best, bestMax] = [bounds, max];
      return;
    }
    for (let c = from; c <= panels.length - (cols - 1 - cuts.length); c++) walk([...cuts, c], c + 1);
  };
  walk([], 1);
  const bounds = best!;
  return Array.from({ length: cols }, (_, i) => panels.slice(bounds[i], bounds[i + 1]));
}

/** The layout of a wall `width` pixels wide showing `panels` in this order. */
export function wallLayout(width: number, panels: readonly PanelKey[]): WallLayout {
  const n = columnCount(width);
  const columns = dealPanels(panels, n);
  const leftColumns = Math.floor(columns.length / 2);
  // Gaps: one before, between and after every block (columns and the map).
  const mapWidth = width - columns.length * PANEL_COLUMN_WIDTH - (columns.length + 2) * WALL_GAP;
  return { width, height: WALL_HEIGHT, columns, leftColumns, columnWidth: PANEL_COLUMN_WIDTH, mapWidth };
}
