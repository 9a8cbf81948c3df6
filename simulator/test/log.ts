import { LogEvent, type Actor, type CaseSource } from '@egret/protocol';

/** A `case.reported` log event as the hub logs it (parsed, so a fixture that drifts from the protocol fails loudly). */
export function caseReported(id: string, source: CaseSource, by: Actor, at: number, seq = 1): LogEvent {
  return LogEvent.parse({
    seq,
    at,
    type: 'case.reported',
    case: {
      id,
      category: { standard: 'GB/T 47678.5-2026', code: '08001', name: '施工扰民' },
      source,
      urgency: 'urgent',
      position: [118.1, 24.47],
      address: '测试',
      district: '350203',
      status: 'reported',
      reportedAt: at,
      supervised: false,
      history: [{ to: 'reported', at, actor: by }],
      version: 0,
    },
  });
}
