import type { HubConfig } from '@egret/protocol';

export type CategoryEntry = HubConfig['categories']['entries'][number];

/** The category of a case, by its standard and code (codes repeat across standards). */
export function findCategory(
  entries: readonly CategoryEntry[],
  ref: { code: string; standard: string },
): CategoryEntry | undefined {
  return entries.find((e) => e.code === ref.code && e.standard === ref.standard);
}

/**
 * Categories matching what the inspector typed, over both standards (the 2026 national one and GB/T 30428) and the
 * city's own: by code prefix, by a word of the Chinese or English name, by the component's name. Exact code
 * matches first, then the national standard before the older one; at most `limit`.
 */
export function searchCategories(entries: readonly CategoryEntry[], query: string, limit = 30): CategoryEntry[] {
  const q = query.trim().toLowerCase();
  const rank = (e: CategoryEntry): number => {
    if (!q) return 2;
    if (e.code.toLowerCase() === q) return 0;
    if (e.code.toLowerCase().startsWith(q)) return 1;
    const text = [e.name.zh, e.name.en, e.component?.zh ?? '', e.component?.en ?? ''].join(' ').toLowerCase();
    return text.includes(q) ? 2 : -1;
  };
  const order = { 'GB/T 47678.5-2026': 0, local: 1, 'GB/T 30428': 2 } as Record<string, number>;
  return entries
    .map((e) => ({ e, r: rank(e) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || (order[a.e.standard] ?? 3) - (order[b.e.standard] ?? 3))
    .slice(0, limit)
    .map((x) => x.e);
}
