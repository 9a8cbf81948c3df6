/** Positions of some units at one moment, sorted by slot. */
export interface PositionSample {
  at: number;
  slots: Uint32Array;
  lonE6: Int32Array;
  latE6: Int32Array;
}

/**
 * The latest position of every unit, indexed by frame slot (slots are small dense integers handed out at
 * registration), in typed arrays: a city of 50,000 units costs 450 KB and no per-unit objects.
 */
export class SlotTable {
  lonE6 = new Int32Array(1024);
  latE6 = new Int32Array(1024);
  has = new Uint8Array(1024);
  /** Slots with a position. */
  size = 0;
  /** One past the highest slot ever set. */
  end = 0;

  get(slot: number): [number, number] | undefined {
    return slot < this.end && this.has[slot] ? [this.lonE6[slot]!, this.latE6[slot]!] : undefined;
  }

  /** Sets a slot's position; returns whether it changed. */
  set(slot: number, lonE6: number, latE6: number): boolean {
    this.ensure(slot);
    if (this.has[slot]) {
      if (this.lonE6[slot] === lonE6 && this.latE6[slot] === latE6) return false;
    } else {
      this.has[slot] = 1;
      this.size++;
    }
    this.lonE6[slot] = lonE6;
    this.latE6[slot] = latE6;
    if (slot >= this.end) this.end = slot + 1;
    return true;
  }

  apply(s: PositionSample): void {
    for (let i = 0; i < s.slots.length; i++) this.set(s.slots[i]!, s.lonE6[i]!, s.latE6[i]!);
  }

  /** Every slot with a position, in slot order, as a sample at `at`. */
  sample(at: number, only?: Iterable<number>): PositionSample {
    const picked: number[] = [];
    if (only) {
      for (const slot of only) if (slot < this.end && this.has[slot]) picked.push(slot);
      picked.sort((a, b) => a - b);
    } else {
      for (let slot = 0; slot < this.end; slot++) if (this.has[slot]) picked.push(slot);
    }
    const slots = Uint32Array.from(picked);
    const lonE6 = new Int32Array(slots.length);
    const latE6 = new Int32Array(slots.length);
    for (let i = 0; i < slots.length; i++) {
      lonE6[i] = this.lonE6[slots[i]!]!;
      latE6[i] = this.latE6[slots[i]!]!;
    }
    return { at, slots, lonE6, latE6 };
  }

  clone(): SlotTable {
    const t = new SlotTable();
    t.lonE6 = this.lonE6.slice();
    t.latE6 = this.latE6.slice();
    t.has = this.has.slice();
    t.size = this.size;
    t.end = this.end;
    return t;
  }

  private ensure(slot: number): void {
    if (slot >= this.has.length) this.grow(slot);
  }

  /**
   * Apart from `ensure`, which runs on every `set`: a function holding closures allocates their context on every
   * call, even one that returns at once — as `ensure` did, ~20 MB of garbage at a late seek's tracks (issue #19).
   */
  private grow(slot: number): void {
    let n = this.has.length;
    while (n <= slot) n *= 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.lonE6 = grow(this.lonE6, (k) => new Int32Array(k));
    this.latE6 = grow(this.latE6, (k) => new Int32Array(k));
    this.has = grow(this.has, (k) => new Uint8Array(k));
  }
}
