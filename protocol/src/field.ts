import { z } from 'zod';
import { IdempotencyKey } from './commands.ts';
import type { Clock } from './clock.ts';
import { Case, CategoryStandard, Id, Task, Unit } from './entities.ts';
import { EpochMs, haversineM, Lat, Lon, type LonLat } from './geo.ts';
import { PhotoRef } from './photos.ts';

/**
 * The field terminal (城管通, issue #16): what a squad member's phone (a device paired with one unit) and an
 * inspector's phone (监督员, a person with the `inspector` role) exchange with the hub. Pairing over HTTP, a Socket.IO
 * namespace `/field` that pushes `field:state`, three field commands (as acks on `/field` and as
 * `POST /api/field/commands/<name>`), the refusal codes the phone shows, and the terminal presence the wall marks.
 * docs/integration.md ("Field terminal") documents it with examples.
 */

/** The Socket.IO namespace of field terminals, on the hub's own server. */
export const FIELD_NAMESPACE = '/field';

/** How long a pairing code made on the console stays usable (once). */
export const FIELD_PAIRING_TTL_MS = 10 * 60_000;

/** A pairing code: 10 characters of Crockford base32 (50 bits), shown as a QR code and a link; any letter case. */
export const FieldPairingCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, 'a pairing code is 10 letters and digits');
export type FieldPairingCode = z.infer<typeof FieldPairingCode>;

/** `POST /api/field/pairings` (a dispatcher on the console): make a one-time pairing code for a unit. */
export const FieldPairingRequest = z.strictObject({ unitId: Id });
export type FieldPairingRequest = z.infer<typeof FieldPairingRequest>;

/** The answer: the code, the link the QR code holds (relative to the hub), and when the code expires (real ms). */
export interface FieldPairingAnswer {
  code: string;
  url: string;
  expiresAt: number;
}

/** `POST /api/field/pair` (the phone, no session; rate-limited): trade a pairing code for a device token. */
export const FieldPairRequest = z.strictObject({
  code: z.string().max(64),
  /** What the phone calls itself (its user agent, or a name the squad gave it), kept with the token. */
  device: z.string().max(64).optional(),
});
export type FieldPairRequest = z.infer<typeof FieldPairRequest>;

/** The device token (a Bearer token bound to `unitId`, shown once) and the unit it drives. */
export interface FieldPairAnswer {
  token: string;
  unitId: string;
  unitName: string;
}

/** The link a pairing code opens on the phone. */
export function fieldPairingUrl(code: string): string {
  return `/field/#pair=${code}`;
}

/** A unit grid (单元网格) id as inspectors are given them and cases carry them. */
export const GridId = z.string().regex(/^[0-9A-Za-z]{6,32}$/, 'a grid id is 6–32 letters and digits');
export type GridId = z.infer<typeof GridId>;

/** Photos one field command may carry. */
export const FIELD_MAX_PHOTOS = 12;
const Photos = z.array(PhotoRef).max(FIELD_MAX_PHOTOS);
const Reason = z.string().max(500);

/** The steps a unit reports on its task from the phone (the same steps a `task.update` input takes). */
export const FieldTaskStep = z.enum(['accepted', 'declined', 'en_route', 'on_scene', 'done']);
export type FieldTaskStep = z.infer<typeof FieldTaskStep>;

/**
 * `task:progress`: the device's own unit reports a step on its own task. `declined` needs a reason; `done` (处理反馈)
 * needs at least one `after` photo (处置后) and may carry `before` photos (处置前); photos go with `done` only.
 * `at` is when the person acted (the phone's clock; the log is stamped with the hub's world time).
 */
export const TaskProgressCommand = z.strictObject({
  taskId: Id,
  status: FieldTaskStep,
  reason: Reason.optional(),
  photos: Photos.optional(),
  at: EpochMs,
  idempotencyKey: IdempotencyKey,
});
export type TaskProgressCommand = z.infer<typeof TaskProgressCommand>;

/** `case:report` (an inspector): a new case from the street. The hub names the case; its source is `inspector`. */
export const FieldCaseReportCommand = z.strictObject({
  category: z.strictObject({ code: z.string().regex(/^[0-9A-Za-z]{2,12}$/), standard: CategoryStandard }),
  lon: Lon,
  lat: Lat,
  address: z.string().max(200),
  description: z.string().max(2000).optional(),
  photos: Photos.optional(),
  at: EpochMs,
  idempotencyKey: IdempotencyKey,
});
export type FieldCaseReportCommand = z.infer<typeof FieldCaseReportCommand>;

/** What an inspector's verification (核查) decides: the case closes, or goes back for rework (返工). */
export const VerifyOutcome = z.enum(['confirm', 'rework']);
export type VerifyOutcome = z.infer<typeof VerifyOutcome>;

/**
 * `case:verify` (an inspector, a case in their grids that is `handled` or `verifying`): confirm → verifying → closed;
 * rework → back to filed with the reason (返工). At least one photo (`verify`, or `rework`).
 */
export const CaseVerifyCommand = z.strictObject({
  caseId: Id,
  outcome: VerifyOutcome,
  reason: Reason.optional(),
  photos: Photos.min(1, 'a verification needs at least one photo'),
  at: EpochMs,
  idempotencyKey: IdempotencyKey,
});
export type CaseVerifyCommand = z.infer<typeof CaseVerifyCommand>;

/** Every field command, by its Socket.IO event name on `/field` and its `POST /api/field/commands/<name>`. */
export const FIELD_COMMANDS = {
  'task:progress': TaskProgressCommand,
  'case:report': FieldCaseReportCommand,
  'case:verify': CaseVerifyCommand,
} as const;
export type FieldCommandName = keyof typeof FIELD_COMMANDS;
export const FIELD_COMMAND_NAMES = Object.keys(FIELD_COMMANDS) as FieldCommandName[];

export interface TaskProgressReceipt {
  seq: number;
  taskId: string;
  caseId: string;
  status: FieldTaskStep;
}
export interface FieldCaseReportReceipt {
  seq: number;
  caseId: string;
}
export interface CaseVerifyReceipt {
  seq: number;
  caseId: string;
  /** Where the case went: closed (confirmed) or filed (rework). */
  to: 'closed' | 'filed';
}
export interface FieldCommandTypes {
  'task:progress': [TaskProgressCommand, TaskProgressReceipt];
  'case:report': [FieldCaseReportCommand, FieldCaseReportReceipt];
  'case:verify': [CaseVerifyCommand, CaseVerifyReceipt];
}

/**
 * Why the hub refused a field request, with its HTTP status. The phone shows the message; the code is for the
 * outbox (a 4xx refusal is final: the action leaves the outbox marked refused; 429/5xx are retried).
 * Command codes not listed here (`unknown_task`, `idempotency_key_reused`, `busy` …) keep their `COMMAND_ERRORS` status.
 */
export const FIELD_ERRORS = {
  bad_request: 400,
  /** No credential, or one the hub does not know (a forged token). */
  unauthenticated: 401,
  /** The device token was revoked (unpaired on the console or with `npm run accounts -- device revoke`). */
  revoked: 401,
  /** The credential may not do this (a device reporting a case, an inspector progressing a task …). */
  forbidden: 403,
  /** A device acting for another unit. */
  forbidden_unit: 403,
  /** A device acting on a task of another unit. */
  not_your_task: 403,
  /** An inspector verifying a case outside their grids. */
  not_your_grid: 403,
  /** The pairing code is unknown, used already, or expired (one answer for all three). */
  invalid_code: 404,
  unknown_task: 404,
  unknown_case: 404,
  unknown_unit: 404,
  /** The task cannot take this step from where it is (finished, or the same step again). */
  illegal_step: 409,
  /** Declining (and rework) needs a reason. */
  reason_required: 409,
  /** The case is not handled or verifying: there is nothing to verify. */
  not_verifiable: 409,
  idempotency_key_reused: 409,
  /** `done` without an `after` photo (处置后). */
  photo_required: 422,
  /** A photo id the hub's photo store does not hold (upload it first: `POST /api/photos`). */
  unknown_photo: 422,
  /** A category the city's dictionary does not hold, or a position outside the city. */
  unknown_category: 422,
  outside_city: 422,
  /** A fix implying a speed no unit reaches from its last accepted fix. */
  implausible_jump: 422,
  rate_limited: 429,
  busy: 503,
  unavailable: 503,
  internal: 500,
} as const;
export type FieldErrorCode = keyof typeof FIELD_ERRORS;

/** The HTTP status of a field refusal (409 for a code the table does not know). */
export function fieldErrorStatus(code: string): number {
  return (FIELD_ERRORS as Record<string, number>)[code] ?? 409;
}

/** A refusal as the phone gets it. */
export interface FieldRefusal {
  code: string;
  message: string;
}

/** What every field command answers, as an ack on `/field` and as the body of `POST /api/field/commands/<name>`. */
export type FieldAnswer<T = unknown> = { ok: true; result: T } | { ok: false; refusal: FieldRefusal };

/** Who the terminal is: a device bound to a unit, or an inspector with their grids. */
export type FieldMe = { kind: 'unit'; unit: Unit } | { kind: 'inspector'; name: string; grids: string[] };

/** A unit's open task with its case (photos and the commander's note included). */
export interface FieldTaskView {
  task: Task;
  case: Case | undefined;
}

/**
 * Everything a field terminal shows, pushed as `field:state` on connect and whenever it changes for this principal:
 * a unit's open tasks (newest first), an inspector's cases to verify (handled or verifying, in their grids).
 */
export interface FieldState {
  me: FieldMe;
  tasks: FieldTaskView[];
  verifications: Case[];
  /** Real time of this state (ms). */
  at: number;
  /**
   * The world clock at `at`: a drill runs simulated time (maybe faster), and deadlines are world times, so the phone
   * counts them from `worldNow(clock, at)` advanced by its own elapsed time × `rate`. Absent from older hubs.
   */
  clock?: Clock;
}

/** Client → hub on `/field`: how many actions wait in the phone's outbox, and whether its person is on duty. */
export const FieldStatus = z.strictObject({
  pending: z.number().int().nonnegative().max(100_000),
  onDuty: z.boolean(),
});
export type FieldStatus = z.infer<typeof FieldStatus>;

/** A unit's field terminal as the hub last saw it: declared with the unit (entities.ts), re-exported here. */
export { TerminalPresence, TerminalState } from './entities.ts';

/** Why a field socket was ended by the hub (sent just before it disconnects). */
export interface FieldEnded {
  code: 'revoked' | 'session_ended';
  message: string;
}

/** Hub → terminal on `/field`. */
export interface FieldServerToClientEvents {
  'field:state': (state: FieldState) => void;
  'field:ended': (why: FieldEnded) => void;
}

/** Terminal → hub on `/field`: its status, and the field commands, each acknowledged with a `FieldAnswer`. */
export type FieldClientToServerEvents = {
  'field:status': (status: FieldStatus) => void;
} & {
  [N in FieldCommandName]: (
    cmd: FieldCommandTypes[N][0],
    ack: (answer: FieldAnswer<FieldCommandTypes[N][1]>) => void,
  ) => void;
};

/** The fastest a unit moves between two fixes (m/s; 252 km/h): anything faster is a bad fix, refused `implausible_jump`. */
export const MAX_PLAUSIBLE_SPEED_MPS = 70;
/** GPS jitter tolerated between two fixes at (nearly) the same instant, in metres. */
export const FIX_JITTER_M = 50;

/**
 * Why `next` cannot follow `prev` (an implied speed over `maxMps`), or undefined when it can. Fixes at the same
 * instant or out of order may differ by GPS jitter only.
 */
export function implausibleJump(
  prev: { position: LonLat; at: number },
  next: { position: LonLat; at: number },
  maxMps = MAX_PLAUSIBLE_SPEED_MPS,
): string | undefined {
  const metres = haversineM(prev.position, next.position);
  if (metres <= FIX_JITTER_M) return undefined;
  const seconds = Math.abs(next.at - prev.at) / 1000;
  const speed = seconds > 0 ? metres / seconds : Infinity;
  if (speed <= maxMps) return undefined;
  return `${Math.round(metres)} m in ${seconds.toFixed(1)} s from the unit's last fix (${Number.isFinite(speed) ? Math.round(speed) : '∞'} m/s; at most ${maxMps} m/s)`;
}
