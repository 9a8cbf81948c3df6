import { z } from 'zod';
import { Camera, VideoWindow } from './cameras.ts';
import { Clock } from './clock.ts';
import {
  Actor,
  Case,
  CaseStatus,
  Id,
  MapLayer,
  Mode,
  Task,
  TaskStatus,
  TerminalPresence,
  Unit,
  UnitStatus,
  WallFocus,
} from './entities.ts';
import { EpochMs } from './geo.ts';
import { Inspection, PlanActivation, PlanSupervision, PrepositionOrder } from './plans.ts';
import { Sensor, SensorLevel } from './sensors.ts';
import { Storm } from './weather.ts';

/**
 * The log: one normalized domain event per state change, in one order. Screens, KPIs and replay all read these
 * through the same reducer, so live and replay cannot disagree. Events carry the entity as it is after the change,
 * so applying one needs nothing but the event; transition events also say from/to, who and why.
 * Names are facts in the past tense.
 */
const envelope = {
  /** Position in the log: 1, 2, 3 … with no gaps. The stream id is `<seq>-0`. */
  seq: z.number().int().positive(),
  /** World time of the change. */
  at: EpochMs,
};

export const CaseReported = z.object({ ...envelope, type: z.literal('case.reported'), case: Case });
export const CaseTransitioned = z.object({
  ...envelope,
  type: z.literal('case.transitioned'),
  from: CaseStatus,
  to: CaseStatus,
  actor: Actor,
  reason: z.string().optional(),
  case: Case,
});
/**
 * A case changed without changing status: its deadline was extended (延期) or a leader raised the supervision flag
 * (督办). The case carries the new deadline, `extensions`, `supervised` and the history step.
 */
export const CaseAmendment = z.enum(['deadline_extended', 'supervised']);
export type CaseAmendment = z.infer<typeof CaseAmendment>;
export const CaseAmended = z.object({
  ...envelope,
  type: z.literal('case.amended'),
  change: CaseAmendment,
  actor: Actor,
  reason: z.string().optional(),
  case: Case,
});
export const UnitRegistered = z.object({ ...envelope, type: z.literal('unit.registered'), unit: Unit });
export const UnitStatusChanged = z.object({
  ...envelope,
  type: z.literal('unit.status_changed'),
  from: UnitStatus,
  to: UnitStatus,
  unit: Unit,
});
export const TaskCreated = z.object({ ...envelope, type: z.literal('task.created'), actor: Actor, task: Task });
export const TaskUpdated = z.object({
  ...envelope,
  type: z.literal('task.updated'),
  from: TaskStatus,
  to: TaskStatus,
  actor: Actor,
  task: Task,
});
export const ModeChanged = z.object({ ...envelope, type: z.literal('mode.changed'), mode: Mode, actor: Actor });
export const ClockChanged = z.object({ ...envelope, type: z.literal('clock.changed'), clock: Clock });
/** A console switched the walls' map layers (`layers`), or gave them back to the mode's defaults (`layers: null`). */
export const LayersChanged = z.object({
  ...envelope,
  type: z.literal('layers.changed'),
  layers: z.array(MapLayer).nullable(),
  actor: Actor,
});
/** 推屏: a console put a case, a unit or a view on the walls (`focus`), or released them to the overview (`focus: null`). */
export const FocusChanged = z.object({
  ...envelope,
  type: z.literal('focus.changed'),
  focus: WallFocus.nullable(),
  actor: Actor,
});

/** A unit's field terminal came online, went offline, or its outbox filled or emptied (debounced; issue #16). */
export const TerminalChanged = z.object({
  ...envelope,
  type: z.literal('terminal.changed'),
  unitId: Id,
  terminal: TerminalPresence,
});

export const StormUpdated = z.object({ ...envelope, type: z.literal('storm.updated'), storm: Storm });
export const SensorRegistered = z.object({ ...envelope, type: z.literal('sensor.registered'), sensor: Sensor });
/**
 * A sensor's reading as logged: every change of level, and otherwise at most one reading per sensor every few
 * minutes (config `sensors.logEveryMinutes`) — the readings between stay in Redis, not in the history.
 */
export const SensorRead = z.object({
  ...envelope,
  type: z.literal('sensor.read'),
  from: SensorLevel,
  to: SensorLevel,
  sensor: Sensor,
});

/** The video platform registered a camera (again: its stream or place changed), or took it out (a tombstone). */
export const CameraRegistered = z.object({ ...envelope, type: z.literal('camera.registered'), camera: Camera });
export const CameraRemoved = z.object({ ...envelope, type: z.literal('camera.removed'), camera: Camera });
/**
 * 推屏 of a camera: a console opened a video window on the walls or closed one. `max` is the walls' window limit in
 * force: past it the oldest window closes (protocol `nextVideoWindows`), so replay shows the same windows.
 */
export const VideoChanged = z.discriminatedUnion('action', [
  z.object({
    ...envelope,
    type: z.literal('video.changed'),
    action: z.literal('opened'),
    window: VideoWindow,
    max: z.number().int().min(1),
    actor: Actor,
  }),
  z.object({
    ...envelope,
    type: z.literal('video.changed'),
    action: z.literal('closed'),
    cameraId: z.string(),
    actor: Actor,
  }),
]);

/**
 * A plan of the command manual (issue #17) was activated, changed level or ended: `plan` is its activation after the
 * change. Raised by a commander (`plan:activate`, `plan:end`) or by its trigger (actor `system`).
 */
export const PlanChanged = z.object({
  ...envelope,
  type: z.literal('plan.changed'),
  change: z.enum(['activated', 'level_changed', 'ended']),
  plan: PlanActivation,
  actor: Actor,
});
/** A batch of a round's inspections (at most `PLAN_BATCH`), issued to the squads of their grids. */
export const InspectionsIssued = z.object({
  ...envelope,
  type: z.literal('inspections.issued'),
  inspections: z.array(Inspection).min(1),
});
/** A unit checked a point: passed, or a problem found (its case reported in the same step: `inspection.caseId`). */
export const InspectionChecked = z.object({
  ...envelope,
  type: z.literal('inspection.checked'),
  inspection: Inspection,
  actor: Actor,
});
/** Pre-position orders given (a batch), or one changed: its unit arrived, or it was released. */
export const PrepositionsChanged = z.object({
  ...envelope,
  type: z.literal('prepositions.changed'),
  change: z.enum(['ordered', 'arrived', 'released']),
  orders: z.array(PrepositionOrder).min(1),
});
/** 督办 of a squad on a plan's action, from the console. */
export const PlanSupervised = z.object({
  ...envelope,
  type: z.literal('plan.supervised'),
  supervision: PlanSupervision,
});

export const LogEvent = z.discriminatedUnion('type', [
  CaseReported,
  CaseTransitioned,
  CaseAmended,
  UnitRegistered,
  UnitStatusChanged,
  TaskCreated,
  TaskUpdated,
  ModeChanged,
  ClockChanged,
  StormUpdated,
  SensorRegistered,
  SensorRead,
  FocusChanged,
  LayersChanged,
  TerminalChanged,
  CameraRegistered,
  CameraRemoved,
  VideoChanged,
  PlanChanged,
  InspectionsIssued,
  InspectionChecked,
  PrepositionsChanged,
  PlanSupervised,
]);
export type LogEvent = z.infer<typeof LogEvent>;
/** An event before the log has numbered it. */
export type NewLogEvent = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq'> : never) : never;
