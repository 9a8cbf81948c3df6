/**
 * How the plan panel shares its height among the plan's actions (ordered: the ones behind first). A plan at its
 * highest level has a dozen actions (the typhoon plan at Ⅰ: eleven), and at the full size an action takes — its
 * head, its figures, its districts — a 4K column holds three or four. So: every action at full size when they all
 * fit; else the first ones at full size and the rest as one-line compact rows, as many at full size as leave a line to
 * every other; else every action on one line; and only when even the lines do not fit, the first that do and "+n".
 */
export interface PlanFit {
  /** The first `full` actions are drawn at full size, the next `compact` on one line each; `hidden` are left out. */
  full: number;
  compact: number;
  hidden: number;
}

export interface PlanFitSizes {
  /** An action on one line. */
  line: number;
  /** The "+n more" line. */
  more: number;
}

/** `sizes[i]`: the height of the i-th action at full size (its head, figures and any line naming squads behind). */
export function planFit(sizes: readonly number[], height: number, { line, more }: PlanFitSizes): PlanFit {
  const count = sizes.length;
  const upTo = (k: number) => sizes.slice(0, k).reduce((a, b) => a + b, 0);
  if (height <= 0 || upTo(count) <= height) return { full: count, compact: 0, hidden: 0 };
  for (let full = count - 1; full >= 1; full--)
    if (upTo(full) + (count - full) * line <= height) return { full, compact: count - full, hidden: 0 };
  if (count * line <= height) return { full: 0, compact: count, hidden: 0 };
  const compact = Math.max(1, Math.floor((height - more) / line));
  return { full: 0, compact, hidden: count - compact };
}
