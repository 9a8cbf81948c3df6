import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, makeCase, MINUTE } from '../test/fixtures.ts';
import {
  campaignRanking,
  campaignScore,
  complaintHeat,
  complianceCounts,
  dailyScores,
  emptyScoreTally,
  previousDay,
  redFlagRanking,
  siteCompliance,
} from './campaign-scores.ts';
import type { Case } from './entities.ts';
import type { Inspection } from './plans.ts';
import type { Sensor } from './sensors.ts';

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

describe(siteCompliance.name, () => {
  const SITE: [number, number] = [118.1, 24.5];
  /** About 100 m north of the site, and 2 km away. */
  const NEAR: [number, number] = [118.1, 24.5009];
  const FAR: [number, number] = [118.1, 24.52];
  const site = (o: Partial<Inspection> = {}) =>
    insp({ kind: 'construction_site', pointId: 'CS-1', position: SITE, planId: 'env', actionId: 'sites', ...o });
  const sensor = (id: string, o: Partial<Sensor>): Sensor => ({
    id,
    kind: 'dust',
    name: id,
    district: SIMING,
    position: NEAR,
    unit: 'mg/m³',
    warning: 0.3,
    alarm: 0.5,
    level: 'alarm',
    alarmOnsets: [],
    casesRaised: 0,
    version: 0,
    ...o,
  });
  const siteCase = (id: string, code: string, o: Partial<Case> = {}) =>
    makeCase({
      id,
      category: { code, standard: 'GB/T 47678.5-2026', name: code },
      position: NEAR,
      status: 'dispatched',
      ...o,
    });

  it('puts a site with open problems by category and sensors in alarm first', () => {
    const sites = [
      {
        id: 'CS-0',
        kind: 'construction_site' as const,
        name: '甲工地',
        position: FAR,
        district: SIMING,
        approximate: true,
      },
    ];
    const list = siteCompliance({
      sites,
      inspections: [
        site({ status: 'problem', checkedAt: T0 + HOUR, caseId: 'K1' }),
        site({ pointId: 'CS-0', position: FAR, status: 'passed', checkedAt: T0 }),
      ],
      cases: cases(
        siteCase('K1', '08007', { position: SITE }),
        siteCase('K2', '08004'),
        siteCase('K3', '08011'),
        siteCase('K4', '08001', { status: 'closed' }), // closed: not open
        siteCase('K5', '06010'), // not a site category
        siteCase('K6', '08004', { position: [118.1, 24.51] }), // 1.1 km away
      ),
      sensors: [
        sensor('D1', {}),
        sensor('N1', { kind: 'noise', unit: 'dB(A)' }),
        sensor('D2', { level: 'warning' }),
        sensor('F1', { kind: 'fume' }),
        sensor('D3', { position: [118.1, 24.51] }),
      ],
      now: T0 + 2 * HOUR,
    });
    expect(list.map((s) => [s.pointId, s.state])).toEqual([
      ['CS-1', 'non_compliant'],
      ['CS-0', 'compliant'],
    ]);
    expect(list[0]).toMatchObject({
      open: { noise: 0, dust: 1, hoarding: 1, soil_truck: 1, other: 0 },
      openTotal: 3,
      sensorsInAlarm: ['D1', 'N1'],
      lastCheck: { status: 'problem', checkedAt: T0 + HOUR },
    });
    expect(list[1]!.name).toBe('甲工地');
    expect(complianceCounts(list)).toMatchObject({ sites: 2, non_compliant: 1, compliant: 1, alarms: 2 });
  });

  it('says overdue for a site whose latest round is open past its deadline, unchecked for one never checked', () => {
    const list = siteCompliance({
      inspections: [
        site({ status: 'passed', checkedAt: T0 - 20 * HOUR, issuedAt: T0 - 24 * HOUR, due: T0 - 20 * HOUR }),
        site({ round: 2 }),
        site({ pointId: 'CS-2', position: FAR, due: T0 + 10 * HOUR }),
      ],
      cases: new Map(),
      sensors: [],
      now: T0 + 5 * HOUR,
    });
    expect(list.map((s) => [s.pointId, s.state, s.overdue])).toEqual([
      ['CS-1', 'overdue', true],
      ['CS-2', 'unchecked', false],
    ]);
    expect(list[0]!.lastCheck?.status).toBe('passed');
  });

  it('counts a sensor 290 m away in any direction, and not one 310 m away, wherever the cells fall', () => {
    const dirs = Array.from({ length: 16 }, (_, k) => (k * Math.PI) / 8);
    const at = (m: number, a: number): [number, number] => [
      SITE[0] + (m * Math.cos(a)) / (111_320 * Math.cos((SITE[1] * Math.PI) / 180)),
      SITE[1] + (m * Math.sin(a)) / 110_574,
    ];
    for (const shift of [0, 0.0007, 0.0013, 0.0021]) {
      const origin: [number, number] = [SITE[0] + shift, SITE[1] + shift];
      const move = (p: [number, number]): [number, number] => [p[0] + shift, p[1] + shift];
      const sensors = dirs.flatMap((a, k) => [
        sensor(`IN-${k}`, { position: move(at(290, a)) }),
        sensor(`OUT-${k}`, { position: move(at(310, a)) }),
      ]);
      const [s] = siteCompliance({ inspections: [site({ position: origin })], cases: new Map(), sensors, now: T0 });
      expect(s!.sensorsInAlarm).toEqual(dirs.map((_, k) => `IN-${k}`).sort());
    }
  });

  it('gives a site case to the nearest site only', () => {
    const list = siteCompliance({
      inspections: [site(), site({ pointId: 'CS-2', position: [118.1, 24.5015], name: '乙工地' })],
      cases: cases(siteCase('K1', '08004', { position: [118.1, 24.5012] })),
      sensors: [],
      now: T0,
    });
    expect(list.map((s) => [s.pointId, s.openTotal, s.name])).toEqual([
      ['CS-2', 1, '乙工地'],
      ['CS-1', 0, undefined],
    ]);
  });
});

describe(complaintHeat.name, () => {
  it('keeps the dust and noise complaints reported since the time given', () => {
    const cs = [
      makeCase({ id: 'A', category: { code: '08004', standard: 'GB/T 47678.5-2026', name: '工地扬尘' } }),
      makeCase({ id: 'B', category: { code: '06028', standard: 'GB/T 47678.5-2026', name: '噪声扰民' } }),
      makeCase({ id: 'C' }),
      makeCase({
        id: 'D',
        category: { code: '08001', standard: 'GB/T 47678.5-2026', name: '施工扰民' },
        reportedAt: DAY0 - MINUTE,
      }),
    ];
    expect(complaintHeat(cs, DAY0).map((c) => c.id)).toEqual(['A', 'B']);
  });
});
