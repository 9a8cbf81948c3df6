import { describe, expect, it } from 'vitest';
import { Rng, WeightedTable } from './rng.ts';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe(Rng.name, () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draws(new Rng(42), 20)).toEqual(draws(new Rng(42), 20));
    expect(draws(new Rng('42'), 20)).toEqual(draws(new Rng(42), 20));
    expect(draws(new Rng(43), 20)).not.toEqual(draws(new Rng(42), 20));
  });

  it('forks streams that do not move when the parent draws more', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    draws(b, 100);
    expect(draws(a.fork('cases'), 10)).toEqual(draws(b.fork('cases'), 10));
    expect(draws(a.fork('cases'), 10)).not.toEqual(draws(a.fork('moves'), 10));
  });

  it('draws floats in [0, 1) with a mean near ½, and integers in both bounds inclusive', () => {
    const rng = new Rng(1);
    let sum = 0;
    const ints = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      sum += f;
      ints.add(rng.int(3, 6));
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
  });

  it('picks by weight, and refuses an empty or weightless choice', () => {
    const rng = new Rng(2);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weightedIndex([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
    expect(() => rng.weightedIndex([0, 0])).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('draws normal, exponential, log-normal and Poisson values with their textbook moments', () => {
    const rng = new Rng(3);
    const n = 40_000;
    const mean = (f: () => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(() => rng.normal(10, 2))).toBeCloseTo(10, 1);
    expect(Math.sqrt(mean(() => rng.normal(0, 2) ** 2))).toBeCloseTo(2, 1);
    expect(mean(() => rng.exponential(4))).toBeCloseTo(0.25, 2);
    const logs = Array.from({ length: n }, () => rng.logNormal(5, 0.7)).sort((a, b) => a - b);
    expect(logs[n / 2]!).toBeGreaterThan(4.8);
    expect(logs[n / 2]!).toBeLessThan(5.2);
    expect(mean(() => rng.poisson(3))).toBeCloseTo(3, 1);
    expect(mean(() => rng.poisson(400))).toBeGreaterThan(398);
  });
});

describe(WeightedTable.name, () => {
  it('draws each item in proportion to its weight', () => {
    const table = new WeightedTable(['a', 'b', 'c'], [5, 3, 2]);
    const rng = new Rng(4);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 50_000; i++) counts[table.pick(rng)]!++;
    expect(counts.a! / 50_000).toBeCloseTo(0.5, 1);
    expect(counts.b! / 50_000).toBeCloseTo(0.3, 1);
    expect(counts.c! / 50_000).toBeCloseTo(0.2, 1);
  });

  it('refuses negative weights and a zero total', () => {
    expect(() => new WeightedTable(['a'], [-1])).toThrow(RangeError);
    expect(() => new WeightedTable(['a', 'b'], [0, 0])).toThrow(RangeError);
  });
});
