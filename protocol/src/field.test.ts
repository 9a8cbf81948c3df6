import { describe, expect, it } from 'vitest';
import { DAY0, LogBuilder, makeUnit } from '../test/fixtures.ts';
import {
  CaseVerifyCommand,
  FieldPairingCode,
  fieldErrorStatus,
  implausibleJump,
  TaskProgressCommand,
  MAX_PLAUSIBLE_SPEED_MPS,
} from './field.ts';
import { applyEvents, emptyWorld } from './state.ts';

const PHOTO = { id: 'a'.repeat(64), role: 'after' as const, at: DAY0 };

describe(implausibleJump.name, () => {
  const here = { position: [118.1, 24.5] as [number, number], at: DAY0 };
  it('accepts a walk and a drive', () => {
    expect(implausibleJump(here, { position: [118.1005, 24.5], at: DAY0 + 10_000 })).toBeUndefined();
    expect(implausibleJump(here, { position: [118.11, 24.5], at: DAY0 + 60_000 })).toBeUndefined();
  });
  it('refuses a kilometre in a second, and a jump at the same instant', () => {
    expect(implausibleJump(here, { position: [118.11, 24.5], at: DAY0 + 1_000 })).toMatch(/m\/s/);
    expect(implausibleJump(here, { position: [118.11, 24.5], at: DAY0 })).toMatch(/∞ m\/s/);
  });
  it('tolerates GPS jitter at the same instant and fixes out of order', () => {
    expect(implausibleJump(here, { position: [118.1002, 24.5], at: DAY0 })).toBeUndefined();
    expect(implausibleJump(here, { position: [118.11, 24.5], at: DAY0 - 120_000 })).toBeUndefined();
  });
  it('draws the line at the maximum speed', () => {
    // ~1,012 m per 0.01° of longitude at 24.5° N: 14 s is 72 m/s, 15 s is 67 m/s.
    expect(MAX_PLAUSIBLE_SPEED_MPS).toBe(70);
    expect(implausibleJump(here, { position: [118.11, 24.5], at: DAY0 + 14_000 })).toBeDefined();
    expect(implausibleJump(here, { position: [118.11, 24.5], at: DAY0 + 15_000 })).toBeUndefined();
  });
});

describe('field command schemas', () => {
  it('take the field’s steps only, and photos with done', () => {
    const ok = { taskId: 'T1', status: 'done', photos: [PHOTO], at: DAY0, idempotencyKey: 'k1' };
    expect(TaskProgressCommand.safeParse(ok).success).toBe(true);
    expect(TaskProgressCommand.safeParse({ ...ok, status: 'dispatched' }).success).toBe(false);
    expect(TaskProgressCommand.safeParse({ ...ok, status: 'recalled' }).success).toBe(false);
    expect(TaskProgressCommand.safeParse({ ...ok, unitId: 'other' }).success).toBe(false); // strict
    expect(TaskProgressCommand.safeParse({ ...ok, photos: [{ ...PHOTO, id: 'A'.repeat(64) }] }).success).toBe(false);
  });
  it('need a photo to verify', () => {
    const v = { caseId: 'C1', outcome: 'confirm', photos: [], at: DAY0, idempotencyKey: 'k' };
    expect(CaseVerifyCommand.safeParse(v).success).toBe(false);
    expect(CaseVerifyCommand.safeParse({ ...v, photos: [{ ...PHOTO, role: 'verify' }] }).success).toBe(true);
  });
  it('read a pairing code in any letter case, and nothing else', () => {
    expect(FieldPairingCode.parse(' abcd23efgh ')).toBe('ABCD23EFGH');
    expect(FieldPairingCode.safeParse('ABCD23EFG').success).toBe(false);
    expect(FieldPairingCode.safeParse('ABCD23EFGI').success).toBe(false); // I is not Crockford base32
    expect(FieldPairingCode.safeParse('ABCD23EF%48').success).toBe(false);
  });
  it('answer refusals with their status', () => {
    expect(fieldErrorStatus('revoked')).toBe(401);
    expect(fieldErrorStatus('not_your_task')).toBe(403);
    expect(fieldErrorStatus('unknown_photo')).toBe(422);
    expect(fieldErrorStatus('something_new')).toBe(409);
  });
});

describe('terminal.changed', () => {
  it('marks the unit, and the mark survives the unit’s own changes', () => {
    const unit = makeUnit({ id: 'u1', squadId: 'SQ1', slot: 1 });
    const terminal = { state: 'online' as const, lastSeenAt: DAY0, pending: 2 };
    const world = applyEvents(
      emptyWorld(),
      new LogBuilder()
        .other({ type: 'unit.registered', at: DAY0, unit })
        .other({ type: 'terminal.changed', at: DAY0 + 1, unitId: 'u1', terminal })
        .other({
          type: 'unit.status_changed',
          at: DAY0 + 2,
          from: 'available',
          to: 'off_duty',
          unit: { ...unit, status: 'off_duty', version: 1 },
        })
        .other({ type: 'terminal.changed', at: DAY0 + 3, unitId: 'nobody', terminal }).events,
    );
    expect(world.units.get('u1')).toMatchObject({ status: 'off_duty', terminal });
    expect(world.units.has('nobody')).toBe(false);
  });
});
