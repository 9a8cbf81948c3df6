import type { SquadCandidate } from '@egret/protocol';

/**
 * The units to offer a case to, best first: every available unit of the squads the hub ranked, by the hub's score
 * (ETA plus its penalties; comparable across squads), skipping units that turned the case down and squads the
 * jurisdiction rule holds back (属地管理: the desk waits for the case's own squads; a person may still send them). At
 * most `max`.
 */
export function unitsToTry(squads: readonly SquadCandidate[], exclude: ReadonlySet<string>, max = 5): string[] {
  const units: { unitId: string; score: number; order: number }[] = [];
  let order = 0;
  for (const s of squads) {
    if (s.held) continue;
    for (const u of s.units ?? []) {
      if (u.status !== 'available' || exclude.has(u.unitId)) continue;
      units.push({ unitId: u.unitId, score: u.score ?? Number.POSITIVE_INFINITY, order: order++ });
    }
  }
  return units
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .slice(0, max)
    .map((u) => u.unitId);
}
