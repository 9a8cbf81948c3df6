import { z } from 'zod';
import { Camera, nextVideoWindows, VideoWindow } from './cameras.ts';
import { Clock, REAL_CLOCK } from './clock.ts';
import { Case, MapLayer, Mode, Task, Unit, WallFocus } from './entities.ts';
import type { LogEvent } from './events.ts';
import { Inspection, PlanActivation, PlanSupervision, PrepositionOrder } from './plans.ts';
import { Sensor } from './sensors.ts';
import { Storm } from './weather.ts';

/**
 * What the log adds up to at one sequence number. Maps, and mutated in place by `applyEvent`: a city holds tens
 * of thousands of cases and replay applies hundreds of thousands of events, so copying a record per event would
 * be quadratic. Whoever needs an old state keeps a clone (`cloneWorld`).
 */
export interface WorldState {
  /** The last log sequence number applied (0 for the empty world). */
  seq: number;
  /** World time of the last event applied. */
  at: number;
  clock: Clock;
  mode: Mode;
  cases: Map<string, Case>;
  units: Map<string, Unit>;
  tasks: Map<string, Task>;
  /** Storms the meteorological feed reports (a typhoon season may hold two at once). */
  storms: Map<string, Storm>;
  sensors: Map<string, Sensor>;
  /** What the walls show up close (推屏); null: the overview. */
  focus: WallFocus | null;
  /** The map layers a console switched on for the walls; null: the mode's defaults. */
  layers: MapLayer[] | null;
  /** Cameras the video platform registered (removed ones as tombstones); the configured ones are in the config. */
  cameras: Map<string, Camera>;
  /** The walls' video windows (推屏 of a camera), oldest first. */
  videos: VideoWindow[];
  /** Plans of the command manual that were activated, by plan id (ended ones keep `endedAt`; issue #17). */
  plans: Map<string, PlanActivation>;
  /** Inspection tasks of plans' rounds, by id. */
  inspections: Map<string, Inspection>;
  /** Pre-position orders of plans, by id. */
  prepositions: Map<string, PrepositionOrder>;
  /** 督办 of squads on plans' actions, oldest first. */
  supervisions: PlanSupervision[];
}

export function emptyWorld(): WorldState {
  return {
    seq: 0,
    at: 0,
    clock: REAL_CLOCK,
    mode: 'peacetime',
    cases: new Map(),
    units: new Map(),
    tasks: new Map(),
    storms: new Map(),
    sensors: new Map(),
    focus: null,
    layers: null,
    cameras: new Map(),
    videos: [],
    plans: new Map(),
    inspections: new Map(),
    prepositions: new Map(),
    supervisions: [],
  };
}

/** The world on the wire: the first message a screen gets after every (re)connect, stamped with its log seq. */
export const WorldSnapshot = z.object({
  seq: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
  clock: Clock,
  mode: Mode,
  cases: z.array(Case),
  units: z.array(Unit),
  tasks: z.array(Task),
  // Absent from snapshots stored before storms and sensors were part of the world.
  storms: z.array(Storm).default([]),
  sensors: z.array(Sensor).default([]),
  focus: WallFocus.nullable().default(null),
  layers: z.array(MapLayer).nullable().default(null),
  cameras: z.array(Camera).default([]),
  videos: z.array(VideoWindow).default([]),
  plans: z.array(PlanActivation).default([]),
  inspections: z.array(Inspection).default([]),
  prepositions: z.array(PrepositionOrder).default([]),
  supervisions: z.array(PlanSupervision).default([]),
});
export type WorldSnapshot = z.infer<typeof WorldSnapshot>;

export function toSnapshot(world: WorldState): WorldSnapshot {
  return {
    seq: world.seq,
    at: world.at,
    clock: world.clock,
    mode: world.mode,
    cases: [...world.cases.values()],
    units: [...world.units.values()],
    tasks: [...world.tasks.values()],
    storms: [...world.storms.values()],
    sensors: [...world.sensors.values()],
    focus: world.focus,
    layers: world.layers,
    cameras: [...world.cameras.values()],
    videos: world.videos,
    plans: [...world.plans.values()],
    inspections: [...world.inspections.values()],
    prepositions: [...world.prepositions.values()],
    supervisions: world.supervisions,
  };
}

export function fromSnapshot(s: WorldSnapshot): WorldState {
  return {
    seq: s.seq,
    at: s.at,
    clock: s.clock,
    mode: s.mode,
    cases: new Map(s.cases.map((c) => [c.id, c])),
    units: new Map(s.units.map((u) => [u.id, u])),
    tasks: new Map(s.tasks.map((t) => [t.id, t])),
    storms: new Map((s.storms ?? []).map((x) => [x.id, x])),
    sensors: new Map((s.sensors ?? []).map((x) => [x.id, x])),
    focus: s.focus ?? null,
    layers: s.layers ?? null,
    cameras: new Map((s.cameras ?? []).map((x) => [x.id, x])),
    videos: s.videos ?? [],
    plans: new Map((s.plans ?? []).map((x) => [x.planId, x])),
    inspections: new Map((s.inspections ?? []).map((x) => [x.id, x])),
    prepositions: new Map((s.prepositions ?? []).map((x) => [x.id, x])),
    supervisions: s.supervisions ?? [],
  };
}

/** A deep copy (entities are treated as immutable values, so copying the maps is enough). */
export function cloneWorld(w: WorldState): WorldState {
  return {
    ...w,
    cases: new Map(w.cases),
    units: new Map(w.units),
    tasks: new Map(w.tasks),
    storms: new Map(w.storms),
    sensors: new Map(w.sensors),
    cameras: new Map(w.cameras),
    plans: new Map(w.plans),
    inspections: new Map(w.inspections),
    prepositions: new Map(w.prepositions),
    supervisions: [...w.supervisions],
  };
}

/** Why an event could not be applied: the log is numbered without gaps, so a jump means something was missed. */
export class SequenceGapError extends Error {
  constructor(
    readonly expected: number,
    readonly got: number,
  ) {
    super(`log gap: expected seq ${expected}, got ${got}`);
  }
}

/**
 * The one reducer: live hubs, screens and replay all fold the log through it. Events at or below the state's seq
 * are ignored (a resent event is harmless); an event beyond seq + 1 throws `SequenceGapError` so the caller
 * fetches the missing range instead of silently drawing a wrong picture.
 */
export function applyEvent(world: WorldState, e: LogEvent): WorldState {
  if (e.seq <= world.seq) return world;
  if (e.seq !== world.seq + 1) throw new SequenceGapError(world.seq + 1, e.seq);
  switch (e.type) {
    case 'case.reported':
    case 'case.transitioned':
    case 'case.amended':
      world.cases.set(e.case.id, e.case);
      break;
    case 'unit.registered':
    case 'unit.status_changed': {
      // Keep the last known position: live fixes travel in frames, not in the log.
      const prev = world.units.get(e.unit.id);
      let unit =
        prev?.position && !e.unit.position ? { ...e.unit, position: prev.position, fixAt: prev.fixAt } : e.unit;
      // Likewise its field terminal: presence travels in `terminal.changed`, not with the unit's own changes.
      if (prev?.terminal && !unit.terminal) unit = { ...unit, terminal: prev.terminal };
      world.units.set(unit.id, unit);
      break;
    }
    case 'terminal.changed': {
      const unit = world.units.get(e.unitId);
      if (unit) world.units.set(unit.id, { ...unit, terminal: e.terminal });
      break;
    }
    case 'task.created':
    case 'task.updated':
      world.tasks.set(e.task.id, e.task);
      break;
    case 'mode.changed':
      world.mode = e.mode;
      world.layers = null; // a new posture leads with its own layers
      break;
    case 'layers.changed':
      world.layers = e.layers;
      break;
    case 'clock.changed':
      world.clock = e.clock;
      break;
    case 'storm.updated':
      world.storms.set(e.storm.id, e.storm);
      break;
    case 'sensor.registered':
    case 'sensor.read':
      world.sensors.set(e.sensor.id, e.sensor);
      break;
    case 'focus.changed':
      world.focus = e.focus;
      break;
    case 'camera.registered':
    case 'camera.removed':
      world.cameras.set(e.camera.id, e.camera);
      break;
    case 'video.changed':
      world.videos = nextVideoWindows(world.videos, e);
      break;
    case 'plan.changed':
      world.plans.set(e.plan.planId, e.plan);
      break;
    case 'inspections.issued':
      for (const i of e.inspections) world.inspections.set(i.id, i);
      break;
    case 'inspection.checked':
      world.inspections.set(e.inspection.id, e.inspection);
      break;
    case 'prepositions.changed':
      for (const o of e.orders) world.prepositions.set(o.id, o);
      break;
    case 'plan.supervised':
      world.supervisions = [...world.supervisions, e.supervision];
      break;
  }
  world.seq = e.seq;
  world.at = Math.max(world.at, e.at);
  return world;
}

export function applyEvents(world: WorldState, events: readonly LogEvent[]): WorldState {
  for (const e of events) applyEvent(world, e);
  return world;
}
