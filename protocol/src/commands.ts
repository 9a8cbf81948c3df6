import { z } from 'zod';
import { PlaybackRange } from './cameras.ts';
import { CaseAction, CaseStatus, Id, MapLayer, Mode } from './entities.ts';
import { Extent } from './geo.ts';
import { PlanLevel } from './plans.ts';

/**
 * Commands: what a commander's console (over Socket.IO) and other systems — the simulator's auto-dispatcher, a
 * case system — (over `POST /api/commands/<name>`) ask the hub to do. Each is checked and written in one atomic
 * step, or refused with a tagged `{ ok: false, error, message }` and nothing changes. Names are imperatives
 * (`case:dispatch`); what happened comes back as past-tense log events (`task.created`, `case.transitioned` …).
 *
 * Every command carries an `idempotencyKey` chosen by the sender (a UUID per user action): the hub keeps the
 * first result under it for 24 hours, so a double click or a retried request returns that result again and does
 * nothing twice. Reusing a key for a different request is refused (`idempotency_key_reused`).
 */

/** A sender-chosen key that makes a command safe to retry: printable ASCII, 1–128 characters (a UUID fits). */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1–128 printable ASCII characters (a UUID fits)');

/** A reason on record: required for recalls, reassignments, extensions, rejections, parking and rework. */
const Reason = z.string().trim().min(1, 'must not be empty').max(500);

/** 派遣: send a unit to a filed case. Creates a task; the case and the unit become `dispatched`. */
export const DispatchCommand = z.object({
  caseId: Id,
  unitId: Id,
  idempotencyKey: IdempotencyKey,
  /** Shown to the unit and kept on the task and the case's history step. */
  note: z.string().max(500).optional(),
});
export type DispatchCommand = z.infer<typeof DispatchCommand>;

/** 撤回: take an active task back. The task ends `recalled`, the case returns to `filed` (退回, with the reason), the unit is free. */
export const RecallCommand = z.object({ taskId: Id, reason: Reason, idempotencyKey: IdempotencyKey });
export type RecallCommand = z.infer<typeof RecallCommand>;

/** 改派: recall the case's active task and dispatch another unit, in one step. */
export const ReassignCommand = z.object({ caseId: Id, unitId: Id, reason: Reason, idempotencyKey: IdempotencyKey });
export type ReassignCommand = z.infer<typeof ReassignCommand>;

/** The steps of the case loop a commander takes by name (dispatching and the field's steps have their own paths). */
export const CommandCaseAction = z.enum(['accept', 'reject', 'file', 'verify', 'close', 'rework', 'park', 'resume']);
export type CommandCaseAction = z.infer<typeof CommandCaseAction>;

/** Where each commander step takes a case (see `CASE_TRANSITIONS` in workflow.ts for where it may start). */
export const COMMAND_ACTION_TARGET: Readonly<Record<CommandCaseAction, CaseStatus>> = {
  accept: 'accepted',
  reject: 'rejected',
  file: 'filed',
  verify: 'verifying',
  close: 'closed',
  rework: 'filed',
  park: 'parked',
  resume: 'filed',
};

/** 受理 / 不予立案 / 立案 / 核查 / 结案 / 返工 / 挂账 / 恢复. Parking a dispatched case also recalls its task. */
export const TransitionCommand = z.object({
  caseId: Id,
  action: CommandCaseAction,
  reason: z.string().max(500).optional(),
  idempotencyKey: IdempotencyKey,
});
export type TransitionCommand = z.infer<typeof TransitionCommand>;

/** 延期: move the deadline `hours` later (before it has passed). Logged as `case.amended` (`deadline_extended`). */
export const ExtendCommand = z.object({
  caseId: Id,
  hours: z
    .number()
    .positive()
    .max(24 * 366),
  reason: Reason,
  idempotencyKey: IdempotencyKey,
});
export type ExtendCommand = z.infer<typeof ExtendCommand>;

/** 督办: raise the supervision flag on an open case. Logged as `case.amended` (`supervised`). */
export const SuperviseCommand = z.object({
  caseId: Id,
  reason: z.string().max(500).optional(),
  idempotencyKey: IdempotencyKey,
});
export type SuperviseCommand = z.infer<typeof SuperviseCommand>;

/** 平战切换: set the command centre's posture. Logged as `mode.changed`. */
export const ModeCommand = z.object({ mode: Mode, idempotencyKey: IdempotencyKey });
export type ModeCommand = z.infer<typeof ModeCommand>;

/**
 * 推屏: the console puts a case, a unit or the view it zoomed to (`extent`) on the wall (every wall follows it),
 * or, with none, releases the wall back to the overview.
 */
// Strict: every field is optional, so a stray field (`{ mode: 'typhoon' }` sent to the wrong command) would
// otherwise read as "release the walls".
export const FocusCommand = z.strictObject({
  caseId: Id.optional(),
  unitId: Id.optional(),
  extent: Extent.optional(),
  idempotencyKey: IdempotencyKey,
});
export type FocusCommand = z.infer<typeof FocusCommand>;

/**
 * The walls' map layers, switched from a console: the layers to show, or `null` for the mode's defaults (a mode
 * switch goes back to them too). Strict, for the reason above.
 */
export const LayersCommand = z.strictObject({
  layers: z.array(MapLayer).max(MapLayer.options.length).nullable(),
  idempotencyKey: IdempotencyKey,
});
export type LayersCommand = z.infer<typeof LayersCommand>;

/**
 * 推屏 of a camera: open its live view (or, with `playback`, its recording — 视频追溯) as a video window on every wall,
 * or close its window. The walls keep at most the configured number of windows: opening one more closes the oldest.
 */
export const VideoCommand = z.strictObject({
  cameraId: Id,
  action: z.enum(['open', 'close']),
  playback: PlaybackRange.optional(),
  idempotencyKey: IdempotencyKey,
});
export type VideoCommand = z.infer<typeof VideoCommand>;

/**
 * 预案启动 / 调级: activate a plan of the command manual at a level, or move an active plan to another level. Issues the
 * level's rounds and pre-position orders (idempotently: activating at the level it holds is refused
 * `already_at_level`, and a retried command returns its first receipt). Logged as `plan.changed`.
 */
export const PlanActivateCommand = z.strictObject({
  planId: Id,
  level: PlanLevel,
  reason: z.string().max(500).optional(),
  idempotencyKey: IdempotencyKey,
});
export type PlanActivateCommand = z.infer<typeof PlanActivateCommand>;

/** 预案终止: end an active plan; its open pre-position orders are released, open inspections stay on record. */
export const PlanEndCommand = z.strictObject({
  planId: Id,
  reason: z.string().max(500).optional(),
  idempotencyKey: IdempotencyKey,
});
export type PlanEndCommand = z.infer<typeof PlanEndCommand>;

/** 督办 a squad on an action of an active plan (its overdue inspections or pre-positions). Logged as `plan.supervised`. */
export const PlanSuperviseCommand = z.strictObject({
  planId: Id,
  actionId: Id,
  squadId: Id,
  note: z.string().max(500).optional(),
  idempotencyKey: IdempotencyKey,
});
export type PlanSuperviseCommand = z.infer<typeof PlanSuperviseCommand>;

/** Ask for the squads best placed to take a case (no change, no idempotency key). */
export const CandidatesRequest = z.object({ caseId: Id });
export type CandidatesRequest = z.infer<typeof CandidatesRequest>;

/** What every successful command answers: `seq` is the log seq of its last event (wait for it to see the change). */
export interface CommandReceipt {
  seq: number;
}
export interface DispatchReceipt extends CommandReceipt {
  caseId: string;
  taskId: string;
  unitId: string;
  squadId: string;
}
export interface RecallReceipt extends CommandReceipt {
  taskId: string;
  caseId: string;
  unitId: string;
}
export interface ReassignReceipt extends DispatchReceipt {
  recalledTaskId: string;
}
export interface TransitionReceipt extends CommandReceipt {
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
  action: CaseAction;
  /** A task the step ended (parking a dispatched case recalls its task). */
  recalledTaskId?: string;
}
export interface ExtendReceipt extends CommandReceipt {
  caseId: string;
  deadline: number;
}
export interface SuperviseReceipt extends CommandReceipt {
  caseId: string;
}
export interface ModeReceipt extends CommandReceipt {
  mode: Mode;
}

export interface FocusReceipt extends CommandReceipt {
  caseId?: string;
  unitId?: string;
  extent?: Extent;
}
export interface LayersReceipt extends CommandReceipt {
  layers: MapLayer[] | null;
}
export interface VideoReceipt extends CommandReceipt {
  cameraId: string;
  action: 'open' | 'close';
}
export interface PlanReceipt extends CommandReceipt {
  planId: string;
  level: PlanLevel;
  /** Inspections and pre-position orders the command issued (0 for a level whose actions are already issued). */
  issued: { inspections: number; prepositions: number };
}
export interface PlanEndReceipt extends CommandReceipt {
  planId: string;
  released: number;
}
export interface PlanSuperviseReceipt extends CommandReceipt {
  planId: string;
  actionId: string;
  squadId: string;
}

/** Every command: its schema, by the name used as the Socket.IO event and in `POST /api/commands/<name>`. */
export const COMMANDS = {
  'case:dispatch': DispatchCommand,
  'task:recall': RecallCommand,
  'case:reassign': ReassignCommand,
  'case:transition': TransitionCommand,
  'case:extend': ExtendCommand,
  'case:supervise': SuperviseCommand,
  'mode:set': ModeCommand,
  'wall:focus': FocusCommand,
  'wall:layers': LayersCommand,
  'wall:video': VideoCommand,
  'plan:activate': PlanActivateCommand,
  'plan:end': PlanEndCommand,
  'plan:supervise': PlanSuperviseCommand,
} as const;
export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** The request and the receipt of each command. */
export interface CommandTypes {
  'case:dispatch': [DispatchCommand, DispatchReceipt];
  'task:recall': [RecallCommand, RecallReceipt];
  'case:reassign': [ReassignCommand, ReassignReceipt];
  'case:transition': [TransitionCommand, TransitionReceipt];
  'case:extend': [ExtendCommand, ExtendReceipt];
  'case:supervise': [SuperviseCommand, SuperviseReceipt];
  'mode:set': [ModeCommand, ModeReceipt];
  'wall:focus': [FocusCommand, FocusReceipt];
  'wall:layers': [LayersCommand, LayersReceipt];
  'wall:video': [VideoCommand, VideoReceipt];
  'plan:activate': [PlanActivateCommand, PlanReceipt];
  'plan:end': [PlanEndCommand, PlanEndReceipt];
  'plan:supervise': [PlanSuperviseCommand, PlanSuperviseReceipt];
}
export type CommandOf<N extends CommandName> = CommandTypes[N][0];
export type ReceiptOf<N extends CommandName> = CommandTypes[N][1];

/**
 * Why a command was refused (`Result.error`), with the HTTP status `POST /api/commands/<name>` answers it with.
 * The message names the entities involved, e.g. "squad SM-ENF-01 unit SM-ENF-01-03 is already dispatched to case
 * 12345-0137 (task T-12345-0137-1)".
 */
export const COMMAND_ERRORS = {
  /** The payload does not match the command's schema (the message names the field), or the command is unknown. */
  bad_request: 400,
  unknown_command: 404,
  unknown_case: 404,
  unknown_unit: 404,
  unknown_task: 404,
  /** No camera by that id in the registry (configured or registered, and not removed). */
  unknown_camera: 404,
  /** 视频追溯 of a camera whose platform gives no playback URL. */
  no_playback: 409,
  /** The unit is on another task. */
  unit_busy: 409,
  /** The unit is off duty or offline. */
  unit_unavailable: 409,
  /** The case is already with a squad (dispatched or in progress). */
  case_already_dispatched: 409,
  /** Reassigning a case no squad holds. */
  case_not_dispatched: 409,
  /** Reassigning a case to the unit that already has it. */
  same_unit: 409,
  /** The case loop does not allow this step from the case's current status. */
  illegal_transition: 409,
  /** The step needs a reason (reject, park, rework, recall, reassign, extend). */
  reason_required: 409,
  /** The task has already ended (done, declined, timed out or recalled). */
  task_finished: 409,
  /** 延期 refused: not filed/in hand, no deadline, or the deadline has already passed. */
  not_extendable: 409,
  no_deadline: 409,
  already_overdue: 409,
  invalid_extension: 400,
  /** 督办 refused: already supervised, or the case is closed or rejected. */
  already_supervised: 409,
  case_finished: 409,
  already_in_mode: 409,
  /** No plan by that id in the command manual (config/plans). */
  unknown_plan: 404,
  /** The plan has no such level, or no such action. */
  unknown_level: 400,
  unknown_action: 404,
  /** The plan is already active at that level. */
  already_at_level: 409,
  /** Ending or supervising a plan that is not active. */
  plan_not_active: 409,
  /** The idempotency key was used before for a different request. */
  idempotency_key_reused: 409,
  /** The entities kept changing under the command; nothing was written: try again. */
  busy: 503,
  /** The hub is starting or cannot reach Redis; nothing was written: try again. */
  unavailable: 503,
  internal: 500,
} as const;
export type CommandError = keyof typeof COMMAND_ERRORS;

/** The HTTP status of a refusal (409 for an error this table does not know). */
export function commandErrorStatus(error: string): number {
  return (COMMAND_ERRORS as Record<string, number>)[error] ?? 409;
}
