import { describe, expect, it } from 'vitest';
import { ChainedVersions } from './picture-versions.ts';

describe(ChainedVersions.name, () => {
  it('keeps a store’s versions apart from each other, as they are', () => {
    const v = new ChainedVersions();
    const store = {};
    const a = v.of(store, 1);
    expect(v.of(store, 1)).toBe(a);
    expect(v.of(store, 2)).toBe(a + 1);
    expect(v.of(store, 5)).toBe(a + 4);
  });

  it('puts every version of a new store above those of the stores before it, whatever it counts', () => {
    const v = new ChainedVersions();
    const first = {};
    const seen = [v.of(first, 1), v.of(first, 2)];
    // The next seek's store counts from 1 again (and a store may start at 0): never a version seen before.
    const second = {};
    const next = [v.of(second, 0), v.of(second, 1), v.of(second, 2)];
    for (const n of next) expect(seen).not.toContain(n);
    expect(Math.min(...next)).toBeGreaterThan(Math.max(...seen));
    // Back to an earlier store (its identity, not its numbers, tells): still above everything handed out.
    const again = v.of(first, 2);
    expect(again).toBeGreaterThan(Math.max(...next));
  });

  it('gives many seeks in a row, each store at the same count, a new version each', () => {
    const v = new ChainedVersions();
    const out = new Set<number>();
    for (let i = 0; i < 50; i++) out.add(v.of({}, 2));
    expect(out.size).toBe(50);
  });
});
