import { describe, expect, it } from 'vitest';
import {
  FixBatch,
  InputMessage,
  inspectionId,
  type Inspection,
  type InspectionCheck,
  type LogEvent,
  type LonLat,
  type PrepositionOrder,
  type Task,
} from '@egret/protocol';
import type { CityScenarioFile } from '@egret/config';
import { Rng } from '../../rng.ts';
import { createCityWorld } from '../city-world.ts';
import type { World } from '../world.ts';
import { config, geometry, HOUR, MIDNIGHT, normalDay, places } from '../../../test/city.ts';
import {
  checkMessage,
  DEFAULT_INSPECTION_PROFILE,
  distanceM,
  nextInspection,
  type InspectionProfile,
  planCheck,
  problemCaseId,
} from './inspection-work.ts';

const TEN_AM = MIDNIGHT + 10 * HOUR;
const MIN = 60_000;
const STEP = 5_000;

/** normal-day with no cases of its own, everyone on duty and online: only the plan's work happens. */
const quiet: CityScenarioFile = {
  ...normalDay,
  cases: { ...normalDay.cases, perDay: 0 },
  units: {
    ...normalDay.units,
    shifts: [{ name: 'all-day', from: '00:00', to: '24:00', share: 1 }],
    offline: { ...normalDay.units.offline, perUnitPerHour: 0 },
  },
};

function cityOf(seed = 5, inspectionProfile?: InspectionProfile): World {
  const w = createCityWorld({
    scenario: quiet,
    config,
    geometry,
    places,
    seed,
    totalUnits: 60,
    start: TEN_AM,
    ...(inspectionProfile ? { inspectionProfile } : {}),
  });
  w.start(TEN_AM);
  return w;
}

let seq = 0;
const ev = <T extends LogEvent['type']>(at: number, type: T, body: object): LogEvent =>
  ({ seq: ++seq, at, type, ...body }) as LogEvent;

/** An open inspection of `squadId` at a point `n` steps of ~300 m east of the squad's first lattice node. */
function inspectionOf(squadId: string, position: LonLat, n: number, at: number): Inspection {
  return {
    id: inspectionId('civilised-city', 'assessment-round', 1, `P-${n}`),
    planId: 'civilised-city',
    actionId: 'assessment-round',
    round: 1,
    pointId: `P-${n}`,
    kind: 'assessment_point',
    position,
    district: squadId.slice(3, 9),
    squadId,
    issuedAt: at,
    due: at + 8 * HOUR,
    status: 'open',
  };
}

/** Points on the squad's own patrol ground (lattice nodes of its duty area), spread out. */
function groundOf(w: World, squad: number, count: number): LonLat[] {
  const nodes = w.roster.squads[squad]!.nodes;
  const l = geometry.lattice;
  return Array.from({ length: count }, (_, k) => {
    const n = nodes[Math.floor(((k + 0.5) * nodes.length) / count)]!;
    return [l.lon[n]! + 0.0004, l.lat[n]! + 0.0003] as LonLat;
  });
}

interface Run {
  messages: InputMessage[];
  /** Fixes by unit, by time. */
  fixes: Map<string, Map<number, LonLat>>;
}

function run(w: World, from: number, to: number, feed: Map<number, LogEvent[]> = new Map()): Run {
  const out: Run = { messages: [], fixes: new Map() };
  for (let t = from; t <= to; t += STEP) {
    const events = feed.get(t);
    if (events) w.observe!(events);
    const step = w.step(t);
    out.messages.push(...step.events);
    for (const b of step.fixBatches)
      for (const f of FixBatch.parse(JSON.parse(b)).fixes) {
        const m = out.fixes.get(f.unitId) ?? new Map<number, LonLat>();
        m.set(f.at, [f.lon, f.lat]);
        out.fixes.set(f.unitId, m);
      }
  }
  return out;
}

const checksOf = (r: Run) => r.messages.filter((m): m is InspectionCheck => m.kind === 'inspection.check');
/** The unit's last fix at or before t. */
function fixBefore(r: Run, unitId: string, t: number): LonLat {
  const fixes = [...(r.fixes.get(unitId) ?? new Map<number, LonLat>()).entries()].filter(([at]) => at <= t);
  return fixes.at(-1)![1];
}

describe(nextInspection.name, () => {
  const at = TEN_AM;
  const a = inspectionOf('SQ-350203-01', [118.08, 24.46], 1, at);
  const b = inspectionOf('SQ-350203-01', [118.1, 24.47], 2, at);
  const c = { ...inspectionOf('SQ-350203-01', [118.2, 24.5], 3, at), due: at + HOUR };

  it('takes the one due first, then the nearest of a round', () => {
    expect(nextInspection([118.081, 24.461], [a, b], new Set())?.id).toBe(a.id);
    expect(nextInspection([118.099, 24.469], [a, b], new Set())?.id).toBe(b.id);
    expect(nextInspection([118.081, 24.461], [a, b, c], new Set())?.id).toBe(c.id);
  });

  it('skips inspections another unit is on and those already checked, and finds none when all are', () => {
    expect(nextInspection([118.081, 24.461], [a, b], new Set([a.id]))?.id).toBe(b.id);
    expect(nextInspection([118.081, 24.461], [{ ...a, status: 'passed' }, b], new Set())?.id).toBe(b.id);
    expect(nextInspection([118.081, 24.461], [a, b], new Set([a.id, b.id]))).toBeUndefined();
  });
});

describe(planCheck.name, () => {
  it('stays the kind’s plausible time and finds a problem in about the kind’s share of checks', () => {
    const rng = new Rng('checks');
    const plans = Array.from({ length: 4000 }, () => planCheck('construction_site', DEFAULT_INSPECTION_PROFILE, rng));
    const [lo, hi] = DEFAULT_INSPECTION_PROFILE.dwellMinutes.construction_site;
    expect(plans.every((p) => p.dwellMs >= lo * MIN && p.dwellMs <= hi * MIN)).toBe(true);
    const share = plans.filter((p) => p.result === 'problem').length / plans.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.18);
    expect(plans.filter((p) => p.result === 'problem').every((p) => p.note && p.note.length > 0)).toBe(true);
    expect(plans.filter((p) => p.result === 'passed').every((p) => p.note === undefined)).toBe(true);
  });

  it('draws the same check from the same stream', () => {
    expect(planCheck('billboard', DEFAULT_INSPECTION_PROFILE, new Rng('x/1'))).toEqual(
      planCheck('billboard', DEFAULT_INSPECTION_PROFILE, new Rng('x/1')),
    );
  });
});

describe(checkMessage.name, () => {
  const i = inspectionOf('SQ-350203-01', [118.08, 24.46], 7, TEN_AM);

  it('is a valid input: a problem with its own case id, a pass without one', () => {
    const problem = checkMessage(i, 'U-1', { dwellMs: 1, result: 'problem', note: '占道经营' }, TEN_AM + MIN);
    expect(InputMessage.parse(problem)).toEqual(problem);
    expect(problem.caseId).toBe(problemCaseId(i));
    const passed = checkMessage(i, 'U-1', { dwellMs: 1, result: 'passed' }, TEN_AM + MIN);
    expect(InputMessage.parse(passed)).toEqual(passed);
    expect(passed.caseId).toBeUndefined();
  });

  it('gives each inspection its own case id, within the id limit, even for the same point of two plans', () => {
    const other = { ...i, id: inspectionId('typhoon', 'assessment-round', 1, i.pointId) };
    const long = { ...i, pointId: 'P'.repeat(64), id: 'x'.repeat(64) };
    expect(problemCaseId(other)).not.toBe(problemCaseId(i));
    expect(problemCaseId(long).length).toBeLessThanOrEqual(64);
    expect(problemCaseId(i)).toMatch(/^XC-[0-9a-f]{8}-P-7$/);
  });
});

describe('InspectionWork in a city world', () => {
  it('sends the squad’s free units to its inspections: each checked once, by a unit of the squad, standing at the point', () => {
    const w = cityOf();
    const squad = w.roster.squads[0]!;
    const points = groundOf(w, 0, 6);
    const at = TEN_AM + STEP;
    const inspections = points.map((p, n) => inspectionOf(squad.id, p, n, at));
    // A squad the simulator does not play (another system's): not ours to work.
    const foreign = inspectionOf('SQ-350203-99', points[0]!, 99, at);
    const r = run(
      w,
      at,
      at + 3 * HOUR,
      new Map([[at, [ev(at, 'inspections.issued', { inspections: [...inspections, foreign] })]]]),
    );
    const checks = checksOf(r);
    expect(checks.map((c) => c.inspectionId).sort()).toEqual(inspections.map((i) => i.id).sort());
    const squadUnits = new Set(w.roster.id.slice(squad.firstUnit, squad.firstUnit + squad.unitCount));
    for (const c of checks) {
      const i = inspections.find((x) => x.id === c.inspectionId)!;
      expect(squadUnits.has(c.unitId)).toBe(true);
      expect(c.at).toBeGreaterThan(at);
      // It reports after its dwell, from the point (its last fix before the report).
      expect(distanceM(fixBefore(r, c.unitId, c.at), i.position)).toBeLessThan(30);
      expect(InputMessage.parse(c)).toEqual(c);
    }
    // No more than half the squad's units are out on the round at once.
    expect(new Set(checks.map((c) => c.unitId)).size).toBeLessThanOrEqual(Math.floor(squad.unitCount / 2));
    expect(w.counters.inspections).toMatchObject({ issued: 6, checked: 6 });
  });

  it('has the desk file the case a problem becomes, and the same seed plays the same round the same way', () => {
    const play = () => {
      // One check in three finds something here, so a dozen checks surely find some.
      const profile = {
        ...DEFAULT_INSPECTION_PROFILE,
        problemShare: { ...DEFAULT_INSPECTION_PROFILE.problemShare, assessment_point: 1 / 3 },
      };
      const w = cityOf(11, profile);
      const squad = w.roster.squads[2]!;
      const at = TEN_AM + STEP;
      const inspections = groundOf(w, 2, 12).map((p, n) => inspectionOf(squad.id, p, n, at));
      return run(w, at, at + 4 * HOUR, new Map([[at, [ev(at, 'inspections.issued', { inspections })]]]));
    };
    const r = play();
    const problems = checksOf(r).filter((c) => c.result === 'problem');
    expect(checksOf(r)).toHaveLength(12);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThan(10);
    for (const p of problems) {
      const steps = r.messages.filter((m) => m.kind === 'case.transition' && m.caseId === p.caseId);
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.every((s) => s.at > p.at)).toBe(true);
    }
    expect(play().messages).toEqual(r.messages);
  });

  it('works no inspection with a unit the hub gave a task, drops one someone else checked, and still checks the rest once', () => {
    const w = cityOf();
    const squad = w.roster.squads[0]!;
    const ground = groundOf(w, 0, 3);
    const at = TEN_AM + STEP;
    const [i1, i2] = [inspectionOf(squad.id, ground[0]!, 1, at), inspectionOf(squad.id, ground[2]!, 2, at)];
    // The squad sets off on the round; a minute later the hub gives every unit of it a task, and a phone checks i2.
    const t = at + MIN;
    const actor = { role: 'commander' as const, id: 'x' };
    const tasks = w.roster.id.slice(squad.firstUnit, squad.firstUnit + squad.unitCount).map((unitId): Task => ({
      id: `T-${unitId}`,
      caseId: `C-${unitId}`,
      unitId,
      squadId: squad.id,
      status: 'dispatched',
      createdAt: t,
      updatedAt: t,
      actor,
      version: 0,
    }));
    const checkedElsewhere: Inspection = { ...i2, status: 'passed', checkedAt: t, unitId: 'U-PHONE' };
    const r = run(
      w,
      at,
      t + 4 * HOUR,
      new Map([
        [at, [ev(at, 'inspections.issued', { inspections: [i1, i2] })]],
        [
          t,
          [
            ...tasks.map((task) => ev(t, 'task.created', { actor, task })),
            ev(t, 'inspection.checked', { inspection: checkedElsewhere, actor: { role: 'upstream', id: 'phone' } }),
          ],
        ],
      ]),
    );
    const checks = checksOf(r);
    expect(checks.map((c) => c.inspectionId)).toEqual([i1.id]);
    // Whoever checked i1 had finished (or turned down) its task by then.
    const c = checks[0]!;
    const last = r.messages.filter((m) => m.kind === 'task.update' && m.unitId === c.unitId && m.at <= c.at).at(-1);
    expect(last?.kind === 'task.update' && ['done', 'declined', 'timed_out'].includes(last.status)).toBe(true);
    expect(w.counters.inspections?.checked).toBe(1);
  });

  it('sends a post’s unit back to its post after a task the hub gave it', () => {
    const w = cityOf();
    const i = w.roster.squads[6]!.firstUnit;
    const unitId = w.roster.id[i]!;
    const post = groundOf(w, 6, 2)[0]!;
    const at = TEN_AM + STEP;
    const order: PrepositionOrder = {
      id: 'o-2',
      planId: 'typhoon',
      actionId: 'preposition-city',
      pointId: 'TP-Y',
      position: post,
      unitId,
      squadId: w.roster.squads[6]!.id,
      district: w.roster.squads[6]!.district,
      orderedAt: at,
      due: at + 6 * HOUR,
    };
    const taskAt = at + HOUR;
    const recallAt = taskAt + 10 * MIN;
    const actor = { role: 'commander' as const, id: 'x' };
    const task: Task = {
      id: 'T-P',
      caseId: 'C-P',
      unitId,
      squadId: order.squadId,
      status: 'dispatched',
      createdAt: taskAt,
      updatedAt: taskAt,
      actor,
      version: 0,
    };
    const r = run(
      w,
      at,
      recallAt + 2 * HOUR,
      new Map([
        [at, [ev(at, 'prepositions.changed', { change: 'ordered', orders: [order] })]],
        [taskAt, [ev(taskAt, 'task.created', { actor, task })]],
        [
          recallAt,
          [
            ev(recallAt, 'task.updated', {
              from: 'accepted',
              to: 'recalled',
              actor,
              task: { ...task, status: 'recalled', updatedAt: recallAt, version: 2 },
            }),
          ],
        ],
      ]),
    );
    expect(distanceM(fixBefore(r, unitId, taskAt), post)).toBeLessThan(30);
    expect(distanceM(fixBefore(r, unitId, recallAt + 2 * HOUR), post)).toBeLessThan(30);
  });

  it('takes up the work an earlier run left open: the open inspections of its squads and the posts in force', () => {
    const w = cityOf();
    const squad = w.roster.squads[4]!;
    const at = TEN_AM + STEP;
    const inspections = groundOf(w, 4, 3).map((p, n) => inspectionOf(squad.id, p, n, TEN_AM - HOUR));
    const unitId = w.roster.id[w.roster.squads[5]!.firstUnit]!;
    const post = groundOf(w, 5, 2)[1]!;
    const order: PrepositionOrder = {
      id: 'o-1',
      planId: 'typhoon',
      actionId: 'preposition-city',
      pointId: 'TP-X',
      position: post,
      unitId,
      squadId: w.roster.squads[5]!.id,
      district: w.roster.squads[5]!.district,
      orderedAt: TEN_AM - HOUR,
      due: TEN_AM + HOUR,
    };
    w.resumePlanWork!({ inspections, orders: [order] });
    const r = run(w, at, at + 3 * HOUR);
    expect(
      checksOf(r)
        .map((c) => c.inspectionId)
        .sort(),
    ).toEqual(inspections.map((i) => i.id).sort());
    expect(distanceM(fixBefore(r, unitId, at + 3 * HOUR), post)).toBeLessThan(30);
  });

  it('leaves a unit a live field terminal holds alone', () => {
    const w = cityOf();
    const squad = w.roster.squads[0]!;
    const at = TEN_AM + STEP;
    const held = w.roster.id.slice(squad.firstUnit, squad.firstUnit + squad.unitCount);
    const online = held.map((unitId) =>
      ev(at, 'terminal.changed', { unitId, terminal: { state: 'online', lastSeenAt: at, pending: 0 } }),
    );
    const inspections = groundOf(w, 0, 3).map((p, n) => inspectionOf(squad.id, p, n, at));
    const r = run(w, at, at + 2 * HOUR, new Map([[at, [...online, ev(at, 'inspections.issued', { inspections })]]]));
    expect(checksOf(r)).toEqual([]);
  });

  it('sends a unit ordered to a post there, keeps it there until the order is released, then lets it patrol again', () => {
    const w = cityOf();
    const i = w.roster.squads[3]!.firstUnit;
    const unitId = w.roster.id[i]!;
    const post = groundOf(w, 3, 2)[1]!;
    const at = TEN_AM + STEP;
    const order: PrepositionOrder = {
      id: 'typhoon.preposition-coast.TP-1.0',
      planId: 'typhoon',
      actionId: 'preposition-coast',
      pointId: 'TP-1',
      position: post,
      unitId,
      squadId: w.roster.squads[3]!.id,
      district: w.roster.squads[3]!.district,
      orderedAt: at,
      due: at + 6 * HOUR,
    };
    const release = at + 3 * HOUR;
    const r = run(
      w,
      at,
      release + HOUR,
      new Map([
        [at, [ev(at, 'prepositions.changed', { change: 'ordered', orders: [order] })]],
        [
          release,
          [ev(release, 'prepositions.changed', { change: 'released', orders: [{ ...order, releasedAt: release }] })],
        ],
      ]),
    );
    expect(distanceM(fixBefore(r, unitId, release - STEP), post)).toBeLessThan(30);
    expect(distanceM(fixBefore(r, unitId, release - HOUR), post)).toBeLessThan(30);
    expect(distanceM(fixBefore(r, unitId, release + HOUR), post)).toBeGreaterThan(30);
    expect(w.counters.inspections).toMatchObject({ posts: 1, released: 1 });
  });
});
