import { describe, expect, it } from 'vitest';
import { snapshotDue } from './snapshot-policy.ts';

const policy = { everyEvents: 2_000, everyMs: 30 * 60_000 };
const last = { seq: 10_000, at: 0 };

describe(snapshotDue.name, () => {
  it('is due every 2,000 events while the world is small', () => {
    expect(snapshotDue(last, { seq: 11_999, at: 1, hot: 3_000 }, policy)).toBe(false);
    expect(snapshotDue(last, { seq: 12_000, at: 1, hot: 3_000 }, policy)).toBe(true);
    expect(snapshotDue(last, { seq: 12_000, at: 1, hot: 4_000 }, policy)).toBe(true);
  });

  it('waits for half the world in events once the world is larger', () => {
    expect(snapshotDue(last, { seq: 12_000, at: 1, hot: 100_000 }, policy)).toBe(false);
    expect(snapshotDue(last, { seq: 59_999, at: 1, hot: 100_000 }, policy)).toBe(false);
    expect(snapshotDue(last, { seq: 60_000, at: 1, hot: 100_000 }, policy)).toBe(true);
    expect(snapshotDue(last, { seq: 12_001, at: 1, hot: 4_001 }, policy)).toBe(true);
  });

  it('is due after the world time it may stand for, whatever the size', () => {
    expect(snapshotDue(last, { seq: 10_001, at: 30 * 60_000 - 1, hot: 100_000 }, policy)).toBe(false);
    expect(snapshotDue(last, { seq: 10_001, at: 30 * 60_000, hot: 100_000 }, policy)).toBe(true);
  });

  it('is never due without a new event', () => {
    expect(snapshotDue(last, { seq: 10_000, at: 99 * 60 * 60_000, hot: 1 }, policy)).toBe(false);
  });

  it('costs at most two entities per event as a roster of 100,000 units registers', () => {
    let at = { seq: 0, at: 0 };
    let encoded = 0;
    for (let seq = 1; seq <= 100_000; seq++) {
      if (snapshotDue(at, { seq, at: 0, hot: seq }, policy)) {
        encoded += seq;
        at = { seq, at: 0 };
      }
    }
    expect(encoded / 100_000).toBeLessThanOrEqual(3);
  });
});
