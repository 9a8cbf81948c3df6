import { describe, expect, it } from 'vitest';
import type { Actor, Case, CaseStatus, LogEvent, Task, TaskStatus } from '@egret/protocol';
import { dispatchKey, FiledCases, filingRound } from './filed-cases.ts';

const T0 = Date.parse('2026-11-22T10:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;
const lead: Actor = { role: 'upstream', id: 'shift-lead-01' };
let seq = 0;

function moved(id: string, from: CaseStatus, to: CaseStatus, at: number, filings = 1, district = '350203'): LogEvent {
  const history = Array.from({ length: filings }, () => ({ to: 'filed' as const, at, actor: lead }));
  const c: Case = {
    id,
    category: { code: '09006', standard: 'GB/T 47678.5-2026', name: '占道经营' },
    source: 'patrol',
    urgency: 'normal',
    position: [118.09, 24.46],
    address: '',
    district,
    status: to,
    reportedAt: at,
    supervised: false,
    history,
    version: 1,
  };
  return { seq: ++seq, at, type: 'case.transitioned', from, to, actor: lead, case: c };
}

function ended(caseId: string, unitId: string, to: TaskStatus, at: number): LogEvent {
  const task: Task = {
    id: `T-${caseId}-${unitId}`,
    caseId,
    unitId,
    squadId: 'SQ',
    status: to,
    createdAt: at,
    updatedAt: at,
    actor: lead,
    version: 2,
  };
  return { seq: ++seq, at, type: 'task.updated', from: 'dispatched', to, actor: { role: 'field', id: unitId }, task };
}

function freed(unitId: string, at: number, from: 'on_scene' | 'off_duty' = 'on_scene', district = '350203'): LogEvent {
  const unit = {
    id: unitId,
    name: unitId,
    type: 'enforcement' as const,
    squadId: 'SQ',
    district,
    status: 'available' as const,
    slot: 0,
    version: 3,
  };
  return { seq: ++seq, at, type: 'unit.status_changed', from, to: 'available', unit };
}

describe(FiledCases.name, () => {
  it('makes a filed case due three minutes after filing, and forgets it once anything else happens to it', () => {
    const f = new FiledCases(3 * MIN);
    f.observe([moved('C-1', 'accepted', 'filed', T0), moved('C-2', 'accepted', 'filed', T0 + MIN)]);
    expect(f.due(T0 + 3 * MIN - 1)).toEqual([]);
    expect(f.due(T0 + 4 * MIN).map((c) => c.caseId)).toEqual(['C-1', 'C-2']);
    f.observe([moved('C-1', 'filed', 'dispatched', T0 + 2 * MIN), moved('C-2', 'filed', 'parked', T0 + 2 * MIN)]);
    expect(f.due(T0 + HOUR)).toEqual([]);
    expect(f.size).toBe(0);
  });

  it('takes a returned or reworked case up again in its next round, without the units that turned it down', () => {
    const f = new FiledCases(0);
    f.observe([moved('C-1', 'accepted', 'filed', T0), moved('C-1', 'filed', 'dispatched', T0 + MIN)]);
    f.observe([ended('C-1', 'U-1', 'declined', T0 + 2 * MIN), moved('C-1', 'dispatched', 'filed', T0 + 2 * MIN, 2)]);
    expect(f.due(T0 + 2 * MIN)).toEqual([
      { caseId: 'C-1', round: 2, district: '350203', dueAt: T0 + 2 * MIN, tries: 0 },
    ]);
    f.observe([ended('C-1', 'U-2', 'timed_out', T0 + 3 * MIN), ended('C-1', 'U-3', 'done', T0 + 3 * MIN)]);
    expect([...f.excluded('C-1')]).toEqual(['U-1', 'U-2']);
    f.observe([moved('C-1', 'verifying', 'closed', T0 + 4 * MIN, 3)]);
    expect(f.excluded('C-1').size).toBe(0);
  });

  it('waits for a postponed case', () => {
    const f = new FiledCases(0);
    f.observe([moved('C-1', 'accepted', 'filed', T0)]);
    f.postpone('C-1', T0 + 5 * MIN);
    expect(f.due(T0 + 4 * MIN)).toEqual([]);
    expect(f.due(T0 + 5 * MIN)).toHaveLength(1);
  });
});

describe('cases no unit could take', () => {
  it('waits for a unit to come free: each freed unit makes one waiting case due, the one tried longest ago', () => {
    const f = new FiledCases(0);
    f.observe([
      moved('C-1', 'accepted', 'filed', T0),
      moved('C-2', 'accepted', 'filed', T0),
      moved('C-3', 'accepted', 'filed', T0),
    ]);
    // Tried in turn, no unit free for any: each waits for one, at the latest an hour after its try.
    f.waitForUnit('C-2', T0 + HOUR);
    f.waitForUnit('C-1', T0 + HOUR + MIN);
    f.waitForUnit('C-3', T0 + HOUR + 2 * MIN);
    expect(f.due(T0 + 10 * MIN)).toEqual([]);
    f.observe([freed('U-1', T0 + 10 * MIN)]);
    expect(f.due(T0 + 10 * MIN).map((c) => c.caseId)).toEqual(['C-2']);
    // A unit that starts its shift comes free too; a unit going busy or off duty frees nothing.
    f.observe([freed('U-2', T0 + 11 * MIN, 'off_duty')]);
    expect(f.due(T0 + 11 * MIN).map((c) => c.caseId)).toEqual(['C-2', 'C-1']);
    f.observe([freed('U-3', T0 + 12 * MIN), freed('U-4', T0 + 12 * MIN)]);
    expect(f.due(T0 + 12 * MIN).map((c) => c.caseId)).toEqual(['C-2', 'C-1', 'C-3']);
  });

  it('wakes a case of the freed unit’s own district first, else the one tried longest ago anywhere', () => {
    const f = new FiledCases(0);
    f.observe([
      moved('C-HL', 'accepted', 'filed', T0, 1, '350206'),
      moved('C-SM', 'accepted', 'filed', T0, 1, '350203'),
      moved('C-JM', 'accepted', 'filed', T0, 1, '350211'),
    ]);
    f.waitForUnit('C-HL', T0 + HOUR);
    f.waitForUnit('C-SM', T0 + HOUR + MIN);
    f.waitForUnit('C-JM', T0 + HOUR + 2 * MIN);
    f.observe([freed('U-SM', T0 + MIN, 'on_scene', '350203')]);
    expect(f.due(T0 + MIN).map((c) => c.caseId)).toEqual(['C-SM']);
    f.observe([freed('U-XA', T0 + 2 * MIN, 'on_scene', '350213')]); // none waits in its district
    expect(f.due(T0 + 2 * MIN).map((c) => c.caseId)).toEqual(['C-SM', 'C-HL']);
  });

  it('is due at its latest time when no unit comes free, and a unit freed with none waiting wakes no later case', () => {
    const f = new FiledCases(0);
    f.observe([moved('C-1', 'accepted', 'filed', T0)]);
    f.waitForUnit('C-1', T0 + HOUR);
    expect(f.due(T0 + HOUR - 1)).toEqual([]);
    expect(f.due(T0 + HOUR).map((c) => c.caseId)).toEqual(['C-1']);
    // Tried again and dispatched this time: it waits for the log, not for a unit; a freed unit leaves it be.
    f.postpone('C-1', T0 + 2 * HOUR);
    f.observe([freed('U-1', T0 + HOUR + MIN)]);
    expect(f.due(T0 + HOUR + MIN)).toEqual([]);
  });
});

describe(dispatchKey.name, () => {
  it('is the same for the same case, round and try, and printable ASCII within 128 characters', () => {
    const key = dispatchKey({ caseId: '12345-20261122-000123', round: 2, tries: 1 });
    expect(key).toBe('sim-auto:12345-20261122-000123:2:1');
    expect(dispatchKey({ caseId: 'x'.repeat(64), round: 99, tries: 99 })).toMatch(/^[\x21-\x7e]{1,128}$/);
  });
});

describe(filingRound.name, () => {
  it('counts the case’s filings', () => {
    expect(
      filingRound({
        history: [
          { to: 'reported', at: T0, actor: lead },
          { to: 'filed', at: T0, actor: lead },
          { to: 'filed', at: T0, actor: lead },
        ],
      }),
    ).toBe(2);
  });
});
