import type { SensorPolicy } from '@egret/config';
import { isCaseOpen, sensorLevel, type Case, type Sensor, type SensorReading } from '@egret/protocol';

const MINUTE_MS = 60_000;

/** What one reading does to a sensor. */
export interface SensorStep {
  sensor: Sensor;
  /** The reading goes into the log (a change of level, a move, or the first reading for a while). */
  log: boolean;
  /**
   * The alarm has become a case (物联感知 → 立案): it lasted `persistMinutes`, or it is the `repeatCount`-th alarm
   * within `repeatWindowMinutes` — and the sensor has no open case already, so one noisy site makes one case.
   */
  raiseCase: boolean;
}

/** A case the sensor raised earlier is still open: further alarms wait for it to be closed (or rejected). */
export function holdsOpenCase(sensor: Sensor, current: Case | undefined): boolean {
  return sensor.caseId !== undefined && current !== undefined && current.id === sensor.caseId && isCaseOpen(current);
}

/**
 * Folds one reading into a sensor: its level against the thresholds, when the alarm began, the recent alarm onsets,
 * whether to log it and whether the alarm now becomes a case. Pure; `openCase` is whether the case the sensor raised
 * before is still open (see `holdsOpenCase`).
 */
export function readSensor(prev: Sensor, reading: SensorReading, policy: SensorPolicy, openCase: boolean): SensorStep {
  const at = reading.at;
  const level = sensorLevel(prev, reading.value);
  const onset = level === 'alarm' && prev.level !== 'alarm';
  const windowStart = at - policy.repeatWindowMinutes * MINUTE_MS;
  const onsets = [...prev.alarmOnsets.filter((t) => t > windowStart), ...(onset ? [at] : [])].slice(-64);
  const alarmSince = level === 'alarm' ? (onset ? at : (prev.alarmSince ?? at)) : undefined;
  const moved =
    reading.lon !== undefined &&
    reading.lat !== undefined &&
    (reading.lon !== prev.position[0] || reading.lat !== prev.position[1]);
  const due = prev.loggedAt === undefined || at - prev.loggedAt >= policy.logEveryMinutes * MINUTE_MS;
  const log = level !== prev.level || moved || due;
  const lasting = alarmSince !== undefined && at - alarmSince >= policy.persistMinutes * MINUTE_MS;
  const repeated = level === 'alarm' && onsets.length >= policy.repeatCount;
  const raiseCase = level === 'alarm' && !openCase && (lasting || repeated);

  const { alarmSince: _drop, caseId: _case, loggedAt: _logged, ...rest } = prev;
  const keptCase = openCase ? prev.caseId : undefined;
  const sensor: Sensor = {
    ...rest,
    ...(reading.lon !== undefined && reading.lat !== undefined ? { position: [reading.lon, reading.lat] } : {}),
    value: reading.value,
    readAt: at,
    level,
    alarmOnsets: onsets,
    ...(alarmSince !== undefined ? { alarmSince } : {}),
    ...(keptCase !== undefined ? { caseId: keptCase } : {}),
    ...(log ? { loggedAt: at } : prev.loggedAt !== undefined ? { loggedAt: prev.loggedAt } : {}),
    version: prev.version + 1,
  };
  return { sensor, log, raiseCase };
}

/** The id of the n-th case a sensor raises (1-based): `IOT-<sensor>-<n>`, within the 64 characters an id may have. */
export function sensorCaseId(sensorId: string, n: number): string {
  return `IOT-${sensorId.slice(0, 48)}-${n}`;
}
