import { describe, expect, it } from 'vitest';
import {
  caseBrief,
  encodeReplayFinished,
  type Case,
  type CaseBrief,
  type ReplayFinished,
  type Task,
} from '@egret/protocol';
import { FinishedJson } from './finished-json.ts';
import { seeded } from '../../../test/seeded.ts';

const T = Date.UTC(2016, 8, 15, 6, 0, 0);
const MIN = 60_000;

/** The same rows every run. */
function rng(seed: number) {
  const next = seeded(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    maybe: (p = 0.5) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const CATEGORIES = [
  { code: '06018', standard: 'GB/T 47678.5-2026', name: '绿化弃料' },
  { code: 'XM01', standard: 'local', name: '台风倒树' },
  { code: '0101', standard: 'GB/T 30428', name: '井盖' },
];
const DISTRICTS = ['350203', '350205', '350206', '350211'];

/** A finished case as the hub holds one, its optional fields present or absent at random. */
function finishedCase(r: Rng, i: number): Case {
  const district = r.pick(DISTRICTS);
  const reportedAt = T + i * 37_000 + r.int(20 * MIN);
  const rejected = r.maybe(0.15);
  const id = `TF1614-${String(r.int(99999)).padStart(5, '0')}-${i}`;
  return {
    id,
    category: { ...r.pick(CATEGORIES) },
    source: r.pick(['patrol', 'hotline', 'video_ai'] as const),
    urgency: r.pick(['normal', 'urgent', 'critical'] as const),
    position: [Math.round((118 + r.next() * 0.3) * 1e6) / 1e6, Math.round((24.4 + r.next() * 0.4) * 1e6) / 1e6],
    address: `湖滨北路 ${r.int(300)} 号`,
    district,
    ...(r.maybe(0.9) && { grid: `${district}0${String(r.int(9999)).padStart(8, '0')}` }),
    status: rejected ? 'rejected' : 'closed',
    reportedAt,
    ...(!rejected && r.maybe(0.9) && { deadline: reportedAt + r.pick([4, 24]) * 3_600_000 }),
    ...(!rejected && { closedAt: reportedAt + r.int(600) * MIN, filedAt: reportedAt + 5 * MIN }),
    ...(!rejected && r.maybe(0.9) && { taskId: r.maybe(0.9) ? `T-${id}` : `K-${i}` }),
    ...(!rejected && r.maybe(0.9) && { squadId: `SQ-${district}-0${r.int(9)}` }),
    supervised: r.maybe(0.1),
    ...(r.maybe(0.1) && { supervisedAt: reportedAt + r.int(90) * MIN }),
    ...(r.maybe(0.2) && { extensions: r.int(3) }),
    history: [
      { to: 'reported', at: reportedAt, actor: { role: 'upstream', id: '12345' } },
      rejected
        ? {
            to: 'rejected',
            at: reportedAt + r.int(30) * MIN,
            actor: { role: 'system', id: 'bench' },
            ...(r.maybe() && { reason: r.pick(['重复上报', '']) }),
          }
        : { to: 'closed', at: reportedAt + 600 * MIN, actor: { role: 'field', id: `U-${i % 5}` }, action: 'close' },
    ],
    version: 2 + r.int(9),
  } as Case;
}

/** An ended task, of one of `cases` (its id that case's `taskId`) or of a case not sent. */
function endedTask(r: Rng, i: number, cases: readonly Case[]): Task {
  const createdAt = T + i * 41_000 + r.int(10 * MIN);
  const of = r.maybe(0.8) ? cases[r.int(cases.length)] : undefined;
  return {
    id: of?.taskId ?? `T-TF1614-${i}`,
    caseId: of?.id ?? `TF1614-${i}`,
    unitId: `U-${String(r.int(3000)).padStart(5, '0')}`,
    squadId: `SQ-350203-0${r.int(9)}`,
    status: r.pick(['done', 'declined', 'recalled'] as const),
    createdAt,
    updatedAt: createdAt + r.int(300) * MIN,
    actor: r.pick([
      { role: 'dispatcher', id: 'desk-1' },
      { role: 'field', id: `U-${i % 7}` },
    ]),
    ...(r.maybe(0.2) && { reason: '车辆故障' }),
    version: 1 + r.int(6),
  } as Task;
}

/** Rows as the hub has them: parsed from JSON (no `undefined` fields). */
const parsed = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const part = (cases: object[], tasks: object[], t = T): ReplayFinished => ({
  t,
  world: { seq: 1234, at: t - 5, cases: cases as CaseBrief[], tasks: tasks as Task[] },
});
const expected = (f: ReplayFinished) => JSON.stringify(encodeReplayFinished(f));

function world(seed: number, n: number) {
  const r = rng(seed);
  const whole = Array.from({ length: n }, (_, i) => finishedCase(r, i));
  return {
    r,
    cases: parsed(whole.map(caseBrief)),
    tasks: parsed(Array.from({ length: n }, (_, i) => endedTask(r, i, whole))),
  };
}

describe('the finished part laid out from compiled rows', () => {
  it('gives the protocol encoder’s bytes, over many generated parts', () => {
    const enc = new FinishedJson();
    for (let seed = 1; seed <= 30; seed++) {
      const { r, cases, tasks } = world(seed, seed === 1 ? 0 : r0(seed));
      const f = part(cases, tasks, T + seed);
      expect(enc.encode(f).toString('utf8'), `seed ${seed}`).toBe(expected(f));
      void r;
    }
    expect(enc.fallbacks).toBe(0);
  });

  it('gives the same bytes again when the kept rows come in other subsets and orders, with fresh rows before them', () => {
    const enc = new FinishedJson();
    const { r, cases, tasks } = world(41, 300);
    for (let k = 0; k < 25; k++) {
      // As a seek's answer is made: the touched rows (new objects each time) first, then a subset of the kept ones.
      const fresh = world(100 + k, 5 + r.int(20));
      const keep = <T>(xs: T[]) => xs.filter(() => r.maybe(0.8));
      const c = [...fresh.cases, ...keep(k % 2 ? [...cases].reverse() : cases)];
      const t = [...fresh.tasks, ...keep(tasks)];
      const f = part(c, t, T + k * MIN);
      expect(enc.encode(f).toString('utf8'), `answer ${k}`).toBe(expected(f));
    }
    expect(enc.fallbacks).toBe(0);
  });

  it('sends a part with a row the columns cannot hold exactly through the protocol encoder: the same bytes', () => {
    const { cases, tasks } = world(5, 40);
    const odd: Array<[string, (c: Record<string, unknown>) => void]> = [
      ['a position with more than six decimals', (c) => (c.position = [118.123456789, 24.5])],
      ['a time that is not an integer', (c) => (c.reportedAt = (c.reportedAt as number) + 0.5)],
      ['no report time', (c) => delete c.reportedAt],
      ['a key the columns do not name', (c) => (c.legacyFlag = { nested: [1, 2] })],
      ['a category that is not flat', (c) => (c.category = { code: '1', deep: { x: 1 } })],
      ['a step with a key steps do not have', (c) => (c.history = [{ to: 'closed', at: 1, actor: {}, note: 'x' }])],
      ['a step with a time that is not an integer', (c) => (c.history = [{ to: 'closed', at: 1.5, actor: {} }])],
      ['a count that is a string', (c) => (c.version = 'seven')],
      ['an id that is a number', (c) => (c.id = 42)],
      ['a status that is a number', (c) => (c.status = 3)],
      ['a flag that is a string', (c) => (c.supervised = 'yes')],
      ['a deadline that is a string', (c) => (c.deadline = '2016-09-15')],
      ['the key __proto__', (c) => Object.defineProperty(c, '__proto__', { value: 1, enumerable: true })],
    ];
    const enc = new FinishedJson();
    odd.forEach(([what, spoil], i) => {
      const c = parsed(cases);
      spoil(c[7 + i] as unknown as Record<string, unknown>);
      const f = part(c, tasks);
      expect(enc.encode(f).toString('utf8'), what).toBe(expected(f));
      expect(enc.fallbacks, what).toBe(i + 1);
    });
    // A task with a key tasks do not have, too.
    const t = parsed(tasks);
    (t[3] as unknown as Record<string, unknown>).extra = 1;
    expect(enc.encode(part(cases, t)).toString('utf8')).toBe(expected(part(cases, t)));
    expect(enc.fallbacks).toBe(odd.length + 1);
    // And the kept rows still lay out as before.
    expect(enc.encode(part(cases, tasks)).toString('utf8')).toBe(expected(part(cases, tasks)));
    expect(enc.fallbacks).toBe(odd.length + 1);
  });

  it('writes the columns as bytes: integers at every width and sign as JSON.stringify writes them, as the arrays did', () => {
    // The columns are written digit by digit (`ByteWriter`): the edges of its fast path and past it.
    const ints = [0, -0, 1, -1, 9, 10, -10, 99, 100, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31, -(2 ** 31), 2 ** 31 + 1];
    const wide = [...ints, 1e15 + 7, -(1e15 + 7), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const { cases, tasks } = world(77, wide.length + 4);
    const c = parsed(cases) as unknown as Array<Record<string, unknown>>;
    const t = parsed(tasks) as unknown as Array<Record<string, unknown>>;
    wide.forEach((v, i) => {
      c[i]!.extensions = v;
      c[i]!.version = -v;
      c[i]!.deadline = (c[i]!.reportedAt as number) + (i % 2 ? v : 1);
      t[i]!.version = v;
    });
    const f = part(c as unknown as CaseBrief[], t as unknown as Task[]);
    const bytes = new FinishedJson();
    const arrays = new FinishedJson(undefined, false);
    expect(bytes.encode(f).toString('utf8')).toBe(expected(f));
    expect(arrays.encode(f).toString('utf8')).toBe(expected(f));
    expect(bytes.fallbacks + arrays.fallbacks).toBe(0);
  });

  it('drops its table of strings once past its bound, and answers the same after', () => {
    const enc = new FinishedJson(500);
    for (let k = 0; k < 8; k++) {
      const { cases, tasks } = world(200 + k, 120);
      const f = part(cases, tasks);
      expect(enc.encode(f).toString('utf8')).toBe(expected(f));
    }
    expect(enc.resets).toBeGreaterThan(0);
  });
});

function r0(seed: number) {
  return 1 + ((seed * 37) % 90);
}
