import type { CategoryDictionary, DistrictShape, GridSpec, SensorPolicy } from '@egret/config';
import { gridIdAt, locateDistrict } from '@egret/config';
import {
  HELD_CASE_STATUSES,
  MAX_FUTURE_SKEW_MS,
  UPSTREAM_ACTOR,
  worldNow as clockWorldNow,
  sensorLevel,
  cameraOriginRefusal,
  type Camera,
  type CameraSpec,
  type Case,
  type Clock,
  type InputMessage,
  type NewLogEvent,
  type Result,
  type Sensor,
  type Storm,
  type Task,
  type Unit,
} from '@egret/protocol';
import type { EntityWrite } from './change.ts';
import { ChangeSet } from './change-set.ts';
import { fieldUpdate, holds, moveCase, releaseUnit, updateTask } from './loop-steps.ts';
import { refuse, type Refusal, type RejectReason } from './rejection.ts';
import { holdsOpenCase, readSensor, sensorCaseId } from './sensor-step.ts';
import { checkInspection, type CheckContext } from '../plans/check.ts';
import type { StoredInspection } from './plan-entities.ts';

/**
 * What the commit needs to know about the entities an input touches, as read from Redis just before. For a task
 * update: the task, its case and its unit; for a case transition: the case, its task and that task's unit.
 */
export interface CurrentEntities {
  case?: Case;
  unit?: Unit;
  task?: Task;
  storm?: Storm;
  sensor?: Sensor;
  /** The camera the platform registered (or removed) before, as the store holds it. */
  camera?: Camera;
  /** The inspection a unit checked (issue #17). */
  inspection?: StoredInspection;
  /** Frame slot reserved for a unit that registers for the first time (the adapter assigns it). */
  slot?: number;
}

export interface ApplyContext {
  categories: CategoryDictionary;
  shapes: readonly DistrictShape[];
  /** District codes of the city, for unit registrations. */
  districts: ReadonlySet<string>;
  /** World time now (the world clock at this real instant). */
  worldNow: number;
  /** Real time now: checks a `clock.set` against the clock it sets. */
  realNow: number;
  /** When sensor readings are logged and alarms become cases (config/settings.json `sensors`). */
  sensors: SensorPolicy;
  /** The lattice of the city's unit grids: the cell a case falls in, when its report names none. */
  grids: GridSpec;
  /** The city's video platform: the origins its URLs may be on, and the configured cameras. None: every camera is refused. */
  video?: VideoPolicy;
  /** The command manual and its points (`inspection.check`); none: every inspection is unknown. */
  plans?: Omit<CheckContext, 'categories'>;
  /** A filed case's deadline (ms from filing) as the plans in force tighten it; none: the dictionary's. */
  tightenDeadline?: (code: string, ms: number) => number;
}

/** What the registry checks a camera against (config `cameras.json`). */
export interface VideoPolicy {
  /** Allowed origins, normalized as protocol `videoOrigin` writes them. */
  origins: ReadonlySet<string>;
  /** The configured cameras, by id. */
  cameras: ReadonlyMap<string, CameraSpec>;
}

const withGrid = (grid: string | undefined): { grid?: string } => (grid === undefined ? {} : { grid });

export interface Applied {
  ok: true;
  writes: EntityWrite[];
  /** The world clock to store, for `clock.set`. */
  clock?: Clock;
  /** The log events this change appends, in order; none when the input changes nothing (a repeated status report). */
  events: NewLogEvent[];
}

/** A change staged on a ChangeSet, as `applyInput` answers it. */
function applied(ch: ChangeSet): Applied {
  return { ok: true, writes: ch.writes, events: ch.events };
}

/** A step's refusal as an input refusal: its error when it is a reject reason, else `illegal_transition`. */
function refusedStep(r: Extract<Result<unknown>, { ok: false }>, field: string): Refusal {
  const reason: RejectReason = r.error === 'reason_required' ? 'reason_required' : 'illegal_transition';
  return refuse(reason, `${field}: ${r.message}`);
}

/**
 * Decides what one valid input does to the world: the entities to write and the one event to log, or a refusal
 * naming the rule. Pure: the caller reads `current` from Redis and commits the result atomically.
 */
export function applyInput(input: InputMessage, current: CurrentEntities, ctx: ApplyContext): Applied | Refusal {
  // Checks run in a fixed order (what it refers to, then when, then whether it is a repeat), so one input always
  // gets the same reason.
  const tooLate = farFuture(input, ctx);
  switch (input.kind) {
    case 'case.report': {
      const category = ctx.categories.ref(input.category.standard, input.category.code);
      if (!category)
        return refuse(
          'unknown_category',
          `category: ${input.category.standard} ${input.category.code} is not in the category dictionary`,
        );
      const district = locateDistrict(ctx.shapes, [input.lon, input.lat]);
      if (!district)
        return refuse('outside_city', `lon/lat: ${input.lon}, ${input.lat} lies outside every district of the city`);
      if (tooLate) return tooLate;
      if (current.case) return refuse('duplicate', `caseId: case ${input.caseId} was already reported`);
      const c: Case = {
        id: input.caseId,
        category,
        source: input.source,
        urgency: input.urgency,
        position: [input.lon, input.lat],
        address: input.address,
        district,
        ...withGrid(input.grid ?? gridIdAt(ctx.grids, district, [input.lon, input.lat])),
        ...(input.description !== undefined ? { description: input.description } : {}),
        status: 'reported',
        reportedAt: input.at,
        supervised: false,
        history: [{ to: 'reported', at: input.at, actor: UPSTREAM_ACTOR }],
        version: 0,
      };
      return {
        ok: true,
        writes: [{ kind: 'case', expectedVersion: null, entity: c }],
        events: [{ type: 'case.reported', at: input.at, case: c }],
      };
    }
    case 'case.transition': {
      const c = current.case;
      if (!c) return refuse('unknown_case', `caseId: no case ${input.caseId}`);
      if (tooLate) return tooLate;
      const dictionaryMs =
        input.to === 'filed'
          ? ctx.categories.deadlineMs(c.category.standard, c.category.code, c.urgency, {
              position: c.position,
              at: input.at,
            })
          : undefined;
      // A plan's `deadlines` action in force gives the category its hours when shorter (issue #17).
      const deadlineMs =
        dictionaryMs !== undefined && ctx.tightenDeadline
          ? ctx.tightenDeadline(c.category.code, dictionaryMs)
          : dictionaryMs;
      const step = { actor: input.actor, at: input.at, reason: input.reason };
      const ch = new ChangeSet();
      const moved = moveCase(ch, c, input.to, { ...step, ...(deadlineMs !== undefined ? { deadlineMs } : {}) });
      if (!moved.ok) return refusedStep(moved, 'to');
      // The case system took a case off its squad (returned, parked) or reported it handled: the task holding it
      // ends too, and its unit is free — a task must never outlive the case's hold on it.
      const task = current.task;
      if (holds(task, c) && !HELD_CASE_STATUSES.has(input.to)) {
        const ended = updateTask(ch, task, input.to === 'handled' ? 'done' : 'recalled', step);
        if (!ended.ok) return refusedStep(ended, 'to');
        releaseUnit(ch, current.unit, task, step);
      }
      return applied(ch);
    }
    case 'unit.register': {
      if (!ctx.districts.has(input.district))
        return refuse('unknown_district', `district: ${input.district} is not a district of this city`);
      if (tooLate) return tooLate;
      const prev = current.unit;
      const slot = prev?.slot ?? current.slot;
      if (slot === undefined) throw new Error(`unit ${input.unitId}: no frame slot was reserved before registering it`);
      const unit: Unit = {
        id: input.unitId,
        name: input.name,
        type: input.type,
        squadId: input.squadId,
        district: input.district,
        status: input.status,
        slot,
        ...(prev?.taskId !== undefined ? { taskId: prev.taskId } : {}),
        ...(input.postId !== undefined ? { postId: input.postId } : {}),
        version: prev ? prev.version + 1 : 0,
      };
      return {
        ok: true,
        writes: [{ kind: 'unit', expectedVersion: prev ? prev.version : null, entity: unit }],
        events: [{ type: 'unit.registered', at: input.at, unit }],
      };
    }
    case 'unit.status': {
      const prev = current.unit;
      if (!prev) return refuse('unknown_unit', `unitId: no unit ${input.unitId} has registered`);
      if (tooLate) return tooLate;
      if (prev.status === input.status) return { ok: true, writes: [], events: [] };
      const unit: Unit = { ...prev, status: input.status, version: prev.version + 1 };
      return {
        ok: true,
        writes: [{ kind: 'unit', expectedVersion: prev.version, entity: unit }],
        events: [{ type: 'unit.status_changed', at: input.at, from: prev.status, to: input.status, unit }],
      };
    }
    case 'task.update': {
      const prev = current.task;
      if (!prev) return refuse('unknown_task', `taskId: no task ${input.taskId}`);
      if (tooLate) return tooLate;
      if (prev.unitId !== input.unitId)
        return refuse('unit_mismatch', `unitId: task ${prev.id} belongs to unit ${prev.unitId}, not ${input.unitId}`);
      if (prev.status === input.status) return { ok: true, writes: [], events: [] };
      const ch = new ChangeSet();
      const r = fieldUpdate(ch, { task: prev, case: current.case, unit: current.unit }, input.status, {
        actor: { role: 'field', id: input.unitId },
        at: input.at,
        reason: input.reason,
      });
      if (!r.ok) return refusedStep(r, 'status');
      return applied(ch);
    }
    case 'clock.set':
      if (tooLate) return tooLate;
      return {
        ok: true,
        writes: [],
        clock: input.clock,
        events: [{ type: 'clock.changed', at: input.at, clock: input.clock }],
      };
    case 'storm.update': {
      if (tooLate) return tooLate;
      const prev = current.storm;
      if (prev && input.storm.at < prev.at) {
        return refuse('out_of_order', `storm.at: ${input.storm.at} is older than the storm's last update (${prev.at})`);
      }
      const storm: Storm = { ...input.storm, version: prev ? prev.version + 1 : 0 };
      return {
        ok: true,
        writes: [{ kind: 'storm', expectedVersion: prev ? prev.version : null, entity: storm }],
        events: [{ type: 'storm.updated', at: input.at, storm }],
      };
    }
    case 'sensor.register': {
      if (!ctx.districts.has(input.district))
        return refuse('unknown_district', `district: ${input.district} is not a district of this city`);
      if (input.warning > input.alarm)
        return refuse('schema', `warning: ${input.warning} must not be above alarm (${input.alarm})`);
      if (tooLate) return tooLate;
      return applied(registerSensor(new ChangeSet(), input, current.sensor));
    }
    case 'camera.register':
    case 'camera.remove':
      return applyCamera(input, current.camera, ctx, tooLate);
    case 'inspection.check':
      return checkInspection(
        input,
        current,
        { plans: ctx.plans?.plans ?? new Map(), points: ctx.plans?.points ?? new Map(), categories: ctx.categories },
        tooLate,
      );
    case 'sensor.reading': {
      const prev = current.sensor;
      if (!prev) return refuse('unknown_sensor', `sensorId: no sensor ${input.sensorId} has registered`);
      if (tooLate) return tooLate;
      if (prev.readAt !== undefined && input.at < prev.readAt) {
        return refuse('out_of_order', `at: ${input.at} is older than the sensor's last reading (${prev.readAt})`);
      }
      return applied(sensorReading(input, prev, current.case, ctx));
    }
  }
}

/**
 * The video platform registers a camera (refused when a URL is off the configured origins) or removes one: a
 * tombstone, so a configured camera stays hidden and a later registration takes the next version.
 */
function applyCamera(
  input: Extract<InputMessage, { kind: 'camera.register' | 'camera.remove' }>,
  prev: Camera | undefined,
  ctx: ApplyContext,
  tooLate: Refusal | undefined,
): Applied | Refusal {
  const ch = new ChangeSet();
  if (input.kind === 'camera.remove') {
    const configured = ctx.video?.cameras.get(input.cameraId);
    const shown =
      prev && !prev.removed ? prev : prev === undefined && configured ? { ...configured, version: 0 } : undefined;
    if (!shown) return refuse('unknown_camera', `cameraId: no camera ${input.cameraId} in the registry`);
    if (tooLate) return tooLate;
    const camera: Camera = { ...shown, removed: true, version: prev ? prev.version + 1 : 0 };
    ch.put('camera', prev, camera);
    ch.log({ type: 'camera.removed', at: input.at, camera });
    return applied(ch);
  }
  const spec: CameraSpec = {
    id: input.cameraId,
    name: input.name,
    kind: input.cameraKind,
    position: [input.lon, input.lat],
    stream: input.stream,
    ...(input.playback ? { playback: input.playback } : {}),
  };
  const offOrigin = cameraOriginRefusal(spec, ctx.video?.origins ?? new Set());
  if (offOrigin) return refuse('origin_not_allowed', offOrigin);
  if (tooLate) return tooLate;
  const camera: Camera = { ...spec, version: prev ? prev.version + 1 : 0 };
  ch.put('camera', prev, camera);
  ch.log({ type: 'camera.registered', at: input.at, camera });
  return applied(ch);
}

/** A sensor announced (again): thresholds and place replaced, its readings and alarm history kept. */
function registerSensor(
  ch: ChangeSet,
  input: Extract<InputMessage, { kind: 'sensor.register' }>,
  prev: Sensor | undefined,
): ChangeSet {
  const thresholds = { warning: input.warning, alarm: input.alarm };
  const sensor: Sensor = {
    ...(prev ?? { alarmOnsets: [], casesRaised: 0 }),
    id: input.sensorId,
    kind: input.sensorKind,
    name: input.name,
    district: input.district,
    position: [input.lon, input.lat],
    unit: input.unit,
    ...thresholds,
    level: prev?.value !== undefined ? sensorLevel(thresholds, prev.value) : 'normal',
    version: prev ? prev.version + 1 : 0,
  };
  ch.put('sensor', prev, sensor);
  ch.log({ type: 'sensor.registered', at: input.at, sensor });
  return ch;
}

/**
 * A reading folded into its sensor (see `readSensor`); when the alarm becomes a case, the case is reported in the same
 * commit (source iot) and the sensor holds its id, so the alarms that follow add to that case instead of new ones.
 */
function sensorReading(
  input: Extract<InputMessage, { kind: 'sensor.reading' }>,
  prev: Sensor,
  held: Case | undefined,
  ctx: ApplyContext,
): ChangeSet {
  const ch = new ChangeSet();
  const step = readSensor(prev, input, ctx.sensors, holdsOpenCase(prev, held));
  let sensor = step.sensor;
  if (step.raiseCase) {
    const ref = ctx.sensors.categories[sensor.kind];
    const category = ctx.categories.ref(ref.standard, ref.code);
    // Config load refuses a policy naming a category the dictionary lacks, so this holds for a hub that started.
    if (!category)
      throw new Error(
        `sensors.categories.${sensor.kind}: ${ref.standard} ${ref.code} is not in the category dictionary`,
      );
    const n = sensor.casesRaised + 1;
    const district = locateDistrict(ctx.shapes, sensor.position) ?? sensor.district;
    const c: Case = {
      id: sensorCaseId(sensor.id, n),
      category,
      source: 'iot',
      urgency: ctx.sensors.urgency,
      position: sensor.position,
      address: sensor.name,
      district,
      ...withGrid(gridIdAt(ctx.grids, district, sensor.position)),
      description:
        `${sensor.name}: ${input.value}${sensor.unit} ≥ ${sensor.alarm}${sensor.unit}` +
        (sensor.alarmOnsets.length > 1
          ? `, ${sensor.alarmOnsets.length} alarms within ${ctx.sensors.repeatWindowMinutes} min`
          : ''),
      status: 'reported',
      reportedAt: input.at,
      supervised: false,
      history: [{ to: 'reported', at: input.at, actor: { role: 'system', id: `sensor:${sensor.id}`.slice(0, 64) } }],
      version: 0,
    };
    ch.put('case', undefined, c);
    ch.log({ type: 'case.reported', at: input.at, case: c });
    sensor = { ...sensor, caseId: c.id, casesRaised: n, alarmOnsets: [], loggedAt: input.at };
  }
  ch.put('sensor', prev, sensor);
  if (step.log || step.raiseCase)
    ch.log({ type: 'sensor.read', at: input.at, from: prev.level, to: sensor.level, sensor });
  return ch;
}

/** A refusal when `at` is too far ahead of world time (a `clock.set` is checked against the clock it sets). */
function farFuture(input: InputMessage, ctx: ApplyContext): Refusal | undefined {
  const reference = input.kind === 'clock.set' ? clockWorldNow(input.clock, ctx.realNow) : ctx.worldNow;
  if (input.at <= reference + MAX_FUTURE_SKEW_MS) return undefined;
  return refuse(
    'far_future',
    `at: ${input.at} is ${Math.round((input.at - reference) / 1000)} s ahead of the world clock (${MAX_FUTURE_SKEW_MS / 1000} s allowed)`,
  );
}

/**
 * Which entities an input needs read before `applyInput`; with `follow`, also what they link to (a case's task and
 * its unit; a task's case and unit) — see `currentEntities`.
 */
export function entitiesNeeded(input: InputMessage): {
  caseIds?: string[];
  unitIds?: string[];
  taskIds?: string[];
  stormIds?: string[];
  sensorIds?: string[];
  cameraIds?: string[];
  inspectionIds?: string[];
  follow: boolean;
} {
  switch (input.kind) {
    case 'case.report':
      return { caseIds: [input.caseId], follow: false };
    case 'case.transition':
      return { caseIds: [input.caseId], follow: true };
    case 'unit.register':
    case 'unit.status':
      return { unitIds: [input.unitId], follow: false };
    case 'task.update':
      return { taskIds: [input.taskId], follow: true };
    case 'clock.set':
      return { follow: false };
    case 'storm.update':
      return { stormIds: [input.storm.id], follow: false };
    case 'sensor.register':
      return { sensorIds: [input.sensorId], follow: false };
    case 'camera.register':
    case 'camera.remove':
      return { cameraIds: [input.cameraId], follow: false };
    case 'inspection.check':
      return {
        inspectionIds: [input.inspectionId],
        unitIds: [input.unitId],
        ...(input.caseId !== undefined ? { caseIds: [input.caseId] } : {}),
        follow: false,
      };
    case 'sensor.reading':
      // Follows the sensor to the case it raised: whether that case is still open decides whether to raise another.
      return { sensorIds: [input.sensorId], follow: true };
  }
}

/** Picks what `applyInput` needs out of the entities read (see `CurrentEntities`). */
export function currentEntities(
  input: InputMessage,
  read: {
    cases: ReadonlyMap<string, Case>;
    units: ReadonlyMap<string, Unit>;
    tasks: ReadonlyMap<string, Task>;
    storms?: ReadonlyMap<string, Storm>;
    sensors?: ReadonlyMap<string, Sensor>;
    cameras?: ReadonlyMap<string, Camera>;
    inspections?: ReadonlyMap<string, StoredInspection>;
  },
): CurrentEntities {
  const out: CurrentEntities = {};
  const put = <K extends 'case' | 'unit' | 'task' | 'storm' | 'sensor' | 'camera' | 'inspection'>(
    k: K,
    v: CurrentEntities[K] | undefined,
  ) => {
    if (v !== undefined) out[k] = v;
  };
  switch (input.kind) {
    case 'case.report':
      put('case', read.cases.get(input.caseId));
      break;
    case 'case.transition': {
      const c = read.cases.get(input.caseId);
      const task = c?.taskId !== undefined ? read.tasks.get(c.taskId) : undefined;
      put('case', c);
      put('task', task);
      put('unit', task ? read.units.get(task.unitId) : undefined);
      break;
    }
    case 'unit.register':
    case 'unit.status':
      put('unit', read.units.get(input.unitId));
      break;
    case 'task.update': {
      const task = read.tasks.get(input.taskId);
      put('task', task);
      put('case', task ? read.cases.get(task.caseId) : undefined);
      put('unit', task ? read.units.get(task.unitId) : undefined);
      break;
    }
    case 'clock.set':
      break;
    case 'storm.update':
      put('storm', read.storms?.get(input.storm.id));
      break;
    case 'sensor.register':
      put('sensor', read.sensors?.get(input.sensorId));
      break;
    case 'camera.register':
    case 'camera.remove':
      put('camera', read.cameras?.get(input.cameraId));
      break;
    case 'inspection.check':
      put('inspection', read.inspections?.get(input.inspectionId));
      put('unit', read.units.get(input.unitId));
      put('case', input.caseId !== undefined ? read.cases.get(input.caseId) : undefined);
      break;
    case 'sensor.reading': {
      const sensor = read.sensors?.get(input.sensorId);
      put('sensor', sensor);
      put('case', sensor?.caseId !== undefined ? read.cases.get(sensor.caseId) : undefined);
      break;
    }
  }
  return out;
}
