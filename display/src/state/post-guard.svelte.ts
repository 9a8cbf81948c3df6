import type { MajorEventInfo, Unit } from '@egret/protocol';
import type { Post } from '../map/event-picture.ts';
import { keepIfSame } from './keep-if-same.ts';
import type { LiveSource } from './live-source.svelte.ts';
import {
  EMPTY_POST_WATCH,
  trackBeyond,
  watchPosts,
  type BeyondSince,
  type PostHolder,
  type PostWatch,
} from './post-watch.ts';

/**
 * The live screen's watch on a major event's posts (固定岗): who holds them and who has strayed, judged at every
 * position frame (and by the stale sweep while none comes) from the units' latest fixes. World time is the hub's,
 * from its frames, as for the units' staleness. Replay does not judge posts.
 */
export class PostGuard {
  constructor(
    private readonly live: LiveSource,
    private readonly event: () => MajorEventInfo | null,
  ) {}

  // Plain maps on purpose (here and below): each is replaced whole, never mutated, and read by the watch only.
  private postIndex = $derived.by(
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    (): ReadonlyMap<string, Post> => new Map((this.event()?.posts ?? []).map((p) => [p.id, p])),
  );

  /** Units on duty holding a post (`postId`), while an event is shown; the same array until one of them changes. */
  private postUnits = $derived.by(
    keepIfSame((): Unit[] => {
      const out: Unit[] = [];
      if (!this.event()) return out;
      for (const u of this.live.world.units.values())
        if (u.postId !== undefined && u.status !== 'off_duty') out.push(u);
      return out;
    }),
  );

  /** When each post unit was first seen beyond its radius: carried from frame to frame (a plain field, not state). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private beyond: BeyondSince = new Map();
  private lastWatch: PostWatch | undefined;

  watch = $derived.by((): PostWatch => {
    const event = this.event();
    const units = this.postUnits;
    void this.live.units.version;
    void this.live.sweep;
    if (!event) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      this.beyond = new Map();
      this.lastWatch = undefined;
      return EMPTY_POST_WATCH;
    }
    const p = this.live.units.positions;
    const holders = units.map((u): PostHolder =>
      p.has(u.slot)
        ? {
            unitId: u.id,
            name: u.name,
            postId: u.postId!,
            position: [p.lon(u.slot), p.lat(u.slot)],
            fixAt: p.fixAt[u.slot]!,
          }
        : { unitId: u.id, name: u.name, postId: u.postId!, position: u.position ?? null, fixAt: u.fixAt ?? null },
    );
    this.beyond = trackBeyond(this.beyond, holders, this.postIndex);
    this.lastWatch = watchPosts(holders, this.beyond, event.posts, this.live.hubNow(), this.lastWatch);
    return this.lastWatch;
  });

  /** Units off their posts now, longest absent first; a new array only when one's state changes. */
  offPost = $derived.by(() => this.watch.offPost);
}
