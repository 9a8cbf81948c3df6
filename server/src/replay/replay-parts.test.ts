import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CaseBrief,
  decodeReplayFinished,
  isCaseBrief,
  isCaseOpen,
  isTaskFinished,
  redisKeys,
  screenCase,
  type Case,
  type LogEvent,
  type ReplayCase,
  type ReplayFinished,
  type ReplayFinishedColumns,
  type ReplayState,
  Task,
} from '@egret/protocol';
import { caseLife, numbered, type DraftEvent } from '../../test/case-life.ts';
import { loggedHistory } from '../../test/logged-history.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import type { HistoryWriter } from './history-writer.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';

const HOUR = 3_600_000;

/**
 * The finished part as the screen reads it: sent as columns (protocol finished-columns.ts) — never the rows' old
 * shape — decoded, and every brief and task valid by its schema.
 */
function finishedRows(json: string): ReplayFinished {
  const wire = JSON.parse(json) as ReplayFinishedColumns;
  expect(Object.keys(wire).sort()).toEqual(['columns', 't', 'world']);
  expect(Object.keys(wire.world).sort()).toEqual(['at', 'seq']);
  const fin = decodeReplayFinished(wire);
  for (const c of fin.world.cases) expect(CaseBrief.strict().parse(c)).toEqual(c);
  for (const x of fin.world.tasks) expect(Task.strict().parse(x)).toEqual(x);
  return fin;
}
const T0 = Date.parse('2026-09-14T00:00:00+08:00');
const actor = { role: 'system', id: 'parts-test' } as const;
/**
 * Two days, a case every 20 minutes: every fourth rejected at once, the others dispatched, their task done and the
 * case closed within hours — but every seventh stays open with its task declined, and one closed case is
 * supervised again the next day (touched after it became final). Each case has a description and a photo, and its
 * history grows step by step, as the hub's does: what a finished case's brief leaves out.
 */
function twoDays(): LogEvent[] {
  const out: DraftEvent[] = [];
  for (let i = 0; i < 144; i++) {
    const at = T0 + i * 20 * 60_000;
    const c: Case = {
      id: `P${i}`,
      category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树' },
      source: 'hotline',
      urgency: 'normal',
      position: [118.09, 24.46],
      address: '思明南路',
      district: '350203',
      description: `第 ${i} 棵行道树倒伏`,
      status: 'reported',
      reportedAt: at,
      supervised: false,
      history: [{ to: 'reported', at, actor }],
      photos: [{ id: `ph-${i}`, role: 'report', at }],
      version: 1,
    };
    const life = caseLife(c, at, actor, `Q${i}`, i % 4 === 0 ? 'rejected' : i % 7 === 0 ? 'declined' : 'closed');
    out.push(...life);
    const last = life.at(-1)!;
    if (i === 5 && last.type === 'case.transitioned') {
      const closed = last.case;
      const later = T0 + 30 * HOUR;
      const again: Case = {
        ...closed,
        supervised: true,
        supervisedAt: later,
        history: [...closed.history, { to: 'closed', at: later, actor, action: 'supervise' }],
        version: 4,
      };
      out.push({ at: later, type: 'case.amended', change: 'supervised', actor, case: again });
    }
  }
  return numbered(out);
}

/** Each entity's JSON with its keys sorted: what it says, not the order its keys were written in (columns: another). */
const canonical = (x: unknown) =>
  JSON.stringify(x, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, canonical(x)]));

describe('the state at T in two parts: what is open first, what finished after', () => {
  let redis: Redis;
  let writer: HistoryWriter;
  let reader: ReplayReader;
  const events = twoDays();
  const keys = redisKeys(testNamespace('parts'));

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
    writer = await loggedHistory(redis, keys, events, {
      hubId: 'parts-test',
      snapshotEveryEvents: 40,
      snapshotEveryMinutes: 60,
    });
    const history = new RedisHistory(redis, keys);
    reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
    });
  }, 90_000);
  afterAll(async () => {
    await writer?.stop();
    await redis?.close();
  });

  it('lays out the finished part from cold rows kept parsed: byte for byte the answer parsed whole, within the bound', async () => {
    const history = new RedisHistory(redis, keys);
    const made = (finishedRowsKept: number) =>
      new ReplayReader({
        parts: [history],
        periods: () => history.periods(),
        cold: (a, b) => history.coldDeltas(a, b),
        live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
        finishedRowsKept,
      });
    const fresh = made(0); // the text of the part built and parsed whole for every answer, as before
    const small = made(30); // fewer rows than the deltas hold: some let go and parsed again
    let rows = 0;
    for (const pass of [1, 2]) {
      for (let k = 0; k < 12; k++) {
        const t = T0 + HOUR / 2 + (k / 12) * 48 * HOUR + k * 37_000;
        const want = (await fresh.stateJson(t, 'finished')).toString('utf8');
        const at = `${new Date(t).toISOString()} pass ${pass}`;
        expect((await reader.stateJson(t, 'finished')).toString('utf8'), at).toBe(want);
        expect((await small.stateJson(t, 'finished')).toString('utf8'), at).toBe(want);
        rows = Math.max(rows, finishedRows(want).world.cases.length);
      }
    }
    expect(rows).toBeGreaterThan(30); // the small bound is really below what an answer holds
    expect(fresh.keptFinishedRows).toBe(0);
    expect(small.keptFinishedRows).toBeGreaterThan(0);
    expect(small.keptFinishedRows).toBeLessThanOrEqual(30);
    expect(reader.keptFinishedRows).toBeGreaterThan(small.keptFinishedRows);
    // The kept rows are shared between answers: an answer laid out from them leaves them as they were.
    const t = T0 + 47 * HOUR;
    expect((await reader.stateJson(t, 'finished')).toString('utf8')).toBe(
      (await fresh.stateJson(t, 'finished')).toString('utf8'),
    );
  });

  it('reads every cold delta ahead of any seek (prepare), and a seek then reads none: the same answers', async () => {
    const history = new RedisHistory(redis, keys);
    let read = 0;
    const prepared = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: async (a, b) => {
        const ds = await history.coldDeltas(a, b);
        read += ds.length;
        return ds;
      },
      live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
    });
    let ticks = 0;
    const tick = setInterval(() => ticks++, 0);
    const added = await prepared.prepare().finally(() => clearInterval(tick));
    expect(added).toBeGreaterThan(3);
    expect(read).toBe(added);
    expect(ticks).toBeGreaterThan(0); // timers ran while it read them
    expect(await prepared.prepare()).toBe(0); // each delta once
    // The newest deltas' rows parsed (and compiled) ahead too, within the bound.
    expect(prepared.keptFinishedRows).toBeGreaterThan(0);
    const small = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
      finishedRowsKept: 30,
    });
    await small.prepare();
    expect(small.keptFinishedRows).toBeGreaterThan(0);
    expect(small.keptFinishedRows).toBeLessThanOrEqual(30);
    const t47 = T0 + 47 * HOUR;
    expect((await small.stateJson(t47, 'finished')).toString('utf8')).toBe(
      (await reader.stateJson(t47, 'finished')).toString('utf8'),
    );
    for (const t of [T0 + 47 * HOUR, T0 + 20 * HOUR]) {
      for (const part of ['finished', 'all'] as const)
        expect((await prepared.stateJson(t, part)).toString('utf8')).toBe(
          (await reader.stateJson(t, part)).toString('utf8'),
        );
    }
    expect(read).toBe(added); // the seeks read no delta
  });

  it('folds the log once for a seek’s open and finished parts at one t, again once the log’s end moved', async () => {
    const history = new RedisHistory(redis, keys);
    let liveSeq = events.at(-1)!.seq;
    let folds = 0;
    const shared = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: liveSeq, at: events.at(-1)!.at }),
      onPhase: (phase) => void (phase === 'fold' && folds++),
    });
    const fresh = () =>
      new ReplayReader({
        parts: [history],
        periods: () => history.periods(),
        cold: (a, b) => history.coldDeltas(a, b),
        live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
      });
    const text = async (r: ReplayReader, t: number, part: 'open' | 'finished' | 'all') =>
      (await r.stateJson(t, part)).toString('utf8');
    const t1 = T0 + 40 * HOUR + 17_000;
    const t2 = T0 + 41 * HOUR;
    // Open, then finished, then the whole, at t1: one fold, each answer a fresh reader's.
    for (const part of ['open', 'finished', 'all'] as const)
      expect(await text(shared, t1, part)).toBe(await text(fresh(), t1, part));
    expect(folds).toBe(1);
    // The log's end moved: folded again. Another t: folded; back to t1: folded (one kept).
    liveSeq++;
    expect(await text(shared, t1, 'finished')).toBe(await text(fresh(), t1, 'finished'));
    expect(folds).toBe(2);
    await text(shared, t2, 'open');
    expect(folds).toBe(3);
    expect(await text(shared, t1, 'open')).toBe(await text(fresh(), t1, 'open'));
    expect(folds).toBe(4);
    // Asked at once (a burst of both parts): one fold, the same answers.
    const [open, finished] = await Promise.all([text(shared, t2, 'open'), text(shared, t2, 'finished')]);
    expect(folds).toBe(5);
    expect(open).toBe(await text(fresh(), t2, 'open'));
    expect(finished).toBe(await text(fresh(), t2, 'finished'));
    // The other questions fold for themselves (they may change what they get).
    await shared.kpiAt(t2);
    await shared.caseAt(t2, 'no-such-case');
    expect(folds).toBe(7);
  });

  it('stops reading the cold deltas ahead once told to (a hub stopping), and goes on at the next call', async () => {
    const history = new RedisHistory(redis, keys);
    const fresh = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
    });
    let asked = 0;
    expect(await fresh.prepare(() => asked++ > 0)).toBe(1); // stopped after the first delta
    const rest = await fresh.prepare();
    expect(rest).toBeGreaterThan(2);
    expect(await fresh.prepare()).toBe(0);
    const t = T0 + 47 * HOUR;
    expect((await fresh.stateJson(t, 'all')).toString('utf8')).toBe(
      (await reader.stateJson(t, 'all')).toString('utf8'),
    );
  });

  it('splits every instant’s state exactly: open ∪ finished = the whole as the screen holds it, no entity in both', async () => {
    let finishedSeen = 0;
    let stepsLeftOut = 0;
    for (let k = 0; k < 16; k++) {
      const t = T0 + HOUR / 3 + (k / 16) * 48 * HOUR + k * 61_000;
      const all = JSON.parse((await reader.stateJson(t)).toString('utf8')) as ReplayState;
      const open = JSON.parse((await reader.stateJson(t, 'open')).toString('utf8')) as ReplayState;
      const fin = finishedRows((await reader.stateJson(t, 'finished')).toString('utf8'));
      const at = new Date(t).toISOString();
      expect(open.world.seq, at).toBe(all.world.seq);
      expect(fin.world.seq, at).toBe(all.world.seq);
      expect(fin.world.at, at).toBe(all.world.at);
      // Everything but the cases and tasks comes with the open part, as in the whole.
      expect({ ...open, world: { ...open.world, cases: [], tasks: [] } }, at).toEqual({
        ...all,
        world: { ...all.world, cases: [], tasks: [] },
      });
      expect(
        open.world.cases.every((c) => isCaseOpen(c)),
        at,
      ).toBe(true);
      expect(
        open.world.tasks.every((x) => !isTaskFinished(x)),
        at,
      ).toBe(true);
      expect(
        fin.world.cases.every((c) => !isCaseOpen(c)),
        at,
      ).toBe(true);
      expect(
        fin.world.tasks.every((x) => isTaskFinished(x)),
        at,
      ).toBe(true);
      // The screen holds a finished case as its brief (protocol case-brief.ts: no steps, photos or description;
      // /api/replay/case sends them when it is opened) and an open case whole: the parts together are exactly the
      // screen's projection of the whole state, every field of every entity compared. Tasks come whole.
      expect(
        fin.world.cases.every((c) => isCaseBrief(c)),
        at,
      ).toBe(true);
      expect(
        open.world.cases.some((c) => isCaseBrief(c)),
        at,
      ).toBe(false);
      for (const kind of ['cases', 'tasks'] as const) {
        const whole = byId<{ id: string }>(kind === 'cases' ? all.world.cases.map(screenCase) : all.world.tasks);
        const parts = [...open.world[kind], ...fin.world[kind]] as { id: string }[];
        expect(parts.length, `${kind} at ${at}`).toBe(whole.size);
        expect(byId(parts), `${kind} at ${at}`).toEqual(whole);
      }
      const wholeCase = new Map(all.world.cases.map((c) => [c.id, c]));
      for (const b of fin.world.cases) {
        const c = wholeCase.get(b.id)!;
        expect(b.steps, `${b.id} at ${at}`).toBe(c.history.length);
        expect(b.history, `${b.id} at ${at}`).toEqual(c.closedAt === undefined ? c.history.slice(-1) : []);
        stepsLeftOut += c.history.length - 1;
      }
      finishedSeen += fin.world.cases.length;
    }
    expect(finishedSeen).toBeGreaterThan(0);
    expect(stepsLeftOut).toBeGreaterThan(finishedSeen); // the briefs do leave the steps out
  });

  it('sends a case touched after it became final once, in its latest version, with the finished', async () => {
    const t = T0 + 31 * HOUR;
    const open = JSON.parse((await reader.stateJson(t, 'open')).toString('utf8')) as ReplayState;
    const fin = finishedRows((await reader.stateJson(t, 'finished')).toString('utf8'));
    expect(open.world.cases.some((c) => c.id === 'P5')).toBe(false);
    const sent = fin.world.cases.filter((c) => c.id === 'P5');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.supervised).toBe(true);
    // Its brief is of the latest version: the supervision counted among its four steps.
    expect(sent[0]!.steps).toBe(4);
    expect(sent[0]!.supervisedAt).toBe(T0 + 30 * HOUR);
    // An open case's declined task is finished: it comes with the finished, its case with the open.
    expect(open.world.cases.find((c) => c.id === 'P7')?.status).toBe('dispatched');
    expect(fin.world.tasks.find((x) => x.id === 'Q7')?.status).toBe('declined');
  });

  it('opens any case whole at any instant: caseAt is the whole state’s case and its tasks, in order', async () => {
    let finishedOpened = 0;
    for (let k = 0; k < 6; k++) {
      const t = T0 + 2 * HOUR + k * 8 * HOUR + 31 * HOUR * (k === 5 ? 1 : 0);
      const { world } = await reader.stateAt(t);
      const ids = [...world.cases.keys()].filter((_, i) => i % 5 === 0).concat(['P5', 'P7']);
      for (const id of ids) {
        const whole = world.cases.get(id);
        const got = await reader.caseAt(t, id);
        if (!whole) {
          expect(got, `${id} at ${t}`).toBeUndefined();
          continue;
        }
        expect(got, `${id} at ${t}`).toEqual({
          case: whole,
          tasks: [...world.tasks.values()].filter((x) => x.caseId === id),
        });
        if (!isCaseOpen(whole)) finishedOpened++;
      }
    }
    expect(finishedOpened).toBeGreaterThan(10);
    expect(await reader.caseAt(T0 + 40 * HOUR, 'p5')).toBeUndefined();
  });
});

describe('GET /api/replay/state?part=', () => {
  let redis: Redis;
  let writer: HistoryWriter;
  let server: import('node:http').Server;
  let base = '';
  const events = twoDays().slice(0, 200);
  const keys = redisKeys(testNamespace('parts-route'));
  let reader: ReplayReader;

  beforeAll(async () => {
    const express = (await import('express')).default;
    const { replayRoutes } = await import('./replay-routes.ts');
    redis = await connectRedis(inject('redisUrl'));
    writer = await loggedHistory(redis, keys, events, {
      hubId: 'parts-route',
      snapshotEveryEvents: 40,
      snapshotEveryMinutes: 60,
    });
    const history = new RedisHistory(redis, keys);
    reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
    });
    const app = express();
    app.use(replayRoutes({ reader: () => reader, displayDir: '/nonexistent' }));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  }, 90_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await writer?.stop();
    await redis?.close();
  });

  it('answers each part, and refuses any other spelling with a clear 400', async () => {
    const t = events.at(-1)!.at;
    const whole = await (await fetch(`${base}/api/replay/state?t=${t}`)).text();
    expect(await (await fetch(`${base}/api/replay/state?t=${t}&part=all`)).text()).toBe(whole);
    for (const part of ['open', 'finished']) {
      const res = await fetch(`${base}/api/replay/state?t=${t}&part=${part}`);
      expect(res.status, part).toBe(200);
      expect(((await res.json()) as ReplayState | ReplayFinishedColumns).world.seq).toBe(events.at(-1)!.seq);
    }
    for (const q of ['part=OPEN', 'part=open%20', 'part=', 'part=open&part=finished', 'part=%00', 'part=finished%00']) {
      const res = await fetch(`${base}/api/replay/state?t=${t}&${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error, q).toBe('bad_request');
      expect(body.message, q).toMatch(/part/);
    }
  });

  it('sends a finished case’s steps when it is opened (/case), and refuses what is not a case', async () => {
    const t = events.at(-1)!.at;
    const { world } = await reader.stateAt(t);
    const fin = finishedRows(await (await fetch(`${base}/api/replay/state?t=${t}&part=finished`)).text());
    const briefs = fin.world.cases.filter((_, i) => i % 3 === 0);
    expect(briefs.length).toBeGreaterThan(3);
    for (const brief of briefs) {
      const res = await fetch(`${base}/api/replay/case?t=${t}&id=${encodeURIComponent(brief.id)}`);
      expect(res.status, brief.id).toBe(200);
      const body = (await res.json()) as ReplayCase;
      const whole = world.cases.get(brief.id)!;
      expect(body.case, brief.id).toEqual(whole);
      expect(body.case.history.length, brief.id).toBe(brief.steps);
      expect(screenCase(body.case), brief.id).toEqual(brief); // what the screen held is the brief of what it opens
      expect(body.tasks, brief.id).toEqual([...world.tasks.values()].filter((x) => x.caseId === brief.id));
    }
    const id = briefs[0]!.id;
    for (const q of [`id=${id.toLowerCase()}`, `id=${id}%20`, `id=%20${id}`, `id=${id}%00`, 'id=P%2F1', 'id=nobody']) {
      const res = await fetch(`${base}/api/replay/case?t=${t}&${q}`);
      expect(res.status, q).toBe(404);
      expect(((await res.json()) as { error: string }).error, q).toBe('unknown_case');
    }
    for (const q of ['', 'id=', `id=${id}&id=${id}`, `id[x]=${id}`]) {
      const res = await fetch(`${base}/api/replay/case?t=${t}&${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: string }).error, q).toBe('bad_request');
    }
    // The same request again answers the same (nothing is consumed or cached wrongly).
    const again = await (await fetch(`${base}/api/replay/case?t=${t}&id=${id}`)).text();
    expect(again).toBe(await (await fetch(`${base}/api/replay/case?t=${t}&id=${id}`)).text());
  });
});
