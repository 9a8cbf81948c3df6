import { describe, expect, it } from 'vitest';
import { aCase, T0 } from '../../test/fixtures.ts';
import { waitingForDispatch } from './dispatch-queue.ts';

describe(waitingForDispatch.name, () => {
  it('lists filed cases only, the nearest deadline first, at most max', () => {
    const cases = [
      aCase({ id: 'A', status: 'filed', deadline: T0 + 3000 }),
      aCase({ id: 'B', status: 'dispatched', deadline: T0 }),
      aCase({ id: 'C', status: 'filed', deadline: T0 + 1000 }),
      aCase({ id: 'D', status: 'filed', deadline: T0 + 2000 }),
      aCase({ id: 'E', status: 'reported' }),
    ];
    expect(waitingForDispatch(cases, 2).map((c) => c.id)).toEqual(['C', 'D']);
    expect(waitingForDispatch(cases, 10).map((c) => c.id)).toEqual(['C', 'D', 'A']);
  });
});
