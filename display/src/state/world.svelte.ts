import { emptyWorld, fromSnapshot, type LogEvent, type WorldSnapshot, type WorldState } from '@egret/protocol';
import { LogFollower, type FollowOutcome } from '../net/log-follower.ts';

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
    if (outcome.applied > 0) this.version++;
    return outcome;
  }
}
