import { afterEach, describe, expect, it } from 'vitest';
import { haversineM, type LogEvent, type LonLat, type TaskStatus } from '@egret/protocol';
import { HANDED_BACK } from '../src/scenario/field/field-side.ts';
import { locateDistrict } from '@egret/config';
import { geometry, normalDay } from './city.ts';
import { LiveCity, quietDay } from './live-city.ts';

/** 思明区, on the island near 思明南路. */
const SCENE: LonLat = [118.09, 24.46];

let city: LiveCity | undefined;
afterEach(async () => {
  await city?.stop();
  city = undefined;
});

/** What happened to one case, its tasks and their units, in log order: short labels and world times. */
function timeline(events: readonly LogEvent[], caseId: string): { label: string; at: number }[] {
  const taskIds = new Set<string>();
  const unitIds = new Set<string>();
  const out: { label: string; at: number }[] = [];
  const add = (label: string, e: LogEvent) => out.push({ label, at: e.at });
  for (const e of events) {
    if (e.type === 'case.reported' && e.case.id === caseId) add('case reported', e);
    else if (e.type === 'case.transitioned' && e.case.id === caseId) add(`case ${e.to}`, e);
    else if (e.type === 'task.created' && e.task.caseId === caseId) {
      taskIds.add(e.task.id);
      unitIds.add(e.task.unitId);
      add('task created', e);
    } else if (e.type === 'task.updated' && taskIds.has(e.task.id)) add(`task ${e.to}`, e);
    else if (e.type === 'unit.status_changed' && unitIds.has(e.unit.id)) add(`unit ${e.to}`, e);
  }
  return out;
}
const story = (events: readonly LogEvent[], caseId: string) => timeline(events, caseId).map((t) => t.label);

/** Of a few points in 思明, the one farthest from the nearest enforcement unit (by the hub's latest fixes). */
async function farScene(c: LiveCity): Promise<LonLat> {
  const enforcement = () =>
    [...c.hub.world().units.values()].filter((u) => u.type === 'enforcement' && u.status === 'available');
  await c.until('the roster at the hub', () => enforcement().length >= 20);
  const units = enforcement();
  await c.until('fixes of the enforcement units', async () =>
    (
      await c.redis.hmGet(
        c.keys.positions,
        units.map((u) => u.id),
      )
    ).every(Boolean),
  );
  const fixes = (
    await c.redis.hmGet(
      c.keys.positions,
      units.map((u) => u.id),
    )
  ).map((f) => f!.split(',').slice(0, 2).map(Number) as LonLat);
  const candidates: LonLat[] = [
    SCENE,
    [118.13, 24.47],
    [118.11, 24.49],
    [118.08, 24.45],
    [118.12, 24.455],
    [118.1, 24.475],
  ];
  const inSiming = candidates.filter((p) => locateDistrict(geometry.shapes, p) === '350203');
  const nearest = (p: LonLat) => Math.min(...fixes.map((f) => haversineM(f, p)));
  return inSiming.reduce((best, p) => (nearest(p) > nearest(best) ? p : best));
}

const caseIs = (c: LiveCity, caseId: string, status: string) => c.hub.world().cases.get(caseId)?.status === status;
const tasksOf = (events: readonly LogEvent[], caseId: string) =>
  events
    .filter(
      (e): e is Extract<LogEvent, { type: 'task.created' }> => e.type === 'task.created' && e.task.caseId === caseId,
    )
    .map((e) => e.task);

describe('the closed loop, simulator and hub together', () => {
  it('takes a filed case through auto-dispatch, the field, verification and closing, the unit visibly travelling', async () => {
    city = await LiveCity.start(
      quietDay((s) => ({
        ...s,
        // Every task accepted and every check passed, and a slower squad so the trip spans many fixes.
        verification: { ...s.verification, failShare: 0 },
        field: {
          ...s.field,
          declineShare: 0,
          silentShare: 0,
          travelSpeedMps: { ...s.field.travelSpeedMps, enforcement: 2 },
        },
      })),
    );
    const c = city;
    // A scene some way from every enforcement unit, so that the trip spans many fixes.
    const scene = await farScene(c);
    await c.fileCase('SZCG-LOOP-1', scene);

    // Watch the dispatched unit's latest fix in Redis, as the hub serves it, while its task runs.
    const samples: { status: TaskStatus; at: number; position: LonLat }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const task = [...c.hub.world().tasks.values()].find((t) => t.caseId === 'SZCG-LOOP-1');
        if (task && (task.status === 'en_route' || task.status === 'on_scene')) {
          const fix = await c.redis.hGet(c.keys.positions, task.unitId);
          if (fix) {
            const [lon, lat, at] = fix.split(',').map(Number) as [number, number, number];
            if (samples.at(-1)?.at !== at) samples.push({ status: task.status, at, position: [lon, lat] });
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await c.until('the case to be closed', () => caseIs(c, 'SZCG-LOOP-1', 'closed'), 50_000);
    watching = false;
    await watcher;

    const events = await c.log();
    expect(story(events, 'SZCG-LOOP-1')).toEqual([
      'case reported',
      'case accepted',
      'case filed',
      'task created',
      'case dispatched',
      'unit dispatched',
      'task accepted',
      'case in_progress',
      'task en_route',
      'unit en_route',
      'task on_scene',
      'unit on_scene',
      'task done',
      'case handled',
      'unit available',
      'case verifying',
      'case closed',
    ]);
    const times = timeline(events, 'SZCG-LOOP-1').map((t) => t.at);
    for (let k = 1; k < times.length; k++) expect(times[k]!).toBeGreaterThanOrEqual(times[k - 1]!);

    const filed = events.find(
      (e) => e.type === 'case.transitioned' && e.case.id === 'SZCG-LOOP-1' && e.to === 'filed',
    )!;
    const created = events.find((e) => e.type === 'task.created' && e.task.caseId === 'SZCG-LOOP-1')!;
    expect(created.type === 'task.created' && created.actor).toEqual({ role: 'commander', id: 'sim-auto-dispatcher' });
    // Left to the people at the desk for three minutes first. (How much later it went out depends on how fast the
    // hub answers: at 600× every 100 ms of real time is a world minute.)
    expect(created.at - filed.at).toBeGreaterThanOrEqual(normalDay.autoDispatchAfterMs);
    const closed = events.find(
      (e) => e.type === 'case.transitioned' && e.case.id === 'SZCG-LOOP-1' && e.to === 'closed',
    )!;
    expect(closed.type === 'case.transitioned' && closed.actor).toEqual({ role: 'upstream', id: 'inspector-350203' });

    // On the way the unit closes in on the scene, fix by fix; on scene it stands there.
    const onTheWay = samples.filter((s) => s.status === 'en_route').map((s) => haversineM(s.position, scene));
    expect(onTheWay.length).toBeGreaterThanOrEqual(5);
    expect(onTheWay[0]! - onTheWay.at(-1)!).toBeGreaterThan(200);
    const closer = onTheWay.slice(1).filter((d, k) => d < onTheWay[k]!).length;
    expect(closer / (onTheWay.length - 1)).toBeGreaterThan(0.8);
    // Status and position come on two streams (docs/integration.md, "Order"), each applied at its own pace: on a loaded
    // machine the hub can hold on_scene while the latest fix it has applied is still one from the way (one run saw a
    // fix 10 m short). Every fix from the arrival on stands on the scene.
    const arrivedAt = timeline(events, 'SZCG-LOOP-1').find((t) => t.label === 'task on_scene')!.at;
    const onScene = samples.filter((s) => s.status === 'on_scene' && s.at >= arrivedAt);
    expect(onScene.length).toBeGreaterThanOrEqual(1);
    for (const s of onScene) expect(haversineM(s.position, scene)).toBeLessThan(2);
  }, 60_000);

  it('dispatches a declined case again, to another unit', async () => {
    city = await LiveCity.start(quietDay((s) => ({ ...s, field: { ...s.field, declineShare: 1, silentShare: 0 } })));
    const c = city;
    await c.fileCase('SZCG-LOOP-2', SCENE);
    await c.until('a second task for the case', async () => tasksOf(await c.log(), 'SZCG-LOOP-2').length >= 2, 40_000);

    const events = await c.log();
    const [first, second] = tasksOf(events, 'SZCG-LOOP-2');
    expect(second!.unitId).not.toBe(first!.unitId);
    expect(story(events, 'SZCG-LOOP-2').slice(0, 10)).toEqual([
      'case reported',
      'case accepted',
      'case filed',
      'task created',
      'case dispatched',
      'unit dispatched',
      'task declined',
      'case filed',
      'unit available',
      'task created',
    ]);
    const declined = events.find((e) => e.type === 'task.updated' && e.task.id === first!.id && e.to === 'declined')!;
    expect(normalDay.field.declineReasons).toContain(declined.type === 'task.updated' && declined.task.reason);
    const returned = events.find(
      (e) =>
        e.type === 'case.transitioned' && e.case.id === 'SZCG-LOOP-2' && e.from === 'dispatched' && e.to === 'filed',
    )!;
    expect(returned.type === 'case.transitioned' && returned.case.returns).toBe(1);
  }, 60_000);

  it('sends a case that fails verification back for rework, and dispatches it again', async () => {
    city = await LiveCity.start(
      quietDay((s) => ({
        ...s,
        field: { ...s.field, declineShare: 0, silentShare: 0 },
        verification: { ...s.verification, failShare: 1 },
      })),
    );
    const c = city;
    await c.fileCase('SZCG-LOOP-3', SCENE);
    await c.until('a second task for the case', async () => tasksOf(await c.log(), 'SZCG-LOOP-3').length >= 2, 50_000);

    const events = await c.log();
    const labels = story(events, 'SZCG-LOOP-3');
    const handled = labels.indexOf('case handled');
    expect(handled).toBeGreaterThan(0);
    expect(labels.slice(handled)).toEqual(expect.arrayContaining(['case verifying', 'case filed', 'task created']));
    expect(labels.slice(handled, handled + 4)).toEqual([
      'case handled',
      'unit available',
      'case verifying',
      'case filed',
    ]);
    const rework = events.find(
      (e) =>
        e.type === 'case.transitioned' && e.case.id === 'SZCG-LOOP-3' && e.from === 'verifying' && e.to === 'filed',
    )!;
    expect(
      rework.type === 'case.transitioned' && [
        rework.reason?.startsWith('复核未通过'),
        rework.case.reworks,
        rework.actor.id,
      ],
    ).toEqual([true, 1, 'inspector-350203']);
    const [, second] = tasksOf(events, 'SZCG-LOOP-3');
    expect(second!.createdAt).toBeGreaterThan(rework.at);
  }, 60_000);

  it('hands back the tasks a stopped simulator left open, so their cases are dispatched again', async () => {
    city = await LiveCity.start(quietDay((s) => ({ ...s, field: { ...s.field, declineShare: 0, silentShare: 0 } })));
    const c = city;
    await c.fileCase('SZCG-LOOP-4', SCENE);
    await c.until('the task accepted', () => caseIs(c, 'SZCG-LOOP-4', 'in_progress'), 30_000);
    await c.stopSimulator();
    const [first] = tasksOf(await c.log(), 'SZCG-LOOP-4');
    expect(c.hub.world().tasks.get(first!.id)?.status).toMatch(/^(accepted|en_route|on_scene)$/);

    await c.startSimulator(c.now());
    await c.until('a second task for the case', async () => tasksOf(await c.log(), 'SZCG-LOOP-4').length >= 2, 30_000);
    const events = await c.log();
    const handedBack = events.find((e) => e.type === 'task.updated' && e.task.id === first!.id && e.to === 'declined');
    expect(handedBack?.type === 'task.updated' && handedBack.task.reason).toBe(HANDED_BACK);
    expect(story(events, 'SZCG-LOOP-4')).toEqual(
      expect.arrayContaining(['task declined', 'case filed', 'task created']),
    );
  }, 60_000);
});

describe('the simulator’s start against a hub', () => {
  it('sends the first fixes only once the hub has logged the units’ registrations, so none is refused as unknown_unit', async () => {
    city = await LiveCity.start(quietDay());
    const c = city;
    await c.until(
      'fixes of every unit at the hub',
      async () => (await c.redis.hLen(c.keys.positions)) >= c.hub.world().units.size && c.hub.world().units.size > 0,
    );
    const counts = await c.redis.hGetAll(c.keys.deadletterCounts);
    expect(counts.unknown_unit).toBeUndefined();
  });
});
