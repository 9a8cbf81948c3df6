import type { Case, LogEvent, Unit, WorldSnapshot } from '@egret/protocol';

/** World time used by the fixtures: 2026-07-01 10:00 in Asia/Shanghai. */
export const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);

/** A valid case with sensible defaults; override what the test is about. */
export function aCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'C1',
    category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
    source: 'patrol',
    urgency: 'normal',
    position: [118.09, 24.48],
    address: '思明区湖滨南路',
    district: '350203',
    status: 'reported',
    reportedAt: T0,
    supervised: false,
    history: [{ to: 'reported', at: T0, actor: { role: 'upstream', id: 'patrol-gw' } }],
    version: 0,
    ...overrides,
  };
}

/** A valid unit with sensible defaults. */
export function aUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    id: 'U1',
    name: '思明一中队 01',
    type: 'enforcement',
    squadId: 'SQ-350203-1',
    district: '350203',
    status: 'available',
    slot: 0,
    version: 0,
    ...overrides,
  };
}

/** An empty snapshot at `seq`. */
export function aSnapshot(overrides: Partial<WorldSnapshot> = {}): WorldSnapshot {
  return {
    seq: 0,
    at: T0,
    clock: { baseReal: T0, baseWorld: T0, rate: 1 },
    mode: 'peacetime',
    cases: [],
    units: [],
    tasks: [],
    storms: [],
    sensors: [],
    ...overrides,
  };
}

/** `case.reported` events numbered `from`…`to`, one new case each (ids C<seq>). */
export function reportedEvents(from: number, to: number): LogEvent[] {
  const out: LogEvent[] = [];
  for (let seq = from; seq <= to; seq++) {
    out.push({ seq, at: T0 + seq * 1000, type: 'case.reported', case: aCase({ id: `C${seq}`, reportedAt: T0 + seq * 1000 }) });
  }
  return out;
}
