import { pointInRing, type LonLat, type MajorEventInfo, type Mode } from '@egret/protocol';
import type { Bbox } from '../map/view.ts';
import { dayStart } from './today.ts';

/**
 * Which major event (重大活动保障, e.g. the Straits Forum) the wall guards now, and what its title bar says about it.
 * The events come from `HubConfig.events`; nothing here reads a clock: world time is passed in.
 */

export type Perimeter = MajorEventInfo['perimeters'][number];
export type Venue = MajorEventInfo['venues'][number];
export type Post = MajorEventInfo['posts'][number];

/** Whether the guard is on at world time t: `[from, to)`, as the hub applies the tighter deadlines. */
export function eventOn(e: MajorEventInfo, t: number): boolean {
  return t >= e.from && t < e.to;
}

/**
 * The event the wall shows at t: the one on now (the earliest begun when two overlap); otherwise, in major_event
 * mode only, the next to begin — the command centre switches to the event's posture the day before, to check its
 * posts and perimeters — or, when none is to come, the one that ended last. Null in any other mode with none on.
 */
export function shownEvent(events: readonly MajorEventInfo[], t: number, mode: Mode | string): MajorEventInfo | null {
  let on: MajorEventInfo | null = null;
  let next: MajorEventInfo | null = null;
  let last: MajorEventInfo | null = null;
  for (const e of events) {
    if (eventOn(e, t)) {
      if (!on || e.from < on.from) on = e;
    } else if (e.from > t) {
      if (!next || e.from < next.from) next = e;
    } else if (!last || e.to > last.to) {
      last = e;
    }
  }
  if (on) return on;
  return mode === 'major_event' ? (next ?? last) : null;
}

/** Time to go as whole days and `HH:MM` (minutes rounded up, so a minute before the start reads 00:01). */
export interface Countdown {
  days: number;
  hhmm: string;
}

/** What the title bar says about the event: its name, and the countdown to it or which day of the guard it is. */
export interface EventHeadline {
  id: string;
  name: { zh: string; en: string };
  phase: 'before' | 'on' | 'after';
  /** Before: time to the start. */
  countdown: Countdown | null;
  /** On: which local calendar day of the guard it is (1 on its first day), and how many days it spans. */
  day: number | null;
  days: number;
}

const DAY_MS = 86_400_000;

/** Calendar days from the day holding `a` to the day holding `b` in the city's zone (0 for the same day). */
function calendarDays(a: number, b: number, timeZone: string): number {
  // Midnights in the zone are whole days apart (China keeps no summer time; elsewhere a DST day is 23 or 25 h: round).
  return Math.round((dayStart(b, timeZone) - dayStart(a, timeZone)) / DAY_MS);
}

/** `ms` to go as days and HH:MM, minutes rounded up. */
export function countdown(ms: number): Countdown {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const rest = minutes % 1440;
  return { days, hhmm: `${String(Math.floor(rest / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}` };
}

/**
 * The headline of the shown event at world time `now`: before it, the countdown to its start; while it is on,
 * "day N of M" counted in the city's calendar days (a guard from 06-14 06:00 to 06-16 22:00 has three days, and
 * 06-15 is its second); after it, only that it has ended.
 */
export function eventHeadline(e: MajorEventInfo, now: number, timeZone: string): EventHeadline {
  const days = calendarDays(e.from, e.to - 1, timeZone) + 1;
  const phase = now < e.from ? 'before' : now < e.to ? 'on' : 'after';
  return {
    id: e.id,
    name: e.name,
    phase,
    countdown: phase === 'before' ? countdown(e.from - now) : null,
    day: phase === 'on' ? calendarDays(e.from, now, timeZone) + 1 : null,
    days,
  };
}

/** The first perimeter holding point p, if any: the hub's own rule for "filed inside a perimeter" (`pointInRing`). */
export function perimeterAt(perimeters: readonly Perimeter[], p: LonLat): Perimeter | undefined {
  return perimeters.find((x) => pointInRing(x.ring, p));
}

/** Metres per degree of latitude (and of longitude at the equator). */
const M_PER_DEG = 111_320;

/**
 * What the wall frames in major_event mode: every perimeter, venue and post of the event (a post with its
 * radius), with a margin of `marginFraction` of the larger side each way so the venues' names and the units
 * straying off the posts stay in the picture, and at least `minSideM` across (an event of one venue).
 */
export function eventExtent(e: MajorEventInfo, marginFraction = 0.2, minSideM = 3_000): Bbox | null {
  let w = Infinity, s = Infinity, east = -Infinity, n = -Infinity;
  const add = ([lon, lat]: LonLat, rM = 0) => {
    const dLat = rM / M_PER_DEG;
    const dLon = rM / (M_PER_DEG * Math.cos((lat * Math.PI) / 180));
    w = Math.min(w, lon - dLon), east = Math.max(east, lon + dLon);
    s = Math.min(s, lat - dLat), n = Math.max(n, lat + dLat);
  };
  for (const p of e.perimeters) for (const q of p.ring) add(q);
  for (const v of e.venues) add(v.position);
  for (const p of e.posts) add(p.position, p.radiusM);
  if (!Number.isFinite(w)) return null;
  const midLat = (s + n) / 2;
  const lonPerM = 1 / (M_PER_DEG * Math.cos((midLat * Math.PI) / 180));
  const latPerM = 1 / M_PER_DEG;
  const sideM = Math.max(minSideM, (east - w) / lonPerM, (n - s) / latPerM);
  const padM = sideM * marginFraction;
  // Grow a side shorter than the minimum about its centre, then pad every side alike.
  const halfLon = Math.max(east - w, minSideM * lonPerM) / 2 + padM * lonPerM;
  const halfLat = Math.max(n - s, minSideM * latPerM) / 2 + padM * latPerM;
  const cLon = (w + east) / 2, cLat = midLat;
  return [cLon - halfLon, cLat - halfLat, cLon + halfLon, cLat + halfLat];
}
