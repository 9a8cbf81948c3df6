import { describe, expect, it } from 'vitest';
import { CLERK, DAY0, LogBuilder, MINUTE, makeTask, makeUnit } from '../test/fixtures.ts';
import { LogEvent } from './events.ts';
import {
  applyEvent,
  applyEvents,
  cloneWorld,
  emptyWorld,
  fromSnapshot,
  SequenceGapError,
  toSnapshot,
  WorldSnapshot,
} from './state.ts';

const t = (m: number) => DAY0 + m * MINUTE;

/** A case through dispatch, with its squad's unit registered, moving and going off duty. */
function story(): LogEvent[] {
  const unit = makeUnit({ id: 'u1', squadId: 'SQ1', slot: 3 });
  return new LogBuilder()
    .report('C1', t(1))
    .other({ type: 'unit.registered', at: t(2), unit: { ...unit, position: [118.1, 24.5], fixAt: t(2) } })
    .steps('C1', ['accepted', t(3)], ['filed', t(4)])
    .dispatch('C1', 'SQ1', t(5), 'task-after')
    .other({
      type: 'unit.status_changed',
      at: t(6),
      from: 'available',
      to: 'en_route',
      unit: { ...unit, status: 'en_route', taskId: 'T1', version: 1 },
    })
    .supervise('C1', t(7))
    .other({
      type: 'task.updated',
      at: t(8),
      from: 'dispatched',
      to: 'accepted',
      actor: CLERK,
      task: makeTask({ id: 'T1', caseId: 'C1', unitId: 'u1', squadId: 'SQ1', status: 'accepted', version: 1 }),
    })
    .other({ type: 'mode.changed', at: t(9), mode: 'typhoon', actor: CLERK })
    .other({
      type: 'clock.changed',
      at: t(10),
      clock: { baseReal: t(10), baseWorld: t(10), rate: 60, scenario: 'meranti' },
    })
    .other({
      type: 'unit.status_changed',
      at: t(11),
      from: 'en_route',
      to: 'offline',
      unit: { ...unit, status: 'offline', version: 2 },
    }).events;
}

describe(applyEvent.name, () => {
  const events = story();

  it('writes events that the log schema accepts, numbered 1, 2, 3 …', () => {
    for (const e of events) expect(LogEvent.safeParse(e).error).toBeUndefined();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('folds the log in order into the world it describes', () => {
    const world = applyEvents(emptyWorld(), events);
    expect(world).toMatchObject({
      seq: events.length,
      at: t(11),
      mode: 'typhoon',
      clock: { rate: 60, scenario: 'meranti' },
    });
    expect(world.cases.get('C1')).toMatchObject({ status: 'dispatched', supervised: true, version: 4 });
    expect(world.tasks.get('T1')).toMatchObject({ status: 'accepted', version: 1 });
    expect(world.units.get('u1')).toMatchObject({ status: 'offline', version: 2 });
  });

  it('keeps a unit’s last known position across status events that carry none', () => {
    const world = applyEvents(emptyWorld(), events);
    expect(world.units.get('u1')).toMatchObject({ status: 'offline', position: [118.1, 24.5], fixAt: t(2) });
    // A registration that carries a new position replaces the old one.
    const moved: LogEvent = {
      seq: events.length + 1,
      at: t(12),
      type: 'unit.registered',
      unit: { ...world.units.get('u1')!, position: [118.2, 24.6], fixAt: t(12) },
    };
    expect(applyEvent(world, moved).units.get('u1')).toMatchObject({ position: [118.2, 24.6], fixAt: t(12) });
  });

  it('ignores an event it has already applied, so a resent one is harmless', () => {
    const world = applyEvents(emptyWorld(), events.slice(0, 4));
    const before = structuredClone(toSnapshot(world));
    expect(applyEvent(world, events[2]!)).toBe(world);
    applyEvents(world, events.slice(0, 4));
    expect(toSnapshot(world)).toEqual(before);
    // A resent old version of the case does not roll it back.
    applyEvent(world, events[4]!);
    applyEvent(world, events[2]!);
    expect(world.cases.get('C1')!.status).toBe('dispatched');
  });

  it('throws SequenceGapError on a jump, naming what it expected, and applies nothing', () => {
    const world = applyEvents(emptyWorld(), events.slice(0, 3));
    const before = structuredClone(toSnapshot(world));
    let error: unknown;
    try {
      applyEvent(world, events[4]!);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SequenceGapError);
    expect(error).toMatchObject({ expected: 4, got: 5, message: 'log gap: expected seq 4, got 5' });
    expect(toSnapshot(world)).toEqual(before);
    // Once the missing event arrives the fold goes on.
    applyEvents(world, events.slice(3, 5));
    expect(world.seq).toBe(5);
  });

  it('keeps the latest world time when an event is stamped earlier than the one before', () => {
    const world = applyEvents(emptyWorld(), events.slice(0, 2));
    applyEvent(world, { ...events[2]!, at: t(0) });
    expect(world).toMatchObject({ seq: 3, at: t(2) });
  });
});

describe(toSnapshot.name, () => {
  it('round-trips the world through its wire form and the schema', () => {
    const world = applyEvents(emptyWorld(), story());
    const wire = JSON.parse(JSON.stringify(toSnapshot(world)));
    const back = fromSnapshot(WorldSnapshot.parse(wire));
    expect(toSnapshot(back)).toEqual(toSnapshot(world));
    expect(toSnapshot(emptyWorld())).toEqual({
      seq: 0,
      at: 0,
      clock: emptyWorld().clock,
      mode: 'peacetime',
      cases: [],
      units: [],
      tasks: [],
      storms: [],
      sensors: [],
      focus: null,
      layers: null,
      cameras: [],
      videos: [],
      plans: [],
      inspections: [],
      prepositions: [],
      supervisions: [],
    });
  });

  it('reads a snapshot stored before storms and sensors were part of the world as one with none', () => {
    const old = { seq: 4, at: t(1), clock: emptyWorld().clock, mode: 'peacetime', cases: [], units: [], tasks: [] };
    const world = fromSnapshot(WorldSnapshot.parse(old));
    expect([world.storms.size, world.sensors.size]).toEqual([0, 0]);
    expect(fromSnapshot(old as unknown as WorldSnapshot).sensors.size).toBe(0);
  });
});

describe('cameras and video windows in the reducer', () => {
  const camera = {
    id: 'CAM-1',
    name: '中山路口',
    kind: 'ptz' as const,
    position: [118.08, 24.456] as [number, number],
    stream: { url: 'https://gw.example/live/CAM-1.m3u8', format: 'hls' as const },
    version: 0,
  };
  const by = { role: 'commander' as const, id: 'alice' };
  it('keeps registered cameras and tombstones, and the walls’ windows within the limit the event carries', () => {
    const world = applyEvents(emptyWorld(), [
      { seq: 1, at: t(0), type: 'camera.registered', camera },
      {
        seq: 2,
        at: t(1),
        type: 'video.changed',
        action: 'opened',
        window: { cameraId: 'CAM-1', by, at: t(1) },
        max: 1,
        actor: by,
      },
      {
        seq: 3,
        at: t(2),
        type: 'video.changed',
        action: 'opened',
        window: { cameraId: 'CAM-2', by, at: t(2) },
        max: 1,
        actor: by,
      },
      { seq: 4, at: t(3), type: 'camera.removed', camera: { ...camera, removed: true, version: 1 } },
    ]);
    expect(world.cameras.get('CAM-1')).toMatchObject({ removed: true, version: 1 });
    expect(world.videos.map((v) => v.cameraId)).toEqual(['CAM-2']);
    const back = fromSnapshot(WorldSnapshot.parse(JSON.parse(JSON.stringify(toSnapshot(world)))));
    expect(toSnapshot(back)).toEqual(toSnapshot(world));
    applyEvents(world, [{ seq: 5, at: t(4), type: 'video.changed', action: 'closed', cameraId: 'CAM-2', actor: by }]);
    expect(world.videos).toEqual([]);
  });
});

describe('storms and sensors in the reducer', () => {
  it('holds the latest update of each storm and the latest logged reading of each sensor', () => {
    const storm = {
      id: '1614',
      name: { zh: '莫兰蒂', en: 'Meranti' },
      at: t(0),
      center: [118.9, 24] as [number, number],
      pressureHpa: 935,
      maxWindMs: 52,
      r7Km: 300,
      r10Km: 120,
      r12Km: 60,
      stage: 'at_sea' as const,
      phase: 'landfall' as const,
      signal: 'red' as const,
      track: [],
      forecast: [],
      version: 0,
    };
    const sensor = {
      id: 'WL-1',
      kind: 'water_level' as const,
      name: '积水点',
      district: '350203',
      position: [118.09, 24.47] as [number, number],
      unit: 'cm',
      warning: 10,
      alarm: 20,
      level: 'normal' as const,
      alarmOnsets: [],
      casesRaised: 0,
      version: 0,
    };
    const world = applyEvents(emptyWorld(), [
      { seq: 1, at: t(0), type: 'storm.updated', storm },
      { seq: 2, at: t(0), type: 'sensor.registered', sensor },
      { seq: 3, at: t(1), type: 'storm.updated', storm: { ...storm, at: t(1), signal: 'orange', version: 1 } },
      {
        seq: 4,
        at: t(1),
        type: 'sensor.read',
        from: 'normal',
        to: 'alarm',
        sensor: { ...sensor, value: 25, level: 'alarm', version: 1 },
      },
    ]);
    expect(world.storms.get('1614')).toMatchObject({ signal: 'orange', version: 1 });
    expect(world.sensors.get('WL-1')).toMatchObject({ value: 25, level: 'alarm' });
  });
});

describe('the walls’ layers in the reducer', () => {
  it('holds the layers a console chose until a mode switch gives the walls back to the mode’s defaults', () => {
    const actor = { role: 'commander' as const, id: 'c1' };
    const world = applyEvents(emptyWorld(), [
      { seq: 1, at: t(0), type: 'layers.changed', layers: ['heat', 'units'], actor },
    ]);
    expect(world.layers).toEqual(['heat', 'units']);
    expect(fromSnapshot(WorldSnapshot.parse(toSnapshot(world))).layers).toEqual(['heat', 'units']);
    applyEvent(world, { seq: 2, at: t(1), type: 'mode.changed', mode: 'typhoon', actor });
    expect(world.layers).toBeNull();
    // A snapshot stored before layers were part of the world reads as the mode's defaults.
    const { layers: _layers, ...old } = toSnapshot(world);
    expect(fromSnapshot(WorldSnapshot.parse(old)).layers).toBeNull();
  });
});

describe(cloneWorld.name, () => {
  it('gives a copy that later events do not touch', () => {
    const events = story();
    const world = applyEvents(emptyWorld(), events.slice(0, 5));
    const copy = cloneWorld(world);
    applyEvents(world, events.slice(5));
    expect(copy.seq).toBe(5);
    expect(copy.cases.get('C1')!.supervised).toBe(false);
    expect(copy.mode).toBe('peacetime');
    expect(applyEvents(copy, events.slice(5)).cases.get('C1')).toEqual(world.cases.get('C1'));
  });
});

describe('plans of the command manual in the reducer', () => {
  const commander = { role: 'commander' as const, id: 'c1' };
  const inspection = {
    id: 'civ.round.1.P1',
    planId: 'civ',
    actionId: 'round',
    round: 1,
    pointId: 'P1',
    kind: 'assessment_point' as const,
    position: [118.08, 24.46] as [number, number],
    district: '350203',
    squadId: 'SQ1',
    issuedAt: t(1),
    due: t(120),
    status: 'open' as const,
  };
  const order = {
    id: 'civ.pre.P9.u1',
    planId: 'civ',
    actionId: 'pre',
    pointId: 'P9',
    position: [118.1, 24.5] as [number, number],
    unitId: 'u1',
    squadId: 'SQ1',
    district: '350203',
    orderedAt: t(1),
    due: t(60),
  };
  const plan = { planId: 'civ', level: 'III' as const, activatedAt: t(0), levelAt: t(0), actor: commander };

  it('folds an activation, its inspections and orders, a check, an arrival, a 督办 and the end, and keeps them in snapshots', () => {
    const world = applyEvents(emptyWorld(), [
      { seq: 1, at: t(0), type: 'plan.changed', change: 'activated', plan, actor: commander },
      {
        seq: 2,
        at: t(1),
        type: 'inspections.issued',
        inspections: [inspection, { ...inspection, id: 'x', pointId: 'P2' }],
      },
      { seq: 3, at: t(1), type: 'prepositions.changed', change: 'ordered', orders: [order] },
      {
        seq: 4,
        at: t(5),
        type: 'inspection.checked',
        inspection: { ...inspection, status: 'problem', checkedAt: t(5), unitId: 'u1', caseId: 'C9' },
        actor: { role: 'field', id: 'u1' },
      },
      { seq: 5, at: t(9), type: 'prepositions.changed', change: 'arrived', orders: [{ ...order, arrivedAt: t(9) }] },
      {
        seq: 6,
        at: t(10),
        type: 'plan.supervised',
        supervision: { planId: 'civ', actionId: 'round', squadId: 'SQ1', at: t(10), actor: commander },
      },
      { seq: 7, at: t(11), type: 'plan.changed', change: 'ended', plan: { ...plan, endedAt: t(11) }, actor: commander },
    ]);
    expect(world.plans.get('civ')).toMatchObject({ level: 'III', endedAt: t(11) });
    expect(world.inspections.size).toBe(2);
    expect(world.inspections.get(inspection.id)).toMatchObject({ status: 'problem', caseId: 'C9' });
    expect(world.prepositions.get(order.id)!.arrivedAt).toBe(t(9));
    expect(world.supervisions).toHaveLength(1);
    const back = fromSnapshot(WorldSnapshot.parse(JSON.parse(JSON.stringify(toSnapshot(world)))));
    expect(toSnapshot(back)).toEqual(toSnapshot(world));
    // A copy taken before the 督办 does not see it.
    const early = cloneWorld(applyEvents(emptyWorld(), []));
    expect(early.supervisions).toEqual([]);
  });

  it('reads a snapshot stored before plans were part of the world as one with none', () => {
    const { plans: _p, inspections: _i, prepositions: _o, supervisions: _s, ...old } = toSnapshot(emptyWorld());
    const world = fromSnapshot(WorldSnapshot.parse(old));
    expect([world.plans.size, world.inspections.size, world.prepositions.size, world.supervisions.length]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});
