import { fromSnapshot, SCREEN_KEEPS_FINISHED_MS, type LogEvent, type WorldSnapshot } from '@egret/protocol';
import { LogFollower, type FollowOutcome } from '../net/log-follower.ts';
import { HourlyPrune } from './prune.ts';
import { WorldParts } from './world-parts.svelte.ts';

/** Finished cases and tasks stay on the screen this long after they finish (world time; protocol screen-view.ts). */
export const KEEP_FINISHED_MS = SCREEN_KEEPS_FINISHED_MS;

/**
 * The world as this screen knows it, following the hub's log. The shared reducer mutates the WorldState in place
 * (a city is too big to copy per event); each batch marks the parts its events changed (`WorldParts`), so what is
 * derived from the cases does not re-run for a sensor reading.
 */
export class WorldStore extends WorldParts {
  /** Bumped by every change (diagnostics and tests; derived values read the parts instead). */
  version = $state(0);
  /** True once a snapshot has arrived: before it, the screen shows nothing as if it were the city. */
  synced = $state(false);
  readonly follower: LogFollower;
  /** Snapshots taken (not reactive: for diagnostics). */
  snapshots = 0;
  private readonly pruning = new HourlyPrune();

  constructor() {
    super();
    this.follower = new LogFollower(this.world);
  }

  get seq(): number {
    return this.follower.seq;
  }

  replace(snapshot: WorldSnapshot): void {
    const world = fromSnapshot(snapshot);
    this.follower.reset(world);
    this.pruning.reset();
    this.pruning.run(world);
    this.world = world;
    this.synced = true;
    this.snapshots++;
    this.version++;
  }

  /** A live batch: while no range is awaited the follower applies a prefix of these events and buffers nothing. */
  receive(events: readonly LogEvent[]): FollowOutcome {
    return this.changed(this.follower.receive(events), events);
  }

  /** A fetched range, then whatever was buffered meanwhile (rare: after a gap): every part is marked. */
  receiveRange(events: readonly LogEvent[]): FollowOutcome {
    return this.changed(this.follower.receiveRange(events), null);
  }

  rangeFailed(): FollowOutcome {
    return this.follower.rangeFailed();
  }

  private changed(outcome: FollowOutcome, events: readonly LogEvent[] | null): FollowOutcome {
    if (outcome.applied > 0) {
      if (events) this.applied(events);
      else this.allChanged();
      const dropped = this.pruning.dropped;
      this.pruning.run(this.world);
      if (this.pruning.dropped !== dropped) this.prunedFinished();
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
