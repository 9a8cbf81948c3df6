import type { CategoryDictionary, FieldResponse, VerificationProfile } from '@egret/config';
import {
  FINISHED_TASK_STATUSES,
  type CaseTransition,
  type CategoryRef,
  type InputMessage,
  type LogEvent,
  type LonLat,
  type Task,
} from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import { Agenda } from '../agenda.ts';
import type { Duty } from '../duty.ts';
import type { Patrols } from '../patrols.ts';
import { UNIT_TYPES, type Roster } from '../roster.ts';
import type { FieldCounters } from '../world.ts';
import { advanceJob, startJob, type FieldJob } from './field-job.ts';
import { planTask, type TaskSituation } from './task-plan.ts';
import { inspectorOf, planVerification } from './verification.ts';

/** A task whose case has not shown up this long is answered without it (the field app cannot show where to go). */
const CASE_WAIT_MS = 2 * 60_000;
/** Dispatched cases nobody of ours picked up are forgotten after this long. */
const FORGET_MS = 10 * 60_000;
/** Why a task left open by an earlier run is handed back. */
export const HANDED_BACK = '终端重启，任务退回重派';

export interface FieldSideInput {
  roster: Roster;
  patrols: Patrols;
  duty: Duty;
  field: FieldResponse;
  verification: VerificationProfile;
  categories: CategoryDictionary;
  /** The field's own stream; each task and each verification forks its own from it by id. */
  rng: Rng;
  /** Units a live field terminal holds (issue #16): a real phone answers their tasks, not this. */
  held?: (unitId: string) => boolean;
}

interface CaseAt {
  position: LonLat;
  category: CategoryRef;
  seenAt: number;
}

/**
 * The field side of the case loop, played like the squads' field apps and the inspectors: it reads what the hub
 * logged (`observe`), and for every task given to a unit it plays, answers, travels, works and reports its
 * milestones (task.update); every handled case is verified by its district's inspector (case.transition). Decisions
 * come from per-task and per-case random streams; times are world times.
 *
 * Call `observe` whenever log events arrive, `receive(now)` before units move and `advance(now)` after: units set
 * off at one step and are seen arriving at a later one.
 */
export class FieldSide {
  readonly counters: FieldCounters = {
    tasks: 0,
    accepted: 0,
    declined: 0,
    timedOut: 0,
    done: 0,
    ended: 0,
    verified: 0,
    reworked: 0,
  };
  private inbox: LogEvent[] = [];
  private readonly unitIndex: Map<string, number>;
  private readonly jobs = new Map<number, FieldJob>();
  private readonly jobOfTask = new Map<string, number>();
  private readonly target = new Map<number, LonLat>();
  /** Tasks for our units waiting for their case's position, and dispatched cases by task id. */
  private readonly waiting = new Map<string, { task: Task; seenAt: number }>();
  private readonly caseOfTask = new Map<string, CaseAt>();
  /** Cases under verification → the round being verified; a step is sent only while its round is current. */
  private readonly checks = new Map<string, string>();
  private readonly agenda = new Agenda<{ round: string; message: CaseTransition }>();
  private handedBack: Task[] = [];

  constructor(private readonly o: FieldSideInput) {
    this.unitIndex = new Map(o.roster.id.map((id, i) => [id, i]));
  }

  /** Log events from the hub, kept until the next step. */
  observe(events: readonly LogEvent[]): void {
    for (const e of events) this.inbox.push(e);
  }

  /**
   * Tasks the hub still holds open for our units from before this run (the simulator restarted): their field apps
   * start afresh and hand them back (declined, with the reason) at the next step, so the cases are dispatched again
   * instead of waiting for ever.
   */
  handBack(tasks: readonly Task[]): void {
    for (const t of tasks) if (this.unitIndex.has(t.unitId)) this.handedBack.push(t);
  }

  /** Whether unit i has a task: its duty status stays as it is until the task ends (the hub shows it busy). */
  busy(i: number): boolean {
    return this.jobs.has(i);
  }

  /** Takes in what the hub logged since the last step: new tasks, tasks ended by others, cases to verify. */
  receive(now: number): void {
    const events = this.inbox;
    this.inbox = [];
    for (const e of events) {
      switch (e.type) {
        case 'task.created':
          if (this.unitIndex.has(e.task.unitId) && !this.o.held?.(e.task.unitId))
            this.waiting.set(e.task.id, { task: e.task, seenAt: now });
          break;
        case 'task.updated':
          if (FINISHED_TASK_STATUSES.has(e.to)) {
            this.waiting.delete(e.task.id);
            const i = this.jobOfTask.get(e.task.id);
            if (i !== undefined) {
              this.endJob(i, now);
              this.counters.ended++;
            }
          }
          break;
        case 'case.transitioned':
          this.caseMoved(e, now);
          break;
        default:
          break;
      }
    }
    for (const [taskId, w] of this.waiting) {
      const c = this.caseOfTask.get(taskId);
      if (c || now - w.seenAt >= CASE_WAIT_MS) {
        this.waiting.delete(taskId);
        this.caseOfTask.delete(taskId);
        this.startTask(w.task, c, now);
      }
    }
    for (const [taskId, c] of this.caseOfTask) {
      if (now - c.seenAt < FORGET_MS) break; // insertion order is time order
      this.caseOfTask.delete(taskId);
    }
  }

  /** Milestones and verification steps due by `now`, after units have moved. */
  advance(now: number): InputMessage[] {
    const out: InputMessage[] = [];
    const { patrols } = this.o;
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
    for (const [i, job] of this.jobs) {
      const r = advanceJob(job, now, patrols.arrived(i));
      for (const s of r.steps) {
        out.push({
          kind: 'task.update',
          taskId: job.taskId,
          unitId: job.unitId,
          status: s.status,
          at: s.at,
          ...(s.reason ? { reason: s.reason } : {}),
        });
        if (s.status === 'accepted') this.counters.accepted++;
        else if (s.status === 'declined') this.counters.declined++;
        else if (s.status === 'timed_out') this.counters.timedOut++;
        else if (s.status === 'done') this.counters.done++;
      }
      for (const effect of r.effects) {
        if (effect === 'depart') this.depart(i);
        else this.endJob(i, now);
      }
      if (r.job) this.jobs.set(i, r.job);
    }
    for (const { round, message } of this.agenda.due(now)) {
      if (this.checks.get(message.caseId) !== round) continue;
      out.push(message);
      if (message.to !== 'verifying') {
        this.checks.delete(message.caseId);
        if (message.to === 'closed') this.counters.verified++;
        else this.counters.reworked++;
      }
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private caseMoved(e: Extract<LogEvent, { type: 'case.transitioned' }>, now: number): void {
    const c = e.case;
    if (e.to === 'dispatched' && c.taskId !== undefined) {
      this.caseOfTask.set(c.taskId, { position: c.position, category: c.category, seenAt: now });
    }
    // Someone else took the case on (a commander verified or reworked it): the inspector's plan is void.
    const inspector = inspectorOf(c.district);
    if (this.checks.has(c.id) && !(e.actor.role === inspector.role && e.actor.id === inspector.id))
      this.checks.delete(c.id);
    if (e.to === 'handled') {
      const handled = c.history.filter((s) => s.to === 'handled').length;
      const round = `${c.id}#${handled}`;
      this.checks.set(c.id, round);
      const rng = this.o.rng.fork(`verify/${round}`);
      for (const message of planVerification(
        { caseId: c.id, district: c.district, handledAt: e.at },
        this.o.verification,
        rng,
      )) {
        this.agenda.add(message.at, { round, message });
      }
    }
  }

  private startTask(task: Task, c: CaseAt | undefined, now: number): void {
    const i = this.unitIndex.get(task.unitId)!;
    if (this.jobs.has(i)) this.endJob(i, now); // the hub knows better: the old task is over
    const { roster, patrols, duty, field } = this.o;
    const unitType = UNIT_TYPES[roster.type[i]!]!;
    const status = duty.statusOf(i);
    const situation: TaskSituation = {
      unitType,
      group: c ? this.o.categories.group(c.category.standard, c.category.code) : undefined,
      unitState: status === 'off_duty' ? 'off_duty' : status === 'offline' ? 'offline' : 'ready',
      reachable:
        c !== undefined &&
        (unitType === 'drone' ||
          patrols.offLatticeM(i, c.position[0], c.position[1], field.maxOffLatticeM) !== undefined),
    };
    const plan = planTask(situation, field, this.o.rng.fork(`task/${task.id}`));
    this.jobs.set(
      i,
      startJob({ id: task.id, caseId: task.caseId, unitId: task.unitId, createdAt: task.createdAt }, plan),
    );
    this.jobOfTask.set(task.id, i);
    if (c) this.target.set(i, c.position);
    this.counters.tasks++;
  }

  private depart(i: number): void {
    const [lon, lat] = this.target.get(i)!;
    const type = UNIT_TYPES[this.o.roster.type[i]!]!;
    const o = {
      maxOffM: this.o.field.maxOffLatticeM,
      straight: type === 'drone',
      speedMps: this.o.field.travelSpeedMps[type],
    };
    // Reachability was checked when the task arrived, and the roads do not change.
    if (!this.o.patrols.goToPoint(i, lon, lat, o)) this.o.patrols.goToPoint(i, lon, lat, { ...o, straight: true });
  }

  private endJob(i: number, now: number): void {
    const job = this.jobs.get(i);
    if (job) this.jobOfTask.delete(job.taskId);
    this.jobs.delete(i);
    this.target.delete(i);
    this.o.patrols.release(i, now);
  }
}
