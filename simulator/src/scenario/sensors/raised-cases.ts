import type { LogEvent } from '@egret/protocol';

/** A case the hub raised from a sensor's alarm, for the intake desk. */
export interface RaisedCase {
  caseId: string;
  reportedAt: number;
}

/**
 * The cases among the hub's log events that the hub itself raised from lasting or repeated sensor alarms (物联感知 →
 * 立案: source iot, first step by `sensor:<id>`). They arrive `reported` and, like any report, wait for the case
 * system's intake desk — which the simulator plays — to accept and file them. Reports the simulator sent itself
 * (some with source iot too) are left out: their intake is planned when they are sent.
 */
export function sensorRaisedCases(events: readonly LogEvent[]): RaisedCase[] {
  const out: RaisedCase[] = [];
  for (const e of events) {
    if (e.type !== 'case.reported' || e.case.source !== 'iot') continue;
    const first = e.case.history[0]?.actor;
    if (first?.role === 'system' && first.id.startsWith('sensor:'))
      out.push({ caseId: e.case.id, reportedAt: e.case.reportedAt });
  }
  return out;
}
