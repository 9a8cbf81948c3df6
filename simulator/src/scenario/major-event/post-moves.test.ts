import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.ts';
import { localDay } from '../sensors/daily.ts';
import { metresBetween } from '../sensors/district-points.ts';
import { postUnitPosition, postWanders, standingPoint, wanderAt, type Wander } from './post-moves.ts';
import type { Post, PostUnit } from './post-roster.ts';
import { FORUM_FROM, FORUM_TO, forum, onLand } from '../../../test/major-event.ts';

const MINUTE = 60_000;
const OFFSET = 8 * 3_600_000;
const profile = forum.file.posts;
const window = { from: FORUM_FROM, to: FORUM_TO };
const posts: Post[] = forum.event.posts.map((p) => ({
  id: p.id,
  name: p.name.zh,
  position: p.position,
  radiusM: p.radiusM,
  district: '350203',
}));
const unitsOf = (post: Post): PostUnit[] =>
  [0, 1].map((k) => ({
    id: `U-350203-01-G${posts.indexOf(post)}${k}`,
    name: `${post.name}${k + 1}`,
    type: 'enforcement',
    squadId: 'SQ-350203-01',
    district: '350203',
    post,
    k,
  }));
const days = [localDay(FORUM_FROM, OFFSET), localDay(FORUM_FROM, OFFSET) + 1, localDay(FORUM_FROM, OFFSET) + 2];

function plan(seed: number, post: Post, day: number): Wander[] {
  return postWanders(
    post,
    unitsOf(post),
    profile,
    new Rng(seed).fork('major-event/posts'),
    day,
    OFFSET,
    window,
    onLand,
  );
}

describe(standingPoint.name, () => {
  it('keeps a unit within its stand radius of the post, pacing between spots, the same at the same time', () => {
    const rng = new Rng(1).fork('posts');
    const u = unitsOf(posts[0]!)[0]!;
    const seen = new Set<string>();
    for (let t = FORUM_FROM; t < FORUM_FROM + 2 * 3_600_000; t += 7_000) {
      const p = standingPoint(u, profile, rng, t);
      expect(metresBetween(p, u.post.position)).toBeLessThanOrEqual(profile.standRadiusM + 0.01);
      expect(standingPoint(u, profile, new Rng(1).fork('posts'), t)).toEqual(p);
      seen.add(p.map((x) => x.toFixed(6)).join());
    }
    expect(seen.size).toBeGreaterThan(30); // it moves about rather than standing on one point
  });

  it('walks between spots no faster than its pacing speed', () => {
    const rng = new Rng(2).fork('posts');
    const u = unitsOf(posts[1]!)[1]!;
    for (let t = FORUM_FROM; t < FORUM_FROM + 3_600_000; t += 1_000) {
      expect(
        metresBetween(standingPoint(u, profile, rng, t), standingPoint(u, profile, rng, t + 1_000)),
      ).toBeLessThanOrEqual(profile.paceSpeedMps + 0.01);
    }
  });
});

describe(postWanders.name, () => {
  it('plans about perPostPerDay wanders a post a day, within the hours and the window, one at a time', () => {
    let total = 0,
      planned = 0;
    for (const post of posts) {
      for (const day of days) {
        const ws = plan(1, post, day);
        expect(plan(1, post, day)).toEqual(ws);
        planned++;
        total += ws.length;
        ws.forEach((w, i) => {
          expect(w.start).toBeGreaterThanOrEqual(FORUM_FROM);
          expect(w.end).toBeLessThan(FORUM_TO);
          const startMin = ((w.start + OFFSET) % 86_400_000) / MINUTE,
            endMin = ((w.end + OFFSET) % 86_400_000) / MINUTE;
          expect(startMin).toBeGreaterThanOrEqual(7 * 60);
          expect(endMin).toBeLessThanOrEqual(22 * 60);
          expect(w.start).toBeLessThan(w.outUntil);
          expect(w.outUntil).toBeLessThanOrEqual(w.lingerUntil);
          expect(w.lingerUntil).toBeLessThan(w.end);
          if (i > 0) expect(w.start - ws[i - 1]!.end).toBeGreaterThanOrEqual(profile.wanders.gapMinutes * MINUTE);
          expect(w.beyondMinutes).toBeGreaterThanOrEqual(5);
          expect(w.beyondMinutes).toBeLessThanOrEqual(20);
          expect(onLand(w.target)).toBe(true);
          expect(metresBetween(w.target, post.position)).toBeGreaterThan(post.radiusM);
        });
      }
    }
    // 3 a day, less those that clash or fall outside the window (it starts at 06:00 and ends at 22:00).
    expect(total / planned).toBeGreaterThan(2);
    expect(total / planned).toBeLessThanOrEqual(3);
  });

  it('draws other wanders for another seed or day', () => {
    expect(plan(1, posts[0]!, days[1]!)).not.toEqual(plan(2, posts[0]!, days[1]!));
    expect(plan(1, posts[0]!, days[1]!).map((w) => w.start % 86_400_000)).not.toEqual(
      plan(1, posts[0]!, days[2]!).map((w) => w.start % 86_400_000),
    );
  });

  it('plans nothing outside the window', () => {
    expect(plan(1, posts[0]!, days[0]! - 1)).toEqual([]);
    expect(plan(1, posts[0]!, days[2]! + 1)).toEqual([]);
  });
});

describe(postUnitPosition.name, () => {
  it('is beyond the radius only on a wander, for about its beyondMinutes, and back at the post after', () => {
    const rng = new Rng(3).fork('major-event/posts');
    let checked = 0;
    for (const post of posts) {
      const units = unitsOf(post);
      for (const day of days) {
        const ws = postWanders(post, units, profile, rng, day, OFFSET, window, onLand);
        for (const u of units) {
          const mine = ws.filter((w) => w.unitId === u.id);
          for (const w of mine) {
            let beyondMs = 0;
            for (let t = w.start - 5 * MINUTE; t <= w.end + 5 * MINUTE; t += 5_000) {
              const on = wanderAt(ws, u.id, t);
              const d = metresBetween(postUnitPosition(u, profile, rng, on, t), post.position);
              if (!on) expect(d).toBeLessThanOrEqual(profile.standRadiusM + profile.gpsNoiseM + 0.5);
              if (d > post.radiusM) beyondMs += 5_000;
            }
            expect(beyondMs / MINUTE).toBeGreaterThan(w.beyondMinutes - 1);
            expect(beyondMs / MINUTE).toBeLessThan(w.beyondMinutes + 1);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('reads the same at the same time, and scatters by at most gpsNoiseM around where it stands', () => {
    const rng = new Rng(4).fork('p');
    const u = unitsOf(posts[2]!)[0]!;
    for (let t = FORUM_FROM; t < FORUM_FROM + 600_000; t += 10_000) {
      const p = postUnitPosition(u, profile, rng, undefined, t);
      expect(postUnitPosition(u, profile, new Rng(4).fork('p'), undefined, t)).toEqual(p);
      expect(metresBetween(p, standingPoint(u, profile, rng, t))).toBeLessThanOrEqual(profile.gpsNoiseM + 0.2);
    }
  });
});
