import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaseBrief, caseBrief } from './case-brief.ts';
import { CaseStatus, Task, TaskStatus, type Case } from './entities.ts';
import {
  decodeFinishedColumns,
  decodeReplayFinished,
  encodeFinishedColumns,
  encodeReplayFinished,
  FinishedColumnsError,
  type FinishedColumns,
} from './finished-columns.ts';
import { seeded } from '../../test/seeded.ts';

const T = Date.UTC(2016, 8, 15, 6, 0, 0);
const MIN = 60_000;

/** A seeded generator: the same rows every run. */
function rng(seed: number) {
  const next = seeded(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    maybe: (p = 0.5) => next() < p,
  };
}

const CATEGORIES = [
  { code: '06018', standard: 'GB/T 47678.5-2026', name: '绿化弃料' },
  { code: '09011', standard: 'GB/T 47678.5-2026', name: '共享单车乱象' },
  { code: '0101', standard: 'GB/T 30428', name: '井盖' },
  { code: 'XM01', standard: 'local', name: '台风倒树' },
] as const;
const DISTRICTS = ['350203', '350205', '350206', '350211', '350212', '350213'];
const STREETS = ['湖滨北路', '银湖中路', '莲前西路', '杏前路', '嘉禾路'];

/**
 * A finished case as the hub holds one (real-shaped: the typhoon's ids, codes, places and milestones), with every
 * optional field present or absent at random; `wild` adds what the columns cannot hold exactly.
 */
function finishedCase(r: ReturnType<typeof rng>, i: number, wild = false): Case {
  const district = r.pick(DISTRICTS);
  const reportedAt = T + i * 37_000 + r.int(20 * MIN);
  const rejected = r.maybe(0.15);
  const actor = r.pick([
    { role: 'dispatcher', id: 'desk-1' },
    { role: 'system', id: 'bench' },
    { role: 'field', id: `U-${String(r.int(3000)).padStart(5, '0')}` },
  ] as const);
  const id = `TF1614-201609${15 + r.int(2)}${String(r.int(2400)).padStart(4, '0')}-${i}`;
  const c: Case = {
    id,
    category: { ...r.pick(CATEGORIES) },
    source: r.pick(['patrol', 'hotline', 'video_ai', 'iot', 'inspector'] as const),
    urgency: r.pick(['normal', 'urgent', 'critical'] as const),
    position: [Math.round((118.0 + r.next() * 0.3) * 1e6) / 1e6, Math.round((24.4 + r.next() * 0.4) * 1e6) / 1e6],
    address: `${r.pick(STREETS)} ${r.int(300)} 号 附近`,
    district,
    ...(r.maybe(0.9) && { grid: `${district}0${String(r.int(99999999)).padStart(8, '0')}` }),
    ...(r.maybe(0.3) && { description: '路边堆放的垃圾' }),
    status: rejected ? 'rejected' : 'closed',
    reportedAt,
    ...(!rejected && r.maybe(0.95) && { deadline: reportedAt + r.pick([4, 24, 48]) * 3_600_000 }),
    ...(!rejected && { closedAt: reportedAt + r.int(600) * MIN + r.int(1000) }),
    ...(!rejected && { filedAt: reportedAt + 5 * MIN }),
    ...(!rejected && { dispatchedAt: reportedAt + 6 * MIN, handledAt: reportedAt + 60 * MIN }),
    ...(!rejected && r.maybe(0.9) && { taskId: r.maybe(0.9) ? `T-${id}` : `K-${i}` }),
    ...(!rejected && r.maybe(0.9) && { squadId: `SQ-${district}-${String(r.int(12)).padStart(2, '0')}` }),
    supervised: r.maybe(0.1),
    ...(r.maybe(0.1) && { supervisedAt: reportedAt + r.int(90) * MIN }),
    ...(r.maybe(0.2) && { extensions: r.int(3) }),
    ...(r.maybe(0.2) && { returns: r.int(3) }),
    ...(r.maybe(0.2) && { reworks: r.int(3) }),
    history: [
      { to: 'reported', at: reportedAt, actor: { role: 'upstream', id: '12345' } },
      rejected
        ? {
            to: 'rejected',
            at: reportedAt + r.int(30) * MIN,
            actor,
            ...(r.maybe() && { action: 'reject' as const }),
            ...(r.maybe() && { reason: r.pick(['重复上报', '不属于城管职责', '']) }),
          }
        : { to: 'closed', at: reportedAt + 600 * MIN, actor, action: 'close' },
    ],
    ...(r.maybe(0.2) && { photos: [{ id: `P-${i}`, role: 'after' as const, at: reportedAt + 60 * MIN }] }),
    version: 2 + r.int(9),
  };
  if (!wild) return c;
  const odd = c as unknown as Record<string, unknown>;
  switch (i % 6) {
    case 0:
      odd.position = [118.123456789, 24.5]; // more than six decimals: not a fixed-point int
      break;
    case 1:
      odd.reportedAt = reportedAt + 0.5; // not an integer time: the relative times cannot hang on it either
      break;
    case 2:
      odd.legacyFlag = { nested: [1, 2, 3] }; // a key the columns do not name
      break;
    case 3:
      odd.category = { code: '06018', standard: 'local', name: '绿化弃料', extra: { deep: true } }; // not flat
      break;
    case 4:
      odd.history = [{ to: 'rejected', at: reportedAt, actor, note: 'a key a step does not have' }];
      break;
    case 5:
      odd.version = 'seven'; // not an int
      break;
  }
  return c;
}

/** An ended task: of one of `cases` (its id the case's `taskId`) when given, else of a case not sent. */
function endedTask(r: ReturnType<typeof rng>, i: number, cases: readonly Case[] = []): Task {
  const createdAt = T + i * 41_000 + r.int(10 * MIN);
  const of = r.maybe(0.8) ? cases[r.int(cases.length)] : undefined;
  return {
    id: of?.taskId ?? `T-TF1614-${i}`,
    caseId: of?.id ?? `TF1614-${i}`,
    unitId: `U-${String(r.int(3000)).padStart(5, '0')}`,
    squadId: `SQ-350203-${String(r.int(12)).padStart(2, '0')}`,
    status: r.pick(
      ['done', 'declined', 'recalled', 'timed_out'].filter((s) => TaskStatus.options.includes(s as never)),
    ),
    createdAt,
    updatedAt: createdAt + r.int(300) * MIN,
    actor: r.pick([
      { role: 'dispatcher', id: 'desk-1' },
      { role: 'field', id: `U-${i % 7}` },
    ] as const),
    ...(r.maybe(0.2) && { reason: r.pick(['车辆故障', '路段封闭']) }),
    ...(r.maybe(0.1) && { note: '注意积水' }),
    version: 1 + r.int(6),
  } as Task;
}

/** What a row is after the wire: JSON drops `undefined` fields. */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const roundTrip = (cases: object[], tasks: object[]) =>
  decodeFinishedColumns(wire(encodeFinishedColumns(cases as CaseBrief[], tasks as Task[])));
const br = (s: string) =>
  brotliCompressSync(Buffer.from(s), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).byteLength;

describe('finished columns', () => {
  it('gives back exactly the briefs and tasks it was given, in order, over many generated sets', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const n = seed === 1 ? 0 : r.int(60);
      const whole = Array.from({ length: n }, (_, i) => finishedCase(r, i));
      const cases = whole.map(caseBrief);
      const tasks = Array.from({ length: r.int(60) }, (_, i) => endedTask(r, i, whole));
      const back = roundTrip(cases, tasks);
      expect(back.cases, `seed ${seed}`).toStrictEqual(wire(cases));
      expect(back.tasks, `seed ${seed}`).toStrictEqual(wire(tasks));
      // Valid by their schemas as they come out, nothing added (strict: no key the schema does not name).
      for (const c of back.cases) expect(CaseBrief.strict().parse(c)).toStrictEqual(c);
      for (const x of back.tasks) expect(Task.strict().parse(x)).toStrictEqual(x);
    }
  });

  it('keeps an absent optional field absent, and every field that is present, field by field', () => {
    const r = rng(7);
    const cases = Array.from({ length: 400 }, (_, i) => caseBrief(finishedCase(r, i)));
    const back = roundTrip(cases, []).cases;
    const keys = new Set(cases.flatMap((c) => Object.keys(c)));
    expect(keys.size).toBeGreaterThan(20); // the generator does reach the optional fields
    cases.forEach((c, i) => {
      const sent = wire(c) as Record<string, unknown>;
      const got = back[i] as Record<string, unknown>;
      for (const k of keys) {
        expect(k in got, `${c.id}.${k}`).toBe(k in sent);
        expect(got[k], `${c.id}.${k}`).toStrictEqual(sent[k]);
      }
    });
    // A rejected case's step keeps its action and reason when it has them — an empty reason too — and not otherwise.
    const rejected = back.filter((c) => c.status === 'rejected');
    expect(rejected.some((c) => c.history[0]!.reason === '')).toBe(true);
    expect(rejected.some((c) => !('reason' in c.history[0]!))).toBe(true);
  });

  it('carries what its columns cannot hold exactly whole, in the row’s extras', () => {
    const r = rng(11);
    const cases = Array.from({ length: 60 }, (_, i) => caseBrief(finishedCase(r, i, true)) as object);
    // caseBrief keeps unknown keys (it spreads the case); the odd ones must survive as they are.
    const cols = wire(encodeFinishedColumns(cases as CaseBrief[], []));
    expect(Object.keys(cols.cases.x).length).toBeGreaterThanOrEqual(50);
    const back = decodeFinishedColumns(cols).cases;
    expect(back).toStrictEqual(wire(cases));
    expect((back[0] as { position: number[] }).position).toEqual([118.123456789, 24.5]);
    expect((back[2] as unknown as { legacyFlag: unknown }).legacyFlag).toEqual({ nested: [1, 2, 3] });
    // A task whose times are not integers, or with a key the columns do not name.
    const task = { ...endedTask(r, 1), createdAt: T + 0.25, extra: 'x' };
    expect(roundTrip([], [task]).tasks).toStrictEqual([task]);
  });

  it('is a third or more smaller after brotli than the rows, on real-shaped briefs and tasks', () => {
    const r = rng(3);
    const whole = Array.from({ length: 3000 }, (_, i) => finishedCase(r, i));
    const cases = whole.map(caseBrief);
    const tasks = Array.from({ length: 2800 }, (_, i) => endedTask(r, i, whole));
    const rows = br(JSON.stringify({ cases, tasks }));
    const cols = br(JSON.stringify(encodeFinishedColumns(cases, tasks)));
    expect(cols).toBeLessThan(rows * 0.67);
  });

  it('round-trips the whole answer (t, seq, at) and refuses a malformed one with what is wrong', () => {
    const r = rng(5);
    const fin = {
      t: T + 1,
      world: {
        seq: 42,
        at: T,
        cases: [] as CaseBrief[],
        tasks: [] as Task[],
      },
    };
    const whole = Array.from({ length: 20 }, (_, i) => finishedCase(r, i));
    fin.world.cases = whole.map(caseBrief);
    fin.world.tasks = Array.from({ length: 20 }, (_, i) => endedTask(r, i, whole));
    expect(decodeReplayFinished(wire(encodeReplayFinished(fin)))).toStrictEqual(wire(fin));
    const good = wire(encodeReplayFinished(fin));
    const bad = (change: (w: typeof good) => void, message: RegExp) => {
      const w = wire(good);
      change(w);
      expect(() => decodeReplayFinished(w)).toThrow(FinishedColumnsError);
      expect(() => decodeReplayFinished(w)).toThrow(message);
    };
    bad((w) => (w.columns.v = 2), /version 2/);
    bad((w) => ((w.columns as Partial<FinishedColumns>).s = undefined), /string table/);
    bad((w) => (w.columns.o = [{ nested: {} } as never]), /object table/);
    bad((w) => w.columns.cases.cols.id!.pop(), /cases: column id has 19 cells, expected 20/);
    bad((w) => delete w.columns.tasks.cols.status, /tasks: column status has no cells/);
    bad((w) => (w.columns.cases.cols.source![3] = 99_999), /source: index 99999 out of/);
    bad((w) => (w.columns.cases.cols.source![3] = -1), /source: index -1/);
    bad((w) => (w.columns.cases.cols.source![3] = '1'), /source: index "1"/);
    bad((w) => (w.columns.cases.cols.version![0] = 1.5), /version: 1.5 is not an integer/);
    bad((w) => (w.columns.cases.cols.supervised![0] = 2), /supervised: 2 is not 0 or 1/);
    bad((w) => (w.columns.cases.cols.reportedAt![0] = null), /deadline|closedAt|filedAt|history|a time relative/);
    bad((w) => (w.columns.cases.x['20'] = { id: 'x' }), /extras for row 20 of 20/);
    bad((w) => (w.columns.cases.x['01'] = { id: 'x' }), /extras for row 01/);
    bad((w) => (w.columns.cases.n = -1), /row count -1/);
    bad((w) => (w.world.seq = 1.5), /world.seq/);
    // A task's id and case are numbers of strings sent before, a case's task a prefix of its id: out of range, refused.
    const ref = good.columns.tasks.cols.caseId!.findIndex((v) => typeof v === 'number');
    expect(ref).toBeGreaterThanOrEqual(0);
    bad((w) => (w.columns.tasks.cols.caseId![ref] = 1e6), /caseId: index \d+ out of/);
    bad((w) => (w.columns.tasks.cols.caseId![ref] = 0.5), /caseId: 0.5 is not an integer/);
    const prefixed = good.columns.cases.cols.taskId!.findIndex((v) => Array.isArray(v));
    expect(prefixed).toBeGreaterThanOrEqual(0);
    bad((w) => (w.columns.cases.cols.taskId![prefixed] = [0, 1]), /taskId: \[0,1\] is not a prefix/);
    bad((w) => (w.columns.cases.cols.taskId![prefixed] = [1e6]), /taskId: index 1000000 out of/);
    bad((w) => (w.columns.cases.cols.id![0] = [0]), /id: \[0\] is not a prefix/);
    // An extras object that would set the row's prototype is refused (JSON.parse makes "__proto__" an own key).
    const proto = wire(good);
    const withProto = JSON.parse(JSON.stringify(proto).replace('"x":{}', '"x":{"0":{"__proto__":{"polluted":1}}}'));
    expect(() => decodeReplayFinished(withProto)).toThrow(/__proto__/);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it('holds every status a finished entity can have', () => {
    const r = rng(9);
    const statuses = CaseStatus.options;
    const cases = statuses.map((status, i) => ({ ...caseBrief(finishedCase(r, i)), status }));
    expect(roundTrip(cases, []).cases.map((c) => c.status)).toEqual([...statuses]);
  });
});
