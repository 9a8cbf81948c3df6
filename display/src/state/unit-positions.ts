import { frameFixAt, type PositionFrame } from '@egret/protocol';

const E6 = 1e6;
const INITIAL_CAPACITY = 1024;
/**
 * The highest slot a screen holds (2²¹ − 1: 40× a city's 50,000 units, 32 MB of arrays). The wire carries any u32
 * slot; a frame's entry beyond this (a hub's bug or a forged frame) is skipped and counted (`refused`) rather than
 * grow the arrays to gigabytes (slot 2³² − 1 threw out of the socket's handler) and draw as many rows.
 */
export const MAX_DRAWN_SLOT = 2 ** 21 - 1;

/**
 * Position frames merged into one hand-over (net/frame-merge.ts, in the positions worker): per slot one entry, the
 * latest, with the fix time as an absolute world time. Applying it ({@link UnitPositions.applyBatch}) leaves the
 * page's positions exactly as applying each frame in order would have.
 */
export interface PositionBatch {
  slots: Uint32Array;
  lonE6: Int32Array;
  latE6: Int32Array;
  /** World time (epoch ms) of each entry's fix. */
  fixAt: Float64Array;
  /**
   * 1: the slot moved within the batch, so what the page held before no longer matters: take the entry as is.
   * 0: every frame put it at one place: take it as a frame's entry is taken (at the same place, keep the newer time).
   */
  replace: Uint8Array;
  /** Frames merged into it (each counts as a frame received), and how many of them were keyframes. */
  frames: number;
  keyframes: number;
  /** The newest merged frame's world time (`at`): the hub's clock. */
  at: number;
  /** Entries dropped for a slot beyond {@link MAX_DRAWN_SLOT} (the page counts them as it counts its own). */
  refused: number;
}

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
  /** Fixes skipped (frame entries, replay trails) for a slot beyond {@link MAX_DRAWN_SLOT}. */
  refused = 0;
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
   * Takes a fix for one slot. `keepNewer` means: at the same place, keep whichever fix time is newer (frames carry
   * fix times to the second, and a keyframe repeats every unit, moved or not: it must neither make a silent unit look
   * fresh nor make the fix we hold look older). Whether the slot changed.
   */
  set(slot: number, lon: number, lat: number, at: number, keepNewer = false): boolean {
    if (slot > MAX_DRAWN_SLOT) {
      this.refused++;
      return false;
    }
    this.ensure(slot);
    const had = !Number.isNaN(this.fixAt[slot]!);
    if (
      had &&
      keepNewer &&
      this.positions[slot * 2] === Math.fround(lon) &&
      this.positions[slot * 2 + 1] === Math.fround(lat)
    ) {
      if (at <= this.fixAt[slot]!) return false;
      this.fixAt[slot] = at;
      return true;
    }
    if (!had) this.positioned++;
    this.positions[slot * 2] = lon;
    this.positions[slot * 2 + 1] = lat;
    this.fixAt[slot] = at;
    if (slot >= this.length) this.length = slot + 1;
    return true;
  }

  /**
   * Applies a decoded frame: each entry's fix, at the time its age tells (`frameFixAt`). So a keyframe after a reload
   * places a unit that went silent with its old fix time, and the wall greys it at once. Returns how many slots
   * changed (0 for the hub's empty frames, which only carry its clock, and for a keyframe that tells nothing new).
   */
  applyFrame(frame: PositionFrame): number {
    const { slots, lonE6, latE6 } = frame;
    let changed = 0;
    for (let i = 0; i < slots.length; i++) {
      if (this.set(slots[i]!, lonE6[i]! / E6, latE6[i]! / E6, frameFixAt(frame, i), true)) changed++;
    }
    return changed;
  }

  /**
   * Applies frames merged off the page (net/frame-merge.ts): the same positions as applying each of them in order.
   * Returns how many slots changed.
   */
  applyBatch(batch: PositionBatch): number {
    const { slots, lonE6, latE6, fixAt, replace } = batch;
    this.refused += batch.refused;
    let changed = 0;
    for (let i = 0; i < slots.length; i++) {
      if (this.set(slots[i]!, lonE6[i]! / E6, latE6[i]! / E6, fixAt[i]!, replace[i] === 0)) changed++;
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
