import { describe, expect, it } from 'vitest';
import {
  FixBatch,
  haversineM,
  type Case,
  type CaseStatus,
  type InputMessage,
  type LogEvent,
  type LonLat,
  type Task,
} from '@egret/protocol';
import type { CityScenarioFile } from '@egret/config';
import { createCityWorld } from '../city-world.ts';
import { UNIT_TYPES } from '../roster.ts';
import type { World } from '../world.ts';
import { config, geometry, HOUR, MIDNIGHT, normalDay, places } from '../../../test/city.ts';

const TEN_AM = MIDNIGHT + 10 * HOUR;
const MIN = 60_000;
/** World step of these runs: coarser than the simulator's second, to keep the test quick. */
const STEP = 5_000;

/** normal-day with no cases of its own, everyone on duty and online: only the tasks the test gives happen. */
const quiet: CityScenarioFile = {
  ...normalDay,
  cases: { ...normalDay.cases, perDay: 0 },
  units: {
    ...normalDay.units,
    shifts: [{ name: 'all-day', from: '00:00', to: '24:00', share: 1 }],
    offline: { ...normalDay.units.offline, perUnitPerHour: 0 },
  },
};

function cityOf(scenario: CityScenarioFile = quiet): World {
  const w = createCityWorld({ scenario, config, geometry, places, seed: 5, totalUnits: 60, start: TEN_AM });
  w.start(TEN_AM);
  return w;
}

let seq = 0;
function caseAt(id: string, position: LonLat, status: CaseStatus, extra: Partial<Case> = {}): Case {
  return {
    id,
    category: { code: '09006', standard: 'GB/T 47678.5-2026', name: '占道经营' },
    source: 'patrol',
    urgency: 'normal',
    position,
    address: '',
    district: '350203',
    status,
    reportedAt: TEN_AM,
    supervised: false,
    history: [{ to: 'reported', at: TEN_AM, actor: { role: 'upstream', id: 'upstream' } }],
    version: 1,
    ...extra,
  };
}

/** What the hub logs when it dispatches case `caseId` to `unitId` at `at`. */
function dispatched(caseId: string, unitId: string, position: LonLat, at: number): LogEvent[] {
  const task: Task = {
    id: `T-${caseId}`,
    caseId,
    unitId,
    squadId: 'SQ',
    status: 'dispatched',
    createdAt: at,
    updatedAt: at,
    actor: { role: 'commander', id: 'x' },
    version: 0,
  };
  return [
    { seq: ++seq, at, type: 'task.created', actor: task.actor, task },
    {
      seq: ++seq,
      at,
      type: 'case.transitioned',
      from: 'filed',
      to: 'dispatched',
      actor: task.actor,
      case: caseAt(caseId, position, 'dispatched', { taskId: task.id }),
    },
  ];
}

/** A unit of the given type that is on duty, and a point ~1 km from it on its own land, off the lattice. */
function unitAndCase(w: World, type: string): { i: number; unitId: string; target: LonLat } {
  const r = w.roster;
  const i = r.type.findIndex((t) => UNIT_TYPES[t] === type);
  const l = geometry.lattice;
  const start = r.beat[i]![0]!;
  const squad = r.squads[r.squad[i]!]!;
  const far = [...squad.nodes].find((n) => {
    const d = haversineM([l.lon[n]!, l.lat[n]!], [l.lon[start]!, l.lat[start]!]);
    return d > 900 && d < 1500 && l.component[n] === l.component[start];
  })!;
  return { i, unitId: r.id[i]!, target: [l.lon[far]! + 0.0003, l.lat[far]! + 0.0002] };
}

interface Run {
  messages: InputMessage[];
  fixes: Map<number, LonLat>;
}

/** Steps the world every STEP from `from` to `to`, collecting what it sends and the unit's fixes by time. */
function run(w: World, unitId: string, from: number, to: number, feed: Map<number, LogEvent[]> = new Map()): Run {
  const out: Run = { messages: [], fixes: new Map() };
  for (let t = from; t <= to; t += STEP) {
    const events = feed.get(t);
    if (events) w.observe!(events);
    const step = w.step(t);
    out.messages.push(...step.events);
    for (const b of step.fixBatches) {
      if (!b.includes(unitId)) continue;
      for (const f of FixBatch.parse(JSON.parse(b)).fixes) if (f.unitId === unitId) out.fixes.set(f.at, [f.lon, f.lat]);
    }
  }
  return out;
}

/** The unit's fix at the step at or before `t`. */
const fixAt = (r: Run, t: number): LonLat => r.fixes.get(t - ((t - TEN_AM) % STEP))!;

const updatesOf = (r: Run, taskId: string) =>
  r.messages.filter(
    (m): m is Extract<InputMessage, { kind: 'task.update' }> => m.kind === 'task.update' && m.taskId === taskId,
  );

describe('FieldSide in a city world', () => {
  it('leaves a unit a live field terminal holds alone, and plays it again once the terminal goes offline', () => {
    const w = cityOf();
    const { unitId, target } = unitAndCase(w, 'enforcement');
    const terminal = (seqAt: number, state: 'online' | 'offline'): LogEvent => ({
      seq: ++seq,
      at: seqAt,
      type: 'terminal.changed',
      unitId,
      terminal: { state, lastSeenAt: seqAt, pending: 0 },
    });
    const at = TEN_AM + STEP;
    const feed = new Map([
      [at, [terminal(at, 'online'), ...dispatched('C-HELD', unitId, target, at)]],
      [TEN_AM + HOUR, [terminal(TEN_AM + HOUR, 'offline')]],
    ]);
    const r = run(w, unitId, at, TEN_AM + 2 * HOUR, feed);
    expect(updatesOf(r, 'T-C-HELD')).toEqual([]);
    const fixTimes = [...r.fixes.keys()];
    expect(fixTimes.filter((t) => t < TEN_AM + HOUR)).toEqual([]);
    expect(fixTimes.filter((t) => t > TEN_AM + HOUR).length).toBeGreaterThan(0);
  });

  it('plays a task through: accepts, travels to the case, works on scene, reports done, then patrols again', () => {
    const w = cityOf();
    const { unitId, target } = unitAndCase(w, 'enforcement');
    const at = TEN_AM + STEP;
    const r = run(w, unitId, TEN_AM + STEP, TEN_AM + 3 * HOUR, new Map([[at, dispatched('C-1', unitId, target, at)]]));
    const updates = updatesOf(r, 'T-C-1');
    expect(updates.map((u) => u.status)).toEqual(['accepted', 'en_route', 'on_scene', 'done']);
    for (let k = 1; k < updates.length; k++) expect(updates[k]!.at).toBeGreaterThan(updates[k - 1]!.at);
    const [accepted, enRoute, onScene, done] = updates.map((u) => u.at) as [number, number, number, number];
    const f = normalDay.field;
    expect(accepted - at).toBeGreaterThanOrEqual(f.answerMinutes.enforcement[0] * MIN);
    expect(accepted - at).toBeLessThanOrEqual(f.answerMinutes.enforcement[1] * MIN);
    expect(done - onScene).toBeGreaterThanOrEqual(f.workMinutes.byGroup.street![0] * MIN);
    expect(done - onScene).toBeLessThanOrEqual(f.workMinutes.byGroup.street![1] * MIN);

    // On the way it closes in on the case; on scene it stands at the case; after done it walks on.
    const dist = (t: number) => haversineM(fixAt(r, t), target);
    const leave = enRoute + STEP;
    expect(dist(leave)).toBeGreaterThan(500);
    const trip = [leave, leave + (onScene - leave) / 3, leave + (2 * (onScene - leave)) / 3, onScene].map(dist);
    for (let k = 1; k < trip.length; k++) expect(trip[k]!).toBeLessThan(trip[k - 1]!);
    expect(dist(onScene)).toBeLessThan(1);
    expect(dist(onScene + (done - onScene) / 2)).toBeLessThan(1);
    expect(dist(done + 10 * MIN)).toBeGreaterThan(100);
    // Its status is the hub's business while the task runs: no unit.status from the roster meanwhile.
    expect(r.messages.some((m) => m.kind === 'unit.status' && m.unitId === unitId && m.at > at && m.at < done)).toBe(
      false,
    );
  });

  it('stops playing a task someone else ended, and lets the unit go back to its beat', () => {
    const w = cityOf();
    const { unitId, target } = unitAndCase(w, 'enforcement');
    const at = TEN_AM + STEP;
    const first = run(
      w,
      unitId,
      TEN_AM + STEP,
      TEN_AM + 20 * MIN,
      new Map([[at, dispatched('C-2', unitId, target, at)]]),
    );
    expect(updatesOf(first, 'T-C-2').map((u) => u.status)).toContain('en_route');
    const recallAt = TEN_AM + 20 * MIN + STEP;
    const task: Task = {
      id: 'T-C-2',
      caseId: 'C-2',
      unitId,
      squadId: 'SQ',
      status: 'recalled',
      createdAt: at,
      updatedAt: recallAt,
      actor: { role: 'commander', id: 'x' },
      version: 3,
    };
    const recall: LogEvent = {
      seq: ++seq,
      at: recallAt,
      type: 'task.updated',
      from: 'en_route',
      to: 'recalled',
      actor: task.actor,
      task,
    };
    const after = run(w, unitId, recallAt, recallAt + 3 * HOUR, new Map([[recallAt, [recall]]]));
    expect(updatesOf(after, 'T-C-2')).toEqual([]);
    expect(haversineM(fixAt(after, recallAt + 3 * HOUR), target)).toBeGreaterThan(100);
  });

  it('declines a task for a case it cannot reach, and has the desk time out one whose unit never answers', () => {
    const w = cityOf({ ...quiet, field: { ...quiet.field, silentShare: 1, declineShare: 0 } });
    const { unitId } = unitAndCase(w, 'enforcement');
    const other = unitAndCase(w, 'inspector');
    const at = TEN_AM + STEP;
    const feed = new Map([
      [
        at,
        [
          ...dispatched('C-3', unitId, [118.067, 24.447] /* Gulangyu: no road goes there */, at),
          ...dispatched('C-4', other.unitId, other.target, at),
        ],
      ],
    ]);
    const r = run(w, unitId, TEN_AM + STEP, TEN_AM + 30 * MIN, feed);
    expect(updatesOf(r, 'T-C-3')).toEqual([
      expect.objectContaining({ status: 'declined', reason: '非本辖区，无法到达现场' }),
    ]);
    expect(updatesOf(r, 'T-C-4')).toEqual([
      expect.objectContaining({ status: 'timed_out', at: at + 15 * MIN, unitId: other.unitId }),
    ]);
  });

  it('has the district inspector verify a handled case, unless someone else gets there first', () => {
    const w = cityOf();
    const at = TEN_AM + STEP;
    const handled = (id: string): LogEvent => ({
      seq: ++seq,
      at,
      type: 'case.transitioned',
      from: 'in_progress',
      to: 'handled',
      actor: { role: 'field', id: 'U' },
      case: caseAt(id, [118.09, 24.46], 'handled', {
        history: [{ to: 'handled', at, actor: { role: 'field', id: 'U' } }],
      }),
    });
    const byCommander: LogEvent = {
      seq: ++seq,
      at: at + STEP,
      type: 'case.transitioned',
      from: 'handled',
      to: 'verifying',
      actor: { role: 'commander', id: 'lead' },
      case: caseAt('C-6', [118.09, 24.46], 'verifying'),
    };
    const feed = new Map([
      [at, [handled('C-5'), handled('C-6')]],
      [at + STEP, [byCommander]],
    ]);
    const r = run(w, 'none', TEN_AM + STEP, TEN_AM + 4 * HOUR, feed);
    const steps = r.messages.filter((m) => m.kind === 'case.transition');
    expect(steps.map((s) => s.kind === 'case.transition' && [s.caseId, s.to, s.actor.id])).toEqual([
      ['C-5', 'verifying', 'inspector-350203'],
      ['C-5', 'closed', 'inspector-350203'],
    ]);
    expect(steps[0]!.at).toBeGreaterThan(at);
  });

  it('plays the same tasks the same way for the same seed', () => {
    const play = () => {
      const w = cityOf();
      const { unitId, target } = unitAndCase(w, 'sanitation');
      const at = TEN_AM + STEP;
      return updatesOf(
        run(w, unitId, TEN_AM + STEP, TEN_AM + 2 * HOUR, new Map([[at, dispatched('C-7', unitId, target, at)]])),
        'T-C-7',
      );
    };
    const a = play();
    expect(a.length).toBeGreaterThanOrEqual(1);
    expect(play()).toEqual(a);
  });
});
