import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  applyKpiEvent,
  createKpiAccumulator,
  emptyWorld,
  toSnapshot,
  type LogEvent,
  type WorldState,
} from '@egret/protocol';
import { DAY0, LogBuilder, MINUTE, makeUnit } from '../../../protocol/test/fixtures.ts';
import { encodeSnapshotText, takeReplaySnapshot } from '../replay/replay-snapshot.ts';
import { EntityJson } from './snapshot-json.ts';

const t = (m: number) => DAY0 + m * MINUTE;

function build(events: LogEvent[]): WorldState {
  const world = emptyWorld();
  for (const e of events) applyEvent(world, e);
  return world;
}

/** Cases reported, moved and dispatched, and units registered, through the real reducer. */
function story(cases: number): LogBuilder {
  const log = new LogBuilder();
  for (let i = 0; i < cases; i++) log.report(`C${i}`, t(i));
  for (let i = 0; i < cases; i += 2) log.steps(`C${i}`, ['accepted', t(i + 1)], ['filed', t(i + 2)]);
  for (let i = 0; i < 5; i++)
    log.other({ type: 'unit.registered', at: t(3), unit: makeUnit({ id: `u${i}`, squadId: 'SQ1', slot: i }) });
  return log;
}

describe(EntityJson.name, () => {
  it('writes a world snapshot byte for byte as JSON.stringify does, with and without a memory of earlier ones', () => {
    const log = story(12);
    const world = build(log.events);
    const memo = new EntityJson();
    expect(memo.object(toSnapshot(world))).toBe(JSON.stringify(toSnapshot(world)));
    // Some cases move on (new objects), others stay as they were: the second snapshot is still exact.
    log.steps('C1', ['accepted', t(30)]).supervise('C2', t(31));
    for (const e of log.events.slice(-2)) applyEvent(world, e);
    expect(memo.object(toSnapshot(world))).toBe(JSON.stringify(toSnapshot(world)));
    expect(JSON.parse(memo.object(toSnapshot(world))).cases.find((c: { id: string }) => c.id === 'C1').status).toBe(
      'accepted',
    );
  });

  it('leaves out what JSON.stringify leaves out, and keeps null, empty lists and other lists as they are', () => {
    const memo = new EntityJson();
    const o = {
      a: undefined,
      b: null,
      cases: [],
      layers: ['cases', 'units'],
      units: [{ id: 'u', x: undefined }],
      f: () => 1,
    };
    expect(memo.object(o)).toBe(JSON.stringify(o));
  });

  it('encodes a replay snapshot as the stored format has it, with the history writer memory or without', () => {
    const events = story(8).events;
    const world = build(events);
    const kpi = createKpiAccumulator({ timeZone: 'Asia/Shanghai' });
    for (const e of events) applyKpiEvent(kpi, e);
    const snap = takeReplaySnapshot(world, kpi, new Set(['c:C3']));
    // The stored format: one JSON line without the cases and tasks, then a line per case and per task.
    const { cases, tasks, ...rest } = snap.world;
    const stored = [
      JSON.stringify({ world: rest, kpi: snap.kpi }),
      ...cases.map((c) => `c\t${c.id}\t${JSON.stringify(c)}`),
      ...tasks.map((x) => `t\t${x.id}\t${JSON.stringify(x)}`),
    ].join('\n');
    const memo = new EntityJson();
    expect(encodeSnapshotText(snap, memo)).toBe(stored);
    expect(encodeSnapshotText(snap, memo)).toBe(stored);
    expect(encodeSnapshotText(snap)).toBe(stored);
  });
});
