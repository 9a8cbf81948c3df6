import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '@egret/protocol';
import { atLeast, commandRefusal, deviceEventsRefusal, deviceFixesRefusal, mayIngest, maySee } from './permissions.ts';

describe(commandRefusal.name, () => {
  it('lets a viewer run no command at all', () => {
    for (const name of COMMAND_NAMES)
      expect(commandRefusal('viewer', name, {}), name).toMatch(/needs the (dispatcher|commander) role/);
  });

  it('lets a dispatcher dispatch, recall, reassign and take the ordinary steps of the loop', () => {
    for (const name of ['case:dispatch', 'task:recall', 'case:reassign'] as const)
      expect(commandRefusal('dispatcher', name, {})).toBeUndefined();
    for (const action of ['accept', 'file', 'verify', 'close', 'rework'])
      expect(commandRefusal('dispatcher', 'case:transition', { action }), action).toBeUndefined();
  });

  it('keeps mode, supervision, extension and the loop’s overrides (reject, park, resume) for commanders and admins', () => {
    for (const name of ['mode:set', 'case:supervise', 'case:extend'] as const) {
      expect(commandRefusal('dispatcher', name, {})).toBe(
        `${name} needs the commander role; this account is dispatcher`,
      );
      expect(commandRefusal('commander', name, {})).toBeUndefined();
      expect(commandRefusal('admin', name, {})).toBeUndefined();
    }
    for (const action of ['reject', 'park', 'resume']) {
      expect(commandRefusal('dispatcher', 'case:transition', { action })).toMatch(/overrides the case loop/);
      expect(commandRefusal('commander', 'case:transition', { action })).toBeUndefined();
    }
  });

  it('refuses every command to ingest keys and field devices', () => {
    for (const name of COMMAND_NAMES) {
      expect(commandRefusal('ingest', name, {})).toBeDefined();
      expect(commandRefusal('field', name, {})).toBeDefined();
    }
  });
});

describe(atLeast.name, () => {
  it('orders viewer < dispatcher < commander < admin and knows no other role as a person', () => {
    expect(atLeast('admin', 'commander')).toBe(true);
    expect(atLeast('dispatcher', 'commander')).toBe(false);
    expect(atLeast('field', 'viewer')).toBe(false);
    expect(maySee('viewer')).toBe(true);
    expect(maySee('ingest')).toBe(false);
    expect(mayIngest('field')).toBe(true);
    expect(mayIngest('admin')).toBe(false);
  });
});

describe(deviceEventsRefusal.name, () => {
  const at = 1_780_000_000_000;
  it('lets a device report its own task progress and duty status', () => {
    expect(
      deviceEventsRefusal('U-1', [
        { kind: 'task.update', taskId: 'T-1', unitId: 'U-1', status: 'accepted', at },
        { kind: 'unit.status', unitId: 'U-1', status: 'available', at },
      ]),
    ).toBeUndefined();
  });

  it('refuses another unit’s update as forbidden_unit, naming the message', () => {
    expect(
      deviceEventsRefusal('U-1', [
        { kind: 'unit.status', unitId: 'U-1', status: 'available', at },
        { kind: 'task.update', taskId: 'T-2', unitId: 'U-2', status: 'done', at },
      ]),
    ).toEqual({ reason: 'forbidden_unit', detail: '[1].unitId: this device reports for unit U-1, not U-2' });
  });

  it('lets a device check a plan’s point as its own unit, and refuses a check in another unit’s name', () => {
    const check = (unitId: string) =>
      ({ kind: 'inspection.check', inspectionId: 'typhoon.boards.1.B1', unitId, result: 'passed', at }) as const;
    expect(deviceEventsRefusal('U-1', [check('U-1')])).toBeUndefined();
    expect(deviceEventsRefusal('U-1', [check('U-2')])).toEqual({
      reason: 'forbidden_unit',
      detail: 'message.unitId: this device reports for unit U-1, not U-2',
    });
    expect(deviceEventsRefusal('u-1', [check('U-1')])).toMatchObject({ reason: 'forbidden_unit' });
  });

  it('refuses anything but progress and status as forbidden_kind', () => {
    expect(
      deviceEventsRefusal('U-1', [{ kind: 'clock.set', baseReal: 0, baseWorld: 0, rate: 1, at } as never]),
    ).toMatchObject({ reason: 'forbidden_kind' });
  });
});

describe(deviceFixesRefusal.name, () => {
  it('refuses a batch with any fix of another unit', () => {
    expect(deviceFixesRefusal('U-1', [{ unitId: 'U-1' }, { unitId: 'U-1' }])).toBeUndefined();
    expect(deviceFixesRefusal('U-1', [{ unitId: 'U-1' }, { unitId: 'U-9' }])).toEqual({
      reason: 'forbidden_unit',
      detail: 'fixes[1].unitId: this device reports for unit U-1, not U-9',
    });
  });
});
