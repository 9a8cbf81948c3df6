import { describe, expect, it } from 'vitest';
import { aCase, T0 } from '../../test/fixtures.ts';
import { dayStart, latestCases, todayCounts } from './today.ts';

const H = 3_600_000;

describe(dayStart.name, () => {
  it('finds local midnight in Shanghai, which is 16:00 UTC the day before', () => {
    // T0 is 10:00 in Shanghai on 2026-07-01.
    expect(dayStart(T0, 'Asia/Shanghai')).toBe(Date.UTC(2026, 5, 30, 16, 0, 0));
  });

  it('puts 00:30 Shanghai time on the new day', () => {
    const t = Date.UTC(2026, 5, 30, 16, 30, 0);
    expect(dayStart(t, 'Asia/Shanghai')).toBe(Date.UTC(2026, 5, 30, 16, 0, 0));
  });
});

describe(todayCounts.name, () => {
  it('counts what was reported, filed and closed since midnight, and what is open at all', () => {
    const since = dayStart(T0, 'Asia/Shanghai');
    const cases = [
      aCase({ id: 'old-open', reportedAt: since - 5 * H, status: 'dispatched', filedAt: since - 4 * H }),
      aCase({
        id: 'old-closed-today',
        reportedAt: since - 5 * H,
        status: 'closed',
        filedAt: since - 4 * H,
        closedAt: since + H,
      }),
      aCase({ id: 'new-filed', reportedAt: since + H, status: 'filed', filedAt: since + 2 * H }),
      aCase({ id: 'new-rejected', reportedAt: since + H, status: 'rejected' }),
      aCase({
        id: 'new-filed-by-history',
        reportedAt: since + H,
        status: 'dispatched',
        history: [{ to: 'filed', at: since + 2 * H, actor: { role: 'dispatcher', id: 'd1' } }],
      }),
    ];
    expect(todayCounts(cases, since)).toEqual({ reported: 3, filed: 2, closed: 1, open: 3 });
  });
});

describe(latestCases.name, () => {
  it('returns the newest cases first, at most n', () => {
    const cases = [1, 5, 3, 4, 2].map((k) => aCase({ id: `C${k}`, reportedAt: T0 + k * 1000 }));
    expect(latestCases(cases, 3).map((c) => c.id)).toEqual(['C5', 'C4', 'C3']);
    expect(latestCases(cases.slice(0, 2), 3).map((c) => c.id)).toEqual(['C5', 'C1']);
  });
});
