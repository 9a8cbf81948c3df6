import type { InputMessage, LogEvent, PlanLevel, Task } from '@egret/protocol';
import type { OpenPlanWork } from '../hub/open-plan-work.ts';
import type { InspectionCounters } from './field/inspection-work.ts';
import type { Roster } from './roster.ts';

/** What one step of a world sends upstream: control-plane messages in order, then fix batches (FixBatch JSON). */
export interface StepOutput {
  events: InputMessage[];
  fixBatches: string[];
  fixCount: number;
}

/** Running totals a world keeps, for the simulator's once-a-minute log line. */
export interface WorldCounters {
  reported: number;
  accepted: number;
  filed: number;
  rejected: number;
  statusChanges: number;
  fixes: number;
  /** At the last step. */
  onDuty: number;
  offline: number;
  /** The field side: tasks received and how they went, cases verified and sent back (see FieldCounters). */
  field?: Readonly<FieldCounters>;
  /** The squads' work on plans (issue #17): inspections issued to them, checks sent, problems found, posts held. */
  inspections?: Readonly<InspectionCounters>;
  /** What the world's feeds (sensors, the storm …) sent, by message kind (their case reports count in `reported` too). */
  feeds?: Readonly<Record<string, number>>;
  /** A major event's post units: how many, how many off post now, wanders begun, tasks given them and declined. */
  posts?: Readonly<PostCounters>;
}

/** Running totals of the field side, for the simulator's log line. */
export interface FieldCounters {
  tasks: number;
  accepted: number;
  declined: number;
  timedOut: number;
  done: number;
  /** Tasks ended by someone else (recalled, the case parked or handled upstream). */
  ended: number;
  verified: number;
  reworked: number;
}

/** What the post units did, for the stats line. */
export interface PostCounters {
  units: number;
  /** Units beyond their post's radius at the last step. */
  offPost: number;
  /** Wanders begun so far. */
  wanders: number;
  /** Tasks the hub gave post units, and how many they turned down. */
  tasks: number;
  declined: number;
}

/**
 * A simulated city: `start` gives what the upstream systems send when they come up (the roster, first fixes),
 * `step(now)` everything that happened since the previous call up to world time `now`. Worlds are deterministic:
 * the same seed and the same step times give the same output.
 */
export interface World {
  readonly scenario: string;
  readonly roster: Roster;
  readonly counters: Readonly<WorldCounters>;
  /** Filed cases left undispatched this long (world ms) are for the auto-dispatcher; absent: the world has no say. */
  readonly autoDispatchAfterMs?: number;
  /**
   * Units the world plays besides its roster that the dispatch desk does not send on tasks (a major event's fixed
   * posts): the auto-dispatcher never offers them cases, and tasks the hub still holds for them are handed back too.
   */
  readonly reservedUnits?: readonly string[];
  /**
   * The plan of the command manual the scenario's commander activates when the world starts (a campaign, issue #17):
   * sent as `plan:activate` through the hub's HTTP commands (`live.ts`), like a commander's click.
   */
  readonly plan?: { planId: string; level: PlanLevel; reason: string };
  start(now: number): StepOutput;
  step(now: number): StepOutput;
  /**
   * What the hub logged since the last step (tasks for the world's units, cases to verify …), taken in at the next
   * step. Worlds that play only upstream inputs ignore it.
   */
  observe?(events: readonly LogEvent[]): void;
  /** Tasks the hub still holds open for the world's units from an earlier run: handed back at the next step. */
  handBack?(tasks: readonly Task[]): void;
  /** Plan work the hub holds open for the world's squads and units from before this run (issue #17): taken up again. */
  resumePlanWork?(work: OpenPlanWork): void;
}
