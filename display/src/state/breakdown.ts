import { isCaseOpen, type Case } from '@egret/protocol';

/** One bar of the category breakdown: a category group's cases reported today. */
export interface GroupCount {
  /** Group id from the city's dictionary; `unknown` for codes the dictionary does not know. */
  group: string;
  total: number;
  /** Of those, still open (neither closed nor rejected). */
  open: number;
  urgent: number;
  /** One of the mode's lead groups: drawn first and highlighted. */
  lead: boolean;
}

export const UNKNOWN_GROUP = 'unknown';

/**
 * Today's cases by category group, for the bars: the mode's lead groups first (shown even at zero, so a commander
 * sees "no flooding yet" rather than nothing), then every other group with cases, most first.
 */
export function categoryBreakdown(
  cases: Iterable<Case>,
  groupOf: (c: Case) => string | undefined,
  leadGroups: readonly string[],
): GroupCount[] {
  const byGroup = new Map<string, GroupCount>();
  for (const g of leadGroups) byGroup.set(g, { group: g, total: 0, open: 0, urgent: 0, lead: true });
  for (const c of cases) {
    const g = groupOf(c) ?? UNKNOWN_GROUP;
    let row = byGroup.get(g);
    if (!row) byGroup.set(g, (row = { group: g, total: 0, open: 0, urgent: 0, lead: false }));
    row.total++;
    if (isCaseOpen(c)) row.open++;
    if (c.urgency !== 'normal') row.urgent++;
  }
  const lead = leadGroups.map((g) => byGroup.get(g)!);
  const rest = [...byGroup.values()]
    .filter((r) => !r.lead)
    .sort((a, b) => b.total - a.total || a.group.localeCompare(b.group));
  return [...lead, ...rest];
}

/** Cases reported at or after `since` (local midnight of the world's today). */
export function reportedSince(cases: Iterable<Case>, since: number): Case[] {
  const out: Case[] = [];
  for (const c of cases) if (c.reportedAt >= since) out.push(c);
  return out;
}
