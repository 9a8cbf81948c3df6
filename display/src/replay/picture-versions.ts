/**
 * One increasing sequence of versions over a succession of stores. A seek replaces the replay's units store, and a
 * new store counts its pictures from 1 again: the second seek's picture then often carries the version the first
 * seek's last one had, and a layer that tells pictures apart by version (the units' screen cells,
 * map/layers/unit-cells-layer.ts) kept drawing the units of the first seek — every unit idle, where the replay
 * opened. Pure: the store is only compared by identity.
 */
export class ChainedVersions {
  private store: object | null = null;
  private base = 0;
  private last = 0;

  /** The version to draw `version` of `store` at: above every version handed out for an earlier store. */
  of(store: object, version: number): number {
    if (store !== this.store) {
      this.store = store;
      this.base = this.last + 1;
    }
    const chained = this.base + Math.max(0, version);
    this.last = Math.max(this.last, chained);
    return chained;
  }
}
