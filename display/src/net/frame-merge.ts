import { frameFixAt, type PositionFrame } from '@egret/protocol';
import { MAX_DRAWN_SLOT, type PositionBatch } from '../state/unit-positions.ts';

const E6 = 1e6;
const INITIAL_CAPACITY = 1024;

/** The typed arrays of a batch: what is transferred, not copied. */
export function batchBuffers(b: PositionBatch): ArrayBuffer[] {
  return [b.slots.buffer, b.lonE6.buffer, b.latE6.buffer, b.fixAt.buffer, b.replace.buffer] as ArrayBuffer[];
}

/** Whether two microdegree values land on the same float the page keeps (it compares places that way). */
const same = (a: number, b: number) => Math.fround(a / E6) === Math.fround(b / E6);

/**
 * Keeps the latest fix per slot of every frame added since the last {@link take}. A frame applied on the page takes
 * each entry "keeping the newer time at the same place" (state/unit-positions.ts): so within a run of frames that
 * leave a slot at one place the newest time wins, and once the slot has moved within the batch the last run decides
 * regardless of what the page held, which the entry's `replace` says. Keyframes are frames like the others there.
 */
export class FrameMerger {
  /** Slot → entry index, −1 for none; grown as slots come. */
  private index = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private n = 0;
  private slots = new Uint32Array(INITIAL_CAPACITY);
  private lonE6 = new Int32Array(INITIAL_CAPACITY);
  private latE6 = new Int32Array(INITIAL_CAPACITY);
  private fixAt = new Float64Array(INITIAL_CAPACITY);
  private replace = new Uint8Array(INITIAL_CAPACITY);
  private frames = 0;
  private keyframes = 0;
  private at = -Infinity;
  private refused = 0;

  /** Frames waiting to be taken. */
  get pending(): number {
    return this.frames;
  }

  add(frame: PositionFrame): void {
    this.frames++;
    if (frame.keyframe) this.keyframes++;
    if (frame.at > this.at) this.at = frame.at;
    const { slots, lonE6, latE6 } = frame;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot > MAX_DRAWN_SLOT) {
        this.refused++;
        continue;
      }
      const lon = lonE6[i]!;
      const lat = latE6[i]!;
      const at = frameFixAt(frame, i);
      const j = this.entry(slot);
      if (j < 0) {
        this.push(slot, lon, lat, at);
      } else if (same(this.lonE6[j]!, lon) && same(this.latE6[j]!, lat)) {
        if (at > this.fixAt[j]!) this.fixAt[j] = at;
      } else {
        this.lonE6[j] = lon;
        this.latE6[j] = lat;
        this.fixAt[j] = at;
        this.replace[j] = 1;
      }
    }
  }

  /** Everything added since the last take, in new arrays of their own (to transfer), or null when nothing came. */
  take(): PositionBatch | null {
    if (this.frames === 0) return null;
    const n = this.n;
    const batch: PositionBatch = {
      slots: this.slots.slice(0, n),
      lonE6: this.lonE6.slice(0, n),
      latE6: this.latE6.slice(0, n),
      fixAt: this.fixAt.slice(0, n),
      replace: this.replace.slice(0, n),
      frames: this.frames,
      keyframes: this.keyframes,
      at: this.at,
      refused: this.refused,
    };
    for (let j = 0; j < n; j++) this.index[this.slots[j]!] = -1;
    this.replace.fill(0, 0, n);
    this.n = 0;
    this.frames = 0;
    this.keyframes = 0;
    this.at = -Infinity;
    this.refused = 0;
    return batch;
  }

  private entry(slot: number): number {
    if (slot >= this.index.length) {
      let capacity = this.index.length;
      while (capacity <= slot) capacity *= 2;
      const index = new Int32Array(capacity).fill(-1);
      index.set(this.index);
      this.index = index;
      return -1;
    }
    return this.index[slot]!;
  }

  private push(slot: number, lon: number, lat: number, at: number): void {
    if (this.n === this.slots.length) this.grow();
    const j = this.n++;
    this.index[slot] = j;
    this.slots[j] = slot;
    this.lonE6[j] = lon;
    this.latE6[j] = lat;
    this.fixAt[j] = at;
    this.replace[j] = 0;
  }

  private grow(): void {
    const capacity = this.slots.length * 2;
    const grown = <T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.slots = grown(this.slots, (c) => new Uint32Array(c));
    this.lonE6 = grown(this.lonE6, (c) => new Int32Array(c));
    this.latE6 = grown(this.latE6, (c) => new Int32Array(c));
    this.fixAt = grown(this.fixAt, (c) => new Float64Array(c));
    this.replace = grown(this.replace, (c) => new Uint8Array(c));
  }
}

/** The frames merged into one batch (null for none): {@link FrameMerger} in one call. */
export function mergeFrames(frames: readonly PositionFrame[]): PositionBatch | null {
  const merger = new FrameMerger();
  for (const f of frames) merger.add(f);
  return merger.take();
}
