import {
  emptyWorld,
  type Camera,
  type Case,
  type Clock,
  type Inspection,
  type LogEvent,
  type MapLayer,
  type Mode,
  type PlanActivation,
  type PlanSupervision,
  type PrepositionOrder,
  type Sensor,
  type Storm,
  type Task,
  type Unit,
  type VideoWindow,
  type WallFocus,
  type WorldState,
} from '@egret/protocol';

/** The parts of the world an event can change: what a derived value is keyed to. */
export type WorldPart =
  | 'cases'
  | 'units'
  | 'tasks'
  | 'storms'
  | 'sensors'
  | 'clock'
  | 'mode'
  | 'layers'
  | 'focus'
  | 'cameras'
  | 'videos'
  | 'plans';

/** Which parts each event changes (protocol `applyEvent`: a mode change also resets the layers chosen). */
const PARTS_OF: Record<LogEvent['type'], readonly WorldPart[]> = {
  'case.reported': ['cases'],
  'case.transitioned': ['cases'],
  'case.amended': ['cases'],
  'unit.registered': ['units'],
  'unit.status_changed': ['units'],
  'task.created': ['tasks'],
  'task.updated': ['tasks'],
  'mode.changed': ['mode', 'layers'],
  'layers.changed': ['layers'],
  'clock.changed': ['clock'],
  'storm.updated': ['storms'],
  'sensor.registered': ['sensors'],
  'sensor.read': ['sensors'],
  'focus.changed': ['focus'],
  'terminal.changed': ['units'],
  'camera.registered': ['cameras'],
  'camera.removed': ['cameras'],
  'video.changed': ['videos'],
  // A plan's activation, its inspections, its pre-position orders and its 督办 (issue #17): one part, the plan panel
  // and the points layer read them together.
  'plan.changed': ['plans'],
  'inspections.issued': ['plans'],
  'inspection.checked': ['plans'],
  'prepositions.changed': ['plans'],
  'plan.supervised': ['plans'],
};

/** What a map picture and the panels read of a world: each part reactive on its own (the live store, a replay). */
export interface WorldSource {
  readonly cases: ReadonlyMap<string, Case>;
  readonly units: ReadonlyMap<string, Unit>;
  readonly tasks: ReadonlyMap<string, Task>;
  readonly storms: ReadonlyMap<string, Storm>;
  readonly sensors: ReadonlyMap<string, Sensor>;
  readonly clock: Clock;
  readonly mode: Mode;
  readonly layers: readonly MapLayer[] | null;
  readonly focus: WallFocus | null;
  /** Plans of the command manual activated (ended ones keep `endedAt`), by plan id; with their work below. */
  readonly plans: ReadonlyMap<string, PlanActivation>;
  readonly inspections: ReadonlyMap<string, Inspection>;
  readonly prepositions: ReadonlyMap<string, PrepositionOrder>;
  readonly supervisions: readonly PlanSupervision[];
}

/**
 * A world that the shared reducer mutates in place (a city is too big to copy per event), read by part: reading
 * `cases` makes a derived value re-run when a case changes, and not when a sensor reads or a storm moves. Whoever
 * applies events says which ones (`applied`); a new world (a snapshot, a seek) changes every part.
 */
export class WorldParts implements WorldSource {
  #world = $state.raw<WorldState>(emptyWorld());
  #keys = $state<Record<WorldPart, number>>({
    cases: 0,
    units: 0,
    tasks: 0,
    storms: 0,
    sensors: 0,
    clock: 0,
    mode: 0,
    layers: 0,
    focus: 0,
    cameras: 0,
    videos: 0,
    plans: 0,
  });

  /** The whole world, raw (reactive on its replacement only): for reads that are not derived, and the reducer. */
  get world(): WorldState {
    return this.#world;
  }

  set world(world: WorldState) {
    this.#world = world;
    this.allChanged();
  }

  /** Marks every part changed (a new world, or events applied that were not counted one by one). */
  allChanged(): void {
    for (const part of Object.keys(this.#keys) as WorldPart[]) this.#keys[part]++;
  }

  /** How often a part has changed (reactive): a key for caches of what is derived from it. */
  changes(part: WorldPart): number {
    return this.#keys[part];
  }

  /** Marks the parts these events changed (after they were applied to `world`). */
  applied(events: Iterable<LogEvent>): void {
    const parts: Partial<Record<WorldPart, true>> = {};
    for (const e of events) for (const p of PARTS_OF[e.type] ?? []) parts[p] = true;
    for (const p of Object.keys(parts) as WorldPart[]) this.#keys[p]++;
  }

  /** Marks cases and tasks changed: finished ones were dropped (state/prune.ts). */
  prunedFinished(): void {
    this.#keys.cases++;
    this.#keys.tasks++;
  }

  get cases(): ReadonlyMap<string, Case> {
    void this.#keys.cases;
    return this.#world.cases;
  }
  get units(): ReadonlyMap<string, Unit> {
    void this.#keys.units;
    return this.#world.units;
  }
  get tasks(): ReadonlyMap<string, Task> {
    void this.#keys.tasks;
    return this.#world.tasks;
  }
  get storms(): ReadonlyMap<string, Storm> {
    void this.#keys.storms;
    return this.#world.storms;
  }
  get sensors(): ReadonlyMap<string, Sensor> {
    void this.#keys.sensors;
    return this.#world.sensors;
  }
  get clock(): Clock {
    void this.#keys.clock;
    return this.#world.clock;
  }
  get mode(): Mode {
    void this.#keys.mode;
    return this.#world.mode;
  }
  get layers(): readonly MapLayer[] | null {
    void this.#keys.layers;
    return this.#world.layers;
  }
  get focus(): WallFocus | null {
    void this.#keys.focus;
    return this.#world.focus;
  }
  /** Cameras the video platform registered or removed (the configured ones are in the city's config). */
  get cameras(): ReadonlyMap<string, Camera> {
    void this.#keys.cameras;
    return this.#world.cameras;
  }
  /** The walls' video windows, oldest first. */
  get videos(): readonly VideoWindow[] {
    void this.#keys.videos;
    return this.#world.videos;
  }
  get plans(): ReadonlyMap<string, PlanActivation> {
    void this.#keys.plans;
    return this.#world.plans;
  }
  get inspections(): ReadonlyMap<string, Inspection> {
    void this.#keys.plans;
    return this.#world.inspections;
  }
  get prepositions(): ReadonlyMap<string, PrepositionOrder> {
    void this.#keys.plans;
    return this.#world.prepositions;
  }
  get supervisions(): readonly PlanSupervision[] {
    void this.#keys.plans;
    return this.#world.supervisions;
  }
}
