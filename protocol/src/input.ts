import { z } from 'zod';
import { CameraKind, CameraPlayback, CameraStream } from './cameras.ts';
import { Clock } from './clock.ts';
import {
  Actor,
  CaseSource,
  CaseStatus,
  CategoryStandard,
  Id,
  TaskStatus,
  UnitStatus,
  UnitType,
  Urgency,
} from './entities.ts';
import { EpochMs, Lat, Lon } from './geo.ts';
import { SensorKind } from './sensors.ts';
import { Storm } from './weather.ts';

/**
 * The input contract: what upstream systems (or the simulator playing them) XADD to the input streams, each entry
 * with one field `data` holding one of these as JSON. `docs/integration.md` documents it with examples; the HTTP
 * ingest endpoint accepts the same JSON and writes it to the same streams.
 */

/** Largest accepted `data` field, in bytes. Larger entries are dead-lettered unparsed. */
export const MAX_INPUT_BYTES = 64 * 1024;
/** How far ahead of the world clock a timestamp may be before it is rejected as "far future". */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** A case reported by the hotline, the case system, a patrol inspector, video AI or a sensor. */
export const CaseReport = z.object({
  kind: z.literal('case.report'),
  /** The upstream system's own case or ticket number: a retried report with the same id is applied once. */
  caseId: Id,
  category: z.object({ code: z.string().regex(/^[0-9A-Za-z]{2,12}$/), standard: CategoryStandard }),
  source: CaseSource,
  urgency: Urgency.default('normal'),
  lon: Lon,
  lat: Lat,
  address: z.string().max(200).default(''),
  description: z.string().max(2000).optional(),
  /**
   * The unit grid (单元网格) the case system filed it in, when it says: kept as given. Without it the hub puts the
   * case in the city's grid cell holding its position.
   */
  grid: z
    .string()
    .regex(/^[0-9A-Za-z]{6,32}$/)
    .optional(),
  at: EpochMs,
});
export type CaseReport = z.infer<typeof CaseReport>;

/** A step of the case loop taken upstream (the case system's clerk accepts, files, verifies, closes …). */
export const CaseTransition = z.object({
  kind: z.literal('case.transition'),
  caseId: Id,
  to: CaseStatus,
  actor: Actor,
  reason: z.string().max(500).optional(),
  at: EpochMs,
});
export type CaseTransition = z.infer<typeof CaseTransition>;

/** A field unit joining the roster (or its details changing). */
export const UnitRegister = z.object({
  kind: z.literal('unit.register'),
  unitId: Id,
  name: z.string().min(1).max(64),
  type: UnitType,
  squadId: Id,
  district: z.string().regex(/^\d{6}$/),
  status: UnitStatus.default('available'),
  /** A fixed post of a major event (config `events.json` posts[].id) the unit holds, if any. */
  postId: Id.optional(),
  at: EpochMs,
});
export type UnitRegister = z.infer<typeof UnitRegister>;

/** A unit's duty status reported by its device or the roster system. */
export const UnitStatusReport = z.object({
  kind: z.literal('unit.status'),
  unitId: Id,
  status: UnitStatus,
  at: EpochMs,
});
export type UnitStatusReport = z.infer<typeof UnitStatusReport>;

/** A field app reporting progress on its task: accepted, en route, on scene, done, or declined. */
export const TaskUpdate = z.object({
  kind: z.literal('task.update'),
  taskId: Id,
  unitId: Id,
  status: TaskStatus,
  reason: z.string().max(500).optional(),
  at: EpochMs,
});
export type TaskUpdate = z.infer<typeof TaskUpdate>;

/** Sets the world clock: sent by the simulator when a scenario starts (a real city never sends it). */
export const ClockSet = z.object({
  kind: z.literal('clock.set'),
  clock: Clock,
  at: EpochMs,
});
export type ClockSet = z.infer<typeof ClockSet>;

/** The meteorological feed's latest on a storm: the whole storm as it stands, replacing the previous update. */
export const StormUpdate = z.object({
  kind: z.literal('storm.update'),
  storm: Storm.omit({ version: true }),
  at: EpochMs,
});
export type StormUpdate = z.infer<typeof StormUpdate>;

/** An IoT platform announces a sensor (again, when its thresholds or place change). */
export const SensorRegister = z.object({
  kind: z.literal('sensor.register'),
  sensorId: Id,
  sensorKind: SensorKind,
  name: z.string().min(1).max(64),
  district: z.string().regex(/^\d{6}$/),
  lon: Lon,
  lat: Lat,
  unit: z.string().max(16),
  warning: z.number().finite(),
  alarm: z.number().finite(),
  at: EpochMs,
});
export type SensorRegister = z.infer<typeof SensorRegister>;

/** One reading of a registered sensor; a moving sensor (a dog tag) also says where it is. */
export const SensorReading = z.object({
  kind: z.literal('sensor.reading'),
  sensorId: Id,
  value: z.number().finite(),
  lon: Lon.optional(),
  lat: Lat.optional(),
  at: EpochMs,
});
export type SensorReading = z.infer<typeof SensorReading>;

/**
 * The video platform announces a camera (again, when its stream or place changes). Refused (`origin_not_allowed`)
 * when a URL is not on one of the city's configured video origins.
 */
export const CameraRegister = z.object({
  kind: z.literal('camera.register'),
  cameraId: Id,
  name: z.string().min(1).max(64),
  cameraKind: CameraKind,
  lon: Lon,
  lat: Lat,
  stream: CameraStream,
  playback: CameraPlayback.optional(),
  at: EpochMs,
});
export type CameraRegister = z.infer<typeof CameraRegister>;

/** The video platform takes a camera out (also one from the city's config). */
export const CameraRemove = z.object({ kind: z.literal('camera.remove'), cameraId: Id, at: EpochMs });
export type CameraRemove = z.infer<typeof CameraRemove>;

/**
 * A unit checked a point of a plan's round (issue #17): passed, or a problem found, which the hub reports as a case
 * (`caseId`, the upstream's own id, as in `case.report`) under the round's category, urgency and campaign deadline.
 */
export const InspectionCheck = z.object({
  kind: z.literal('inspection.check'),
  inspectionId: Id,
  unitId: Id,
  result: z.enum(['passed', 'problem']),
  /** The problem's case id: required with `problem`. */
  caseId: Id.optional(),
  note: z.string().max(500).optional(),
  at: EpochMs,
});
export type InspectionCheck = z.infer<typeof InspectionCheck>;

/** Everything the control-plane input stream accepts. */
export const InputMessage = z.discriminatedUnion('kind', [
  CaseReport,
  CaseTransition,
  UnitRegister,
  UnitStatusReport,
  TaskUpdate,
  ClockSet,
  StormUpdate,
  SensorRegister,
  SensorReading,
  CameraRegister,
  CameraRemove,
  InspectionCheck,
]);
export type InputMessage = z.infer<typeof InputMessage>;

/** One GPS fix (WGS-84). */
export const Fix = z.object({
  unitId: Id,
  lon: Lon,
  lat: Lat,
  at: EpochMs,
  /** The fix's accuracy radius in metres, when the device says (a phone's `coords.accuracy`). */
  accuracy: z.number().finite().nonnegative().max(100_000).optional(),
});
export type Fix = z.infer<typeof Fix>;

/** A batch of fixes from a patrol gateway: one entry on the positions stream. */
export const FixBatch = z.object({
  fixes: z.array(Fix).min(1).max(5_000),
});
export type FixBatch = z.infer<typeof FixBatch>;

/** Who actor `upstream` entries are attributed to when the sender names no one. */
export const UPSTREAM_ACTOR = { role: 'upstream', id: 'upstream' } as const satisfies Actor;
