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

  const command = (name: string) => (screen: Screen, body: object) =>
    (
      screen.socket as unknown as {
        timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: string }> };
      }
    )
      .timeout(5_000)
      .emitWithAck(name, { ...body, idempotencyKey: randomUUID() });
  const focus = command('wall:focus');
  const layers = command('wall:layers');
  /** Around 中山路, Siming: a few streets each way, as a console zoomed in. */
  const VIEW = [118.07, 24.45, 118.1, 24.47];

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

  it('puts the view a console zoomed to on the walls, alone', async () => {
    const [console_, wall] = screens as [Screen, Screen];
    expect(await focus(console_, { extent: VIEW })).toMatchObject({ ok: true });
    await waitFor('the wall shows the view', () => wall.world()!.focus?.extent !== undefined);
    expect(wall.world()!.focus).toMatchObject({ extent: VIEW, by: { role: 'commander' } });
    const seq = hub.app.world().seq;
    // A view with a case in it would leave the wall guessing which to show; a view inside out is no view.
    expect(await focus(console_, { extent: VIEW, caseId: 'FOCUS-1' })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    expect(await focus(console_, { extent: [118.1, 24.45, 118.07, 24.47] })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    expect(await focus(console_, { extent: [118.07, 24.45, 118.1] })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    expect(hub.app.world().seq).toBe(seq);
    expect(await focus(console_, {})).toMatchObject({ ok: true });
    await waitFor('released', () => wall.world()!.focus === null);
  });

  it('switches the walls’ layers through the log, and a mode switch gives them back to the mode’s defaults', async () => {
    const [console_, wall] = screens as [Screen, Screen];
    expect(await layers(console_, { layers: ['heat', 'units', 'heat'] })).toMatchObject({ ok: true });
    await waitFor('the wall’s layers', () => wall.world()!.layers !== null);
    expect(wall.world()!.layers).toEqual(['heat', 'units']);
    const fresh = new Screen(other.url);
    screens.push(fresh);
    await waitFor('a later wall’s snapshot', () => fresh.snapshots.length === 1);
    expect(fresh.snapshots[0]!.layers).toEqual(['heat', 'units']);

    const seq = hub.app.world().seq;
    expect(await layers(console_, { layers: ['heat', 'no-such-layer'] })).toMatchObject({
      ok: false,
      error: 'bad_request',
    });
    expect(await layers(console_, {})).toMatchObject({ ok: false, error: 'bad_request' }); // null must be said
    expect(hub.app.world().seq).toBe(seq);

    const res = await fetch(`${hub.url}/api/commands/mode:set`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-egret-user': 'focus-test' },
      body: JSON.stringify({ mode: 'typhoon', idempotencyKey: randomUUID() }),
    });
    expect(res.status).toBe(200);
    await waitFor('the mode’s defaults again', () => wall.world()!.mode === 'typhoon');
    expect(wall.world()!.layers).toBeNull();
    expect(await layers(console_, { layers: [] })).toMatchObject({ ok: true }); // none at all is a choice too
    await waitFor('no optional layer', () => wall.world()!.layers?.length === 0);
    expect(await layers(console_, { layers: null })).toMatchObject({ ok: true });
    await waitFor('the defaults', () => wall.world()!.layers === null);
  });
});
