import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, makeCase } from '../test/fixtures.ts';
import {
  campaignRanking,
  campaignScore,
  dailyScores,
  emptyScoreTally,
  previousDay,
  redFlagRanking,
  squadScoreRows,
} from './campaign-scores.ts';
import type { Case } from './entities.ts';
import type { Inspection } from './plans.ts';

const SIMING = '350203';
const HULI = '350206';
const JIMEI = '350211';
/** 08:00 on 2016-09-15 in Xiamen. */
const T0 = DAY0 + 8 * HOUR;
const DAY = '2016-09-15';

let n = 0;
function insp(over: Partial<Inspection> = {}): Inspection {
  n++;
  return {
    id: `I${n}`,
    planId: 'civilised-city',
    actionId: 'assess',
    round: 1,
    pointId: `AP-${n}`,
    kind: 'assessment_point',
    position: [118.09, 24.48],
    district: SIMING,
    squadId: 'SQ-SM',
    issuedAt: T0,
    due: T0 + 4 * HOUR,
    status: 'open',
    ...over,
  };
}
const passed = (o: Partial<Inspection> = {}) => insp({ status: 'passed', checkedAt: T0 + HOUR, ...o });
const problem = (caseId: string, o: Partial<Inspection> = {}) =>
  insp({ status: 'problem', checkedAt: T0 + HOUR, caseId, ...o });
const cases = (...cs: Case[]) => new Map(cs.map((c) => [c.id, c]));

describe(campaignScore.name, () => {
  it('is null while nothing is settled, 100 for a day of points all passed', () => {
    expect(campaignScore(emptyScoreTally())).toBeNull();
    expect(campaignScore({ ...emptyScoreTally(), inspections: 2, settled: 2, passed: 2 })).toBe(100);
  });

  it('weighs passed points 60, inspections on time 20 and problems fixed on time 20', () => {
    // 4 settled: 2 passed, 1 problem fixed late, 1 overdue → 60×2/4 + 20×3/4 + 20×0/1 = 45
    const t = { ...emptyScoreTally(), inspections: 4, settled: 4, passed: 2, problems: 1, overdue: 1, fixedLate: 1 };
    expect(campaignScore(t)).toBe(45);
    // the same problem fixed on time: + 20
    expect(campaignScore({ ...t, fixedLate: 0, fixedOnTime: 1 })).toBe(65);
  });
});

describe(dailyScores.name, () => {
  it('scores each point, district and squad from the day’s inspections judged at now', () => {
    const onTime = makeCase({ id: 'K1', status: 'closed', deadline: T0 + 5 * HOUR, closedAt: T0 + 3 * HOUR });
    const late = makeCase({ id: 'K2', status: 'dispatched', deadline: T0 + 2 * HOUR });
    const list = [
      passed(),
      problem('K1'),
      problem('K2', { district: HULI, squadId: 'SQ-HL' }),
      insp({ district: HULI, squadId: 'SQ-HL' }), // overdue at now
      insp({ due: T0 + 12 * HOUR }), // pending
      passed({ issuedAt: T0 - DAY0 }), // another day: left out
      passed({ kind: 'billboard' }), // another kind: left out
    ];
    const s = dailyScores({ inspections: list, cases: cases(onTime, late), now: T0 + 6 * HOUR });
    expect(s.day).toBe(DAY);
    const sm = s.byDistrict.get(SIMING)!;
    expect(sm).toMatchObject({ inspections: 3, settled: 2, passed: 1, problems: 1, pending: 1, fixedOnTime: 1 });
    // 60×1/2 + 20×2/2 + 20×1/1
    expect(sm.score).toBe(70);
    const hl = s.byDistrict.get(HULI)!;
    expect(hl).toMatchObject({ settled: 2, problems: 1, overdue: 1, fixedLate: 1 });
    // 0 + 20×1/2 + 0
    expect(hl.score).toBe(10);
    expect(s.bySquad.get('SQ-HL')!.score).toBe(10);
    expect(s.byPoint.size).toBe(5);
    expect(s.total.inspections).toBe(5);
  });

  it('leaves a problem whose case is still within its deadline out of the fix rate', () => {
    const open = makeCase({ id: 'K3', status: 'dispatched', deadline: T0 + 10 * HOUR });
    const s = dailyScores({ inspections: [problem('K3')], cases: cases(open), now: T0 + 2 * HOUR });
    expect(s.total).toMatchObject({ fixedOnTime: 0, fixedLate: 0, score: 40 }); // 0 + 20 + full 20
  });

  it('counts a day in the city’s time zone: 23:30 in Xiamen is the same day, 00:30 the next', () => {
    const late = passed({ issuedAt: DAY0 + 23.5 * HOUR });
    const next = passed({ issuedAt: DAY0 + 24.5 * HOUR });
    const s = dailyScores({ inspections: [late, next], cases: new Map(), now: DAY0 + 12 * HOUR });
    expect(s.total.inspections).toBe(1);
    expect(dailyScores({ inspections: [late, next], cases: new Map(), now: DAY0 + 25 * HOUR }).total.inspections).toBe(
      1,
    );
  });
});

describe(redFlagRanking.name, () => {
  const districtDay = (district: string, pass: number, overdue: number, issuedAt = T0) => [
    ...Array.from({ length: pass }, () => passed({ district, issuedAt, squadId: `SQ-${district}` })),
    ...Array.from({ length: overdue }, () => insp({ district, issuedAt, due: issuedAt + HOUR })),
  ];

  it('gives the red flag to the best district and the yellow to the worst, with the change since the day before', () => {
    const list = [
      ...districtDay(SIMING, 9, 1),
      ...districtDay(HULI, 5, 5),
      ...districtDay(JIMEI, 10, 0),
      ...districtDay(SIMING, 5, 5, T0 - 24 * HOUR),
      ...districtDay(JIMEI, 10, 0, T0 - 24 * HOUR),
    ];
    const { rows } = campaignRanking({ inspections: list, cases: new Map(), now: T0 + 6 * HOUR });
    expect(rows.map((r) => [r.district, r.rank, r.score, r.flag, r.change])).toEqual([
      [JIMEI, 1, 100, 'red', 0],
      [SIMING, 2, 90, null, 40], // 60×.9 + 20×.9 + 20×.9 = 90; the day before 60×.5 + 20×.5 + 20×.5 = 50
      [HULI, 3, 50, 'yellow', null], // nothing the day before
    ]);
  });

  it('gives no flag to a district with fewer than five settled inspections, and no yellow among two', () => {
    const list = [...districtDay(SIMING, 3, 0), ...districtDay(HULI, 5, 5)];
    const today = dailyScores({ inspections: list, cases: new Map(), now: T0 + 6 * HOUR });
    const rows = redFlagRanking(today);
    expect(rows.map((r) => [r.district, r.rank, r.flag])).toEqual([
      [SIMING, 1, null],
      [HULI, 2, 'red'],
    ]);
  });

  it('gives no flag to a tie: two best at 100, two worst at 50', () => {
    const list = [
      ...districtDay(SIMING, 10, 0),
      ...districtDay(JIMEI, 10, 0),
      ...districtDay(HULI, 5, 5),
      ...districtDay('350212', 5, 5),
    ];
    const rows = redFlagRanking(dailyScores({ inspections: list, cases: new Map(), now: T0 + 6 * HOUR }));
    expect(rows.map((r) => [r.score, r.flag])).toEqual([
      [100, null],
      [100, null],
      [50, null],
      [50, null],
    ]);
  });

  it('lists a district with nothing settled last and unranked', () => {
    const list = [...districtDay(HULI, 5, 0), insp({ district: JIMEI, due: T0 + 20 * HOUR })];
    const rows = redFlagRanking(dailyScores({ inspections: list, cases: new Map(), now: T0 + 2 * HOUR }));
    expect(rows.at(-1)).toMatchObject({ district: JIMEI, rank: null, score: null, flag: null });
  });

  it('knows the day before across a month and a year', () => {
    expect(previousDay('2016-03-01')).toBe('2016-02-29');
    expect(previousDay('2017-01-01')).toBe('2016-12-31');
  });
});

describe(squadScoreRows.name, () => {
  it('lists the squads best first, a tie by more settled then by id, and squads with nothing settled last, unranked', () => {
    const now = T0 + 6 * HOUR;
    const list = [
      passed({ squadId: 'SQ-B' }),
      passed({ squadId: 'SQ-B' }),
      passed({ squadId: 'SQ-A' }),
      passed({ squadId: 'SQ-C' }),
      passed({ squadId: 'SQ-C' }),
      insp({ squadId: 'SQ-D', district: HULI }), // overdue at now: settled, scores 0
      insp({ squadId: 'SQ-E', district: JIMEI, due: T0 + 12 * HOUR }), // pending: nothing settled
    ];
    const rows = squadScoreRows(dailyScores({ inspections: list, cases: new Map(), now }));
    expect(rows.map((r) => [r.squadId, r.rank, r.score, r.settled])).toEqual([
      ['SQ-B', 1, 100, 2],
      ['SQ-C', 2, 100, 2],
      ['SQ-A', 3, 100, 1],
      ['SQ-D', 4, 0, 1],
      ['SQ-E', null, null, 0],
    ]);
    expect(rows.find((r) => r.squadId === 'SQ-D')).toMatchObject({ district: HULI, overdue: 1 });
  });

  it('is empty on a day without inspections', () => {
    expect(squadScoreRows(dailyScores({ inspections: [], cases: new Map(), now: T0 }))).toEqual([]);
  });
});
