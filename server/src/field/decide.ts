import { gridIdAt, locateDistrict, type CategoryDictionary, type DistrictShape, type GridSpec } from '@egret/config';
import {
  PHOTO_MAX_PER_CASE,
  refuse,
  taskTransitionRefusal,
  type Actor,
  type Case,
  type CaseVerifyCommand,
  type CaseVerifyReceipt,
  type FieldCaseReportCommand,
  type FieldCaseReportReceipt,
  type PhotoRef,
  type PhotoRole,
  type Result,
  type TaskProgressCommand,
  type TaskProgressReceipt,
} from '@egret/protocol';
import { ChangeSet } from '../domain/change-set.ts';
import type { Change } from '../domain/change.ts';
import { fieldUpdate, moveCase } from '../domain/loop-steps.ts';
import type { EntityIds, LoadedEntities } from '../domain/store.ts';

/**
 * What the field terminal's commands (issue #16) do to the world, decided on the entities as read from the store —
 * the same shape as the console's deciders (commands/decide.ts): the writes and log events to commit in one step and
 * the receipt to answer (its `seq` is added by the commit), or a tagged refusal with a FIELD_ERRORS code. Pure.
 * A task step is the very step a `task.update` input takes (`fieldUpdate`); the rest is who may take it, and photos.
 */

export interface FieldDecision<R> {
  change: Change;
  receipt: Omit<R, 'seq'>;
}

function decided<R>(ch: ChangeSet, receipt: Omit<R, 'seq'>): Result<FieldDecision<R>> {
  return { ok: true, data: { change: { writes: ch.writes, events: ch.events }, receipt } };
}

/** Which photo roles each field action takes. */
const ROLES_OF = {
  done: new Set<PhotoRole>(['before', 'after']),
  report: new Set<PhotoRole>(['report']),
  verify: new Set<PhotoRole>(['verify', 'rework']),
};

/** A refusal when a photo's role does not belong to the action, or undefined. */
function wrongRole(photos: readonly PhotoRef[], allowed: ReadonlySet<PhotoRole>, action: string) {
  const i = photos.findIndex((p) => !allowed.has(p.role));
  if (i < 0) return undefined;
  return refuse(
    'bad_request',
    `photos[${i}].role: ${action} takes ${[...allowed].join(' or ')} photos, not ${photos[i]!.role}`,
  );
}

/**
 * The case with `photos` appended, attributed to `by` (a photo already on the case in the same role is not added
 * twice); a refusal past `PHOTO_MAX_PER_CASE`.
 */
export function attachPhotos(c: Case, photos: readonly PhotoRef[], by: string): Result<Case> {
  if (!photos.length) return { ok: true, data: c };
  const have = new Set((c.photos ?? []).map((p) => `${p.id}/${p.role}`));
  const added = photos.filter((p) => !have.has(`${p.id}/${p.role}`)).map((p) => ({ ...p, by }));
  const all = [...(c.photos ?? []), ...added];
  if (all.length > PHOTO_MAX_PER_CASE)
    return refuse(
      'bad_request',
      `photos: case ${c.id} would carry ${all.length} photos (at most ${PHOTO_MAX_PER_CASE})`,
    );
  return { ok: true, data: { ...c, photos: all } };
}

/** Who acts on a task: the device's unit. */
export interface TaskProgressContext {
  actor: Actor;
  /** The unit the device is bound to. */
  unitId: string;
  /** World time now. */
  at: number;
}

/**
 * `task:progress`: the device's unit reports a step on its own task. Checked in a fixed order, so a request always
 * gets the same answer: the task exists, is this unit's, can take the step (not finished, not the same step again),
 * then the reason of a decline and the photos of `done` (at least one 处置后, photos with `done` only).
 */
export function decideTaskProgress(
  cmd: TaskProgressCommand,
  s: LoadedEntities,
  ctx: TaskProgressContext,
): Result<FieldDecision<TaskProgressReceipt>> {
  const t = s.tasks.get(cmd.taskId);
  if (!t) return refuse('unknown_task', `taskId: no task ${cmd.taskId}`);
  if (t.unitId !== ctx.unitId)
    return refuse(
      'not_your_task',
      `task ${t.id} is unit ${t.unitId}'s, not ${ctx.unitId}'s: a device acts on its own unit's tasks`,
    );
  if (t.status === cmd.status) return refuse('illegal_step', `task ${t.id} is already ${t.status}`);
  const illegal = taskTransitionRefusal(t, cmd.status);
  if (illegal) return refuse('illegal_step', illegal.message);
  if (cmd.status === 'declined' && !cmd.reason?.trim())
    return refuse('reason_required', `declining task ${t.id} needs a reason`);
  const photos = cmd.photos ?? [];
  if (cmd.status !== 'done' && photos.length)
    return refuse('bad_request', `photos go with done (处置前 before, 处置后 after), not with ${cmd.status}`);
  if (cmd.status === 'done') {
    const wrong = wrongRole(photos, ROLES_OF.done, 'done');
    if (wrong) return wrong;
    if (!photos.some((p) => p.role === 'after'))
      return refuse('photo_required', `handling task ${t.id} (done) needs at least one after photo (处置后)`);
  }
  let c = s.cases.get(t.caseId);
  if (c && photos.length) {
    const withPhotos = attachPhotos(c, photos, ctx.unitId);
    if (!withPhotos.ok) return withPhotos;
    c = withPhotos.data;
  }
  const ch = new ChangeSet();
  const r = fieldUpdate(ch, { task: t, case: c, unit: s.units.get(t.unitId) }, cmd.status, {
    actor: ctx.actor,
    at: ctx.at,
    reason: cmd.reason,
  });
  if (!r.ok) return refuse(r.error === 'reason_required' ? 'reason_required' : 'illegal_step', r.message);
  return decided(ch, { taskId: t.id, caseId: t.caseId, status: cmd.status });
}

/** What reporting a case needs besides the command: the city, and the id the hub gives the case. */
export interface CaseReportContext {
  actor: Actor;
  at: number;
  /** The case id the hub chose (stable for one idempotency key: a replay names the same case). */
  caseId: string;
  categories: CategoryDictionary;
  shapes: readonly DistrictShape[];
  grids: GridSpec;
}

/** `case:report`: an inspector's new case (source inspector), in the city, under a category of its dictionary. */
export function decideCaseReport(
  cmd: FieldCaseReportCommand,
  s: LoadedEntities,
  ctx: CaseReportContext,
): Result<FieldDecision<FieldCaseReportReceipt>> {
  const category = ctx.categories.ref(cmd.category.standard, cmd.category.code);
  if (!category)
    return refuse(
      'unknown_category',
      `category: ${cmd.category.standard} ${cmd.category.code} is not in the city's category dictionary`,
    );
  const position: [number, number] = [cmd.lon, cmd.lat];
  const district = locateDistrict(ctx.shapes, position);
  if (!district)
    return refuse('outside_city', `lon/lat: ${cmd.lon}, ${cmd.lat} lies outside every district of the city`);
  const photos = cmd.photos ?? [];
  const wrong = wrongRole(photos, ROLES_OF.report, 'a report');
  if (wrong) return wrong;
  if (s.cases.has(ctx.caseId)) return refuse('duplicate', `case ${ctx.caseId} was already reported`);
  const grid = gridIdAt(ctx.grids, district, position);
  const description = cmd.description?.trim();
  const c: Case = {
    id: ctx.caseId,
    category,
    source: 'inspector',
    urgency: 'normal',
    position,
    address: cmd.address.trim(),
    district,
    ...(grid !== undefined ? { grid } : {}),
    ...(description ? { description } : {}),
    status: 'reported',
    reportedAt: ctx.at,
    supervised: false,
    history: [{ to: 'reported', at: ctx.at, actor: ctx.actor }],
    ...(photos.length ? { photos: photos.map((p) => ({ ...p, by: ctx.actor.id })) } : {}),
    version: 0,
  };
  const ch = new ChangeSet();
  ch.put('case', undefined, c);
  ch.log({ type: 'case.reported', at: ctx.at, case: c });
  return decided(ch, { caseId: c.id });
}

/** Who verifies: an inspector and their grids. */
export interface CaseVerifyContext {
  actor: Actor;
  at: number;
  grids: readonly string[];
}

/**
 * `case:verify` (核查): an inspector confirms a handled case (→ verifying → closed) or sends it back (返工 → filed, with
 * the reason), with photos. Only cases in the inspector's grids, and only handled or verifying ones.
 */
export function decideCaseVerify(
  cmd: CaseVerifyCommand,
  s: LoadedEntities,
  ctx: CaseVerifyContext,
): Result<FieldDecision<CaseVerifyReceipt>> {
  const c = s.cases.get(cmd.caseId);
  if (!c) return refuse('unknown_case', `caseId: no case ${cmd.caseId}`);
  if (c.grid === undefined || !ctx.grids.includes(c.grid))
    return refuse(
      'not_your_grid',
      `case ${c.id} lies in grid ${c.grid ?? '(none)'}, not in ${ctx.actor.id}'s grids: an inspector verifies cases in their own grids`,
    );
  if (c.status !== 'handled' && c.status !== 'verifying')
    return refuse('not_verifiable', `case ${c.id} is ${c.status}: only handled cases are verified`);
  const reason = cmd.reason?.trim() || undefined;
  if (cmd.outcome === 'rework' && !reason)
    return refuse('reason_required', `sending case ${c.id} back (返工) needs a reason`);
  const wrong = wrongRole(cmd.photos, ROLES_OF.verify, 'a verification');
  if (wrong) return wrong;
  const withPhotos = attachPhotos(c, cmd.photos, ctx.actor.id);
  if (!withPhotos.ok) return withPhotos;
  let cur = withPhotos.data;
  const ch = new ChangeSet();
  const step = { actor: ctx.actor, at: ctx.at };
  if (cur.status === 'handled') {
    const v = moveCase(ch, cur, 'verifying', step);
    if (!v.ok) return refuse('illegal_step', v.message);
    cur = v.data;
  }
  const to = cmd.outcome === 'confirm' ? 'closed' : 'filed';
  const moved = moveCase(ch, cur, to, { ...step, reason });
  if (!moved.ok) return refuse(moved.error === 'reason_required' ? 'reason_required' : 'illegal_step', moved.message);
  return decided(ch, { caseId: c.id, to });
}

/** The entities each field command reads (with their links). */
export function fieldCommandNeeds(cmd: { taskId: string } | { caseId: string }): EntityIds {
  return 'taskId' in cmd ? { taskIds: [cmd.taskId] } : { caseIds: [cmd.caseId] };
}
