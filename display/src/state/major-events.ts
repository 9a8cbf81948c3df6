import { haversineM, pointInRing, type LonLat, type MajorEventInfo, type Mode } from '@egret/protocol';
import type { Perimeter } from '../map/event-picture.ts';
import type { Bbox } from '../map/view.ts';
import { dayStart } from './today.ts';
import { squareAround } from './wall-focus.ts';

/**
 * Which major event (重大活动保障, e.g. the Straits Forum) the wall guards now, and what its title bar says about it.
 * The events come from `HubConfig.events`; nothing here reads a clock: world time is passed in.
 */

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

/**
 * What the wall frames in major_event mode: every perimeter, venue and post of the event (a post with its
 * radius), at least `minSideM` across (an event of one venue), with a margin of `marginFraction` of the larger
 * side each way so the venues' names and the units straying off the posts stay in the picture.
 */
export function eventExtent(e: MajorEventInfo, marginFraction = 0.2, minSideM = 3_000): Bbox | null {
  const places: Bbox[] = [
    ...[...e.perimeters.flatMap((p) => p.ring), ...e.venues.map((v) => v.position)].map(([lon, lat]): Bbox => [
      lon,
      lat,
      lon,
      lat,
    ]),
    ...e.posts.map((p) => squareAround(p.position, p.radiusM)),
  ];
  if (places.length === 0) return null;
  const all = union(places);
  const centre: LonLat = [(all[0] + all[2]) / 2, (all[1] + all[3]) / 2];
  const core = union([all, squareAround(centre, minSideM / 2)]);
  const sideM = Math.max(
    haversineM([core[0], centre[1]], [core[2], centre[1]]),
    haversineM([centre[0], core[1]], [centre[0], core[3]]),
  );
  const pad = squareAround(centre, sideM * marginFraction);
  const padLon = (pad[2] - pad[0]) / 2,
    padLat = (pad[3] - pad[1]) / 2;
  return [core[0] - padLon, core[1] - padLat, core[2] + padLon, core[3] + padLat];
}

const union = (boxes: readonly Bbox[]): Bbox => [
  Math.min(...boxes.map((b) => b[0])),
  Math.min(...boxes.map((b) => b[1])),
  Math.max(...boxes.map((b) => b[2])),
  Math.max(...boxes.map((b) => b[3])),
];
