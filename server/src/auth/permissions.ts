import type { CommandName, InputMessage } from '@egret/protocol';

/**
 * Who may do what. Pure: every check the hub makes before it runs a command or takes an input from a caller is
 * here, so the table reads in one place and the display is never trusted to hide a button.
 */

/** The roles of people (and of wall screens, which are viewers). Each includes everything of the ones before it. */
export const USER_ROLES = ['viewer', 'dispatcher', 'commander', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The roles an API key may have: `ingest` writes inputs; `dispatcher` runs dispatch commands as a service account. */
export const KEY_ROLES = ['ingest', 'dispatcher'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/**
 * People who work in the street with the field terminal (issue #16): an inspector (监督员) reports cases and verifies
 * them in their grids. Not ranked with the roles above: an inspector opens no screen and runs no console command.
 */
export const FIELD_USER_ROLES = ['inspector'] as const;
export type FieldUserRole = (typeof FIELD_USER_ROLES)[number];

/** Every role a caller can hold: a person's, an API key's, or `field` (a device bound to one unit). */
export type PrincipalRole = UserRole | FieldUserRole | 'ingest' | 'field';

/** Who is calling, once authenticated (or, in open mode, whoever the caller says it is, as a commander). */
export interface Principal {
  kind: 'user' | 'wall' | 'apikey' | 'device' | 'open';
  /** The user name, wall name, key name, or (device) the unit id. */
  id: string;
  role: PrincipalRole;
  /** A device's unit: the only unit it may report for. */
  unitId?: string;
  /** The session (users and walls): checked again before every command, so a logout takes effect at once. */
  sessionId?: string;
  /** The API key or device token's id. */
  keyId?: string;
  /** An inspector's grids (单元网格): the cases they may verify. */
  grids?: string[];
}

const RANK: Record<UserRole, number> = { viewer: 0, dispatcher: 1, commander: 2, admin: 3 };

/** Whether `role` is a person's role at least as strong as `least`. */
export function atLeast(role: PrincipalRole, least: UserRole): boolean {
  return role in RANK && RANK[role as UserRole] >= RANK[least];
}

/** Roles that may watch the live city (screens, `/api/replay`, `/api/kpi`, candidates). */
export function maySee(role: PrincipalRole): boolean {
  return atLeast(role, 'viewer');
}

/** The weakest role that may run each command. */
const COMMAND_ROLE: Record<CommandName, UserRole> = {
  'case:dispatch': 'dispatcher',
  'task:recall': 'dispatcher',
  'case:reassign': 'dispatcher',
  'case:transition': 'dispatcher',
  'case:extend': 'commander',
  'case:supervise': 'commander',
  'mode:set': 'commander',
  'wall:focus': 'dispatcher',
  // What the walls show, like 推屏: the duty officer at the desk runs the wall's picture.
  'wall:layers': 'dispatcher',
  'wall:video': 'dispatcher',
  // The command manual (issue #17): a commander raises, moves and ends a plan; the desk 督办s a squad on its actions.
  'plan:activate': 'commander',
  'plan:end': 'commander',
  'plan:supervise': 'dispatcher',
};

/** The case-loop steps a dispatcher takes; the others (reject, park, resume) override the loop: commanders only. */
const DISPATCHER_STEPS = new Set(['accept', 'file', 'verify', 'close', 'rework']);

/** Why `role` may not run this command, or undefined when it may. `name` must be a known command. */
export function commandRefusal(role: PrincipalRole, name: CommandName, payload: unknown): string | undefined {
  const least = COMMAND_ROLE[name];
  if (!atLeast(role, least)) return `${name} needs the ${least} role; this account is ${role}`;
  if (name === 'case:transition' && !atLeast(role, 'commander')) {
    const action = (payload as { action?: unknown } | null)?.action;
    if (typeof action === 'string' && !DISPATCHER_STEPS.has(action)) {
      return `case:transition ${action} overrides the case loop and needs the commander role; this account is ${role}`;
    }
  }
  return undefined;
}

/** Whether a role may ask for anything over `/api/ingest`. */
export function mayIngest(role: PrincipalRole): boolean {
  return role === 'ingest' || role === 'field';
}

/** A refused input: the dead-letter reason and the detail naming the field. */
export interface ScopeRefusal {
  reason: 'forbidden_unit' | 'forbidden_kind';
  detail: string;
}

/** The input kinds a field device may send: progress and duty of its own unit, and its checks of plan points. */
const DEVICE_KINDS = new Set<InputMessage['kind']>(['task.update', 'unit.status', 'inspection.check']);

/**
 * Why a field device bound to `unitId` may not send these control-plane messages, or undefined when it may: only
 * `task.update`, `unit.status` and `inspection.check` for its own unit. (The consumer then checks that the task is
 * that unit's, and that the inspection is its squad's.)
 */
export function deviceEventsRefusal(unitId: string, messages: readonly InputMessage[]): ScopeRefusal | undefined {
  for (const [i, m] of messages.entries()) {
    const where = messages.length > 1 ? `[${i}]` : 'message';
    if (!DEVICE_KINDS.has(m.kind)) {
      return {
        reason: 'forbidden_kind',
        detail: `${where}.kind: a field device may send task.update, unit.status and inspection.check only, not ${m.kind}`,
      };
    }
    const other = (m as { unitId?: string }).unitId;
    if (other !== unitId) {
      return {
        reason: 'forbidden_unit',
        detail: `${where}.unitId: this device reports for unit ${unitId}, not ${other}`,
      };
    }
  }
  return undefined;
}

/**
 * Why an ingest API key (a hotline webhook, a case system) may not send these messages, or undefined when it may:
 * anything but `clock.set`. The world clock is for drills only; a drill sets it through the input stream in Redis
 * (the simulator, run by someone who holds the Redis credentials), never over HTTP (docs/integration.md).
 */
export function ingestKeyEventsRefusal(messages: readonly InputMessage[]): ScopeRefusal | undefined {
  const i = messages.findIndex((m) => m.kind === 'clock.set');
  if (i < 0) return undefined;
  const where = messages.length > 1 ? `[${i}]` : 'message';
  return {
    reason: 'forbidden_kind',
    detail: `${where}.kind: clock.set is for drills only: the world clock is set through the input stream in Redis (the simulator), not by an API key`,
  };
}

/** Why a field device bound to `unitId` may not send these fixes, or undefined when they are all its own. */
export function deviceFixesRefusal(unitId: string, fixes: ReadonlyArray<{ unitId: string }>): ScopeRefusal | undefined {
  const i = fixes.findIndex((f) => f.unitId !== unitId);
  if (i < 0) return undefined;
  return {
    reason: 'forbidden_unit',
    detail: `fixes[${i}].unitId: this device reports for unit ${unitId}, not ${fixes[i]!.unitId}`,
  };
}
