import { emptyWorld, fromSnapshot, SCREEN_KEEPS_FINISHED_MS, type LogEvent, type WorldSnapshot, type WorldState } from '@egret/protocol';
import { LogFollower, type FollowOutcome } from '../net/log-follower.ts';
import { HourlyPrune } from './prune.ts';

/** Finished cases and tasks stay on the screen this long after they finish (world time; protocol screen-view.ts). */
export const KEEP_FINISHED_MS = SCREEN_KEEPS_FINISHED_MS;

/**
 * The world as this screen knows it. The shared reducer mutates the WorldState in place (a city is too big to
 * copy per event), so the state is held raw, without a deep proxy, and `version` tells Svelte that it changed.
 */
export class WorldStore {
  world = $state.raw<WorldState>(emptyWorld());
  version = $state(0);
  /** True once a snapshot has arrived: before it, the screen shows nothing as if it were the city. */
  synced = $state(false);
  readonly follower: LogFollower;
  /** Snapshots taken (not reactive: for diagnostics). */
  snapshots = 0;
  private readonly pruning = new HourlyPrune();

  constructor() {
    this.follower = new LogFollower(this.world);
  }

  get seq(): number {
    return this.follower.seq;
  }

  replace(snapshot: WorldSnapshot): void {
    const world = fromSnapshot(snapshot);
    this.follower.reset(world);
    this.world = world;
    this.pruning.reset();
    this.pruning.run(world);
    this.synced = true;
    this.snapshots++;
    this.version++;
  }

  receive(events: readonly LogEvent[]): FollowOutcome {
    return this.changed(this.follower.receive(events));
  }

  receiveRange(events: readonly LogEvent[]): FollowOutcome {
    return this.changed(this.follower.receiveRange(events));
  }

  rangeFailed(): FollowOutcome {
    return this.follower.rangeFailed();
  }

  private changed(outcome: FollowOutcome): FollowOutcome {
    if (outcome.applied > 0) {
      this.pruning.run(this.world);
      this.version++;
    }
    return outcome;
  }

  /** Entities dropped as long finished (not reactive: for diagnostics and the soak). A wall that runs for weeks
   * would hold days of finished cases otherwise (see prune.ts). */
  get pruned(): number {
    return this.pruning.dropped;
  }
}
