import { haversineM, type LonLat } from '@egret/protocol';
import type { OffPostUnit, Post, PostRow, PostState } from '../map/event-picture.ts';

/**
 * The fixed posts (固定岗) of a major event and the units holding them: which posts are held, and which units have
 * strayed beyond their post's `radiusM` for longer than a moment (离岗). Live positions come from the binary frames
 * (a unit's latest fix only), so an absence is tracked across frames: `trackBeyond` remembers when each unit was
 * first seen beyond its radius, and `watchPosts` judges a unit off its post once that is more than
 * `OFF_POST_AFTER_MS` of world time ago. Pure: positions and times are passed in.
 */

/**
 * A unit counts as off its post after this long beyond the radius (world time): a GPS jump or a step across the
 * line to stop a vendor is not an absence. At 60× simulated time this is a frame or two.
 */
export const OFF_POST_AFTER_MS = 60_000;

/** A unit holding a post, with its latest fix (null before the first). */
export interface PostHolder {
  unitId: string;
  name: string;
  postId: string;
  position: LonLat | null;
  /** World time of that fix. */
  fixAt: number | null;
}

/** Unit id → world time of the first fix seen beyond its post's radius: the start of its current absence. */
export type BeyondSince = ReadonlyMap<string, number>;

/**
 * The absences after the latest fixes: a unit beyond its radius keeps the start it had (or starts one at this fix),
 * a unit back within it — or with no fix, or no known post — has none. Returns `prev` itself when nothing changed.
 */
export function trackBeyond(
  prev: BeyondSince,
  holders: readonly PostHolder[],
  posts: ReadonlyMap<string, Post>,
): BeyondSince {
  const next = new Map<string, number>();
  for (const h of holders) {
    const post = posts.get(h.postId);
    if (!post || !h.position || h.fixAt === null) continue;
    if (haversineM(h.position, post.position) > post.radiusM) next.set(h.unitId, prev.get(h.unitId) ?? h.fixAt);
  }
  if (next.size === prev.size && [...next].every(([id, at]) => prev.get(id) === at)) return prev;
  return next;
}

export interface PostWatch {
  posts: PostRow[];
  offPost: OffPostUnit[];
}

export const EMPTY_POST_WATCH: PostWatch = Object.freeze({ posts: [], offPost: [] }) as PostWatch;

/**
 * Every post with how it is held, and the units off their posts at `now` (longest absent first). Given the previous
 * watch, its arrays come back as they were when nothing in them changed, so deck.gl re-uploads nothing per frame.
 */
export function watchPosts(
  holders: readonly PostHolder[],
  beyond: BeyondSince,
  posts: readonly Post[],
  now: number,
  previous?: PostWatch,
): PostWatch {
  const byPost = new Map<string, { holders: number; away: number }>();
  const offPost: OffPostUnit[] = [];
  const postsById = new Map(posts.map((p) => [p.id, p]));
  for (const h of holders) {
    const post = postsById.get(h.postId);
    if (!post || !h.position) continue;
    const count = byPost.get(post.id) ?? { holders: 0, away: 0 };
    count.holders++;
    const since = beyond.get(h.unitId);
    if (since !== undefined && now - since > OFF_POST_AFTER_MS) {
      count.away++;
      const distanceM = Math.round(haversineM(h.position, post.position) / 10) * 10;
      offPost.push({ unitId: h.unitId, name: h.name, post, position: h.position, distanceM, since });
    }
    byPost.set(post.id, count);
  }
  offPost.sort((a, b) => a.since - b.since || a.unitId.localeCompare(b.unitId));
  const rows = posts.map((post): PostRow => {
    const c = byPost.get(post.id) ?? { holders: 0, away: 0 };
    const state: PostState =
      c.holders === 0 ? 'unmanned' : c.away === 0 ? 'held' : c.away < c.holders ? 'partly' : 'left';
    return { post, state, ...c };
  });
  return {
    posts: previous && sameRows(previous.posts, rows) ? previous.posts : rows,
    offPost: previous && sameOffPost(previous.offPost, offPost) ? previous.offPost : offPost,
  };
}

function sameRows(a: readonly PostRow[], b: readonly PostRow[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.post === b[i]!.post && r.state === b[i]!.state && r.holders === b[i]!.holders && r.away === b[i]!.away,
    )
  );
}

function sameOffPost(a: readonly OffPostUnit[], b: readonly OffPostUnit[]): boolean {
  return (
    a.length === b.length &&
    a.every((u, i) => {
      const v = b[i]!;
      return (
        u.unitId === v.unitId &&
        u.since === v.since &&
        u.distanceM === v.distanceM &&
        u.position[0] === v.position[0] &&
        u.position[1] === v.position[1]
      );
    })
  );
}
