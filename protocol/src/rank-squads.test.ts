import { describe, expect, it } from 'vitest';
import { makeTask, makeUnit } from '../test/fixtures.ts';
import type { Unit } from './entities.ts';
import type { LonLat } from './geo.ts';
import { DEFAULT_UNIT_PROFILES, rankSquads, type RankSquadsInput, type SquadCandidate } from './rank-squads.ts';
import type { RoadModel } from './road-eta.ts';

/**
 * Tiny cities on the equator (a hundredth of a degree ≈ 1,111.95 m). The island is the box lon 0.10–0.20,
 * lat −0.05–0.05, with one bridge at its north-west corner. Enforcement units drive 25 km/h by default.
 */
const DEG_M = (6_371_008.8 * Math.PI) / 180;
const ENFORCEMENT_MPS = 25 / 3.6;
const SIMING = '350203';
const HULI = '350206';
const ROAD: RoadModel = {
  detourFactor: 1.3,
  islands: [
    {
      id: 'island',
      contains: ([x, y]) => x >= 0.1 && x <= 0.2 && y >= -0.05 && y <= 0.05,
      links: [{ id: 'bridge', island: [0.1, 0.04], mainland: [0.09, 0.04] }],
    },
  ],
};
const CASE = { position: [0.05, 0] as LonLat, district: SIMING };
/** A unit `d` hundredths of a degree west of the case. */
const west = (d: number): LonLat => [0.05 - d / 100, 0];
/** Road ETA of an enforcement unit `d` hundredths of a degree away along a parallel, in ms. */
const eta = (d: number) => ((1.3 * (d / 100) * DEG_M) / ENFORCEMENT_MPS) * 1000;

let slot = 0;
const unit = (id: string, squadId: string, position: LonLat | undefined, o: Partial<Unit> = {}) =>
  makeUnit({ id, squadId, slot: slot++, ...(position ? { position } : {}), ...o });

const rank = (input: Partial<RankSquadsInput> & Pick<RankSquadsInput, 'units'>) =>
  rankSquads({ case: CASE, road: ROAD, ...input });
const ids = (squads: SquadCandidate[]) => squads.map((s) => s.squadId);
const keys = (s: SquadCandidate | undefined) => s?.reasons.map((r) => r.key);

describe(rankSquads.name, () => {
  it('ranks squads by their nearest unit’s road ETA, with figures and reasons on each', () => {
    const squads = rank({
      units: [unit('a1', 'SQ-A', west(3)), unit('a2', 'SQ-A', west(1)), unit('b1', 'SQ-B', west(2))],
    });
    expect(ids(squads)).toEqual(['SQ-A', 'SQ-B']);
    const [a] = squads;
    expect(a).toMatchObject({ status: 'available', district: SIMING, distanceM: Math.round(1.3 * 0.01 * DEG_M) });
    expect(a!.etaMs).toBeCloseTo(eta(1), -1);
    expect(a!.score).toBe(a!.etaMs);
    expect(a!.units.map((u) => u.unitId)).toEqual(['a2', 'a1']);
    expect(a!.reasons).toEqual([{ key: 'own_district' }]);
  });

  it('prefers the grid’s own squad when ETAs tie', () => {
    const units = [unit('z1', 'SQ-Z', west(2)), unit('a1', 'SQ-A', [0.07, 0])]; // 2 east, 2 west: the same ETA
    const squads = [
      { id: 'SQ-Z', district: SIMING, grids: ['G1'] },
      { id: 'SQ-A', district: SIMING, grids: ['G2'] },
    ];
    const ranked = rank({ case: { ...CASE, grid: 'G1' }, units, squads });
    expect(ids(ranked)).toEqual(['SQ-Z', 'SQ-A']);
    expect(ranked[0]!.etaMs).toBe(ranked[1]!.etaMs);
    expect(keys(ranked[0])).toContain('own_grid');
    expect(ranked[1]!.reasons).toContainEqual({ key: 'other_grid', params: { grid: 'G1' } });
    // Within half a minute counts as a tie: the own squad 20 s further still goes first.
    const nearTie = [unit('z1', 'SQ-Z', west(2)), unit('a1', 'SQ-A', [0.069, 0])];
    const ranked2 = rank({ case: { ...CASE, grid: 'G1' }, units: nearTie, squads });
    expect(ids(ranked2)).toEqual(['SQ-Z', 'SQ-A']);
    expect(ranked2[0]!.etaMs! - ranked2[1]!.etaMs!).toBeGreaterThan(15_000);
    // With no penalty for another grid the scores tie too, and the own grid still goes first.
    expect(ids(rank({ case: { ...CASE, grid: 'G1' }, units, squads, options: { otherGridPenaltyMs: 0 } }))).toEqual([
      'SQ-Z',
      'SQ-A',
    ]);
    // Without a grid on the case, the tie falls to the id.
    expect(ids(rank({ units, squads }))).toEqual(['SQ-A', 'SQ-Z']);
  });

  it('penalises a squad from outside its duty district but does not exclude it', () => {
    const outsider = unit('h1', 'SQ-HULI', west(1), { district: HULI });
    const near = rank({ units: [outsider, unit('s1', 'SQ-SIMING', west(2))] });
    expect(ids(near)).toEqual(['SQ-SIMING', 'SQ-HULI']); // 1 km closer does not beat 5 minutes
    expect(near[1]).toMatchObject({ status: 'available', district: HULI });
    expect(near[1]!.reasons).toContainEqual({ key: 'out_of_district', params: { district: HULI } });
    expect(near[1]!.score! - near[1]!.etaMs!).toBe(5 * 60_000);

    const far = rank({ units: [outsider, unit('s1', 'SQ-SIMING', west(5))] });
    expect(ids(far)).toEqual(['SQ-HULI', 'SQ-SIMING']); // 4 hundredths closer (~14 minutes) does
  });

  it('takes a squad’s duty area from its duty record over its units’ district', () => {
    const ranked = rank({
      units: [unit('x1', 'SQ-X', west(1), { district: SIMING })],
      squads: [{ id: 'SQ-X', district: HULI }],
    });
    expect(ranked[0]).toMatchObject({ district: HULI });
    expect(keys(ranked[0])).toContain('out_of_district');
  });

  it('passes over a busy nearest squad, listing it as unavailable with why', () => {
    const busy = unit('n1', 'SQ-NEAR', west(1), { status: 'en_route', taskId: 'T9' });
    const ranked = rank({
      units: [busy, unit('f1', 'SQ-FAR', west(4))],
      tasks: [makeTask({ id: 'T9', caseId: 'C9', unitId: 'n1', squadId: 'SQ-NEAR' })],
    });
    expect(ids(ranked)).toEqual(['SQ-FAR', 'SQ-NEAR']);
    expect(ranked[1]).toMatchObject({ status: 'unavailable', score: null });
    expect(ranked[1]!.etaMs).toBeCloseTo(eta(1), -1); // still shown: it is near, just busy
    expect(ranked[1]!.reasons).toContainEqual({ key: 'busy', params: { status: 'en_route', taskId: 'T9' } });
  });

  it('weighs a squad’s workload: half its units on tasks costs it five minutes', () => {
    const units = [
      unit('n1', 'SQ-NEAR', west(1), { status: 'on_scene', taskId: 'T1' }),
      unit('n2', 'SQ-NEAR', west(2)),
      unit('f1', 'SQ-FAR', west(3)),
    ];
    const tasks = [
      makeTask({ id: 'T1', caseId: 'C1', unitId: 'n1', squadId: 'SQ-NEAR', status: 'on_scene' }),
      makeTask({ id: 'T0', caseId: 'C0', unitId: 'n1', squadId: 'SQ-NEAR', status: 'done' }),
    ];
    const ranked = rank({ units, tasks });
    expect(ids(ranked)).toEqual(['SQ-FAR', 'SQ-NEAR']);
    const near = ranked[1]!;
    expect(near.units.map((u) => [u.unitId, u.status])).toEqual([
      ['n2', 'available'],
      ['n1', 'unavailable'],
    ]);
    expect(near.reasons).toContainEqual({ key: 'squad_workload', params: { active: 1, units: 2 } });
    expect(near.score! - near.etaMs!).toBe(5 * 60_000);

    // Units off duty are no capacity: one task on a squad whose only other unit went home is a full load.
    const home = rank({ units: [...units, unit('n3', 'SQ-NEAR', west(2), { status: 'off_duty' })], tasks });
    expect(home.find((s) => s.squadId === 'SQ-NEAR')!.reasons).toContainEqual({
      key: 'squad_workload',
      params: { active: 1, units: 2 },
    });
  });

  it('treats a unit still holding a task as busy, whatever its status says', () => {
    const [squad] = rank({ units: [unit('t1', 'SQ-T', west(1), { status: 'available', taskId: 'T5' })] });
    expect(squad).toMatchObject({ status: 'unavailable', score: null });
    expect(squad!.reasons).toContainEqual({ key: 'busy', params: { status: 'available', taskId: 'T5' } });
  });

  it('lists off-duty and offline units as unavailable, with the reason', () => {
    const ranked = rank({
      units: [
        unit('o1', 'SQ-OFF', west(1), { status: 'off_duty' }),
        unit('o2', 'SQ-OFF', west(1), { status: 'offline' }),
      ],
    });
    expect(ranked[0]!.status).toBe('unavailable');
    expect(
      ranked[0]!.units
        .flatMap((u) => u.reasons.map((r) => r.key))
        .filter((k) => k === 'off_duty' || k === 'offline')
        .sort(),
    ).toEqual(['off_duty', 'offline']);
  });

  it('lists an unreachable unit last among those who could go, and says why', () => {
    const units = [
      unit('lost', 'SQ-LOST', undefined),
      unit('busy', 'SQ-BUSY', west(1), { status: 'dispatched', taskId: 'T1' }),
      unit('ok', 'SQ-OK', west(9)),
    ];
    const ranked = rank({ units });
    expect(ranked.map((s) => [s.squadId, s.status])).toEqual([
      ['SQ-OK', 'available'],
      ['SQ-LOST', 'unreachable'],
      ['SQ-BUSY', 'unavailable'],
    ]);
    expect(ranked[1]).toMatchObject({ etaMs: null, distanceM: null, score: null });
    expect(keys(ranked[1])).toContain('no_position');

    // A unit on an island with no road to it.
    const rock: RoadModel = {
      ...ROAD,
      islands: [...ROAD.islands, { id: 'rock', contains: ([x]) => x < -0.05, links: [] }],
    };
    const marooned = rankSquads({
      case: CASE,
      road: rock,
      units: [unit('r1', 'SQ-ROCK', [-0.06, 0]), unit('m1', 'SQ-MAIN', west(4))],
    });
    expect(marooned.map((s) => [s.squadId, s.status])).toEqual([
      ['SQ-MAIN', 'available'],
      ['SQ-ROCK', 'unreachable'],
    ]);
    expect(keys(marooned[1])).toContain('no_path');
    // Within one squad the reachable unit is the squad's figure.
    const mixed = rank({ units: [unit('lost', 'SQ-M', undefined), unit('here', 'SQ-M', west(2))] });
    expect(mixed[0]).toMatchObject({ status: 'available' });
    expect(mixed[0]!.units.map((u) => u.unitId)).toEqual(['here', 'lost']);
  });

  it('sends a case on the island to the island squad, not to the mainland squad across the water', () => {
    const onIsland = { position: [0.11, -0.02] as LonLat, district: SIMING };
    // The mainland unit is 0.02° away in a straight line but must drive round by the bridge; the island unit is 0.05° away.
    const units = [unit('m1', 'SQ-MAINLAND', [0.09, -0.02]), unit('i1', 'SQ-ISLAND', [0.16, -0.02])];
    const ranked = rankSquads({ case: onIsland, road: ROAD, units });
    expect(ids(ranked)).toEqual(['SQ-ISLAND', 'SQ-MAINLAND']);
    expect(ranked[1]!.reasons).toContainEqual({ key: 'crossing', params: { via: 'bridge' } });
    const viaBridge = 1.3 * 0.06 + 0.01 + 1.3 * Math.hypot(0.01, 0.06);
    expect(ranked[1]!.distanceM).toBeCloseTo(viaBridge * DEG_M, -1);
    expect(ranked[0]!.distanceM).toBeCloseTo(1.3 * 0.05 * DEG_M, -1);
    // Without the water between them, the mainland unit would have won.
    expect(ids(rankSquads({ case: onIsland, road: { detourFactor: 1.3, islands: [] }, units }))).toEqual([
      'SQ-MAINLAND',
      'SQ-ISLAND',
    ]);
  });

  it('prefers a unit type suited to the category group, and a drone flies straight over the water', () => {
    const units = [unit('e1', 'SQ-E', west(1)), unit('s1', 'SQ-S', west(3), { type: 'sanitation' })];
    const ranked = rank({ units, group: 'sanitation' });
    expect(ids(ranked)).toEqual(['SQ-S', 'SQ-E']);
    expect(ranked[0]!.reasons).toContainEqual({
      key: 'type_suited',
      params: { type: 'sanitation', group: 'sanitation' },
    });
    expect(ranked[1]!.reasons).toContainEqual({
      key: 'type_unsuited',
      params: { type: 'enforcement', group: 'sanitation' },
    });
    // A group without preference, or none given, judges by ETA alone.
    expect(ids(rank({ units, group: 'other' }))).toEqual(['SQ-E', 'SQ-S']);
    expect(ids(rank({ units }))).toEqual(['SQ-E', 'SQ-S']);

    const drone = unit('d1', 'SQ-AIR', [0.05, 0], { type: 'drone' });
    const [air] = rankSquads({ case: { position: [0.15, 0], district: SIMING }, road: ROAD, units: [drone] });
    expect(air!.distanceM).toBeCloseTo(0.1 * DEG_M, -1);
    expect(keys(air)).toContain('straight_line');
  });

  it('takes its weights from the options', () => {
    const units = [unit('h1', 'SQ-HULI', west(1), { district: HULI }), unit('s1', 'SQ-SIMING', west(2))];
    expect(ids(rank({ units, options: { outOfDistrictPenaltyMs: 0 } }))).toEqual(['SQ-HULI', 'SQ-SIMING']);
    expect(ids(rank({ units, options: { outOfDistrictPenaltyMs: undefined } }))).toEqual(['SQ-SIMING', 'SQ-HULI']); // default kept
    const slow = rank({ units, options: { profiles: { ...DEFAULT_UNIT_PROFILES, enforcement: { speedMps: 1 } } } });
    expect(slow.find((s) => s.squadId === 'SQ-SIMING')!.etaMs).toBeCloseTo(1.3 * 0.02 * DEG_M * 1000, -2);
  });

  it('leaves its input untouched', () => {
    const units = [unit('a1', 'SQ-A', west(1)), unit('b1', 'SQ-B', west(2), { status: 'offline' })].map((u) =>
      Object.freeze(u),
    );
    const before = structuredClone(units);
    rank({ units });
    expect(units).toEqual(before);
    expect(rank({ units: [] })).toEqual([]);
  });
});
