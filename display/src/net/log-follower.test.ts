import { fromSnapshot } from '@egret/protocol';
import { describe, expect, it } from 'vitest';
import { aSnapshot, reportedEvents } from '../../test/fixtures.ts';
import { LogFollower, MAX_PENDING_EVENTS } from './log-follower.ts';

function followerAt(seq: number) {
  const events = reportedEvents(1, seq);
  const follower = new LogFollower(fromSnapshot(aSnapshot()));
  follower.receive(events);
  return follower;
}

describe(LogFollower.name, () => {
  it('applies consecutive events and counts them', () => {
    const f = followerAt(0);
    const out = f.receive(reportedEvents(1, 3));
    expect(out).toEqual({ applied: 3 });
    expect(f.seq).toBe(3);
    expect(f.world.cases.size).toBe(3);
  });

  it('ignores events it already has (a resent batch is harmless)', () => {
    const f = followerAt(3);
    expect(f.receive(reportedEvents(2, 4))).toEqual({ applied: 1 });
    expect(f.seq).toBe(4);
  });

  it('asks for exactly the missing range when a batch skips ahead, and applies what came before the gap', () => {
    const f = followerAt(3);
    const out = f.receive([...reportedEvents(4, 4), ...reportedEvents(8, 9)]);
    expect(out).toEqual({ applied: 1, fetch: { afterSeq: 4, toSeq: 7 } });
    expect(f.seq).toBe(4);
    expect(f.awaiting).toEqual({ afterSeq: 4, toSeq: 7 });
  });

  it('buffers live batches while the range is fetched, then applies range and buffer in order', () => {
    const f = followerAt(3);
    f.receive(reportedEvents(6, 6));
    expect(f.receive(reportedEvents(7, 8))).toEqual({ applied: 0 });
    expect(f.seq).toBe(3);
    const out = f.receiveRange(reportedEvents(4, 5));
    expect(out).toEqual({ applied: 5 });
    expect(f.seq).toBe(8);
    expect(f.awaiting).toBeNull();
  });

  it('asks for a snapshot when the hub answers a range with less than was asked (trimmed log)', () => {
    const f = followerAt(3);
    f.receive(reportedEvents(9, 9));
    expect(f.receiveRange(reportedEvents(4, 5))).toMatchObject({ resnapshot: true });
  });

  it('asks for a snapshot when the range request fails', () => {
    const f = followerAt(3);
    f.receive(reportedEvents(9, 9));
    expect(f.rangeFailed()).toEqual({ applied: 0, resnapshot: true });
    expect(f.awaiting).toBeNull();
  });

  it('gives up catching up and asks for a snapshot when too much piles up while fetching', () => {
    const f = followerAt(1);
    f.receive(reportedEvents(5, 5));
    const flood = reportedEvents(6, 6 + MAX_PENDING_EVENTS);
    expect(f.receive(flood)).toMatchObject({ resnapshot: true });
  });

  it('starts over cleanly from a snapshot', () => {
    const f = followerAt(3);
    f.receive(reportedEvents(9, 9));
    f.reset(fromSnapshot(aSnapshot({ seq: 20 })));
    expect(f.awaiting).toBeNull();
    expect(f.receive(reportedEvents(21, 21))).toEqual({ applied: 1 });
    expect(f.seq).toBe(21);
  });
});
