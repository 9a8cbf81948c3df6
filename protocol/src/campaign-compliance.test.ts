import { describe, expect, it } from 'vitest';
import { DAY0, HOUR, makeCase, MINUTE } from '../test/fixtures.ts';
import { complaintHeat, complianceCounts, siteCompliance } from './campaign-compliance.ts';
import type { Case } from './entities.ts';
import type { Inspection } from './plans.ts';
import type { Sensor } from './sensors.ts';

const SIMING = '350203';
/** 08:00 on 2016-09-15 in Xiamen. */
const T0 = DAY0 + 8 * HOUR;

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
const cases = (...cs: Case[]) => new Map(cs.map((c) => [c.id, c]));

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
