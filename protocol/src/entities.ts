import { z } from 'zod';
import { EpochMs, Extent, LonLat } from './geo.ts';
import { PhotoRef } from './photos.ts';

/** An identifier as upstream systems send it: short, printable, no spaces. */
export const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1–64 characters of A–Z a–z 0–9 _ . : -');

/** Category code systems in use: the 2026 national standard, the GB/T 30428 era, and a city's local extensions. */
export const CategoryStandard = z.enum(['GB/T 47678.5-2026', 'GB/T 30428', 'local']);
export type CategoryStandard = z.infer<typeof CategoryStandard>;

/** The category a case is filed under: code, the standard the code comes from, and its name at filing time. */
export const CategoryRef = z.object({
  code: z.string().regex(/^[0-9A-Za-z]{2,12}$/),
  standard: CategoryStandard,
  name: z.string().max(64),
});
export type CategoryRef = z.infer<typeof CategoryRef>;

/** Where a case came from (domain.md: sources of cases). */
export const CaseSource = z.enum([
  'patrol',
  'hotline',
  'video_ai',
  'iot',
  'drone',
  'officer',
  'superior',
  'case_system',
  /** 监督员: an inspector's report from the field terminal (issue #16). */
  'inspector',
]);
export type CaseSource = z.infer<typeof CaseSource>;

export const Urgency = z.enum(['normal', 'urgent', 'critical']);
export type Urgency = z.infer<typeof Urgency>;

/**
 * The case loop (GB/T 30428 / CJJ/T 106 lineage): reported → accepted → filed → dispatched → in_progress → handled →
 * verifying → closed, with side states rejected (不予立案) and parked (挂账). Returns, extensions, rework and
 * supervision are transitions and flags, not states of their own.
 */
export const CaseStatus = z.enum([
  'reported',
  'accepted',
  'filed',
  'dispatched',
  'in_progress',
  'handled',
  'verifying',
  'closed',
  'rejected',
  'parked',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** Who did something: a person in a role, an upstream system, the hub itself, or the simulator. */
export const ActorRole = z.enum([
  'system',
  'upstream',
  'field',
  'inspector',
  'viewer',
  'dispatcher',
  'commander',
  'admin',
]);
export type ActorRole = z.infer<typeof ActorRole>;
export const Actor = z.object({ role: ActorRole, id: z.string().min(1).max(64) });
export type Actor = z.infer<typeof Actor>;

/**
 * What a step of the case loop is called. A status change alone is ambiguous (→ filed is a filing, a return, a
 * rework or a resumption), and extensions and supervision change no status at all; the action names the step.
 */
export const CaseAction = z.enum([
  'accept',
  'reject',
  'file',
  'dispatch',
  'start',
  'handle',
  'verify',
  'close',
  'return',
  'rework',
  'park',
  'resume',
  'extend',
  'supervise',
]);
export type CaseAction = z.infer<typeof CaseAction>;

/** One step of a case's history, as shown on the case card. */
export const CaseStep = z.object({
  to: CaseStatus,
  at: EpochMs,
  actor: Actor,
  reason: z.string().max(500).optional(),
  /** The named step (absent on steps written before actions were recorded). */
  action: CaseAction.optional(),
});
export type CaseStep = z.infer<typeof CaseStep>;

export const Case = z.object({
  id: Id,
  category: CategoryRef,
  source: CaseSource,
  urgency: Urgency,
  position: LonLat,
  address: z.string().max(200),
  /** GB/T 2260 district code, e.g. 350203 for 思明区. */
  district: z.string().regex(/^\d{6}$/),
  /** 15-character grid id (单元网格), when known. */
  grid: z.string().max(32).optional(),
  description: z.string().max(2000).optional(),
  status: CaseStatus,
  reportedAt: EpochMs,
  /** Deadline set at filing (立案), world epoch ms. */
  deadline: EpochMs.optional(),
  closedAt: EpochMs.optional(),
  /** First filing (立案), set once. */
  filedAt: EpochMs.optional(),
  /** Latest dispatch (派遣). */
  dispatchedAt: EpochMs.optional(),
  /** Latest handling report (处理反馈). */
  handledAt: EpochMs.optional(),
  /** The task currently working on this case. */
  taskId: Id.optional(),
  /** The squad currently holding the case: set at dispatch, cleared by a return, rework or parking. */
  squadId: Id.optional(),
  /** 督办: a leader's supervision flag. */
  supervised: z.boolean(),
  /** When the supervision flag was raised. */
  supervisedAt: EpochMs.optional(),
  /** How many times the deadline was extended (延期). */
  extensions: z.number().int().nonnegative().optional(),
  /** How many times a squad returned the case (退回). */
  returns: z.number().int().nonnegative().optional(),
  /** How many times verification failed and sent the case back (返工). */
  reworks: z.number().int().nonnegative().optional(),
  history: z.array(CaseStep),
  /** Photos as evidence (处置前, 处置后, 上报, 核查, 返工), appended by the field's commands, oldest first. */
  photos: z.array(PhotoRef).optional(),
  /** Optimistic-concurrency version: bumped by every change. */
  version: z.number().int().nonnegative(),
});
export type Case = z.infer<typeof Case>;

/** Field unit types (issue: squads and units). */
export const UnitType = z.enum(['enforcement', 'inspector', 'sanitation', 'emergency', 'vehicle', 'drone']);
export type UnitType = z.infer<typeof UnitType>;

/** Unit status; `offline` keeps the last-known position, drawn as stale. */
export const UnitStatus = z.enum(['available', 'dispatched', 'en_route', 'on_scene', 'off_duty', 'offline']);
export type UnitStatus = z.infer<typeof UnitStatus>;

/** Whether a unit's field terminal is connected. */
export const TerminalState = z.enum(['online', 'offline']);
export type TerminalState = z.infer<typeof TerminalState>;

/**
 * A unit's field terminal (issue #16) as the hub last saw it: kept in Redis per unit and logged as `terminal.changed`
 * when it changes (debounced). The wall marks units on a live terminal, the console shows it on the unit, and the
 * simulator leaves such units alone. On a Unit only in the folded world (the reducer keeps it across unit events).
 */
export const TerminalPresence = z.object({
  state: TerminalState,
  /** Real time the hub last heard from the terminal. */
  lastSeenAt: EpochMs,
  /** Actions waiting in its outbox, as it last said. */
  pending: z.number().int().nonnegative(),
  onDuty: z.boolean().optional(),
});
export type TerminalPresence = z.infer<typeof TerminalPresence>;

export const Unit = z.object({
  id: Id,
  name: z.string().min(1).max(64),
  type: UnitType,
  squadId: Id,
  district: z.string().regex(/^\d{6}$/),
  status: UnitStatus,
  /** Fixed slot of this unit in binary position frames. */
  slot: z.number().int().nonnegative(),
  /** Last known fix; live updates arrive as binary frames, not log events. */
  position: LonLat.optional(),
  fixAt: EpochMs.optional(),
  taskId: Id.optional(),
  /** The fixed post (固定岗) of a major event the unit holds: the wall raises an alarm when it strays from it. */
  postId: Id.optional(),
  /** Its field terminal, once one has paired with it (set by `terminal.changed`). */
  terminal: TerminalPresence.optional(),
  version: z.number().int().nonnegative(),
});
export type Unit = z.infer<typeof Unit>;

/** Field-unit milestones (dispatch conventions), and how a task can end without being done. */
export const TaskStatus = z.enum([
  'dispatched',
  'accepted',
  'en_route',
  'on_scene',
  'done',
  'declined',
  'timed_out',
  'recalled',
]);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const Task = z.object({
  id: Id,
  caseId: Id,
  unitId: Id,
  squadId: Id,
  status: TaskStatus,
  createdAt: EpochMs,
  updatedAt: EpochMs,
  actor: Actor,
  /** Why it ended without being done (recalled, declined, timed out), when a reason was given. */
  reason: z.string().max(500).optional(),
  /** The dispatcher's note to the unit, given at dispatch. */
  note: z.string().max(500).optional(),
  version: z.number().int().nonnegative(),
});
export type Task = z.infer<typeof Task>;

/** Posture of the command centre (平战一体): peacetime, and one per campaign of the command manual (issue #17). */
export const Mode = z.enum(['peacetime', 'typhoon', 'major_event', 'civilised_city', 'environmental']);
export type Mode = z.infer<typeof Mode>;

/**
 * Map layers a console can switch on and off on the walls (the district base map is always drawn); what each
 * draws, and which a mode leads with, is the display's (display/src/state/modes.ts).
 */
export const MapLayer = z.enum([
  'heat',
  'cases',
  'overdue',
  'pulse',
  'units',
  'trail',
  'labels',
  'storm',
  'sensors',
  'perimeters',
  'venues',
  'posts',
  'grid',
  'cameras',
  /** The active plans' points by state, pre-position targets and the units on their way to them (issue #17). */
  'plan',
]);
export type MapLayer = z.infer<typeof MapLayer>;

/** What the walls show up close (推屏), put there from a console: a case, a unit, or a view the console zoomed to. */
export const WallFocus = z.object({
  caseId: Id.optional(),
  unitId: Id.optional(),
  extent: Extent.optional(),
  /** Who put it there, and when (world time). */
  by: Actor,
  at: EpochMs,
});
export type WallFocus = z.infer<typeof WallFocus>;
