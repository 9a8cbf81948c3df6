import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@egret/protocol';
import { SummaryFold, summaryCsv } from './summary.ts';

const T0 = Date.UTC(2026, 5, 1, 0, 0, 0);
const actor = { role: 'dispatcher', id: 'dan' } as const;
const supervised = (seq: number, note: string): LogEvent => ({
  seq,
  at: T0 + seq,
  type: 'plan.supervised',
  supervision: { planId: 'p', actionId: 'a', squadId: 'SQ-1', at: T0 + seq, actor, note },
});

describe(summaryCsv.name, () => {
  it('writes free text that opens like a formula as text, whatever the formula sign, and keeps negative numbers', () => {
    const notes = [
      '=1+1',
      '+1+1',
      '-1+1',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '=HYPERLINK("http://x","y")',
      '-1.5',
      '正常说明',
    ];
    const fold = new SummaryFold();
    notes.forEach((n, i) => fold.add(supervised(i + 1, n)));
    const lines = summaryCsv(fold.result(T0, T0 + 60_000), String)
      .split('\n')
      .filter((l) => l.startsWith('p,'));
    const cells = lines.map((l) => l.split(',').slice(5).join(','));
    expect(cells).toEqual([
      "'=1+1",
      "'+1+1",
      "'-1+1",
      "'@SUM(A1)",
      "'\t=1",
      `"'\r=1"`,
      `"'=HYPERLINK(""http://x"",""y"")"`,
      '-1.5',
      '正常说明',
    ]);
  });
});
