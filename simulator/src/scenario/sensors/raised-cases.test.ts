import { describe, expect, it } from 'vitest';
import { sensorRaisedCases } from './raised-cases.ts';
import { caseReported } from '../../../test/log.ts';

const AT = Date.parse('2026-11-22T10:00:00+08:00');

describe(sensorRaisedCases.name, () => {
  it('picks the cases the hub raised from sensor alarms, not the reports the simulator sent', () => {
    const events = [
      caseReported('IOT-NOISE-350211-07-1', 'iot', { role: 'system', id: 'sensor:NOISE-350211-07' }, AT, 1),
      caseReported('IOT-20261122-000004', 'iot', { role: 'upstream', id: 'iot-platform' }, AT, 2),
      caseReported('12345-20261122-000001', 'hotline', { role: 'upstream', id: 'hotline' }, AT, 3),
    ];
    expect(sensorRaisedCases(events)).toEqual([{ caseId: 'IOT-NOISE-350211-07-1', reportedAt: AT }]);
  });
});
