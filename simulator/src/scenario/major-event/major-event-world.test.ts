import { describe, expect, it } from 'vitest';
import {
  FixBatch,
  InputMessage,
  pointInRing,
  type CaseReport,
  type LogEvent,
  type Task,
  type UnitRegister,
} from '@egret/protocol';
import { metresBetween } from '../sensors/district-points.ts';
import type { StepOutput } from '../world.ts';
import { createMajorEventWorld } from './major-event-world.ts';
import { distanceToRingM } from './event-points.ts';
import { config, geometry, HOUR, normalDay, places } from '../../../test/city.ts';
import { FORUM_FROM, FORUM_TO, forum } from '../../../test/major-event.ts';

const MINUTE = 60_000;

function world(seed: number | string, start: number, totalUnits = 24) {
  return createMajorEventWorld({ scenario: forum, base: normalDay, config, geometry, places, seed, totalUnits, start });
}

/** Every output of a run from `start`, stepping every `stepMs` for `hours`. */
function run(seed: number | string, start: number, hours: number, stepMs: number): StepOutput[] {
  const w = world(seed, start);
  const outputs = [w.start(start)];
  for (let t = start + stepMs; t <= start + hours * HOUR; t += stepMs) outputs.push(w.step(t));
  return outputs;
}

const guardCases = (outputs: StepOutput[]) =>
  outputs
    .flatMap((o) => o.events)
    .filter((e): e is CaseReport => e.kind === 'case.report' && e.caseId.startsWith('HXLT-'));
const inPerimeter = (c: CaseReport) => forum.event.perimeters.some((p) => pointInRing(p.ring, [c.lon, c.lat]));

describe(createMajorEventWorld.name, () => {
  it('plays the same messages and fixes for the same seed and step times, and others for another seed', () => {
    const a = run(7, FORUM_FROM, 3, 10_000);
    expect(JSON.stringify(run(7, FORUM_FROM, 3, 10_000))).toBe(JSON.stringify(a));
    expect(JSON.stringify(run(8, FORUM_FROM, 3, 10_000))).not.toBe(JSON.stringify(a));
    const kinds = new Set(a.flatMap((o) => o.events.map((e) => e.kind)));
    for (const k of ['unit.register', 'sensor.register', 'sensor.reading', 'case.report', 'case.transition'])
      expect(kinds.has(k as InputMessage['kind']), k).toBe(true);
  });

  it('sends messages that all parse as InputMessage and fixes as FixBatch, in time order, none after the step', () => {
    const w = world(3, FORUM_FROM);
    w.start(FORUM_FROM).events.forEach((e) => InputMessage.parse(e));
    for (let t = FORUM_FROM + 30_000; t <= FORUM_FROM + 2 * HOUR; t += 30_000) {
      const out = w.step(t);
      for (const e of out.events) {
        InputMessage.parse(e);
        expect(e.at).toBeLessThanOrEqual(t);
      }
      const ats = out.events.map((e) => e.at);
      expect(ats).toEqual([...ats].sort((x, y) => x - y));
      expect(out.fixBatches.reduce((n, b) => n + FixBatch.parse(JSON.parse(b)).fixes.length, 0)).toBe(out.fixCount);
    }
  });

  it('registers the city’s units and, besides them, its post units with their postId, reserved from dispatch', () => {
    const w = world(1, FORUM_FROM, 48);
    const regs = w.start(FORUM_FROM).events.filter((e): e is UnitRegister => e.kind === 'unit.register');
    expect(w.roster.count).toBe(48);
    const posted = regs.filter((r) => r.postId !== undefined);
    expect(regs.length - posted.length).toBe(48);
    expect(posted.map((r) => r.unitId)).toEqual(w.reservedUnits);
    expect(new Set(posted.map((r) => r.postId))).toEqual(new Set(forum.event.posts.map((p) => p.id)));
    expect(posted.length).toBeGreaterThanOrEqual(forum.event.posts.length);
    expect(posted.length).toBeLessThanOrEqual(2 * forum.event.posts.length);
    for (const r of posted) {
      expect(r).toMatchObject({ type: 'enforcement', status: 'available' });
      expect(w.roster.squads.some((s) => s.id === r.squadId && s.district === r.district)).toBe(true);
    }
    expect(w.counters.posts).toMatchObject({ units: posted.length, wanders: 0 });
  });

  it('keeps post units’ fixes within their radius except for wanders of minutes, and brings them back', () => {
    const outputs = run(4, FORUM_FROM, 30, 10_000);
    const posts = new Map(
      outputs[0]!.events
        .filter((e): e is UnitRegister => e.kind === 'unit.register' && e.postId !== undefined)
        .map((r) => [r.unitId, forum.event.posts.find((p) => p.id === r.postId)!]),
    );
    const offSince = new Map<string, number>();
    const episodes: number[] = [];
    let fixes = 0;
    for (const out of outputs) {
      for (const b of out.fixBatches) {
        for (const f of FixBatch.parse(JSON.parse(b)).fixes) {
          const post = posts.get(f.unitId);
          if (!post) continue;
          fixes++;
          const off = metresBetween([f.lon, f.lat], post.position) > post.radiusM;
          if (off && !offSince.has(f.unitId)) offSince.set(f.unitId, f.at);
          if (!off && offSince.has(f.unitId)) {
            episodes.push((f.at - offSince.get(f.unitId)!) / MINUTE);
            offSince.delete(f.unitId);
          }
        }
      }
    }
    expect(fixes).toBe(posts.size * outputs.length);
    expect(episodes.length).toBeGreaterThanOrEqual(5); // ~3 a post a day over 30 hours, 6 posts
    for (const m of episodes) {
      expect(m).toBeGreaterThan(4.5);
      expect(m).toBeLessThan(21);
    }
    expect(offSince.size).toBeLessThanOrEqual(1); // a wander under way when the run stopped, at most
  });

  it('brings extra 市容 cases in and around the perimeters while the event is on, through the city’s intake, and none after it', () => {
    const outputs = run(5, FORUM_TO - 6 * HOUR, 9, 30_000);
    const extra = guardCases(outputs);
    expect(extra.length).toBeGreaterThan(15); // ≈ 5 an hour in the evening before 22:00
    expect(extra.every((c) => c.at < FORUM_TO)).toBe(true);
    expect(extra.filter(inPerimeter).length / extra.length).toBeGreaterThan(0.55);
    for (const c of extra) {
      const d = Math.min(
        ...forum.event.perimeters.map((p) =>
          pointInRing(p.ring, [c.lon, c.lat]) ? 0 : distanceToRingM(p.ring, [c.lon, c.lat]),
        ),
      );
      expect(d).toBeLessThanOrEqual(forum.file.cases.location.aroundM);
    }
    const events = outputs.flatMap((o) => o.events);
    const filed = new Set(
      events
        .filter((e) => e.kind === 'case.transition' && e.to === 'filed')
        .map((e) => (e as { caseId: string }).caseId),
    );
    expect(extra.filter((c) => filed.has(c.caseId)).length / extra.length).toBeGreaterThan(0.8);
    // The city's own cases go on after the event; inside the perimeters they fall back to their everyday few.
    const reports = events.filter((e): e is CaseReport => e.kind === 'case.report');
    const perHourInside = (from: number, to: number) =>
      (reports.filter((c) => c.at >= from && c.at < to && inPerimeter(c)).length / (to - from)) * HOUR;
    expect(reports.filter((c) => c.at >= FORUM_TO).length).toBeGreaterThan(50);
    expect(perHourInside(FORUM_TO - 6 * HOUR, FORUM_TO)).toBeGreaterThan(
      3 * Math.max(0.5, perHourInside(FORUM_TO, FORUM_TO + 3 * HOUR)),
    );
  });

  it('brings no guard cases and holds no posts before the event starts', () => {
    const outputs = run(6, FORUM_FROM - 3 * HOUR, 6, 30_000);
    const extra = guardCases(outputs);
    expect(extra.length).toBeGreaterThan(0);
    expect(Math.min(...extra.map((c) => c.at))).toBeGreaterThanOrEqual(FORUM_FROM);
    const posted = outputs[0]!.events.filter(
      (e): e is UnitRegister => e.kind === 'unit.register' && e.postId !== undefined,
    );
    expect(posted.every((r) => r.status === 'off_duty')).toBe(true);
    const up = outputs
      .flatMap((o) => o.events)
      .filter((e) => e.kind === 'unit.status' && posted.some((r) => r.unitId === e.unitId));
    expect(up.map((e) => [e.at, e.kind === 'unit.status' && e.status])).toEqual(
      posted.map(() => [FORUM_FROM, 'available']),
    );
  });

  it('declines a task the hub gives a post unit, leaving the city’s field side out of it', () => {
    const w = world(9, FORUM_FROM);
    w.start(FORUM_FROM);
    const unitId = w.reservedUnits![0]!;
    const task: Task = {
      id: 'T-post-1',
      caseId: 'C-1',
      unitId,
      squadId: 'SQ-350203-01',
      status: 'dispatched',
      createdAt: FORUM_FROM + 5_000,
      updatedAt: FORUM_FROM + 5_000,
      actor: { role: 'dispatcher', id: 'desk' },
      version: 1,
    };
    const log: LogEvent[] = [{ seq: 1, at: task.createdAt, type: 'task.created', actor: task.actor, task }];
    w.observe!(log);
    const updates = [];
    for (let t = FORUM_FROM + 10_000; t <= FORUM_FROM + 20 * MINUTE; t += 10_000)
      updates.push(...w.step(t).events.filter((e) => e.kind === 'task.update'));
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      taskId: 'T-post-1',
      unitId,
      status: 'declined',
      reason: forum.file.posts.declineReason,
    });
    expect(w.counters.posts).toMatchObject({ tasks: 1, declined: 1 });
  });
});
