import type { LonLat } from '@egret/protocol';
import type { DogTags, NoGoZone } from '@egret/config';
import { inWindow, parseHhMm } from '../local-time.ts';
import { dayStartMs, drawFor, localDay, minuteOfDay, type SensorContext } from './daily.ts';
import { metresBetween, offsetM, round6 } from './district-points.ts';

const MINUTE_MS = 60_000;
/** A dog and its owner walk about 70 m a minute. */
const WALK_M_PER_MIN = 70;

/** A registered dog with a smart tag (智能犬牌): where it lives and the no-go zone within its reach, if any. */
export interface Dog {
  id: string;
  home: LonLat;
  /** Index into the no-go zones of the one within `zoneReachM` of home, -1 when none is. */
  zone: number;
}

/** One walk: out from home to `target` until `outUntil`, around there until `lingerUntil`, home by `end`. */
export interface Walk {
  start: number;
  outUntil: number;
  lingerUntil: number;
  end: number;
  target: LonLat;
  /** Into a no-go zone on purpose (the owner lets the dog run on the park's lawn). */
  trespass: boolean;
}

/** Whether a point lies inside one of the zones. */
export function inNoGoZone(zones: readonly NoGoZone[], p: LonLat): boolean {
  return zones.some((z) => metresBetween(z.center, p) <= z.radiusM);
}

/**
 * What the tag's platform reports (文明养犬 rules): 1 while the dog is inside a no-go zone, or out of doors outside
 * the walking hours; else 0. `minute` is the local minute of the day, `walkHours` [from, to) in minutes.
 */
export function dogTagValue(
  zones: readonly NoGoZone[],
  walkHours: readonly [number, number],
  p: LonLat,
  minute: number,
  outdoors: boolean,
): 0 | 1 {
  if (inNoGoZone(zones, p)) return 1;
  return outdoors && !inWindow(minute, walkHours[0], walkHours[1]) ? 1 : 0;
}

/** The zone within `reachM` (of its edge) nearest to home, or -1. */
export function zoneWithinReach(zones: readonly NoGoZone[], home: LonLat, reachM: number): number {
  let best = -1,
    bestD = Infinity;
  zones.forEach((z, i) => {
    const d = metresBetween(home, z.center) - z.radiusM;
    if (d <= reachM && d < bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

/**
 * A dog's walks on local day `day`, drawn from the seed, the dog and the day: `walksPerDay` walks — morning, evening,
 * then midday — inside the walking hours, each `walkMinutes` long out to a point `walkRadiusM` away that
 * `walkable` accepts (on land) outside the zones, and back; `lateShare` of them before or after the hours instead; and, for a dog with
 * a no-go zone in reach, `trespassShare` of them into the zone, lingering there 12–30 minutes — long enough for the
 * hub to raise a case. Every walk ends by midnight, so a day's walks are the only ones that matter that day. Walks
 * that would start while the city shelters are not taken.
 */
export function dogWalks(
  dog: Dog,
  cfg: DogTags,
  zones: readonly NoGoZone[],
  ctx: SensorContext,
  day: number,
  walkable: (p: LonLat) => boolean,
): Walk[] {
  const r = drawFor(ctx.seed, 'dog', dog.id, day);
  const from = parseHhMm(cfg.walkHours[0]);
  let to = parseHhMm(cfg.walkHours[1]);
  if (to <= from) to = from + 1440; // hours that wrap: walks keep to the part before midnight
  to = Math.min(to, 1440);
  const span = to - from;
  const slots = [
    [0.02, 0.15],
    [0.75, 0.93],
    [0.4, 0.5],
  ] as const;
  const n = r.int(cfg.walksPerDay[0], cfg.walksPerDay[1]);
  const midnight = dayStartMs(day, ctx.offsetMs);
  const walks: Walk[] = [];
  for (let k = 0; k < n; k++) {
    const [f0, f1] = slots[k] ?? [0.2, 0.7];
    let minutes = r.range(cfg.walkMinutes[0], cfg.walkMinutes[1]);
    let startMin = Math.min(from + r.range(f0, f1) * span, to - minutes);
    if (r.chance(cfg.lateShare)) {
      startMin = k === 0 ? Math.max(0, from - r.range(20, 50)) : Math.min(to + r.range(0, 60), 1440 - 1);
      minutes = Math.min(minutes, 1440 - startMin);
    }
    const trespass = dog.zone >= 0 && r.chance(cfg.trespassShare);
    let target: LonLat | undefined;
    let outMin: number, lingerMin: number;
    if (trespass) {
      const z = zones[dog.zone]!;
      for (let attempt = 0; attempt < 10 && !target; attempt++) {
        const d = 0.6 * z.radiusM * Math.sqrt(r.float()),
          a = r.float() * 2 * Math.PI;
        const p = round6(offsetM(z.center, d * Math.cos(a), d * Math.sin(a)));
        if (walkable(p)) target = p;
      }
    }
    if (target) {
      outMin = Math.max(0.4 * minutes, metresBetween(dog.home, target) / WALK_M_PER_MIN);
      lingerMin = r.range(12, 30);
    } else {
      const radius = r.range(cfg.walkRadiusM[0], cfg.walkRadiusM[1]);
      for (let attempt = 0; attempt < 6 && !target; attempt++) {
        const a = r.float() * 2 * Math.PI;
        const p = round6(offsetM(dog.home, radius * Math.cos(a), radius * Math.sin(a)));
        // An ordinary walk keeps out of the zones (it may cut across an edge on the way).
        if (walkable(p) && !inNoGoZone(zones, p)) target = p;
      }
      outMin = 0.4 * minutes;
      lingerMin = 0.2 * minutes;
    }
    // Back by midnight whatever the walk: the next day's plan knows nothing of this one.
    const total = Math.min(2 * outMin + lingerMin, 1440 - startMin);
    const scale = total / (2 * outMin + lingerMin);
    const start = midnight + Math.round(startMin * MINUTE_MS);
    const outUntil = start + Math.round(outMin * scale * MINUTE_MS);
    const lingerUntil = outUntil + Math.round(lingerMin * scale * MINUTE_MS);
    const end = start + Math.round(total * MINUTE_MS) - 1;
    if (ctx.sheltering(start)) continue;
    walks.push({
      start,
      outUntil,
      lingerUntil,
      end,
      target: target ?? dog.home,
      trespass: trespass && target !== undefined,
    });
  }
  return walks.sort((a, b) => a.start - b.start);
}

/** Where the dog is at t on its day's walks (home when on none), and whether it is out of doors. */
export function dogPosition(dog: Dog, walks: readonly Walk[], t: number): { position: LonLat; outdoors: boolean } {
  for (const w of walks) {
    if (t < w.start || t > w.end) continue;
    if (t >= w.outUntil && t < w.lingerUntil) return { position: w.target, outdoors: true };
    const x =
      t < w.outUntil
        ? (t - w.start) / Math.max(1, w.outUntil - w.start)
        : 1 - (t - w.lingerUntil) / Math.max(1, w.end - w.lingerUntil);
    const p: LonLat = round6([
      dog.home[0] + (w.target[0] - dog.home[0]) * x,
      dog.home[1] + (w.target[1] - dog.home[1]) * x,
    ]);
    return { position: p, outdoors: true };
  }
  return { position: dog.home, outdoors: false };
}

/** The tag's reading at t: the dog's position and 1 or 0 (see `dogTagValue`). */
export function dogTagAt(
  dog: Dog,
  cfg: DogTags,
  zones: readonly NoGoZone[],
  ctx: SensorContext,
  t: number,
  walks: (day: number) => readonly Walk[],
): { value: 0 | 1; position: LonLat } {
  const { position, outdoors } = dogPosition(dog, walks(localDay(t, ctx.offsetMs)), t);
  const hours = [parseHhMm(cfg.walkHours[0]), parseHhMm(cfg.walkHours[1])] as const;
  return { value: dogTagValue(zones, hours, position, minuteOfDay(t, ctx.offsetMs), outdoors), position };
}
