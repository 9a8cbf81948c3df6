import { describe, expect, it } from 'vitest';
import { cutRanking, rowsThatFit } from './ranking-cut.ts';

const six = ['a', 'b', 'c', 'd', 'e', 'f'];

describe(cutRanking.name, () => {
  it('shows every row when they fit, or before there is a layout', () => {
    expect(cutRanking(six, 6)).toEqual({ shown: six, hidden: 0 });
    expect(cutRanking(six, Infinity, 'f')).toEqual({ shown: six, hidden: 0 });
  });

  it('keeps the best on top and the kept row last when the table is cut, and counts what is left out', () => {
    expect(cutRanking(six, 4, 'f')).toEqual({ shown: ['a', 'b', 'c', 'f'], hidden: 2 });
    expect(cutRanking(six, 4)).toEqual({ shown: ['a', 'b', 'c', 'd'], hidden: 2 });
  });

  it('does not repeat a kept row already in view, nor keep one that is not in the table', () => {
    expect(cutRanking(six, 4, 'b')).toEqual({ shown: ['a', 'b', 'c', 'd'], hidden: 2 });
    expect(cutRanking(six, 4, 'z')).toEqual({ shown: ['a', 'b', 'c', 'd'], hidden: 2 });
  });

  it('shows at least the best row, however little room there is', () => {
    expect(cutRanking(six, 0, 'f')).toEqual({ shown: ['a'], hidden: 5 });
    expect(cutRanking(six, 1, 'f')).toEqual({ shown: ['a'], hidden: 5 });
  });
});

describe(rowsThatFit.name, () => {
  it('counts whole rows under the column header, at least one, every row before the layout', () => {
    expect(rowsThatFit(44 + 6 * 50, 50, 44)).toBe(6);
    expect(rowsThatFit(44 + 6 * 50 - 1, 50, 44)).toBe(5);
    expect(rowsThatFit(10, 50, 44)).toBe(1);
    expect(rowsThatFit(0, 50, 44)).toBe(Infinity);
  });
});
