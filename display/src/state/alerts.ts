import type { Case, Sensor } from '@egret/protocol';
import { alarmAt } from './sensors.ts';

/**
 * What the alert rail shows: things that must draw a commander's eye now, without hiding the map.
 * - `critical` / `urgent`: a case of that urgency reported within the window and still open;
 * - `overdue`: an open case whose deadline passed within the window (it has just gone overdue);
 * - `sensor`: a case raised by an IoT threshold (物联感知), whatever its urgency;
 * - `alarm`: a sensor whose readings are at alarm level now (a water-level gauge over its alarm line). It stays
 *   for as long as the alarm lasts — a standing condition, not a moment — dated from when it began, so newer
 *   alerts still come first. It stands in for the `sensor` case its alarm raised: one card per thing.
 */
export type AlertKind = 'critical' | 'urgent' | 'overdue' | 'sensor' | 'alarm';

interface AlertBase {
  /** Stable across recomputations (`<kind>:<case or sensor id>`), so the rail animates only new alerts. */
  id: string;
  /** World time the alert arose: the report, the deadline that passed, or the start of the alarm. */
  at: number;
}

export interface CaseAlert extends AlertBase {
  kind: Exclude<AlertKind, 'alarm'>;
  case: Case;
}

export interface SensorAlert extends AlertBase {
  kind: 'alarm';
  sensor: Sensor;
}

export type Alert = CaseAlert | SensorAlert;

export interface AlertOptions {
  /** World time now. */
  now: number;
  /** How far back (world ms) an alert stays on the rail. */
  windowMs: number;
  /** The rail's length: newest first, older ones fall off. */
  max: number;
  /** The sensors (all of them: those in alarm are picked here). */
  sensors?: Iterable<Sensor>;
}

const WEIGHT: Record<AlertKind, number> = { critical: 3, overdue: 2, alarm: 2, sensor: 1, urgent: 1 };

/**
 * The rail's alerts over the open cases and the sensors, newest first and at most `max` (a capped list, rebuilt
 * from the world each time rather than appended to, so it cannot grow however long the wall runs). A case gives
 * one alert: a deadline just passed outranks its report.
 */
export function deriveAlerts(openCases: Iterable<Case>, { now, windowMs, max, sensors = [] }: AlertOptions): Alert[] {
  const since = now - windowMs;
  const out: Alert[] = [];
  const alarmCases = new Set<string>();
  for (const s of sensors) {
    if (s.level !== 'alarm') continue;
    if (s.caseId !== undefined) alarmCases.add(s.caseId);
    insertCapped(out, { id: `alarm:${s.id}`, kind: 'alarm', sensor: s, at: Math.min(alarmAt(s), now) }, max);
  }
  for (const c of openCases) {
    let alert: Alert | undefined;
    if (c.deadline !== undefined && c.status !== 'parked' && c.deadline < now && c.deadline >= since) {
      alert = { id: `overdue:${c.id}`, kind: 'overdue', case: c, at: c.deadline };
    } else if (c.reportedAt >= since && c.reportedAt <= now) {
      const kind = c.urgency === 'critical' ? 'critical' : c.source === 'iot' ? 'sensor' : c.urgency === 'urgent' ? 'urgent' : undefined;
      if (kind && !(kind === 'sensor' && alarmCases.has(c.id))) alert = { id: `${kind}:${c.id}`, kind, case: c, at: c.reportedAt };
    }
    if (alert) insertCapped(out, alert, max);
  }
  return out;
}

/** Newest first; at equal times the weightier kind first. */
function before(a: Alert, b: Alert): boolean {
  return a.at > b.at || (a.at === b.at && (WEIGHT[a.kind] > WEIGHT[b.kind] || (WEIGHT[a.kind] === WEIGHT[b.kind] && a.id < b.id)));
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
