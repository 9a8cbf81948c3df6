import { describe, expect, it } from 'vitest';
import { encodeReplayFinished, type CaseBrief, type ReplayFinished, type Task } from '@egret/protocol';
import { FinishedJson } from './finished-json.ts';

const T = Date.UTC(2016, 8, 15, 6, 0, 0);
const part = (cases: object[], tasks: object[], t = T): ReplayFinished => ({
  t,
  world: { seq: 99, at: t - 5, cases: cases as CaseBrief[], tasks: tasks as Task[] },
});
const expected = (f: ReplayFinished) => JSON.stringify(encodeReplayFinished(f));

function base(id: string, i: number): Record<string, unknown> {
  return {
    id,
    category: { code: '0101', standard: 'GB/T 30428', name: '井盖' },
    source: 'patrol',
    urgency: 'normal',
    position: [118.1 + i / 1e6, 24.5],
    address: '湖滨北路 1 号',
    district: '350203',
    status: 'closed',
    reportedAt: T + i * 1000,
    closedAt: T + i * 1000 + 60_000,
    taskId: `T-${id}`,
    supervised: false,
    version: 2,
  };
}

describe('finished-json: odd rows byte for byte (review)', () => {
  it('strings of every shape, ids that are empty or suffixes of each other, -0, far numbers', () => {
    const odd: Array<(c: Record<string, unknown>, i: number) => void> = [
      (c) => (c.address = ''),
      (c) => (c.address = '\ud83c'), // a lone surrogate
      (c) => (c.address = '😀\u2028\u0000"\\'),
      (c) => (c.address = 'x'.repeat(100_000)),
      (c) => (c.id = ''),
      (c) => ((c.id = 'A'), (c.taskId = 'A')),
      (c) => ((c.id = 'A'), (c.taskId = 'AA')),
      (c) => ((c.id = '1'), (c.taskId = 'T-11')),
      (c) => (c.position = [-0, 0]),
      (c) => (c.position = [0.000001, -0.000001]),
      (c) => (c.position = [180, -85.051129]),
      (c) => (c.reportedAt = -0),
      (c) => (c.closedAt = Number.MAX_SAFE_INTEGER),
      (c) => (c.reportedAt = -Number.MAX_SAFE_INTEGER),
      (c) => (c.category = {}),
      (c) => (c.category = { b: 1, a: true }),
      (c) => (c.category = { a: true, b: 1 }),
      (c) => (c.category = { ['__proto__']: 'x' }),
      (c) => (c.category = JSON.parse('{"__proto__":{"p":1}}') as object),
      (c) => (c.category = { x: -0 }),
      (c) => (c.category = { x: 1e21 }),
      (c) => (c.version = 0),
      (c) => (c.extensions = -1),
      (c) => (c.supervised = true),
      (c) => delete c.taskId,
      (c) => (c.district = c.id),
    ];
    // Many rows sharing the odd ones, so a string first met in one row is met again in another.
    const rows = (): Record<string, unknown>[] =>
      odd.flatMap((spoil, i) =>
        [0, 1].map((k) => {
          const c = base(`C-${i % 3}-${k}`, i * 2 + k);
          spoil(c, i);
          return JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
        }),
      );
    const enc = new FinishedJson();
    const a = rows();
    for (const cs of [a, [...a].reverse(), a.filter((_, i) => i % 3 !== 0), [...rows(), ...a]]) {
      const f = part(cs, []);
      expect(enc.encode(f).toString('utf8')).toBe(expected(f));
    }
    // One at a time, each on its own.
    for (const [i, spoil] of odd.entries()) {
      const c = base(`C-${i}`, i);
      spoil(c, i);
      const f = part([JSON.parse(JSON.stringify(c)) as object], []);
      expect(enc.encode(f).toString('utf8'), String(i)).toBe(expected(f));
    }
  });
});
