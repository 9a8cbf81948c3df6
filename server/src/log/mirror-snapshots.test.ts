import { describe, expect, it } from 'vitest';
import { mirrorSnapshotDue } from './mirror-snapshots.ts';

describe(mirrorSnapshotDue.name, () => {
  it('snapshots every 5,000 events while the world holds up to 10,000 entities', () => {
    expect(mirrorSnapshotDue(5_000, 10_000, 5_000)).toBe(true);
    expect(mirrorSnapshotDue(15_000, 3, 5_000)).toBe(true);
    expect(mirrorSnapshotDue(15_001, 3, 5_000)).toBe(false);
  });

  it('doubles the spacing as the world grows, on multiples every hub agrees on', () => {
    expect(mirrorSnapshotDue(15_000, 10_001, 5_000)).toBe(false);
    expect(mirrorSnapshotDue(20_000, 10_001, 5_000)).toBe(true);
    expect(mirrorSnapshotDue(40_000, 60_000, 5_000)).toBe(true);
    expect(mirrorSnapshotDue(20_000, 60_000, 5_000)).toBe(false);
  });

  it('costs about two entities per event as a roster of 100,000 units registers', () => {
    let encoded = 0;
    for (let seq = 1; seq <= 100_000; seq++) if (mirrorSnapshotDue(seq, seq, 5_000)) encoded += seq;
    expect(encoded / 100_000).toBeLessThanOrEqual(3);
  });
});
