import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@egret/protocol';
import { EventRing } from './event-ring.ts';

const ev = (seq: number): LogEvent => ({
  seq,
  at: seq * 1000,
  type: 'mode.changed',
  mode: 'peacetime',
  actor: { role: 'system', id: 'x' },
});
const seqs = (events: LogEvent[] | undefined) => events?.map((e) => e.seq);

describe(EventRing.name, () => {
  it('holds the last events up to its capacity and forgets the oldest', () => {
    const ring = new EventRing(3);
    for (let s = 1; s <= 5; s++) ring.push(ev(s));
    expect([ring.firstSeq, ring.lastSeq, ring.length]).toEqual([3, 5, 3]);
    expect(seqs(ring.range(2))).toEqual([3, 4, 5]);
    expect(seqs(ring.range(3, 4))).toEqual([4]);
  });

  it('answers nothing for a range that starts before what it holds', () => {
    const ring = new EventRing(3);
    for (let s = 1; s <= 5; s++) ring.push(ev(s));
    expect(ring.range(1)).toBeUndefined();
    expect(new EventRing(2).range(0)).toBeUndefined();
  });

  it('answers an empty list to a screen that already has everything', () => {
    const ring = new EventRing(3);
    ring.push(ev(7));
    expect(ring.range(7)).toEqual([]);
    expect(ring.range(8)).toBeUndefined();
  });

  it('starts over when the sequence jumps, so what it holds is always consecutive', () => {
    const ring = new EventRing(5);
    ring.push(ev(1));
    ring.push(ev(2));
    ring.push(ev(10));
    expect([ring.firstSeq, ring.lastSeq]).toEqual([10, 10]);
    expect(ring.range(1)).toBeUndefined();
  });
});
