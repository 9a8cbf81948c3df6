import { afterAll, describe, expect, it } from 'vitest';
import { PLAN_BATCH, type Inspection, type InputMessage, type LogEvent } from '@egret/protocol';
import { Screen, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';
import { Console, fileCase, input, readLogEvents, registerUnit } from './loop-fixture.ts';
import { planConfig } from './plans-fixture.ts';

/** Counts the plan engine's leader passes of a hub; `after(n)` waits until n more have run. */
function passes() {
  let n = 0;
  return {
    observer: () => void n++,
    after: (more: number) => {
      const target = n + more;
      return waitFor(`${more} plan passes`, () => n >= target, 20_000);
    },
  };
}

const issuedItems = (log: LogEvent[]) =>
  log.flatMap((e) => (e.type === 'inspections.issued' ? e.inspections.map((i) => i.id) : []));

describe('plans at scale and across hubs (issue #17): batches, live frames, one set of inspections', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('activating a 5,000-point plan issues it in batches while position frames keep reaching a screen; the screen’s world equals the hub’s', async () => {
    const N = 5_000;
    const t = await testRedis('plans-5k');
    closers.push(() => t.redis.close());
    const hub = await startHub(t.ns, { config: planConfig(N), planTickMs: 3_600_000 });
    closers.push(() => hub.close());
    await registerUnit(t.redis, t.keys, 'U-MOVER', { squadId: 'SQ-350203-01', district: '350203' });
    await waitFor('the unit', () => hub.app.world().units.has('U-MOVER'));
    const screen = new Screen(hub.url);
    closers.push(() => screen.close());
    await waitFor('the snapshot', () => screen.snapshots.length === 1);
    // Each frame the screen gets, with the log seq the screen had reached when it came.
    const frames: number[] = [];
    screen.socket.on('units:frame', () => frames.push(screen.lastSeq));
    let moving = true;
    const mover = (async () => {
      for (let i = 0; moving; i++) {
        const fix = { unitId: 'U-MOVER', lon: 118.09 + (i % 100) * 1e-4, lat: 24.46, at: Date.now() };
        await t.redis.xAdd(t.keys.inPositions, '*', { data: JSON.stringify({ fixes: [fix] }) });
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await waitFor('frames flowing', () => frames.length >= 2);

    const desk = new Console(hub.url, 'cora');
    closers.push(() => desk.close());
    const r = await desk.send('plan:activate', { planId: 'test-typhoon', level: 'IV' });
    expect(r).toMatchObject({ ok: true, data: { issued: { inspections: N } } });
    await waitFor('the screen has every inspection', () => (screen.world()?.inspections.size ?? 0) === N, 30_000);
    moving = false;
    await mover;

    const log = await readLogEvents(t.redis, t.keys);
    const batches = log.filter((e) => e.type === 'inspections.issued');
    expect(batches.length).toBe(N / PLAN_BATCH);
    expect(issuedItems(log).length).toBe(N);
    expect(new Set(issuedItems(log)).size).toBe(N);
    // Structural, not a timing bound: frames came to the screen after the first batch and before the last one.
    const first = batches[0]!.seq;
    const last = batches.at(-1)!.seq;
    expect(frames.some((seq) => seq >= first && seq < last)).toBe(true);
    // The screen's fold of the log equals the hub's world.
    await waitFor('the screen caught up', () => screen.lastSeq >= hub.app.world().seq);
    const sorted = (m: Map<string, Inspection>) => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sorted(screen.world()!.inspections)).toEqual(sorted(hub.app.world().inspections));
    expect(screen.world()!.plans).toEqual(hub.app.world().plans);
  }, 60_000);

  it('two hubs activating the same plan at once make one activation and one set of inspections', async () => {
    const N = 600;
    const t = await testRedis('plans-2hubs');
    closers.push(() => t.redis.close());
    const config = planConfig(N);
    const hubs: TestHub[] = [];
    const leader = passes();
    for (let i = 0; i < 2; i++) {
      const hub = await startHub(t.ns, { config, planTickMs: 100, planBatch: 50, planPassObserver: leader.observer });
      closers.push(() => hub.close());
      hubs.push(hub);
    }
    const desks = hubs.map((h, i) => new Console(h.url, `cmd-${i}`));
    for (const d of desks) closers.push(() => d.close());
    await Promise.all(desks.map((d) => new Promise<void>((ok) => d.socket.on('connect', ok))));
    const answers = await Promise.all(
      desks.map((d) => d.send('plan:activate', { planId: 'test-typhoon', level: 'IV' })),
    );
    const oks = answers.filter((a) => a.ok);
    expect(oks).toHaveLength(1);
    expect(answers.find((a) => !a.ok)).toMatchObject({ error: 'already_at_level' });
    await waitFor('every inspection in Redis', async () => (await t.redis.hLen(t.keys.inspections)) === N, 20_000);
    // The leader's reconcile runs meanwhile too: nothing more comes, nothing twice.
    await leader.after(3);
    const log = await readLogEvents(t.redis, t.keys);
    expect(log.filter((e) => e.type === 'plan.changed')).toHaveLength(1);
    expect(issuedItems(log).length).toBe(N);
    expect(await t.redis.hLen(t.keys.inspections)).toBe(N);
  }, 60_000);

  it('the typhoon plan is raised by a storm.update with signal orange: by the system, with its reason, once', async () => {
    const t = await testRedis('plans-trigger');
    closers.push(() => t.redis.close());
    const leader = passes();
    const hub = await startHub(t.ns, { config: planConfig(20), planTickMs: 100, planPassObserver: leader.observer });
    closers.push(() => hub.close());
    // Three units of Siming: A 400 m and C 300 m from the muster point, B 5 km away (their latest fixes).
    for (const id of ['U-A', 'U-B', 'U-C'])
      await registerUnit(t.redis, t.keys, id, { squadId: 'SQ-350203-01', district: '350203' });
    await waitFor('the units', () => hub.app.world().units.size === 3);
    const fixes = [
      { unitId: 'U-A', lon: 118.09, lat: 24.4636, at: Date.now() },
      { unitId: 'U-B', lon: 118.14, lat: 24.5, at: Date.now() },
      { unitId: 'U-C', lon: 118.093, lat: 24.46, at: Date.now() },
    ];
    await t.redis.xAdd(t.keys.inPositions, '*', { data: JSON.stringify({ fixes }) });
    await waitFor('their fixes', async () => (await t.redis.hLen(t.keys.positions)) === 3);
    const at = Date.now();
    const storm = (signal: 'orange' | 'none', when: number): InputMessage => ({
      kind: 'storm.update',
      at: when,
      storm: {
        id: '1614',
        name: { zh: '莫兰蒂', en: 'Meranti' },
        at: when,
        center: [118.9, 24.0],
        pressureHpa: 935,
        maxWindMs: 52,
        r7Km: 300,
        r10Km: 120,
        r12Km: 60,
        stage: 'at_sea',
        phase: 'landfall',
        signal,
        landfall: { at: when + 2 * 3_600_000, center: [118.3, 24.6], place: '翔安' },
        track: [{ at: when - 3_600_000, center: [119.2, 23.6], pressureHpa: 933, maxWindMs: 55 }],
        forecast: [
          {
            at: when + 6 * 3_600_000,
            leadHours: 6,
            center: [117.9, 25.0],
            pressureHpa: 960,
            maxWindMs: 33,
            coneKm: 15,
          },
        ],
      },
    });
    await input(t.redis, t.keys, storm('none', at - 1000));
    await waitFor('the storm', () => hub.app.world().storms.has('1614'));
    await leader.after(2);
    expect(hub.app.world().plans.size).toBe(0);
    await input(t.redis, t.keys, storm('orange', at));
    await waitFor('the plan raised', () => hub.app.world().plans.get('test-typhoon')?.level === 'II', 15_000);
    const plan = hub.app.world().plans.get('test-typhoon')!;
    expect(plan).toMatchObject({ actor: { role: 'system', id: 'plan-engine' }, reason: 'typhoon_signal:orange' });
    expect(hub.app.world().mode).toBe('typhoon');
    // Ⅱ runs Ⅳ's round too.
    await waitFor('the round', () => hub.app.world().inspections.size === 20);
    await leader.after(2);
    // Ⅱ pre-positions the two nearest units at the muster point (by their latest fixes, not their ids); one is seen
    // there: arrived, the other still on its way.
    await waitFor('two orders', () => hub.app.world().prepositions.size === 2);
    expect([...hub.app.world().prepositions.values()].map((o) => o.unitId).sort()).toEqual(['U-A', 'U-C']);
    const fix = { unitId: 'U-A', lon: 118.0901, lat: 24.4601, at: Date.now() };
    await t.redis.xAdd(t.keys.inPositions, '*', { data: JSON.stringify({ fixes: [fix] }) });
    await waitFor('U-A arrived', () =>
      [...hub.app.world().prepositions.values()].some((o) => o.unitId === 'U-A' && o.arrivedAt !== undefined),
    );
    expect([...hub.app.world().prepositions.values()].find((o) => o.unitId === 'U-C')?.arrivedAt).toBeUndefined();
    // Ⅱ tightens 市容环境 (06…) deadlines to 4 h, and 督办s those overdue: a case filed 5 h ago is supervised by the system.
    const late = Date.now() - 5 * 3_600_000;
    await fileCase(t.redis, t.keys, 'C-LATE', { category: { code: '06010', standard: 'GB/T 47678.5-2026' } }, late);
    await fileCase(t.redis, t.keys, 'C-NOISE', { category: { code: '08001', standard: 'GB/T 47678.5-2026' } }, late);
    await waitFor('C-LATE supervised', () => hub.app.world().cases.get('C-LATE')?.supervised === true);
    expect(hub.app.world().cases.get('C-LATE')).toMatchObject({ deadline: late + 4 * 3_600_000 });
    expect(hub.app.world().cases.get('C-LATE')!.history.at(-1)).toMatchObject({
      action: 'supervise',
      actor: { role: 'system', id: 'plan-engine' },
    });
    const noise = hub.app.world().cases.get('C-NOISE')!;
    expect(noise.deadline! - late).toBeGreaterThan(4 * 3_600_000);
    expect(noise.supervised).toBe(false);
    const log = await readLogEvents(t.redis, t.keys);
    expect(
      log
        .filter((e) => e.type === 'plan.changed')
        .map((e) => e.type === 'plan.changed' && `${e.change} ${e.plan.level} ${e.plan.reason}`),
    ).toEqual(['activated II typhoon_signal:orange']);
    // A day later (the world clock jumped, as a drill does): the daily round's second round is issued by the leader.
    const real = Date.now();
    await input(t.redis, t.keys, {
      kind: 'clock.set',
      clock: { baseReal: real, baseWorld: real + 24 * 3_600_000 + 60_000, rate: 1 },
      at: real + 24 * 3_600_000 + 60_000,
    });
    await waitFor(
      'round 2',
      () => [...hub.app.world().inspections.values()].filter((i) => i.round === 2).length === 20,
    );
    expect(hub.app.world().inspections.size).toBe(40);
    // A commander ends it while the signal is still orange: the trigger does not raise it again for the same cause.
    const desk = new Console(hub.url, 'cora');
    closers.push(() => desk.close());
    expect(await desk.send('plan:end', { planId: 'test-typhoon' })).toMatchObject({ ok: true });
    await waitFor('ended', () => hub.app.world().plans.get('test-typhoon')?.endedAt !== undefined);
    const seq = hub.app.world().seq;
    await leader.after(3);
    expect(hub.app.world().plans.get('test-typhoon')?.endedAt).toBeDefined();
    const after = (await readLogEvents(t.redis, t.keys)).filter((e) => e.seq > seq && e.type === 'plan.changed');
    expect(after).toEqual([]);
  }, 60_000);

  it('raises the plan moments after the signal, not at the next interval: the storm event pokes the leader', async () => {
    const t = await testRedis('plans-poke');
    closers.push(() => t.redis.close());
    // An interval of an hour: only the poke can raise it within the test.
    const hub = await startHub(t.ns, { config: planConfig(5), planTickMs: 3_600_000 });
    closers.push(() => hub.close());
    await waitFor('the ticker lease', async () => (await t.redis.get(t.keys.tickerLease)) !== null);
    const at = Date.now();
    await input(t.redis, t.keys, {
      kind: 'storm.update',
      at,
      storm: {
        id: '1614',
        name: { zh: '莫兰蒂', en: 'Meranti' },
        at,
        center: [118.9, 24.0],
        pressureHpa: 935,
        maxWindMs: 52,
        r7Km: 300,
        r10Km: 120,
        r12Km: 60,
        stage: 'at_sea',
        phase: 'landfall',
        signal: 'blue',
        landfall: { at: at + 7_200_000, center: [118.3, 24.6], place: '翔安' },
        track: [],
        forecast: [],
      },
    });
    await waitFor('the plan raised at Ⅳ', () => hub.app.world().plans.get('test-typhoon')?.level === 'IV');
    await waitFor('its round', () => hub.app.world().inspections.size === 5);
  }, 60_000);
});
