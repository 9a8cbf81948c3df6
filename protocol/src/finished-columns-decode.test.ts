import { describe, expect, it } from 'vitest';
import { caseBrief } from './case-brief.ts';
import type { Case, Task } from './entities.ts';
import { decodeFinishedColumns, encodeFinishedColumns, type FinishedColumns } from './finished-columns.ts';

const T = Date.UTC(2016, 8, 15, 6, 0, 0);
const garbage: Case['category'] = { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' };
const tree: Case['category'] = { code: '06018', standard: 'GB/T 47678.5-2026', name: '倒伏树木' };

function closed(i: number, category: Case['category']): Case {
  return {
    id: `C${i}`,
    category: { ...category },
    source: 'patrol',
    urgency: 'normal',
    position: [118.09 + i / 1e4, 24.48],
    address: '思明区湖滨南路',
    district: '350203',
    status: 'closed',
    reportedAt: T + i * 60_000,
    closedAt: T + i * 60_000 + 3_600_000,
    supervised: false,
    history: [
      { to: 'reported', at: T + i * 60_000, actor: { role: 'upstream', id: 'patrol-gw' } },
      { to: 'closed', at: T + i * 60_000 + 3_600_000, actor: { role: 'dispatcher', id: 'desk-1' }, action: 'close' },
    ],
    version: 3,
  };
}

const task = (i: number): Task => ({
  id: `T-C${i}`,
  caseId: `C${i}`,
  unitId: 'U-00001',
  squadId: 'SQ-350203-01',
  status: 'done',
  createdAt: T + i * 60_000,
  updatedAt: T + i * 60_000 + 600_000,
  actor: { role: 'dispatcher', id: 'desk-1' },
  version: 2,
});

describe('decodeFinishedColumns: what the screen keeps (issue #19)', () => {
  it('gives the rows that name the same category or actor one shared, frozen object — not a copy a row', () => {
    const cases = [closed(0, garbage), closed(1, tree), closed(2, garbage), closed(3, garbage)].map(caseBrief);
    const tasks = [task(0), task(1), task(2)];
    const wire = JSON.parse(JSON.stringify(encodeFinishedColumns(cases, tasks))) as FinishedColumns;
    const out = decodeFinishedColumns(wire);
    expect(out.cases).toStrictEqual(cases);
    expect(out.tasks).toStrictEqual(tasks);
    expect(out.cases[0]!.category).toBe(out.cases[2]!.category);
    expect(out.cases[0]!.category).toBe(out.cases[3]!.category);
    expect(out.cases[0]!.category).not.toBe(out.cases[1]!.category);
    expect(out.tasks[0]!.actor).toBe(out.tasks[2]!.actor);
    expect(Object.isFrozen(out.cases[0]!.category)).toBe(true);
    expect(() => {
      'use strict';
      (out.cases[0]!.category as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    // Not the wire's own objects: changing what was parsed after decoding changes no row.
    for (const o of wire.o) (o as Record<string, unknown>).name = 'changed later';
    expect(out.cases[1]!.category.name).toBe('倒伏树木');
    expect(out.tasks[0]!.actor).toStrictEqual({ role: 'dispatcher', id: 'desk-1' });
  });

  it('still refuses an object index out of the table, for a row and for a step', () => {
    const cases = [closed(0, garbage)].map(caseBrief);
    const wire = JSON.parse(JSON.stringify(encodeFinishedColumns(cases, [task(0)]))) as FinishedColumns;
    const bad = structuredClone(wire);
    bad.cases.cols.category![0] = bad.o.length;
    expect(() => decodeFinishedColumns(bad)).toThrow(/category: index \d+ out of/);
    const neg = structuredClone(wire);
    neg.tasks.cols.actor![0] = -1;
    expect(() => decodeFinishedColumns(neg)).toThrow(/actor: index -1 out of/);
    const frac = structuredClone(wire);
    frac.tasks.cols.actor![0] = 0.5;
    expect(() => decodeFinishedColumns(frac)).toThrow(/actor: index 0.5 out of/);
  });
});
