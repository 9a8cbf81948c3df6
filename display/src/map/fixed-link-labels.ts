import type { HubConfig, LocalizedNames, LonLat } from '@egret/protocol';

/** A fixed link's name on the outline map, at the middle of the crossing. */
export interface FixedLinkLabel {
  id: string;
  position: LonLat;
  text: string;
  kind: 'bridge' | 'tunnel' | 'causeway';
}

/**
 * The names of the fixed links to the island (海沧大桥, 翔安隧道 …) at the middle of each crossing (pure): the
 * commander reads which bridge a squad crosses. Links without ends (a crossing known by name only) get none.
 */
export function fixedLinkLabels(
  crossings: HubConfig['crossings'],
  nameOf: (names: LocalizedNames) => string,
): FixedLinkLabel[] {
  return (crossings ?? []).flatMap((c) => {
    if (!c.ends) return [];
    const [a, b] = c.ends;
    const text = nameOf(c.name);
    if (!text) return [];
    return [{ id: c.id, position: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], text, kind: c.kind ?? 'bridge' }];
  });
}

/** The same labels as last time when nothing changed, so that a layer re-made per state change keeps its data. */
export function sameLabels(a: readonly FixedLinkLabel[], b: readonly FixedLinkLabel[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => l.id === b[i]!.id && l.text === b[i]!.text && l.position[0] === b[i]!.position[0])
  );
}
