import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FUTURE_SKEW_MS, type InputMessage } from '@egret/protocol';
import { publishFixes } from '../src/positions/test-hub.ts';
import { asData, now, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';

/**
 * Issue 14: the frame slot of a new unit was reserved (kept in the slots hash) before its `unit.register` was
 * decided, so a refused registration (unknown district, far-future time) still let the unit's fixes in.
 */
let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const register = (
  unitId: string,
  over: Partial<Extract<InputMessage, { kind: 'unit.register' }>> = {},
): InputMessage => ({
  kind: 'unit.register',
  unitId,
  name: unitId,
  type: 'enforcement',
  squadId: 'SQ-1',
  district: '350203',
  status: 'available',
  at: now(),
  ...over,
});

describe('frame slots of new units', () => {
  it('exist only for registrations that were applied: a refused unit’s fixes are dead-lettered unknown_unit', async () => {
    const { ns, keys, redis } = await testRedis('slots');
    try {
      hub = await startHub(ns);
      await redis.xAdd(keys.inEvents, '*', asData(register('U-BAD-DISTRICT', { district: '999999' })));
      await redis.xAdd(
        keys.inEvents,
        '*',
        asData(register('U-FUTURE', { at: now() + MAX_FUTURE_SKEW_MS + 3_600_000 })),
      );
      await redis.xAdd(keys.inEvents, '*', asData(register('U-GOOD')));
      await waitFor('the good unit registered', () => hub!.app.world().units.has('U-GOOD'));
      await waitFor('both refusals dead-lettered', async () => (await redis.xLen(keys.deadletter)) === 2);
      expect(Object.keys(await redis.hGetAll(keys.slots))).toEqual(['U-GOOD']);
      expect(Number(await redis.hGet(keys.slots, 'U-GOOD'))).toBe(hub.app.world().units.get('U-GOOD')!.slot);

      const t = now();
      await publishFixes(
        redis,
        keys,
        ['U-BAD-DISTRICT', 'U-FUTURE', 'U-GOOD'].map((unitId) => ({ unitId, lon: 118.1, lat: 24.5, at: t })),
      );
      await waitFor('the good unit’s fix', async () => (await redis.hGet(keys.positions, 'U-GOOD')) !== null);
      await waitFor('two more dead letters', async () => (await redis.xLen(keys.deadletter)) === 4);
      const letters = ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).map((e) => e.message.reason);
      expect(letters).toEqual(['unknown_district', 'far_future', 'unknown_unit', 'unknown_unit']);
      expect(Object.keys(await redis.hGetAll(keys.positions))).toEqual(['U-GOOD']);
    } finally {
      await redis.close();
    }
  });
});
