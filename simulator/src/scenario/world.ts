import type { InputMessage } from '@egret/protocol';
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
  start(now: number): StepOutput;
  step(now: number): StepOutput;
}
