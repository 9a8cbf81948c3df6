import { describe, expect, it } from 'vitest';
import { refusedForNow } from './refusal.ts';

describe(refusedForNow.name, () => {
  it('retries the hub’s "cannot check credentials now", not a refusal of who the screen is', () => {
    expect(refusedForNow('unavailable: the hub cannot check credentials right now; try again')).toBe(true);
    expect(refusedForNow('unauthenticated: log in to see this screen (or pair the wall)')).toBe(false);
    expect(refusedForNow('forbidden: a field credential cannot open a screen')).toBe(false);
    expect(refusedForNow('bad_origin: screens from https://x are not allowed')).toBe(false);
  });
});
