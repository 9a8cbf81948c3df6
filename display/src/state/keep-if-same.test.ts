import { describe, expect, it } from 'vitest';
import { keepIfSame } from './keep-if-same.ts';

describe(keepIfSame.name, () => {
  it('returns the previous array while the items are the same objects, and the new one once any differs', () => {
    const a = { id: 'a' },
      b = { id: 'b' };
    let items = [a, b];
    const derive = keepIfSame(() => [...items]);
    const first = derive();
    expect(derive()).toBe(first);
    items = [a, { id: 'b' }];
    const second = derive();
    expect(second).not.toBe(first);
    expect(derive()).toBe(second);
    items = [a];
    expect(derive()).toEqual([a]);
  });
});
