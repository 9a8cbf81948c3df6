import { describe, expect, it } from 'vitest';
import { applyEvent, fromSnapshot, type LogEvent } from '@egret/protocol';
import { aCase, aSensor, aSnapshot, T0 } from '../../test/fixtures.ts';
import { WorldParts } from './world-parts.svelte.ts';

/** Applies events to the parts' world as a store does, and says which parts they changed. */
function apply(parts: WorldParts, ...events: LogEvent[]): void {
  for (const e of events) applyEvent(parts.world, e);
  parts.applied(events);
}

describe(WorldParts.name, () => {
  it('re-runs what reads the cases when a case changes, and not for a sensor reading', () => {
    const parts = new WorldParts();
    parts.world = fromSnapshot(aSnapshot());
    let runs = 0;
    const open = $derived.by(() => {
      runs++;
      return [...parts.cases.values()];
    });
    const read = () => open;
    expect(read()).toEqual([]);
    apply(parts, { seq: 1, at: T0, type: 'sensor.read', sensor: aSensor({ value: 12 }) } as LogEvent);
    const before = read();
    expect(runs).toBe(1);
    apply(parts, { seq: 2, at: T0, type: 'case.reported', case: aCase({ id: 'C2' }) });
    expect(read()).not.toBe(before);
    expect(read().map((c) => c.id)).toEqual(['C2']);
    expect(runs).toBe(2);
    expect([parts.changes('sensors'), parts.changes('cases'), parts.changes('storms')]).toEqual([2, 2, 1]);
  });

  it('marks the layers changed with the mode (a new posture leads with its own layers)', () => {
    const parts = new WorldParts();
    const [mode, layers] = [parts.changes('mode'), parts.changes('layers')];
    apply(parts, {
      seq: 1,
      at: T0,
      type: 'mode.changed',
      mode: 'typhoon',
      actor: { role: 'commander', id: 'c' },
    } as LogEvent);
    expect([parts.changes('mode'), parts.changes('layers'), parts.mode]).toEqual([mode + 1, layers + 1, 'typhoon']);
  });

  it('changes every part with a new world (a snapshot, a seek)', () => {
    const parts = new WorldParts();
    const before = (['cases', 'units', 'tasks', 'storms', 'sensors', 'clock', 'mode', 'layers', 'focus'] as const).map(
      (p) => parts.changes(p),
    );
    parts.world = fromSnapshot(aSnapshot({ cases: [aCase()] }));
    const after = (['cases', 'units', 'tasks', 'storms', 'sensors', 'clock', 'mode', 'layers', 'focus'] as const).map(
      (p) => parts.changes(p),
    );
    expect(after).toEqual(before.map((n) => n + 1));
    expect(parts.cases.size).toBe(1);
  });
});
