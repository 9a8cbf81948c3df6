import type { Case, Sensor } from '@egret/protocol';
import type { OffPostUnit, Perimeter } from '../map/event-picture.ts';
import { perimeterAt } from './major-events.ts';
import { alarmAt } from './sensors.ts';

/**
 * What the alert rail shows: things that must draw a commander's eye now, without hiding the map.
 * - `critical` / `urgent`: a case of that urgency reported within the window and still open;
 * - `overdue`: an open case whose deadline passed within the window (it has just gone overdue);
 * - `sensor`: a case raised by an IoT threshold (物联感知), whatever its urgency;
 * - `alarm`: a sensor whose readings are at alarm level now (a water-level gauge over its alarm line). It stays
 *   for as long as the alarm lasts — a standing condition, not a moment — dated from when it began, so newer
 *   alerts still come first. It stands in for the `sensor` case its alarm raised: one card per thing.
 * - `post`: a unit holding a major event's fixed post has been off it (beyond its radius) for more than a moment
 *   (`state/post-watch.ts`); standing for as long as the absence lasts, dated from when it left;
 * - `perimeter`: an open case inside a perimeter of the major event that is on, past its deadline; standing for as
 *   long as it is overdue, dated from the deadline. It stands in for the case's `overdue` alert.
 * The two guard alarms (重大活动保障) are louder than the rest: they lead the rail — the event's commander acts on them
 * first, and a burst of ordinary urgent cases across the city must not push them off it — and are drawn solid red.
 */
export type AlertKind = 'critical' | 'urgent' | 'overdue' | 'sensor' | 'alarm' | 'post' | 'perimeter';

interface AlertBase {
  /** Stable across recomputations (`<kind>:<case or sensor id>`), so the rail animates only new alerts. */
  id: string;
  /** World time the alert arose: the report, the deadline that passed, or the start of the alarm. */
  at: number;
}

export interface CaseAlert extends AlertBase {
  kind: 'critical' | 'urgent' | 'overdue' | 'sensor';
  case: Case;
}

export interface SensorAlert extends AlertBase {
  kind: 'alarm';
  sensor: Sensor;
}

export interface PostAlert extends AlertBase {
  kind: 'post';
  unit: OffPostUnit;
}

export interface PerimeterAlert extends AlertBase {
  kind: 'perimeter';
  case: Case;
  perimeter: Perimeter;
}

export type Alert = CaseAlert | SensorAlert | PostAlert | PerimeterAlert;

export interface AlertOptions {
  /** World time now. */
  now: number;
  /** How far back (world ms) an alert stays on the rail. */
  windowMs: number;
  /** The rail's length: newest first, older ones fall off. */
  max: number;
  /** The sensors (all of them: those in alarm are picked here). */
  sensors?: Iterable<Sensor>;
  /** Units off their major-event posts now (`watchPosts`); none outside a guard. */
  offPost?: readonly OffPostUnit[];
  /** The perimeters of the major event that is on now; none while no event is on. */
  perimeters?: readonly Perimeter[];
}

/** At equal times, the weightier first. */
const WEIGHT: Record<AlertKind, number> = {
  post: 4,
  perimeter: 4,
  critical: 3,
  overdue: 2,
  alarm: 2,
  sensor: 1,
  urgent: 1,
};
/** The rail's tiers, leading first: an off-post unit, then an overdue case in a perimeter, then everything else. */
const TIER: Record<AlertKind, number> = {
  post: 2,
  perimeter: 1,
  critical: 0,
  overdue: 0,
  alarm: 0,
  sensor: 0,
  urgent: 0,
};

/**
 * The rail's alerts over the open cases, the sensors and the posts: the guard alarms first, then newest first, at
 * most `max` (a capped list, rebuilt from the world each time rather than appended to, so it cannot grow however
 * long the wall runs). A case gives one alert: overdue in a perimeter outranks overdue, a deadline just passed
 * outranks its report.
 */
export function deriveAlerts(
  openCases: Iterable<Case>,
  { now, windowMs, max, sensors = [], offPost = [], perimeters = [] }: AlertOptions,
): Alert[] {
  const since = now - windowMs;
  const out: Alert[] = [];
  if (max <= 0) return out;
  for (const u of offPost)
    insertCapped(out, { id: `post:${u.unitId}`, kind: 'post', unit: u, at: Math.min(u.since, now) }, max);
  const alarmCases = new Set<string>();
  for (const s of sensors) {
    if (s.level !== 'alarm') continue;
    if (s.caseId !== undefined) alarmCases.add(s.caseId);
    insertCapped(out, { id: `alarm:${s.id}`, kind: 'alarm', sensor: s, at: Math.min(alarmAt(s), now) }, max);
  }
  for (const c of openCases) {
    let alert: Alert | undefined;
    const late = c.deadline !== undefined && c.status !== 'parked' && c.deadline < now;
    const perimeter = late && perimeters.length > 0 ? perimeterAt(perimeters, c.position) : undefined;
    if (perimeter) {
      alert = { id: `perimeter:${c.id}`, kind: 'perimeter', case: c, perimeter, at: c.deadline! };
    } else if (late && c.deadline! >= since) {
      alert = { id: `overdue:${c.id}`, kind: 'overdue', case: c, at: c.deadline! };
    } else if (c.reportedAt >= since && c.reportedAt <= now) {
      const kind =
        c.urgency === 'critical'
          ? 'critical'
          : c.source === 'iot'
            ? 'sensor'
            : c.urgency === 'urgent'
              ? 'urgent'
              : undefined;
      if (kind && !(kind === 'sensor' && alarmCases.has(c.id)))
        alert = { id: `${kind}:${c.id}`, kind, case: c, at: c.reportedAt };
    }
    if (alert) insertCapped(out, alert, max);
  }
  return out;
}

/** The higher tier first; then newest first; at equal times the weightier kind first. */
function before(a: Alert, b: Alert): boolean {
  if (TIER[a.kind] !== TIER[b.kind]) return TIER[a.kind] > TIER[b.kind];
  return (
    a.at > b.at ||
    (a.at === b.at && (WEIGHT[a.kind] > WEIGHT[b.kind] || (WEIGHT[a.kind] === WEIGHT[b.kind] && a.id < b.id)))
  );
}

function insertCapped(out: Alert[], a: Alert, max: number): void {
  if (out.length === max && !before(a, out[max - 1]!)) return;
  let i = out.length;
  while (i > 0 && before(a, out[i - 1]!)) i--;
  out.splice(i, 0, a);
  if (out.length > max) out.pop();
}

/** Open cases past their deadline at `now` (parked ones excluded: their clock is stopped). */
export function overdueCases(openCases: Iterable<Case>, now: number): Case[] {
  const out: Case[] = [];
  for (const c of openCases) if (c.deadline !== undefined && c.status !== 'parked' && now > c.deadline) out.push(c);
  return out;
}
