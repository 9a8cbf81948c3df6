import { describe, expect, it } from 'vitest';
import { holdLeft, holdMsOf, SEEK_GRACE_MS, SEEK_HOLD_MS } from './seek-plan.ts';

describe(holdLeft.name, () => {
  it('holds what is open until the hold is over, counted from the seek', () => {
    expect(holdLeft(100)).toBe(SEEK_HOLD_MS - 100);
    expect(holdLeft(0, 450, 150)).toBe(450);
  });

  it('gives what is open that came late the grace, however late', () => {
    expect(holdLeft(SEEK_HOLD_MS - 10)).toBe(SEEK_GRACE_MS);
    expect(holdLeft(5_000, 450, 150)).toBe(150);
  });

  it('holds nothing with neither a hold nor a grace', () => {
    expect(holdLeft(0, 0, 0)).toBe(0);
    expect(holdLeft(30, 0, 0)).toBe(0);
  });
});

describe(holdMsOf.name, () => {
  it('reads a whole number of ms, and nothing else', () => {
    expect(holdMsOf('800')).toBe(800);
    expect(holdMsOf(' 0 ')).toBe(0);
    expect([null, '', '-1', '1e3', '0.5', 'long', '123456'].map(holdMsOf)).toEqual(Array(7).fill(undefined));
  });
});
