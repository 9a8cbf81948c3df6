import { describe, expect, it } from 'vitest';
import type { Case, Mode } from './entities.ts';
import {
  applyJurisdiction,
  decideJurisdiction,
  JurisdictionRule,
  planJurisdiction,
  type JurisdictionInput,
  type SquadJurisdiction,
} from './jurisdiction.ts';
import type { PlanActivation, PlanLevel } from './plans.ts';
import type { CandidateStatus, RankReason, SquadCandidate } from './rank-squads.ts';

const MIN = 60_000;
const SIMING = '350203';
const HULI = '350206';
const HAICANG = '350205';
const TONGAN = '350212';
const FILED = Date.UTC(2026, 11, 6, 2, 0);

const RULE: JurisdictionRule = JurisdictionRule.parse({
  wait: {
    normal: { gridMinutes: 5, districtMinutes: 20, cityMinutes: 60 },
    urgent: { gridMinutes: 2, districtMinutes: 5, cityMinutes: null },
    critical: { gridMinutes: 0, districtMinutes: 0, cityMinutes: 0 },
  },
  handlingMinutes: 30,
  modes: { typhoon: 'city', major_event: 'neighbour' },
  plans: { 'civilised-city': { III: 'neighbour' }, typhoon: { II: 'neighbour', I: 'city' } },
  neighbours: { [SIMING]: [HULI], [HULI]: [SIMING, HAICANG], [HAICANG]: [HULI] },
});

/** A plan of the manual in force (or ended) at a level. */
const plan = (planId: string, level: PlanLevel, o: Partial<PlanActivation> = {}): PlanActivation => ({
  planId,
  level,
  activatedAt: FILED - 60 * MIN,
  levelAt: FILED - 60 * MIN,
  actor: { role: 'commander', id: 'c1' },
  ...o,
});

interface SquadSpec {
  district: string;
  /** The grid's own squad (true), another grid's (false), or no duty grids known (undefined). */
  grid?: boolean;
  status?: CandidateStatus;
  /** The unavailable unit's reason: busy (default) or off duty. */
  why?: 'busy' | 'off_duty';
  etaMin?: number;
}

function squad(id: string, s: SquadSpec): SquadCandidate {
  const status = s.status ?? 'available';
  const reasons: RankReason[] = [];
  if (s.grid === true) reasons.push({ key: 'own_grid' });
  if (s.grid === false) reasons.push({ key: 'other_grid', params: { grid: 'G1' } });
  reasons.push(
    s.district === SIMING ? { key: 'own_district' } : { key: 'out_of_district', params: { district: s.district } },
  );
  const unitReasons: RankReason[] =
    status === 'unavailable'
      ? [...reasons, s.why === 'off_duty' ? { key: 'off_duty' } : { key: 'busy', params: { status: 'on_scene' } }]
      : reasons;
  const etaMs = (s.etaMin ?? 5) * MIN;
  return {
    squadId: id,
    district: s.district,
    status,
    etaMs,
    distanceM: 1000,
    score: status === 'available' ? etaMs : null,
    reasons,
    units: [
      {
        unitId: `${id}-1`,
        squadId: id,
        type: 'enforcement',
        status,
        etaMs,
        distanceM: 1000,
        score: null,
        reasons: unitReasons,
      },
    ],
  };
}

const SQUADS = [
  squad('GRID', { district: SIMING, grid: true, etaMin: 9 }),
  squad('OWN', { district: SIMING, grid: false, etaMin: 6 }),
  squad('NEXT', { district: HULI, etaMin: 2 }),
  squad('FAR', { district: TONGAN, etaMin: 1 }),
];

function decide(o: {
  ageMin: number;
  urgency?: Case['urgency'];
  mode?: Mode;
  deadlineMin?: number;
  squads?: SquadCandidate[];
  filed?: boolean;
  plans?: PlanActivation[];
}) {
  const input: JurisdictionInput = {
    case: {
      district: SIMING,
      urgency: o.urgency ?? 'normal',
      reportedAt: FILED - 3 * MIN,
      ...(o.filed === false ? {} : { filedAt: FILED }),
      ...(o.deadlineMin !== undefined ? { deadline: FILED + o.deadlineMin * MIN } : {}),
    },
    now: FILED + o.ageMin * MIN,
    mode: o.mode ?? 'peacetime',
    squads: o.squads ?? SQUADS,
    rule: RULE,
    ...(o.plans ? { plans: o.plans } : {}),
  };
  return decideJurisdiction(input);
}
const eligible = (d: { squads: SquadJurisdiction[] }) => d.squads.filter((s) => s.eligible).map((s) => s.squadId);
const of = (d: { squads: SquadJurisdiction[] }, id: string) => d.squads.find((s) => s.squadId === id)!;

describe(decideJurisdiction.name, () => {
  it('keeps a new case for its grid’s own squad, and says until when the others wait', () => {
    const d = decide({ ageMin: 0 });
    expect(d.level).toBe('grid');
    expect(d.because).toBeUndefined();
    expect(eligible(d)).toEqual(['GRID']);
    expect(of(d, 'GRID')).toMatchObject({ tier: 'grid', reason: { key: 'own_grid_first' } });
    expect(of(d, 'OWN')).toEqual({
      squadId: 'OWN',
      tier: 'district',
      eligible: false,
      until: FILED + 5 * MIN,
      reason: { key: 'waiting_for_grid', params: { until: FILED + 5 * MIN } },
    });
    expect(of(d, 'NEXT')).toMatchObject({
      tier: 'neighbour',
      until: FILED + 20 * MIN,
      reason: { key: 'waiting_for_district', params: { until: FILED + 20 * MIN } },
    });
    expect(of(d, 'FAR')).toMatchObject({
      tier: 'city',
      until: FILED + 60 * MIN,
      reason: { key: 'not_neighbour', params: { until: FILED + 60 * MIN } },
    });
  });

  it('opens each level exactly at its wait time, not a millisecond before', () => {
    const at = (ageMin: number, ms = 0) =>
      decideJurisdiction({
        case: { district: SIMING, urgency: 'normal', reportedAt: FILED, filedAt: FILED },
        now: FILED + ageMin * MIN + ms,
        mode: 'peacetime',
        squads: SQUADS,
        rule: RULE,
      });
    expect(at(5, -1).level).toBe('grid');
    expect(at(5).level).toBe('district');
    expect(eligible(at(5))).toEqual(['GRID', 'OWN']);
    expect(at(20, -1).level).toBe('district');
    expect(at(20)).toMatchObject({ level: 'neighbour', because: 'waited' });
    expect(eligible(at(20))).toEqual(['GRID', 'OWN', 'NEXT']);
    expect(of(at(20), 'NEXT').reason).toEqual({ key: 'neighbour_allowed', params: { because: 'waited' } });
    expect(at(60, -1).level).toBe('neighbour');
    expect(at(60)).toMatchObject({ level: 'city', because: 'waited' });
    expect(eligible(at(60))).toEqual(['GRID', 'OWN', 'NEXT', 'FAR']);
    expect(of(at(60), 'FAR').reason).toEqual({ key: 'city_wide_allowed', params: { because: 'waited' } });
  });

  it('counts the wait from filing, or from the report when the case is not filed yet', () => {
    expect(decide({ ageMin: 4 }).level).toBe('grid');
    expect(decide({ ageMin: 4, filed: false }).level).toBe('district'); // reported 3 min before FILED
  });

  it('waits less for urgent cases, and never city-wide by waiting when the rule says null', () => {
    expect(decide({ ageMin: 2, urgency: 'urgent' }).level).toBe('district');
    expect(decide({ ageMin: 5, urgency: 'urgent' })).toMatchObject({ level: 'neighbour', because: 'waited' });
    const late = decide({ ageMin: 24 * 60, urgency: 'urgent' });
    expect(late.level).toBe('neighbour');
    expect(of(late, 'FAR')).toMatchObject({ eligible: false, until: null, reason: { params: { until: null } } });
  });

  it('lets a critical case call anyone at once, because it is urgent', () => {
    const d = decide({ ageMin: 0, urgency: 'critical' });
    expect(d).toMatchObject({ level: 'city', because: 'urgent' });
    expect(eligible(d)).toEqual(['GRID', 'OWN', 'NEXT', 'FAR']);
    expect(of(d, 'NEXT').reason).toEqual({ key: 'neighbour_allowed', params: { because: 'urgent' } });
  });

  it('calls the neighbours at once when the own squads cannot meet the deadline', () => {
    // Own best ETA 6 min + 30 min handling = 36 min.
    expect(decide({ ageMin: 0, deadlineMin: 37 }).level).toBe('grid');
    expect(decide({ ageMin: 0, deadlineMin: 36 }).level).toBe('grid'); // exactly met
    const d = decide({ ageMin: 0, deadlineMin: 35 });
    expect(d).toMatchObject({ level: 'neighbour', because: 'deadline' });
    expect(eligible(d)).toEqual(['GRID', 'OWN', 'NEXT']);
    expect(of(d, 'NEXT').reason).toEqual({ key: 'neighbour_allowed', params: { because: 'deadline' } });
    expect(of(d, 'FAR').eligible).toBe(false);
    // Later on: the same deadline, less time left.
    expect(decide({ ageMin: 2, deadlineMin: 37 })).toMatchObject({ level: 'neighbour', because: 'deadline' });
  });

  it('with no own unit free, calls the neighbours for the deadline only when even an instant arrival misses it', () => {
    const squads = [
      squad('OWN', { district: SIMING, status: 'unavailable' }),
      squad('NEXT', { district: HULI, etaMin: 2 }),
    ];
    expect(decide({ ageMin: 0, deadlineMin: 31, squads }).level).toBe('district'); // waits for the busy squad
    expect(decide({ ageMin: 0, deadlineMin: 29, squads })).toMatchObject({ level: 'neighbour', because: 'deadline' });
  });

  it('widens by the wall’s mode', () => {
    expect(decide({ ageMin: 0, mode: 'typhoon' })).toMatchObject({ level: 'city', because: 'mode' });
    const event = decide({ ageMin: 0, mode: 'major_event' });
    expect(event).toMatchObject({ level: 'neighbour', because: 'mode' });
    expect(of(event, 'NEXT').reason).toEqual({ key: 'neighbour_allowed', params: { because: 'mode' } });
    // A mode never narrows what waiting has opened.
    expect(decide({ ageMin: 60, mode: 'major_event' })).toMatchObject({ level: 'city', because: 'waited' });
  });

  it('calls the neighbours at once when the district has no squad on duty, and waits for a busy one', () => {
    const none = decide({ ageMin: 0, squads: [squad('NEXT', { district: HULI }), squad('FAR', { district: TONGAN })] });
    expect(none).toMatchObject({ level: 'neighbour', because: 'no_own_squad' });
    expect(eligible(none)).toEqual(['NEXT']);
    const off = decide({
      ageMin: 0,
      squads: [
        squad('OWN', { district: SIMING, status: 'unavailable', why: 'off_duty' }),
        squad('NEXT', { district: HULI }),
      ],
    });
    expect(off).toMatchObject({ level: 'neighbour', because: 'no_own_squad' });
    const busy = decide({
      ageMin: 0,
      squads: [squad('OWN', { district: SIMING, status: 'unavailable' }), squad('NEXT', { district: HULI })],
    });
    expect(busy.level).toBe('district');
    expect(eligible(busy)).toEqual(['OWN']);
  });

  it('skips the grid level where squads have no duty grids, or the grid’s squad is off duty', () => {
    const noGrids = decide({
      ageMin: 0,
      squads: [squad('OWN', { district: SIMING }), squad('NEXT', { district: HULI })],
    });
    expect(noGrids.level).toBe('district');
    expect(of(noGrids, 'OWN')).toEqual({ squadId: 'OWN', tier: 'district', eligible: true });
    const gridOff = decide({
      ageMin: 0,
      squads: [
        squad('GRID', { district: SIMING, grid: true, status: 'unavailable', why: 'off_duty' }),
        squad('OWN', { district: SIMING, grid: false }),
      ],
    });
    expect(gridOff.level).toBe('district');
    expect(eligible(gridOff)).toEqual(['GRID', 'OWN']);
  });

  it('treats a district with no neighbours listed as having none: the city after the wait', () => {
    const d = decideJurisdiction({
      case: { district: TONGAN, urgency: 'normal', reportedAt: FILED, filedAt: FILED },
      now: FILED + 30 * MIN,
      mode: 'peacetime',
      squads: [squad('OWN', { district: TONGAN }), squad('HL', { district: HULI })],
      rule: RULE,
    });
    expect(d.level).toBe('neighbour');
    expect(of(d, 'HL')).toMatchObject({ tier: 'city', eligible: false });
  });
});

describe(applyJurisdiction.name, () => {
  it('lists held-back squads after the eligible ones that can go, with the reason and when they become eligible', () => {
    const ranked = [
      squad('FAR', { district: TONGAN, etaMin: 1 }),
      squad('NEXT', { district: HULI, etaMin: 2 }),
      squad('BUSY', { district: SIMING, status: 'unavailable' }),
      squad('OWN', { district: SIMING, etaMin: 6 }),
    ];
    const out = applyJurisdiction(ranked, decide({ ageMin: 0, squads: ranked }));
    expect(out.map((s) => s.squadId)).toEqual(['OWN', 'FAR', 'NEXT', 'BUSY']);
    expect(out[0]!.held).toBeUndefined();
    expect(out[1]).toMatchObject({
      held: { until: FILED + 60 * MIN },
      reasons: expect.arrayContaining([{ key: 'not_neighbour', params: { until: FILED + 60 * MIN } }]),
    });
    expect(out[2]).toMatchObject({
      held: { until: FILED + 20 * MIN },
      reasons: expect.arrayContaining([{ key: 'waiting_for_district', params: { until: FILED + 20 * MIN } }]),
    });
    expect(out[2]!.units[0]!.reasons).toContainEqual({
      key: 'waiting_for_district',
      params: { until: FILED + 20 * MIN },
    });
    expect(out[3]!.held).toBeUndefined(); // own district, busy: not held, just unavailable
    expect(ranked[0]!.reasons.some((r) => r.key === 'not_neighbour')).toBe(false); // input untouched
  });
});

describe('JurisdictionRule', () => {
  it('refuses waits out of order and unknown levels, naming the field', () => {
    const bad = JurisdictionRule.safeParse({
      ...RULE,
      wait: { ...RULE.wait, normal: { gridMinutes: 30, districtMinutes: 20, cityMinutes: 10 } },
      modes: { typhoon: 'everywhere' },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['wait.normal.districtMinutes', 'wait.normal.cityMinutes', 'modes.typhoon']),
    );
    expect(JurisdictionRule.safeParse({ ...RULE, wait: { normal: RULE.wait.normal } }).success).toBe(false);
  });
});

describe(planJurisdiction.name, () => {
  it('opens what the plan’s level lists, and at a higher level the widest of the lower levels listed', () => {
    expect(planJurisdiction([plan('civilised-city', 'III')], RULE)).toEqual({
      level: 'neighbour',
      planId: 'civilised-city',
      planLevel: 'III',
    });
    // Ⅱ is not listed for 文明创建: Ⅲ's widening holds (a higher response never narrows the rule).
    expect(planJurisdiction([plan('civilised-city', 'II')], RULE)).toMatchObject({
      level: 'neighbour',
      planLevel: 'II',
    });
    expect(planJurisdiction([plan('typhoon', 'I')], RULE)).toMatchObject({ level: 'city', planId: 'typhoon' });
  });

  it('opens nothing for a level below the listed ones, a plan the rule does not name, or an ended plan', () => {
    expect(planJurisdiction([plan('civilised-city', 'IV')], RULE)).toBeUndefined();
    expect(planJurisdiction([plan('typhoon', 'III')], RULE)).toBeUndefined();
    expect(planJurisdiction([plan('environmental-inspection', 'I')], RULE)).toBeUndefined();
    expect(planJurisdiction([plan('civilised-city', 'III', { endedAt: FILED - MIN })], RULE)).toBeUndefined();
    // Ids are exact: another letter case is another (unknown) plan.
    expect(planJurisdiction([plan('Civilised-City', 'III')], RULE)).toBeUndefined();
    expect(planJurisdiction([], JurisdictionRule.parse({ ...RULE, plans: undefined }))).toBeUndefined();
  });

  it('takes the widest of several plans in force, the same whichever order the world holds them in', () => {
    const both = [plan('civilised-city', 'III'), plan('typhoon', 'I')];
    expect(planJurisdiction(both, RULE)).toMatchObject({ level: 'city', planId: 'typhoon' });
    expect(planJurisdiction([...both].reverse(), RULE)).toMatchObject({ level: 'city', planId: 'typhoon' });
    const tie = [plan('typhoon', 'II'), plan('civilised-city', 'III')];
    expect(planJurisdiction(tie, RULE)?.planId).toBe('civilised-city');
    expect(planJurisdiction([...tie].reverse(), RULE)?.planId).toBe('civilised-city');
  });
});

describe('decideJurisdiction with a plan in force', () => {
  it('calls the neighbours at once while 文明创建 is at Ⅲ, and says the plan is why', () => {
    const d = decide({ ageMin: 0, plans: [plan('civilised-city', 'III')] });
    expect(d).toMatchObject({
      level: 'neighbour',
      because: 'plan',
      plan: { planId: 'civilised-city', planLevel: 'III' },
    });
    expect(eligible(d)).toEqual(['GRID', 'OWN', 'NEXT']);
    expect(of(d, 'NEXT').reason).toEqual({ key: 'neighbour_allowed', params: { because: 'plan' } });
    expect(of(d, 'FAR')).toMatchObject({ eligible: false, reason: { key: 'not_neighbour' } });
  });

  it('waits as usual at Ⅳ, once the plan has ended, and with no plans given', () => {
    for (const plans of [[plan('civilised-city', 'IV')], [plan('civilised-city', 'III', { endedAt: FILED })], []]) {
      const d = decide({ ageMin: 0, plans });
      expect(d.level).toBe('grid');
      expect(d.plan).toBeUndefined();
    }
    expect(decide({ ageMin: 0 }).level).toBe('grid');
  });

  it('lets a wider reason stand: the mode’s whole city over the plan’s neighbours, the plan’s city over a wait', () => {
    const typhoonMode = decide({ ageMin: 0, mode: 'typhoon', plans: [plan('civilised-city', 'III')] });
    expect(typhoonMode).toMatchObject({ level: 'city', because: 'mode' });
    expect(typhoonMode.plan).toBeUndefined();
    const waited = decide({ ageMin: 25, plans: [plan('typhoon', 'I')] });
    expect(waited).toMatchObject({ level: 'city', because: 'plan', plan: { planId: 'typhoon', planLevel: 'I' } });
    expect(eligible(waited)).toEqual(['GRID', 'OWN', 'NEXT', 'FAR']);
  });

  it('leaves an already wider level alone: a critical case is city-wide by its urgency, not by the plan', () => {
    const d = decide({ ageMin: 0, urgency: 'critical', plans: [plan('civilised-city', 'III')] });
    expect(d).toMatchObject({ level: 'city', because: 'urgent' });
  });
});
