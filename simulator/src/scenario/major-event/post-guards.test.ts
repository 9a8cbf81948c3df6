import { describe, expect, it } from 'vitest';
import { FixBatch, InputMessage, type LogEvent, type Task, type UnitRegister } from '@egret/protocol';
import { Rng } from '../../rng.ts';
import { HANDED_BACK } from '../field/field-side.ts';
import { buildRoster } from '../roster.ts';
import { metresBetween } from '../sensors/district-points.ts';
import type { StepOutput } from '../world.ts';
import { PostGuards } from './post-guards.ts';
import { wanderAt } from './post-moves.ts';
import { postUnits } from './post-roster.ts';
import { config, geometry, normalDay } from '../../../test/city.ts';
import { FORUM_FROM, FORUM_TO, forum, onLand } from '../../../test/major-event.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const { squads } = buildRoster({
  districts: config.city.districts,
  lattice: geometry.lattice,
  cells: geometry.cells,
  types: normalDay.units.types,
  speedJitter: 0,
  shifts: normalDay.units.shifts,
  shiftJitterMinutes: 0,
  totalUnits: 240,
  rng: new Rng(1),
});

function guards(seed: number): PostGuards {
  const root = new Rng(seed);
  return new PostGuards({
    units: postUnits({
      event: forum.event,
      unitType: 'enforcement',
      unitsPerPost: [1, 2],
      squads,
      shapes: geometry.shapes,
      spec: geometry.spec,
      rng: root.fork('roster'),
    }),
    profile: forum.file.posts,
    rng: root.fork('posts'),
    offsetMs: 8 * HOUR,
    window: { from: FORUM_FROM, to: FORUM_TO },
    onLand,
  });
}

const fixesOf = (out: StepOutput) => out.fixBatches.flatMap((b) => FixBatch.parse(JSON.parse(b)).fixes);

let seq = 0;
function taskFor(unitId: string, at: number, id = `T-${++seq}`): Task {
  return {
    id,
    caseId: `C-${id}`,
    unitId,
    squadId: 'SQ-350203-01',
    status: 'dispatched',
    createdAt: at,
    updatedAt: at,
    actor: { role: 'dispatcher', id: 'desk' },
    version: 1,
  };
}
const created = (task: Task): LogEvent => ({
  seq: ++seq,
  at: task.createdAt,
  type: 'task.created',
  actor: task.actor,
  task,
});

describe(PostGuards.name, () => {
  it('registers every post unit with its postId, available while the guard is on, and sends each a fix', () => {
    const g = guards(1);
    const out = g.start(FORUM_FROM);
    const regs = out.events.map((e) => InputMessage.parse(e)) as UnitRegister[];
    expect(regs.length).toBe(g.unitIds.length);
    expect(regs.length).toBeGreaterThanOrEqual(6);
    expect(new Set(regs.map((r) => r.postId))).toEqual(new Set(forum.event.posts.map((p) => p.id)));
    for (const r of regs)
      expect(r).toMatchObject({ kind: 'unit.register', type: 'enforcement', status: 'available', at: FORUM_FROM });
    expect(fixesOf(out).map((f) => f.unitId)).toEqual(g.unitIds);
  });

  it('is off duty before the guard and after it, with a status change at each edge and no fixes off duty', () => {
    const g = guards(2);
    const before = g.start(FORUM_FROM - HOUR);
    expect(before.events.every((e) => e.kind === 'unit.register' && e.status === 'off_duty')).toBe(true);
    expect(before.fixCount).toBe(0);
    const on = g.step(FORUM_FROM + 500);
    expect(on.events.map((e) => [e.kind, e.kind === 'unit.status' && e.status, e.at])).toEqual(
      g.unitIds.map(() => ['unit.status', 'available', FORUM_FROM]),
    );
    expect(on.fixCount).toBe(g.unitIds.length);
    g.step(FORUM_TO - 1000);
    const off = g.step(FORUM_TO + 1000);
    expect(off.events.map((e) => [e.kind, e.kind === 'unit.status' && e.status, e.at])).toEqual(
      g.unitIds.map(() => ['unit.status', 'off_duty', FORUM_TO]),
    );
    expect(off.fixCount).toBe(0);
  });

  it('keeps fixes within the post radius except during a wander, and every wander shows off post', () => {
    const g = guards(3);
    g.start(FORUM_FROM);
    const offPost = new Map<string, number>();
    let maxOff = 0;
    for (let t = FORUM_FROM + 10_000; t < FORUM_FROM + 40 * HOUR; t += 10_000) {
      const out = g.step(t);
      maxOff = Math.max(maxOff, g.counters.offPost);
      for (const f of fixesOf(out)) {
        const unitPost = g.unit(f.unitId)!.post;
        const d = metresBetween([f.lon, f.lat], unitPost.position);
        if (d <= unitPost.radiusM) continue;
        const w = wanderAt(g.wandersOf(unitPost.id, t), f.unitId, t);
        expect(w, `${f.unitId} ${d.toFixed(0)} m off at ${new Date(t).toISOString()}`).toBeDefined();
        offPost.set(`${w!.unitId}@${w!.start}`, (offPost.get(`${w!.unitId}@${w!.start}`) ?? 0) + 1);
      }
    }
    expect(offPost.size).toBe(g.counters.wanders);
    expect(g.counters.wanders).toBeGreaterThan(20); // 6 posts, ~3 a day, over 40 hours of it
    for (const n of offPost.values()) expect(n * 10_000).toBeGreaterThanOrEqual(4 * MINUTE);
    expect(maxOff).toBeGreaterThanOrEqual(1);
  });

  it('declines a task given to a post unit after its answer time, with the reason, and not one recalled first', () => {
    const g = guards(4);
    g.start(FORUM_FROM);
    const unitId = g.unitIds[0]!;
    const a = taskFor(unitId, FORUM_FROM + 1000);
    const b = taskFor(g.unitIds[1]!, FORUM_FROM + 1000);
    const stranger = taskFor('U-350203-01-001', FORUM_FROM + 1000);
    g.observe([created(a), created(b), created(stranger)]);
    const sent: InputMessage[] = [];
    for (let t = FORUM_FROM + 2000; t <= FORUM_FROM + 10 * MINUTE; t += 2000) {
      if (t === FORUM_FROM + 10_000)
        g.observe([
          {
            seq: ++seq,
            at: t,
            type: 'task.updated',
            from: 'dispatched',
            to: 'recalled',
            actor: b.actor,
            task: { ...b, status: 'recalled' },
          },
        ]);
      sent.push(...g.step(t).events.filter((e) => e.kind === 'task.update'));
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'task.update',
      taskId: a.id,
      unitId,
      status: 'declined',
      reason: forum.file.posts.declineReason,
    });
    const delay = sent[0]!.at - a.createdAt;
    expect(delay).toBeGreaterThanOrEqual(forum.file.posts.answerMinutes[0] * MINUTE);
    expect(delay).toBeLessThanOrEqual(forum.file.posts.answerMinutes[1] * MINUTE);
    expect(g.counters).toMatchObject({ tasks: 2, declined: 1 });
  });

  it('hands back tasks an earlier run left open for post units, and only theirs', () => {
    const g = guards(5);
    g.start(FORUM_FROM);
    g.handBack([
      taskFor(g.unitIds[0]!, FORUM_FROM - HOUR, 'T-old'),
      taskFor('U-350203-01-001', FORUM_FROM - HOUR, 'T-city'),
    ]);
    const out = g.step(FORUM_FROM + 1000).events.filter((e) => e.kind === 'task.update');
    expect(out).toEqual([
      {
        kind: 'task.update',
        taskId: 'T-old',
        unitId: g.unitIds[0],
        status: 'declined',
        reason: HANDED_BACK,
        at: FORUM_FROM + 1000,
      },
    ]);
  });

  it('plays the same messages and fixes for the same seed and step times', () => {
    const run = (seed: number) => {
      const g = guards(seed);
      const outs = [g.start(FORUM_FROM)];
      for (let t = FORUM_FROM + 30_000; t < FORUM_FROM + 12 * HOUR; t += 30_000) outs.push(g.step(t));
      return JSON.stringify(outs);
    };
    expect(run(6)).toBe(run(6));
    expect(run(7)).not.toBe(run(6));
  });
});
