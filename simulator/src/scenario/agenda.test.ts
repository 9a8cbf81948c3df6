import { describe, expect, it } from 'vitest';
import { Agenda } from './agenda.ts';

describe(Agenda.name, () => {
  it('gives back what is due, earliest first, and ties in the order they were planned', () => {
    const a = new Agenda<string>();
    a.add(30, 'c');
    a.add(10, 'a1');
    a.add(20, 'b');
    a.add(10, 'a2');
    a.add(50, 'e');
    expect(a.due(5)).toEqual([]);
    expect(a.due(20)).toEqual(['a1', 'a2', 'b']);
    expect(a.size).toBe(2);
    expect(a.due(100)).toEqual(['c', 'e']);
  });

  it('stays ordered through many random additions', () => {
    const a = new Agenda<number>();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const t of times) a.add(t, t);
    expect(a.due(1000)).toEqual([...times].sort((x, y) => x - y));
  });
});
