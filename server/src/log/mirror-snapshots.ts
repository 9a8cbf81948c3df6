/**
 * Which log seqs the mirrors snapshot: every multiple of `every` — `snapshotEvery` (settings.hub) doubled until it is
 * at least half the world's entity count. Every hub decides alone and alike: all hold the same world at the same
 * seq, so they pick the same seqs and Redis keeps the first write of each (the mirror's dedupe). The doubling keeps
 * a snapshot's cost — the whole world — at about two entities per event whatever the city's size (a fixed 5,000
 * meant twenty snapshots of up to 100,000 units while a roster registered); a starting hub folds at most `every`
 * events after the newest one.
 */
export function mirrorSnapshotDue(seq: number, entities: number, snapshotEvery: number): boolean {
  let every = snapshotEvery;
  while (every * 2 < entities) every *= 2; // every ≥ entities / 2
  return seq % every === 0;
}
