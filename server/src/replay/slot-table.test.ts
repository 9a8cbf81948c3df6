import { GCProfiler } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SlotTable } from './slot-table.ts';

describe('SlotTable', () => {
  it('sets, grows and samples as a map of slot to position would', () => {
    const t = new SlotTable();
    expect(t.set(5, 1, 2)).toBe(true);
    expect(t.set(5, 1, 2)).toBe(false);
    expect(t.set(5000, -3, 4)).toBe(true); // grows past 1024 and 4096
    expect(t.get(5)).toEqual([1, 2]);
    expect(t.get(5000)).toEqual([-3, 4]);
    expect(t.get(6)).toBeUndefined();
    expect(t.size).toBe(2);
    expect(t.end).toBe(5001);
    const s = t.sample(9);
    expect([...s.slots]).toEqual([5, 5000]);
    expect([...s.lonE6]).toEqual([1, -3]);
  });

  it('allocates nothing per set once grown (a late seek sets millions): no collection over 3 million', () => {
    const n = 3_000;
    const slots = Uint32Array.from({ length: n }, (_, i) => i);
    const lonE6 = Int32Array.from(slots, (i) => 118_000_000 + i);
    const latE6 = Int32Array.from(slots, (i) => 24_000_000 + i);
    const t = new SlotTable();
    t.apply({ at: 0, slots, lonE6, latE6 }); // grown, and warm
    const gc = new GCProfiler();
    gc.start();
    for (let k = 0; k < 1_000; k++) {
      lonE6[k % n] = k;
      t.apply({ at: k, slots, lonE6, latE6 });
    }
    const { statistics } = gc.stop();
    // Before: every set allocated a closure context (29 scavenges for this loop under vitest); a stray one from elsewhere may come.
    expect(statistics.filter((s) => s.gcType === 'Scavenge').length).toBeLessThanOrEqual(3);
  });
});
