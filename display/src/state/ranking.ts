import type { KpiFigures } from '@egret/protocol';
import type { RankKey } from './modes.ts';

/** One line of a league table (问题晾晒): a district or a squad and the figures it is judged by. */
export interface RankRow {
  /** District code or squad id: the slice key of the KPI report. */
  key: string;
  /** 1 for the best; equal figures share a rank. */
  rank: number;
  /** 按期结案率, 0–1, or null while nothing is due yet. */
  onTimeRate: number | null;
  closed: number;
  overdue: number;
  filed: number;
  /** Judged poorly: overdue cases, or an on-time rate below the bar. Drawn in red. */
  flagged: boolean;
}

/** Below this 按期结案率 a slice is flagged (a common target for 数字城管 evaluations). */
export const ON_TIME_TARGET = 0.9;

type Compare = (a: RankRow, b: RankRow) => number;

/** Nulls (nothing due yet) after every number: an empty record is not a good record. */
const rateDesc: Compare = (a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1);
const closedDesc: Compare = (a, b) => b.closed - a.closed;
const overdueAsc: Compare = (a, b) => a.overdue - b.overdue;

const ORDERS: Record<RankKey, Compare[]> = {
  onTimeRate: [rateDesc, overdueAsc, closedDesc],
  closed: [closedDesc, rateDesc, overdueAsc],
  overdue: [overdueAsc, rateDesc, closedDesc],
};

/**
 * Ranks the slices of one KPI table (`byDistrict` or `bySquad`), best first by `by`, with the other two figures
 * breaking ties. Slices with nothing filed are left out: they have nothing to be judged on.
 */
export function rankSlices(slices: Readonly<Record<string, KpiFigures>>, by: RankKey): RankRow[] {
  const rows: RankRow[] = [];
  for (const [key, f] of Object.entries(slices)) {
    if (f.filed === 0) continue;
    rows.push({
      key,
      rank: 0,
      onTimeRate: f.onTimeClosureRate,
      closed: f.closed,
      overdue: f.overdueOpen,
      filed: f.filed,
      flagged: f.overdueOpen > 0 || (f.onTimeClosureRate !== null && f.onTimeClosureRate < ON_TIME_TARGET),
    });
  }
  const order = ORDERS[by];
  const compare = (a: RankRow, b: RankRow) => {
    for (const c of order) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
  rows.sort((a, b) => compare(a, b) || a.key.localeCompare(b.key));
  for (let i = 0; i < rows.length; i++) {
    const prev = rows[i - 1];
    rows[i]!.rank = prev && compare(prev, rows[i]!) === 0 ? prev.rank : i + 1;
  }
  return rows;
}

/**
 * At most `max` rows of a long table: the top and, after a gap, the bottom — 晾晒 is about the bottom, so it must
 * never be the part cut off. `gapAfter` is the index of the last top row when rows were left out.
 */
export function headAndTail<T>(rows: readonly T[], max: number): { rows: T[]; gapAfter: number | null } {
  if (rows.length <= max) return { rows: [...rows], gapAfter: null };
  if (max <= 0) return { rows: [], gapAfter: null };
  const tail = Math.floor(max / 2);
  const head = max - tail;
  return { rows: [...rows.slice(0, head), ...rows.slice(rows.length - tail)], gapAfter: head - 1 };
}
