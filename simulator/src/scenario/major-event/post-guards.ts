import { FINISHED_TASK_STATUSES, type InputMessage, type LogEvent, type LonLat, type Task } from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import { HANDED_BACK } from '../field/field-side.ts';
import { FixBatchWriter } from '../fix-batches.ts';
import { localDay } from '../sensors/daily.ts';
import { metresBetween } from '../sensors/district-points.ts';
import type { PostCounters, StepOutput } from '../world.ts';
import type { PostsProfile } from './major-event-config.ts';
import { postUnitPosition, postWanders, wanderAt, type Wander } from './post-moves.ts';
import type { Post, PostUnit } from './post-roster.ts';

const MINUTE_MS = 60_000;

export interface PostGuardsInput {
  units: readonly PostUnit[];
  profile: PostsProfile;
  /** The posts' stream; every draw forks from it by unit, post, day or task. */
  rng: Rng;
  offsetMs: number;
  /** While the posts are held (the event's window): units are on duty only then. */
  window: { from: number; to: number };
  /** Whether a point is on the city's land (a wander never heads out to sea). */
  onLand: (p: LonLat) => boolean;
  maxFixesPerBatch?: number;
}

/**
 * The units holding a major event's fixed posts, as their devices and the roster system report them: registered
 * with their `postId`, on duty while the guard is on (`unit.status` at its start and end), a fix every step from
 * where `postUnitPosition` puts them — at the post, or off it on one of the day's wanders, so the wall's off-post
 * alarm has something to show. A post unit does not leave its post for a task: one the hub gives it anyway is
 * declined after `answerMinutes` with `declineReason` (the simulator's auto-dispatcher never offers them cases; a
 * person at the desk may). Deterministic: positions are pure functions of (stream, unit, t), plans of the day and
 * the post, answers of the task.
 */
export class PostGuards {
  readonly unitIds: readonly string[];
  readonly counters: PostCounters;
  private readonly writer: FixBatchWriter;
  private readonly byId: Map<string, PostUnit>;
  private readonly posts: Map<string, { post: Post; units: PostUnit[] }>;
  private readonly plans = new Map<string, Wander[]>();
  private inbox: LogEvent[] = [];
  private handedBack: Task[] = [];
  /** Declines waiting for their time, by task id. */
  private readonly answers = new Map<string, { task: Task; at: number }>();
  private last = 0;

  constructor(private readonly o: PostGuardsInput) {
    this.unitIds = o.units.map((u) => u.id);
    this.byId = new Map(o.units.map((u) => [u.id, u]));
    this.posts = new Map();
    for (const u of o.units) {
      const entry = this.posts.get(u.post.id) ?? { post: u.post, units: [] };
      entry.units.push(u);
      this.posts.set(u.post.id, entry);
    }
    this.writer = new FixBatchWriter(o.maxFixesPerBatch ?? 1000);
    this.counters = { units: o.units.length, offPost: 0, wanders: 0, tasks: 0, declined: 0 };
  }

  /** The post unit with this id, if it is one. */
  unit(unitId: string): PostUnit | undefined {
    return this.byId.get(unitId);
  }

  /** Whether the posts are held at t. */
  onDuty(t: number): boolean {
    return t >= this.o.window.from && t < this.o.window.to;
  }

  /** The wanders of a post on the local day holding t (cached for the day and the one before). */
  wandersOf(postId: string, t: number): Wander[] {
    const day = localDay(t, this.o.offsetMs);
    const key = `${postId}/${day}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const entry = this.posts.get(postId)!;
      plan = postWanders(
        entry.post,
        entry.units,
        this.o.profile,
        this.o.rng,
        day,
        this.o.offsetMs,
        this.o.window,
        this.o.onLand,
      );
      this.plans.set(key, plan);
      for (const k of this.plans.keys()) if (Number(k.slice(k.lastIndexOf('/') + 1)) < day - 1) this.plans.delete(k);
    }
    return plan;
  }

  /** Where unit `unitId` reports itself at t. */
  positionOf(unitId: string, t: number): LonLat {
    const u = this.byId.get(unitId)!;
    return postUnitPosition(u, this.o.profile, this.o.rng, wanderAt(this.wandersOf(u.post.id, t), u.id, t), t);
  }

  start(now: number): StepOutput {
    this.last = now;
    const status = this.onDuty(now) ? 'available' : 'off_duty';
    const events: InputMessage[] = this.o.units.map((u) => ({
      kind: 'unit.register',
      unitId: u.id,
      name: u.name,
      type: u.type,
      squadId: u.squadId,
      district: u.district,
      status,
      postId: u.post.id,
      at: now,
    }));
    this.fixes(now);
    return this.take(events);
  }

  step(now: number): StepOutput {
    const from = this.last;
    this.last = now;
    const events: InputMessage[] = [];
    for (const edge of [this.o.window.from, this.o.window.to]) {
      if (edge > from && edge <= now) {
        const status = this.onDuty(edge) ? 'available' : 'off_duty';
        for (const u of this.o.units) events.push({ kind: 'unit.status', unitId: u.id, status, at: edge });
      }
    }
    for (const [postId] of this.posts) {
      for (const w of this.wandersOf(postId, now)) if (w.start > from && w.start <= now) this.counters.wanders++;
    }
    events.push(...this.answer(now));
    this.fixes(now);
    return this.take(events.sort((a, b) => a.at - b.at));
  }

  /** Log events from the hub, taken in at the next step: tasks for post units, and tasks ended by others. */
  observe(events: readonly LogEvent[]): void {
    for (const e of events) this.inbox.push(e);
  }

  /** Tasks the hub still holds open for post units from an earlier run: declined at the next step. */
  handBack(tasks: readonly Task[]): void {
    for (const t of tasks) if (this.byId.has(t.unitId)) this.handedBack.push(t);
  }

  private answer(now: number): InputMessage[] {
    for (const e of this.inbox) {
      if (e.type === 'task.created' && this.byId.has(e.task.unitId) && !this.answers.has(e.task.id)) {
        const [lo, hi] = this.o.profile.answerMinutes;
        const delay = this.o.rng.fork(`task/${e.task.id}`).range(lo, hi) * MINUTE_MS;
        // Never earlier than this step: what is already sent stays in time order.
        this.answers.set(e.task.id, { task: e.task, at: Math.max(now, Math.round(e.task.createdAt + delay)) });
        this.counters.tasks++;
      } else if (e.type === 'task.updated' && FINISHED_TASK_STATUSES.has(e.to)) {
        this.answers.delete(e.task.id);
      }
    }
    this.inbox = [];
    const out: InputMessage[] = [];
    for (const t of this.handedBack) {
      out.push({
        kind: 'task.update',
        taskId: t.id,
        unitId: t.unitId,
        status: 'declined',
        reason: HANDED_BACK,
        at: now,
      });
      this.counters.declined++;
    }
    this.handedBack = [];
    for (const [id, a] of this.answers) {
      if (a.at > now) continue;
      this.answers.delete(id);
      out.push({
        kind: 'task.update',
        taskId: id,
        unitId: a.task.unitId,
        status: 'declined',
        reason: this.o.profile.declineReason,
        at: a.at,
      });
      this.counters.declined++;
    }
    return out;
  }

  private fixes(now: number): void {
    let off = 0;
    if (this.onDuty(now)) {
      for (const u of this.o.units) {
        const p = this.positionOf(u.id, now);
        this.writer.add(u.id, p[0], p[1], now);
        if (metresBetween(p, u.post.position) > u.post.radiusM) off++;
      }
    }
    this.counters.offPost = off;
  }

  private take(events: InputMessage[]): StepOutput {
    const { batches, count } = this.writer.take();
    return { events, fixBatches: batches, fixCount: count };
  }
}
