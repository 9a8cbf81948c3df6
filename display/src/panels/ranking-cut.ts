/**
 * Which rows of a ranking a panel shows when not all fit (the 流动红旗's districts, the squads' scores): the best
 * first, and the row that must not drop out of view — the yellow flag, the worst ranked squad — kept as the last
 * one, so the bottom of the table is on the wall as much as its top. `hidden` is how many are left out ("+n").
 */
export interface RankingCut<T> {
  shown: T[];
  hidden: number;
}

/** The rows that fit `room` rows (Infinity: no layout yet, show every row and let the body clip). */
export function cutRanking<T>(rows: readonly T[], room: number, keep?: T): RankingCut<T> {
  const fit = Math.max(1, Math.floor(room));
  if (rows.length <= fit) return { shown: [...rows], hidden: 0 };
  const kept = keep !== undefined && rows.includes(keep) ? keep : undefined;
  const top = rows.slice(0, kept === undefined ? fit : fit - 1);
  const shown = kept === undefined || top.includes(kept) || fit === 1 ? rows.slice(0, fit) : [...top, kept];
  return { shown, hidden: rows.length - shown.length };
}

/** Whole rows of `rowHeight` that fit a body `height` high under a column header `headHeight` high. */
export function rowsThatFit(height: number, rowHeight: number, headHeight: number): number {
  return height > 0 ? Math.max(1, Math.floor((height - headHeight) / rowHeight)) : Infinity;
}
