import type { PositionFrame } from '@egret/protocol';

const E6 = 1e6;
const INITIAL_CAPACITY = 1024;

/**
 * The latest fix of every unit, held in typed arrays indexed by frame slot, so a frame of 50,000 units is applied
 * without allocating and the arrays go straight to the GPU (`data.attributes` of the units layer).
 * Slots that never had a fix hold NaN in `fixAt`.
 */
export class UnitPositions {
  /** [lon, lat] per slot, degrees. */
  positions = new Float32Array(INITIAL_CAPACITY * 2);
  /** World time (epoch ms) of each slot's fix. */
  fixAt = new Float64Array(INITIAL_CAPACITY).fill(Number.NaN);
  /** One past the highest slot that has a fix: the number of rows the layer draws. */
  length = 0;
  /** Slots that have a fix. */
  positioned = 0;

  has(slot: number): boolean {
    return slot < this.length && !Number.isNaN(this.fixAt[slot]!);
  }

  lon(slot: number): number {
    return this.positions[slot * 2]!;
  }

  lat(slot: number): number {
    return this.positions[slot * 2 + 1]!;
  }

  /**
   * Takes a fix for one slot unless it already has a newer one. `keep` means: same place, keep the fix time we
   * have (a keyframe repeats every unit, moved or not, and must not make a silent unit look fresh). Whether the
   * slot changed.
   */
  set(slot: number, lon: number, lat: number, at: number, keep = false): boolean {
    this.ensure(slot);
    const had = !Number.isNaN(this.fixAt[slot]!);
    if (!had) this.positioned++;
    if (had && keep && this.positions[slot * 2] === Math.fround(lon) && this.positions[slot * 2 + 1] === Math.fround(lat)) return false;
    this.positions[slot * 2] = lon;
    this.positions[slot * 2 + 1] = lat;
    this.fixAt[slot] = at;
    if (slot >= this.length) this.length = slot + 1;
    return true;
  }

  /**
   * Applies a decoded frame. Delta entries are fresh fixes at the frame's time. Keyframe entries repeat every
   * unit: a slot keeps its fix time when it has not moved, and a slot seen for the first time takes `knownFixAt`
   * (the unit's last fix from the snapshot) when there is one. Returns how many slots changed (0 for the hub's
   * empty frames, which only carry its clock, and for a keyframe where nothing moved).
   */
  applyFrame(frame: PositionFrame, knownFixAt?: (slot: number) => number | undefined): number {
    const { slots, lonE6, latE6 } = frame;
    let changed = 0;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const lon = lonE6[i]! / E6;
      const lat = latE6[i]! / E6;
      if (!frame.keyframe) {
        if (this.set(slot, lon, lat, frame.at)) changed++;
        continue;
      }
      const seen = this.has(slot);
      if (this.set(slot, lon, lat, seen ? frame.at : (knownFixAt?.(slot) ?? frame.at), seen)) changed++;
    }
    return changed;
  }

  private ensure(slot: number): void {
    if (slot < this.fixAt.length) return;
    let capacity = this.fixAt.length;
    while (capacity <= slot) capacity *= 2;
    const positions = new Float32Array(capacity * 2);
    positions.set(this.positions);
    const fixAt = new Float64Array(capacity).fill(Number.NaN);
    fixAt.set(this.fixAt);
    this.positions = positions;
    this.fixAt = fixAt;
  }
}
