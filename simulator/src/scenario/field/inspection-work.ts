import type { FieldResponse } from '@egret/config';
import type { Inspection, InspectionCheck, LogEvent, LonLat, PointKind, PrepositionOrder } from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import type { Duty } from '../duty.ts';
import type { Patrols } from '../patrols.ts';
import { UNIT_TYPES, type Roster } from '../roster.ts';

/**
 * How squads work a plan's rounds (issue #17): how long a unit stays at a point of each kind, and how often it finds
 * a problem there. The shares are a drill's assumption (the bureau's report gives none): one check in seven to ten
 * finds something, a little more at construction sites and assessment points, the most at a ponding point in a storm.
 */
export interface InspectionProfile {
  /** Minutes at the point, [min, max] (uniform). */
  dwellMinutes: Readonly<Record<PointKind, readonly [number, number]>>;
  /** Share of checks that find a problem. */
  problemShare: Readonly<Record<PointKind, number>>;
  /** At most this share of a squad's units on duty walk the round at once; the rest patrol and take cases. */
  maxUnitShare: number;
  /** What a problem found is, by kind: one is drawn for the check's note. */
  problems: Readonly<Record<PointKind, readonly string[]>>;
}

export const DEFAULT_INSPECTION_PROFILE: InspectionProfile = {
  dwellMinutes: {
    assessment_point: [5, 15],
    construction_site: [10, 25],
    billboard: [3, 8],
    street_tree: [3, 8],
    ponding_point: [10, 20],
    restaurant: [5, 12],
    post: [2, 5],
  },
  problemShare: {
    assessment_point: 0.15,
    construction_site: 0.15,
    billboard: 0.1,
    street_tree: 0.1,
    ponding_point: 0.2,
    restaurant: 0.12,
    post: 0,
  },
  maxUnitShare: 0.5,
  problems: {
    assessment_point: ['占道经营', '流动摊贩乱摆卖', '暴露垃圾', '乱张贴小广告', '非机动车乱停放', '店外经营'],
    construction_site: ['工地扬尘未覆盖', '围挡破损', '渣土车未密闭', '夜间违规施工', '出入口未冲洗'],
    billboard: ['广告牌松动', '招牌固定件锈蚀', '违规户外广告'],
    street_tree: ['行道树倾斜', '枯枝未修剪', '支撑缺失'],
    ponding_point: ['路面积水', '雨水箅子堵塞', '排水不畅'],
    restaurant: ['油烟净化器未开启', '油烟直排', '净化器未清洗'],
    post: ['未按时到岗'],
  },
};

/** Metres between two points (equirectangular: a few km at most). */
export function distanceM(a: LonLat, b: LonLat): number {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * 111_320 * k, (a[1] - b[1]) * 110_800);
}

/**
 * The inspection a free unit of the squad goes to next: the nearest open one nobody is on, among those due first
 * (a round due sooner before a later one; within a round, the nearest point). Undefined when there is none.
 */
export function nextInspection(
  from: LonLat,
  open: Iterable<Inspection>,
  taken: ReadonlySet<string>,
): Inspection | undefined {
  let best: Inspection | undefined;
  let bestD = Infinity;
  for (const i of open) {
    if (i.status !== 'open' || taken.has(i.id)) continue;
    const d = distanceM(from, i.position);
    if (!best || i.due < best.due || (i.due === best.due && d < bestD)) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** What a unit will find at a point, drawn once from the inspection's own stream: how long it stays and what it sees. */
export interface CheckPlan {
  dwellMs: number;
  result: 'passed' | 'problem';
  note?: string;
}

export function planCheck(kind: PointKind, profile: InspectionProfile, rng: Rng): CheckPlan {
  const [lo, hi] = profile.dwellMinutes[kind];
  const dwellMs = Math.round(rng.range(lo, hi) * 60_000);
  if (!rng.chance(profile.problemShare[kind])) return { dwellMs, result: 'passed' };
  return { dwellMs, result: 'problem', note: rng.pick(profile.problems[kind]) };
}

/** The upstream id of the case a problem found becomes: one per inspection (a hash of its id, and its point). */
export function problemCaseId(inspection: Pick<Inspection, 'id' | 'pointId'>): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < inspection.id.length; k++) h = Math.imul(h ^ inspection.id.charCodeAt(k), 0x01000193);
  return `XC-${(h >>> 0).toString(16).padStart(8, '0')}-${inspection.pointId}`.slice(0, 64);
}

/** The `inspection.check` a unit sends when done at a point. */
export function checkMessage(inspection: Inspection, unitId: string, plan: CheckPlan, at: number): InspectionCheck {
  return {
    kind: 'inspection.check',
    inspectionId: inspection.id,
    unitId,
    result: plan.result,
    ...(plan.result === 'problem' ? { caseId: problemCaseId(inspection) } : {}),
    ...(plan.note ? { note: plan.note } : {}),
    at,
  };
}

/** What a unit of ours is doing for a plan: on its way to a point, at it until `doneAt`, or holding a post. */
type Job =
  | { kind: 'inspection'; inspection: Inspection; plan: CheckPlan; arrivedAt?: number }
  | { kind: 'post'; order: PrepositionOrder };

export interface InspectionCounters {
  /** Inspections issued to our squads, checks sent (of which problems), pre-position orders taken, posts left. */
  issued: number;
  checked: number;
  problems: number;
  posts: number;
  released: number;
}

export interface InspectionWorkInput {
  roster: Roster;
  patrols: Patrols;
  duty: Duty;
  field: Pick<FieldResponse, 'travelSpeedMps' | 'maxOffLatticeM'>;
  rng: Rng;
  profile?: InspectionProfile;
  /** Whether the case side holds unit i (a task): then it is not ours to send. */
  busy: (i: number) => boolean;
  /** Units a live field terminal holds (issue #16): a real phone works their inspections, not this. */
  held: (unitId: string) => boolean;
}

/**
 * The squads working a plan (issue #17), as their field apps would: it reads the hub's log for the inspections
 * issued to our squads and the pre-position orders given to our units. Free units on duty (up to a share of each
 * squad) go to the nearest open inspection of their squad, stay a plausible time and send `inspection.check`
 * (passed, or a problem with the case id it becomes); a unit ordered to a post goes there and stays until the
 * order is released. A unit the hub gives a task drops its inspection (someone else takes it); units a live
 * terminal holds are left alone. Call `observe` with log events, `receive(now)` before units move and
 * `advance(now)` after, like the field side.
 */
export class InspectionWork {
  readonly counters: InspectionCounters = { issued: 0, checked: 0, problems: 0, posts: 0, released: 0 };
  private inbox: LogEvent[] = [];
  private resumed: { inspections: readonly Inspection[]; orders: readonly PrepositionOrder[] } | undefined;
  private readonly unitIndex: Map<string, number>;
  private readonly squadIndex: Map<string, number>;
  /** Open inspections of our squads, by squad index, by id. */
  private readonly open: Map<string, Inspection>[];
  private readonly taken = new Set<string>();
  private readonly jobs = new Map<number, Job>();
  /** Posts whose unit the case side took for a task (or that could not be held for a while): gone back to after. */
  private readonly posts = new Map<number, PrepositionOrder>();
  private readonly profile: InspectionProfile;

  constructor(private readonly o: InspectionWorkInput) {
    this.unitIndex = new Map(o.roster.id.map((id, i) => [id, i]));
    this.squadIndex = new Map(o.roster.squads.map((s, k) => [s.id, k]));
    this.open = o.roster.squads.map(() => new Map());
    this.profile = o.profile ?? DEFAULT_INSPECTION_PROFILE;
  }

  observe(events: readonly LogEvent[]): void {
    for (const e of events) this.inbox.push(e);
  }

  /**
   * Plan work the hub held open from before this run (`openPlanWork`): taken in at the next step as if just issued
   * and ordered, so a restarted simulator walks the rest of the round and holds its posts.
   */
  resume(inspections: readonly Inspection[], orders: readonly PrepositionOrder[]): void {
    this.resumed = { inspections, orders };
  }

  /** Whether unit i is out on a plan's work (an inspection or a post). */
  working(i: number): boolean {
    return this.jobs.has(i);
  }

  /** Takes in what the hub logged: inspections issued and checked, orders given and released, plans ended. */
  receive(now: number): void {
    const events = this.inbox;
    this.inbox = [];
    if (this.resumed) {
      this.issued(this.resumed.inspections);
      for (const order of this.resumed.orders) this.orderChanged(order, 'ordered', now);
      this.resumed = undefined;
    }
    for (const e of events) {
      switch (e.type) {
        case 'inspections.issued':
          this.issued(e.inspections);
          break;
        case 'inspection.checked':
          this.closeInspection(e.inspection, now);
          break;
        case 'prepositions.changed':
          for (const order of e.orders) this.orderChanged(order, e.change, now);
          break;
        case 'plan.changed':
          if (e.change === 'ended') this.planEnded(e.plan.planId, now);
          break;
        default:
          break;
      }
    }
    // Units the case side took, that went off duty or that a phone now holds drop what they were doing; a post
    // is gone back to once the unit is free again (the order still holds).
    for (const [i, job] of this.jobs) {
      const taken = this.o.busy(i);
      if (taken || !this.o.duty.onDuty(i) || this.o.held(this.o.roster.id[i]!)) {
        this.jobs.delete(i);
        if (job.kind === 'inspection') this.taken.delete(job.inspection.id);
        else this.posts.set(i, job.order);
        if (!taken) this.o.patrols.release(i, now);
      }
    }
    for (const [i, order] of this.posts)
      if (!this.jobs.has(i) && this.free(i) && this.send(i, order.position)) {
        this.posts.delete(i);
        this.jobs.set(i, { kind: 'post', order });
      }
    this.assign();
  }

  /** The checks due by `now`, after units moved: a unit at its point long enough reports and goes back to its beat. */
  advance(now: number): InspectionCheck[] {
    const out: InspectionCheck[] = [];
    for (const [i, job] of this.jobs) {
      if (job.kind !== 'inspection' || !this.o.patrols.arrived(i)) continue;
      job.arrivedAt ??= now;
      const doneAt = job.arrivedAt + job.plan.dwellMs;
      if (doneAt > now) continue;
      out.push(checkMessage(job.inspection, this.o.roster.id[i]!, job.plan, doneAt));
      this.counters.checked++;
      if (job.plan.result === 'problem') this.counters.problems++;
      this.jobs.delete(i);
      this.open[this.o.roster.squad[i]!]!.delete(job.inspection.id);
      this.taken.delete(job.inspection.id);
      this.o.patrols.release(i, now);
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private issued(inspections: readonly Inspection[]): void {
    for (const i of inspections) {
      const k = this.squadIndex.get(i.squadId);
      if (k === undefined || i.status !== 'open' || this.open[k]!.has(i.id)) continue;
      this.open[k]!.set(i.id, i);
      this.counters.issued++;
    }
  }

  private assign(): void {
    const { roster, duty, patrols } = this.o;
    for (let k = 0; k < roster.squads.length; k++) {
      const open = this.open[k]!;
      if (open.size <= this.takenOf(open)) continue;
      const squad = roster.squads[k]!;
      let onDuty = 0,
        out = 0;
      const free: number[] = [];
      for (let i = squad.firstUnit; i < squad.firstUnit + squad.unitCount; i++) {
        if (!duty.onDuty(i)) continue;
        onDuty++;
        if (this.jobs.get(i)?.kind === 'inspection') out++;
        else if (!this.jobs.has(i) && duty.reporting(i) && !this.o.busy(i) && !this.o.held(roster.id[i]!)) free.push(i);
      }
      let room = Math.floor(onDuty * this.profile.maxUnitShare) - out;
      for (const i of free) {
        if (room <= 0) break;
        const next = nextInspection([patrols.lon[i]!, patrols.lat[i]!], open.values(), this.taken);
        if (!next) break;
        if (!this.send(i, next.position)) continue;
        this.jobs.set(i, {
          kind: 'inspection',
          inspection: next,
          plan: planCheck(next.kind, this.profile, this.o.rng.fork(`inspection/${next.id}`)),
        });
        this.taken.add(next.id);
        room--;
      }
    }
  }

  private free(i: number): boolean {
    const { duty, roster } = this.o;
    return duty.onDuty(i) && duty.reporting(i) && !this.o.busy(i) && !this.o.held(roster.id[i]!);
  }

  private takenOf(open: ReadonlyMap<string, Inspection>): number {
    let n = 0;
    for (const id of open.keys()) if (this.taken.has(id)) n++;
    return n;
  }

  /** Sends unit i to a point by the roads (a drone straight), or straight when no road reaches near it. */
  private send(i: number, [lon, lat]: LonLat): boolean {
    const type = UNIT_TYPES[this.o.roster.type[i]!]!;
    const o = {
      maxOffM: this.o.field.maxOffLatticeM,
      straight: type === 'drone',
      speedMps: this.o.field.travelSpeedMps[type],
    };
    return this.o.patrols.goToPoint(i, lon, lat, o) || this.o.patrols.goToPoint(i, lon, lat, { ...o, straight: true });
  }

  private closeInspection(inspection: Inspection, now: number): void {
    const k = this.squadIndex.get(inspection.squadId);
    if (k !== undefined) this.open[k]!.delete(inspection.id);
    if (!this.taken.delete(inspection.id)) return;
    // Checked by someone else (a phone, another system) while one of ours was on it: it goes back to its beat.
    for (const [i, job] of this.jobs)
      if (job.kind === 'inspection' && job.inspection.id === inspection.id) {
        this.jobs.delete(i);
        this.o.patrols.release(i, now);
      }
  }

  private orderChanged(order: PrepositionOrder, change: 'ordered' | 'arrived' | 'released', now: number): void {
    const i = this.unitIndex.get(order.unitId);
    if (i === undefined) return;
    const job = this.jobs.get(i);
    if (change === 'released' || order.releasedAt !== undefined) {
      if (this.posts.get(i)?.id === order.id) {
        this.posts.delete(i);
        this.counters.released++;
      }
      if (job?.kind === 'post' && job.order.id === order.id) {
        this.jobs.delete(i);
        this.o.patrols.release(i, now);
        this.counters.released++;
      }
      return;
    }
    if (change !== 'ordered' || this.o.held(order.unitId)) return;
    this.counters.posts++;
    // A unit on a task (or off duty) goes to its post once it is free.
    if (!this.free(i)) {
      this.posts.set(i, order);
      return;
    }
    if (job?.kind === 'inspection') this.taken.delete(job.inspection.id);
    if (!this.send(i, order.position)) return;
    this.jobs.set(i, { kind: 'post', order });
  }

  private planEnded(planId: string, now: number): void {
    for (const open of this.open)
      for (const [id, i] of open)
        if (i.planId === planId) {
          open.delete(id);
          this.taken.delete(id);
        }
    for (const [i, order] of this.posts) if (order.planId === planId) this.posts.delete(i);
    for (const [i, job] of this.jobs) {
      const of = job.kind === 'inspection' ? job.inspection.planId : job.order.planId;
      if (of !== planId) continue;
      this.jobs.delete(i);
      this.o.patrols.release(i, now);
    }
  }
}
