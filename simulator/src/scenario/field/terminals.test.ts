import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@egret/protocol';
import { HeldUnits } from './terminals.ts';

const changed = (seq: number, unitId: string, state: 'online' | 'offline'): LogEvent => ({
  seq,
  at: 1_000 + seq,
  type: 'terminal.changed',
  unitId,
  terminal: { state, lastSeenAt: 1_000 + seq, pending: 0 },
});

describe(HeldUnits.name, () => {
  it('holds a unit while its terminal is online, and lets it go when it goes offline', () => {
    const held = new HeldUnits();
    held.observe([changed(1, 'u1', 'online'), changed(2, 'u2', 'online')]);
    expect([held.has('u1'), held.has('u2'), held.has('u3')]).toEqual([true, true, false]);
    held.observe([changed(3, 'u1', 'offline')]);
    expect([held.has('u1'), held.has('u2'), held.size]).toEqual([false, true, 1]);
  });
});
