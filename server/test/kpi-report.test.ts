import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, KpiFigures, KpiReport, LogEvent } from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { caseReport, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';
import {
  Console,
  input,
  inputsHandled,
  mirrorCaughtUp,
  ok,
  readLogEvents,
  registerUnit,
  taskUpdate,
} from './loop-fixture.ts';

const HOUR = 3_600_000;
const CASES = 300;
const UNITS = 60;
/** Where cases are reported: 思明, 湖里, 海沧. */
const PLACES = [
  { lon: 118.09, lat: 24.46 },
  { lon: 118.13, lat: 24.5 },
  { lon: 118.03, lat: 24.49 },
];

/**
 * The KPI figures worked out from the raw log with nothing but counting — deliberately not through kpi.ts — for
 * one cohort: every case (`day` undefined) or the cases filed on one Asia/Shanghai day.
 */
function countFromLog(events: LogEvent[], now: number, day?: string, district?: string) {
  const dayOf = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 10);
  const last = new Map<string, Case>();
  const dispatchedOnce = new Set<string>();
  for (const e of events) {
    if (e.type === 'case.reported' || e.type === 'case.transitioned' || e.type === 'case.amended')
      last.set(e.case.id, e.case);
    if (e.type === 'case.transitioned' && e.to === 'dispatched') dispatchedOnce.add(e.case.id);
  }
  let reported = 0,
    filed = 0,
    dispatched = 0,
    closed = 0,
    onTimeOpen = 0;
  for (const c of last.values()) {
    if (district !== undefined && c.district !== district) continue;
    if (day === undefined || dayOf(c.reportedAt) === day) reported++;
    if (c.filedAt === undefined || (day !== undefined && dayOf(c.filedAt) !== day)) continue;
    filed++;
    if (dispatchedOnce.has(c.id)) dispatched++;
    if (c.status === 'closed') closed++;
    else if (c.status !== 'rejected' && (c.status === 'parked' || !(now > c.deadline!))) onTimeOpen++;
  }
  const due = filed - onTimeOpen;
  return { reported, filed, dispatched, closed, closureRate: due > 0 ? closed / due : null };
}

const pick = (f: KpiFigures) => ({
  reported: f.reported,
  filed: f.filed,
  dispatched: f.dispatched,
  closed: f.closed,
  closureRate: f.closureRate,
});

describe('KPI reports pushed to the screens', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  let ns: string;
  let desk: Console;
  const reports: KpiReport[] = [];
  /** What the desk's socket received, in order. */
  const order: string[] = [];

  beforeAll(async () => {
    const t = await testRedis('kpi');
    ({ redis, keys, ns } = t);
    hub = await startHub(ns, { kpiPush: { minIntervalMs: 100, maxIntervalMs: 1_000 } });
    desk = new Console(hub.url, 'desk');
    desk.socket.on('wall:snapshot', () => order.push('snapshot'));
    desk.socket.on('kpi:report', (r) => {
      order.push('kpi');
      reports.push(r);
    });
  });
  afterAll(async () => {
    desk.close();
    await hub.close();
    await redis.close();
  });

  it('sends a screen its first report right after the snapshot', async () => {
    await waitFor('the first report', () => reports.length > 0);
    expect(order.slice(0, 2)).toEqual(['snapshot', 'kpi']);
    expect(reports[0]!.all.city.reported).toBe(0);
  });

  it('reports, after a burst of 300 cases through the whole loop, what plain counting of the raw log gives', async () => {
    const now = Date.now();
    const clerk = { role: 'dispatcher', id: 'clerk-1' } as const;
    for (let u = 0; u < UNITS; u++)
      await registerUnit(redis, keys, `KU-${u}`, { squadId: `KSQ-${u % 6}`, type: 'sanitation' });
    // Every case reported and taken as far as the case system takes it; a tenth of them were filed three days ago.
    const fate = (i: number) => i % 10;
    const old = (i: number) => fate(i) === 4 || fate(i) === 7;
    for (let i = 0; i < CASES; i++) {
      const at = old(i) ? now - 72 * HOUR : now - 60_000;
      await input(
        redis,
        keys,
        caseReport(`K-${i}`, { category: { code: '06010', standard: 'GB/T 47678.5-2026' }, ...PLACES[i % 3]!, at }),
      );
      if (fate(i) >= 2)
        await input(redis, keys, { kind: 'case.transition', caseId: `K-${i}`, to: 'accepted', actor: clerk, at });
      if (fate(i) >= 3)
        await input(redis, keys, { kind: 'case.transition', caseId: `K-${i}`, to: 'filed', actor: clerk, at });
    }
    await inputsHandled(redis, keys, 60_000);
    await mirrorCaughtUp(hub, redis, keys);

    const free = Array.from({ length: UNITS }, (_, u) => `KU-${u}`);
    const c = desk;
    const dispatch = async (caseId: string) => {
      const unitId = free.shift()!;
      return { unitId, taskId: ok(await c.send('case:dispatch', { caseId, unitId })).taskId };
    };
    // 0 rejected · 1 reported · 2 accepted · 3 filed · 4 filed long ago (overdue) · 5 declined once, then closed ·
    // 6 closed · 7 filed long ago, closed late · 8 in progress · 9 parked
    for (let i = 0; i < CASES; i++) {
      if (fate(i) === 0)
        ok(await c.send('case:transition', { caseId: `K-${i}`, action: 'reject', reason: '非城管职责' }));
      if (fate(i) === 9)
        ok(await c.send('case:transition', { caseId: `K-${i}`, action: 'park', reason: '需跨部门协调' }));
    }
    const looped = Array.from({ length: CASES }, (_, i) => i).filter((i) => [5, 6, 7, 8].includes(fate(i)));
    for (let b = 0; b < looped.length; b += 20) {
      const batch = looped.slice(b, b + 20);
      const sent = await Promise.all(batch.map((i) => dispatch(`K-${i}`)));
      for (const [k, i] of batch.entries()) {
        const { unitId, taskId } = sent[k]!;
        if (fate(i) === 5) await taskUpdate(redis, keys, taskId, unitId, 'declined', '人手不足');
        else if (fate(i) === 8) await taskUpdate(redis, keys, taskId, unitId, 'accepted');
        else
          for (const s of ['accepted', 'en_route', 'on_scene', 'done'] as const)
            await taskUpdate(redis, keys, taskId, unitId, s);
      }
      await inputsHandled(redis, keys);
      for (const [k, i] of batch.entries()) if (fate(i) !== 8) free.push(sent[k]!.unitId);
      // The declined ones go out again and get done.
      const again = await Promise.all(
        batch.filter((i) => fate(i) === 5).map(async (i) => ({ i, ...(await dispatch(`K-${i}`)) })),
      );
      for (const { unitId, taskId } of again)
        for (const s of ['accepted', 'done'] as const) await taskUpdate(redis, keys, taskId, unitId, s);
      await inputsHandled(redis, keys);
      for (const { unitId } of again) free.push(unitId);
      for (const i of batch.filter((x) => fate(x) !== 8)) {
        ok(await c.send('case:transition', { caseId: `K-${i}`, action: 'verify' }));
        ok(await c.send('case:transition', { caseId: `K-${i}`, action: 'close' }));
      }
    }
    await mirrorCaughtUp(hub, redis, keys);

    // A report computed after the mirror (and the KPI fold with it) reached the end of the log.
    const caughtUpAt = Date.now();
    await waitFor('a report after the burst', () => (reports.at(-1)?.at ?? 0) >= caughtUpAt);
    const report = reports.at(-1)!;
    const events = await readLogEvents(redis, keys);
    expect(events).toHaveLength(Number(await redis.get(keys.logSeq)));

    const expected = countFromLog(events, report.at);
    expect(expected).toMatchObject({
      reported: CASES,
      filed: CASES * 0.7,
      dispatched: CASES * 0.4,
      closed: CASES * 0.3,
    });
    expect(expected.closureRate).toBeGreaterThan(0);
    expect(expected.closureRate).toBe(90 / 120); // 90 closed of 210 filed, 90 of them still on time: the 30 overdue count against it
    expect(pick(report.all.city)).toEqual(expected);
    for (const district of ['350203', '350206', '350205']) {
      expect({ district, ...pick(report.all.byDistrict[district]!) }).toEqual({
        district,
        ...countFromLog(events, report.at, undefined, district),
      });
    }
    const today = new Date(report.at + 8 * HOUR).toISOString().slice(0, 10);
    expect(report.today.period).toBe(today);
    expect(pick(report.today.city)).toEqual(countFromLog(events, report.at, today));
    expect(report.all.city.overdueOpen).toBe(CASES / 10); // fate 4: filed three days ago, never dispatched

    // Over HTTP too, and a hub started now folds the same figures from the log.
    const http = (await (await fetch(`${hub.url}/api/kpi`)).json()) as { ok: true; data: KpiReport };
    expect(pick(http.data.all.city)).toEqual(countFromLog(events, http.data.at));
    const second = await startHub(ns);
    try {
      let fresh: KpiReport | undefined;
      await waitFor('the second hub’s fold', async () => {
        const res = await fetch(`${second.url}/api/kpi`);
        if (res.status !== 200) return false;
        fresh = ((await res.json()) as { data: KpiReport }).data;
        return true;
      });
      expect(pick(fresh!.all.city)).toEqual(countFromLog(events, fresh!.at));
      expect(pick(fresh!.all.city)).toEqual(pick(report.all.city));
    } finally {
      await second.close();
    }
  }, 120_000);
});
