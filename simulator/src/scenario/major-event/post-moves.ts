import type { LonLat } from '@egret/protocol';
import type { Rng } from '../../rng.ts';
import { parseHhMm } from '../local-time.ts';
import { dayStartMs } from '../sensors/daily.ts';
import { metresBetween, offsetM, round6 } from '../sensors/district-points.ts';
import type { PostsProfile } from './major-event-config.ts';
import type { Post, PostUnit } from './post-roster.ts';

const MINUTE_MS = 60_000;

/**
 * One time a post unit leaves its post (a toilet break, a chase after a vendor): out from where it stood at `start`
 * to `target` until `outUntil`, there until `lingerUntil`, back to its spot by `end`. `target` lies `beyondM` past
 * the post's radius, so the unit is off post for about `beyondMinutes`.
 */
export interface Wander {
  unitId: string;
  postId: string;
  kind: string;
  start: number;
  outUntil: number;
  lingerUntil: number;
  end: number;
  target: LonLat;
  beyondM: number;
  beyondMinutes: number;
}

/**
 * Where a post unit stands at t when it is at its post: a spot of its own within `standRadiusM` of the post, a new
 * one every `paceEveryMinutes` (each unit on its own phase), walked to at `paceSpeedMps` — the way an officer on a
 * post shifts about. No GPS scatter (see `postUnitPosition`). A pure function of (stream, unit, t): the spots are
 * drawn from a stream forked by unit and slot, so where the world's steps fall never changes them.
 */
export function standingPoint(unit: PostUnit, profile: PostsProfile, rng: Rng, t: number): LonLat {
  const paceMs = profile.paceEveryMinutes * MINUTE_MS;
  const phase = Math.floor(rng.fork(`phase/${unit.id}`).float() * paceMs);
  const slot = Math.floor((t + phase) / paceMs);
  const into = t + phase - slot * paceMs;
  const here = spot(unit, profile, rng, slot);
  const before = spot(unit, profile, rng, slot - 1);
  const walkMs = (metresBetween(before, here) / profile.paceSpeedMps) * 1000;
  if (into >= walkMs) return here;
  const f = Math.min(1, into / Math.max(1, walkMs));
  return [before[0] + (here[0] - before[0]) * f, before[1] + (here[1] - before[1]) * f];
}

function spot(unit: PostUnit, profile: PostsProfile, rng: Rng, slot: number): LonLat {
  const r = rng.fork(`spot/${unit.id}/${slot}`);
  const d = profile.standRadiusM * Math.sqrt(r.float());
  const a = r.float() * 2 * Math.PI;
  return offsetM(unit.post.position, d * Math.cos(a), d * Math.sin(a));
}

/**
 * The wanders of one post's units on local day `day` (days since 1970-01-01 in the city's time): `perPostPerDay`
 * of them (the fraction a chance of one more), each by one of the post's units picked from the seed, of a kind by
 * weight, starting within the local `hours`, `beyondMinutes` beyond the radius, out to a point `beyondM` past it
 * that `onLand` accepts (and the way there with it) — so nobody walks into the sea from a coastal post. A wander
 * is dropped when it would come within `gapMinutes` of an earlier one of the same post (one officer leaves at a
 * time) or reach outside the guard's window (`window`, when the post is held). Drawn from a stream forked by post
 * and day, every draw made whatever is dropped, so a day's plan depends on nothing else.
 */
export function postWanders(
  post: Post,
  units: readonly PostUnit[],
  profile: PostsProfile,
  rng: Rng,
  day: number,
  offsetMs: number,
  window: { from: number; to: number },
  onLand: (p: LonLat) => boolean,
): Wander[] {
  const w = profile.wanders;
  const r = rng.fork(`wanders/${post.id}/${day}`);
  const n = Math.floor(w.perPostPerDay) + (r.chance(w.perPostPerDay % 1) ? 1 : 0);
  const midnight = dayStartMs(day, offsetMs);
  const [fromMin, toMin] = [parseHhMm(w.hours[0]), parseHhMm(w.hours[1])];
  const gapMs = w.gapMinutes * MINUTE_MS;
  const out: Wander[] = [];
  for (let k = 0; k < n; k++) {
    const unit = r.pick(units);
    const kind = r.weighted(
      w.kinds,
      w.kinds.map((x) => x.weight),
    );
    const beyondMinutes = r.range(w.beyondMinutes[0], w.beyondMinutes[1]);
    // The legs beyond the radius take at most 80 % of the time beyond it; the rest is spent there.
    const beyondM = Math.min(r.range(kind.beyondM[0], kind.beyondM[1]), 0.4 * kind.speedMps * beyondMinutes * 60);
    const startFraction = r.float();
    const bearings = Array.from({ length: 12 }, () => r.float() * 2 * Math.PI);
    const reach = post.radiusM + beyondM;
    const target = bearings
      .map((a) => round6(offsetM(post.position, reach * Math.cos(a), reach * Math.sin(a))))
      .find((p) =>
        [0.5, 0.75, 1].every((f) =>
          onLand([post.position[0] + (p[0] - post.position[0]) * f, post.position[1] + (p[1] - post.position[1]) * f]),
        ),
      );
    if (!target || !units.length) continue;
    const legMs = ((post.radiusM + beyondM) / kind.speedMps) * 1000;
    const lingerMs = beyondMinutes * MINUTE_MS - 2 * (beyondM / kind.speedMps) * 1000;
    const totalMs = 2 * legMs + lingerMs;
    const spanMs = (toMin - fromMin) * MINUTE_MS - totalMs;
    if (spanMs <= 0) continue;
    const start = Math.round(midnight + fromMin * MINUTE_MS + startFraction * spanMs);
    const wander: Wander = {
      unitId: unit.id,
      postId: post.id,
      kind: kind.name,
      start,
      outUntil: Math.round(start + legMs),
      lingerUntil: Math.round(start + legMs + lingerMs),
      end: Math.round(start + totalMs),
      target,
      beyondM,
      beyondMinutes,
    };
    if (wander.start < window.from || wander.end >= window.to) continue;
    if (out.some((o) => wander.start < o.end + gapMs && o.start < wander.end + gapMs)) continue;
    out.push(wander);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The wander unit `unitId` is on at t, if any. */
export function wanderAt(wanders: readonly Wander[], unitId: string, t: number): Wander | undefined {
  return wanders.find((w) => w.unitId === unitId && t >= w.start && t <= w.end);
}

/**
 * Where a post unit's device says it is at t: its standing point, or on its way out, off post or back on a wander,
 * with GPS scatter of up to `gpsNoiseM` drawn per (unit, t) — so the same fix time always reads the same.
 */
export function postUnitPosition(
  unit: PostUnit,
  profile: PostsProfile,
  rng: Rng,
  wander: Wander | undefined,
  t: number,
): LonLat {
  let p: LonLat;
  if (!wander) p = standingPoint(unit, profile, rng, t);
  else if (t < wander.outUntil)
    p = lerp(
      standingPoint(unit, profile, rng, wander.start),
      wander.target,
      (t - wander.start) / Math.max(1, wander.outUntil - wander.start),
    );
  else if (t < wander.lingerUntil) p = wander.target;
  else
    p = lerp(
      wander.target,
      standingPoint(unit, profile, rng, wander.end),
      (t - wander.lingerUntil) / Math.max(1, wander.end - wander.lingerUntil),
    );
  if (profile.gpsNoiseM > 0) {
    const r = rng.fork(`gps/${unit.id}/${t}`);
    const d = profile.gpsNoiseM * Math.sqrt(r.float());
    const a = r.float() * 2 * Math.PI;
    p = offsetM(p, d * Math.cos(a), d * Math.sin(a));
  }
  return round6(p);
}

function lerp(a: LonLat, b: LonLat, f: number): LonLat {
  const x = Math.min(1, Math.max(0, f));
  return [a[0] + (b[0] - a[0]) * x, a[1] + (b[1] - a[1]) * x];
}
