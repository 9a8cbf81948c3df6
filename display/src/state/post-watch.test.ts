import { describe, expect, it } from 'vitest';
import { T0 } from '../../test/fixtures.ts';
import type { Post } from '../map/event-picture.ts';
import { OFF_POST_AFTER_MS, trackBeyond, watchPosts, type BeyondSince, type PostHolder } from './post-watch.ts';

const SEC = 1000;
/** 会展北路岗, 200 m radius. A degree of latitude is about 111 km: 0.001° ≈ 111 m. */
const north: Post = {
  id: 'post-n',
  name: { zh: '会展北路岗', en: 'Huizhan Rd North post' },
  position: [118.185, 24.48],
  radiusM: 200,
};
const south: Post = {
  id: 'post-s',
  name: { zh: '会展南路岗', en: 'Huizhan Rd South post' },
  position: [118.189, 24.461],
  radiusM: 200,
};
const posts = new Map([north, south].map((p) => [p.id, p]));

/** A holder of `post` `metresNorth` of it, fixed at `at`. */
const at = (unitId: string, post: Post, metresNorth: number, fixAt: number): PostHolder => ({
  unitId,
  name: `队员 ${unitId}`,
  postId: post.id,
  position: [post.position[0], post.position[1] + metresNorth / 111_195],
  fixAt,
});

/** Feeds the fixes one frame after another, as the wall sees them, and returns the absences and the watch. */
function frames(list: PostHolder[][], now: (i: number) => number) {
  let beyond: BeyondSince = new Map();
  let watch = watchPosts([], beyond, [north, south], 0);
  list.forEach((holders, i) => {
    beyond = trackBeyond(beyond, holders, posts);
    watch = watchPosts(holders, beyond, [north, south], now(i), watch);
  });
  return { beyond, watch };
}

describe(trackBeyond.name, () => {
  it('starts an absence at the first fix beyond the radius and keeps that start while the unit stays out', () => {
    let b = trackBeyond(new Map(), [at('U1', north, 50, T0)], posts);
    expect(b.size).toBe(0);
    b = trackBeyond(b, [at('U1', north, 260, T0 + 60 * SEC)], posts);
    expect(b.get('U1')).toBe(T0 + 60 * SEC);
    b = trackBeyond(b, [at('U1', north, 400, T0 + 120 * SEC)], posts);
    expect(b.get('U1')).toBe(T0 + 60 * SEC);
  });

  it('ends the absence when the unit is back within the radius', () => {
    const out = trackBeyond(new Map(), [at('U1', north, 300, T0)], posts);
    expect(trackBeyond(out, [at('U1', north, 190, T0 + 30 * SEC)], posts).size).toBe(0);
  });

  it('ignores units without a fix or whose post it does not know, and returns the same map when nothing changed', () => {
    const prev = trackBeyond(new Map(), [at('U1', north, 300, T0)], posts);
    const again = trackBeyond(
      prev,
      [
        at('U1', north, 310, T0 + 1000),
        { ...at('U2', north, 0, T0), position: null, fixAt: null },
        { ...at('U3', north, 999, T0), postId: 'nowhere' },
      ],
      posts,
    );
    expect(again).toBe(prev);
  });
});

describe(watchPosts.name, () => {
  it('calls a unit off its post only after more than a minute of world time beyond the radius', () => {
    const out = (t: number) => [at('U1', north, 350, t)];
    expect(frames([out(T0), out(T0 + 30 * SEC)], (i) => T0 + i * 30 * SEC).watch.offPost).toEqual([]);
    expect(frames([out(T0), out(T0 + 30 * SEC)], () => T0 + OFF_POST_AFTER_MS).watch.offPost).toEqual([]);
    const { watch } = frames([out(T0), out(T0 + 30 * SEC), out(T0 + 61 * SEC)], (i) => T0 + [0, 30, 61][i]! * SEC);
    expect(watch.offPost).toMatchObject([{ unitId: 'U1', since: T0, distanceM: 350, post: north }]);
  });

  it('does not call a unit off its post for a moment beyond it, and clears the alarm when it returns', () => {
    const step = 60 * SEC;
    const blip = frames(
      [[at('U1', north, 50, T0)], [at('U1', north, 260, T0 + step)], [at('U1', north, 40, T0 + 2 * step)]],
      (i) => T0 + i * step,
    );
    expect(blip.watch.offPost).toEqual([]);
    const back = frames(
      [
        [at('U1', north, 300, T0)],
        [at('U1', north, 300, T0 + step)],
        [at('U1', north, 300, T0 + 2 * step)],
        [at('U1', north, 20, T0 + 3 * step)],
      ],
      (i) => T0 + i * step,
    );
    expect(back.watch.offPost).toEqual([]);
    expect(back.beyond.size).toBe(0);
    expect(back.watch.posts.find((r) => r.post === north)?.state).toBe('held');
  });

  it('keeps the alarm on a unit that stopped reporting from beyond its post', () => {
    const { watch } = frames([[at('U1', north, 500, T0)], [at('U1', north, 500, T0)]], (i) => T0 + i * 5 * 60 * SEC);
    expect(watch.offPost.map((u) => u.unitId)).toEqual(['U1']);
  });

  it('colours each post by how it is held: held, partly, left, or unmanned', () => {
    const t = T0 + 2 * OFF_POST_AFTER_MS;
    const holders = [at('A', north, 10, T0), at('B', north, 300, T0), at('C', south, 900, T0)];
    const beyond = trackBeyond(new Map(), holders, posts);
    const watch = watchPosts(holders, beyond, [north, south], t);
    expect(watch.posts.map((r) => [r.post.id, r.state, r.holders, r.away])).toEqual([
      ['post-n', 'partly', 2, 1],
      ['post-s', 'left', 1, 1],
    ]);
    expect(watchPosts([], new Map(), [north], t).posts[0]?.state).toBe('unmanned');
    expect(watchPosts([at('A', north, 0, t)], new Map(), [north], t).posts[0]?.state).toBe('held');
  });

  it('lists the longest absent first, and gives back the same arrays while nothing changed', () => {
    const holders = [at('late', north, 300, T0 + 60 * SEC), at('early', south, 300, T0)];
    let beyond = trackBeyond(new Map(), holders, posts);
    const first = watchPosts(holders, beyond, [north, south], T0 + 10 * 60 * SEC);
    expect(first.offPost.map((u) => u.unitId)).toEqual(['early', 'late']);
    beyond = trackBeyond(beyond, holders, posts);
    const second = watchPosts(holders, beyond, [north, south], T0 + 11 * 60 * SEC, first);
    expect(second.posts).toBe(first.posts);
    expect(second.offPost).toBe(first.offPost);
    const moved = [at('late', north, 420, T0 + 12 * 60 * SEC), holders[1]!];
    const third = watchPosts(moved, trackBeyond(beyond, moved, posts), [north, south], T0 + 12 * 60 * SEC, second);
    expect(third.posts).toBe(first.posts);
    expect(third.offPost).not.toBe(first.offPost);
    expect(third.offPost.find((u) => u.unitId === 'late')?.distanceM).toBe(420);
  });
});
