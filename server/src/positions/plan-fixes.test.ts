import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_SKEW_MS, type Fix } from '@egret/protocol';
import { planFixes } from './plan-fixes.ts';

const now = 1_700_000_000_000;
const at = (unitId: string, t: number, lon = 118): Fix => ({ unitId, lon, lat: 24.5, at: t });
const registered = new Set(['a', 'b']);
const hasSlot = (id: string) => registered.has(id);

describe(planFixes.name, () => {
  it('keeps the latest fix of each unit across the batches of one read', () => {
    const plan = planFixes({
      batches: [
        { entryId: '1-0', fixes: [at('a', now - 2000, 118.1), at('b', now - 2000)] },
        { entryId: '2-0', fixes: [at('a', now - 1000, 118.2)] },
      ],
      hasSlot,
      now,
    });
    expect([...plan.latest.values()]).toEqual([at('a', now - 1000, 118.2), at('b', now - 2000)]);
    expect(plan.coalesced).toBe(1);
    expect(plan.outOfOrder).toBe(0);
    expect(plan.rejections).toEqual([]);
  });

  it('ignores a fix older than one that came before it, and counts it as out of order', () => {
    const plan = planFixes({
      batches: [{ entryId: '1-0', fixes: [at('a', now, 118.3), at('a', now - 5000, 118.1)] }],
      hasSlot,
      now,
    });
    expect(plan.latest.get('a')).toEqual(at('a', now, 118.3));
    expect(plan.outOfOrder).toBe(1);
  });

  it('refuses fixes of units without a slot and fixes too far in the future, one by one', () => {
    const plan = planFixes({
      batches: [
        {
          entryId: '7-0',
          fixes: [at('ghost', now), at('a', now + MAX_FUTURE_SKEW_MS + 1), at('b', now + MAX_FUTURE_SKEW_MS)],
        },
      ],
      hasSlot,
      now,
    });
    expect(plan.rejections.map((r) => [r.entryId, r.fix.unitId, r.reason])).toEqual([
      ['7-0', 'ghost', 'unknown_unit'],
      ['7-0', 'a', 'far_future'],
    ]);
    expect([...plan.latest.keys()]).toEqual(['b']);
  });
});
