import { describe, expect, it } from 'vitest';
import type { Case } from '@egret/protocol';
import { aCase, T0 } from '../../test/fixtures.ts';
import { categoryBreakdown, reportedSince, UNKNOWN_GROUP } from './breakdown.ts';

const GROUP: Record<string, string> = { '06010': 'environment', '09006': 'street', '04002': 'greenery' };
const groupOf = (c: Case) => GROUP[c.category.code];
const withCode = (id: string, code: string, more: Partial<Case> = {}) =>
  aCase({ id, category: { code, standard: 'GB/T 47678.5-2026', name: code }, ...more });

describe(categoryBreakdown.name, () => {
  const cases = [
    withCode('a', '06010'),
    withCode('b', '06010', { status: 'closed' }),
    withCode('c', '09006', { urgency: 'urgent' }),
    withCode('d', '06010', { status: 'rejected' }),
    withCode('e', 'X999'),
  ];

  it('counts cases by group, most first, with how many are still open and how many urgent', () => {
    expect(categoryBreakdown(cases, groupOf, [])).toEqual([
      { group: 'environment', total: 3, open: 1, urgent: 0, lead: false },
      { group: 'street', total: 1, open: 1, urgent: 1, lead: false },
      { group: UNKNOWN_GROUP, total: 1, open: 1, urgent: 0, lead: false },
    ]);
  });

  it("puts the mode's lead groups first, even those with no case yet", () => {
    const rows = categoryBreakdown(cases, groupOf, ['greenery', 'street']);
    expect(rows.map((r) => [r.group, r.total, r.lead])).toEqual([
      ['greenery', 0, true],
      ['street', 1, true],
      ['environment', 3, false],
      [UNKNOWN_GROUP, 1, false],
    ]);
  });
});

describe(reportedSince.name, () => {
  it("keeps the cases reported since the day's start", () => {
    const cases = [
      aCase({ id: 'old', reportedAt: T0 - 1 }),
      aCase({ id: 'new', reportedAt: T0 }),
      aCase({ id: 'newer', reportedAt: T0 + 5 }),
    ];
    expect(reportedSince(cases, T0).map((c) => c.id)).toEqual(['new', 'newer']);
  });
});
