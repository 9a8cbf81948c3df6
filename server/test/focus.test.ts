import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, Screen, startHub, testRedis, waitFor, xaddInput, type TestHub } from './hub-fixture.ts';

/** 推屏: the console puts a case on every wall, through the log, and releases it. */
describe('wall:focus', () => {
  let hub: TestHub;
  let other: TestHub;
  let redis: Redis;
  const screens: Screen[] = [];

  beforeAll(async () => {
    const t = await testRedis('focus');
    redis = t.redis;
    hub = await startHub(t.ns);
    other = await startHub(t.ns);
    await xaddInput(redis, t.keys, asData(caseReport('FOCUS-1')));
    await waitFor('the case', () => hub.app.world().cases.has('FOCUS-1') && other.app.world().cases.has('FOCUS-1'));
  });
  afterAll(async () => {
    for (const s of screens) s.close();
    await hub.close();
    await other.close();
    await redis.close();
  });

  const focus = (screen: Screen, body: object) =>
    (screen.socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: string }> } })
      .timeout(5_000).emitWithAck('wall:focus', { ...body, idempotencyKey: randomUUID() });

  it('puts a case on the walls of every hub, logged with who did it, and releases them to the overview', async () => {
    const console_ = new Screen(hub.url);
    const wall = new Screen(other.url);
    screens.push(console_, wall);
    await waitFor('snapshots', () => console_.snapshots.length === 1 && wall.snapshots.length === 1);

    expect(await focus(console_, { caseId: 'FOCUS-1' })).toMatchObject({ ok: true });
    await waitFor('the wall on the other hub follows', () => wall.events.some((e) => e.type === 'focus.changed'));
    expect(wall.world()!.focus).toMatchObject({ caseId: 'FOCUS-1', by: { role: 'commander' } });

    const later = new Screen(other.url);
    screens.push(later);
    await waitFor('a later wall’s snapshot', () => later.snapshots.length === 1);
    expect(later.snapshots[0]!.focus).toMatchObject({ caseId: 'FOCUS-1' });

    expect(await focus(console_, {})).toMatchObject({ ok: true });
    await waitFor('released', () => wall.world()!.focus === null);
  });

  it('refuses a case or unit that does not exist, changing nothing', async () => {
    const screen = screens[0]!;
    const seq = hub.app.world().seq;
    expect(await focus(screen, { caseId: 'NO-SUCH' })).toMatchObject({ ok: false, error: 'unknown_case' });
    expect(await focus(screen, { unitId: 'NO-SUCH' })).toMatchObject({ ok: false, error: 'unknown_unit' });
    expect(hub.app.world().seq).toBe(seq);
  });
});
