import { createHash } from 'node:crypto';
import type { CategoryDictionary } from '@egret/config';
import {
  CASE_TRANSITIONS,
  COMMAND_ACTION_TARGET,
  extendDeadline,
  isTaskFinished,
  refuse,
  superviseCase,
  taskHoldsCase,
  transitionAction,
  unitRefusal,
  type Actor,
  type CameraSpec,
  type Case,
  type CommandName,
  type CommandOf,
  type Mode,
  type ReceiptOf,
  type Result,
} from '@egret/protocol';
import { ChangeSet } from '../domain/change-set.ts';
import { dispatchCase, endTaskUndone, moveCase, releaseUnit, updateTask } from '../domain/loop-steps.ts';
import type { Change } from '../domain/change.ts';
import type { EntityIds, LoadedEntities } from '../domain/store.ts';
import { decideActivate, decideEnd, decideSupervise, type PlanDecideContext } from '../plans/decide-plans.ts';

/**
 * What each command does to the world, decided on the entities as read from the store: the writes and log events to
 * commit in one step and the receipt to answer (its `seq` is added by the commit), or a tagged refusal. Pure.
 */

export interface DecideContext {
  actor: Actor;
  /** World time now. */
  at: number;
  categories: CategoryDictionary;
  /** The mode Redis holds (only `mode:set` reads it). */
  mode: Mode;
  /** The configured cameras and the walls' window limit (config `cameras.json`; only `wall:video` reads it). */
  video?: { cameras: ReadonlyMap<string, CameraSpec>; maxWindows: number };
  /** The command manual and the mirror's plans' state (plan:* commands, issue #17); none: every plan is unknown. */
  plans?: Pick<PlanDecideContext, 'catalog' | 'world'>;
  /** A case's deadline (ms from filing) as a plan in force tightens it (`case:transition` file). */
  tightenDeadline?: (code: string, ms: number) => number;
}

export interface Decision<N extends CommandName> {
  change: Change;
  receipt: Omit<ReceiptOf<N>, 'seq'>;
}

type Decider<N extends CommandName> = (cmd: CommandOf<N>, s: LoadedEntities, ctx: DecideContext) => Result<Decision<N>>;

/** A change from a ChangeSet, with its receipt. */
function decided<N extends CommandName>(ch: ChangeSet, receipt: Omit<ReceiptOf<N>, 'seq'>): Result<Decision<N>> {
  return { ok: true, data: { change: { writes: ch.writes, events: ch.events }, receipt } };
}

/** The id of the next task of a case: `T-<caseId>-<n>`, n counting the case's dispatches (hashed if too long). */
export function taskIdFor(c: Case): string {
  const n = c.history.filter((s) => s.to === 'dispatched').length + 1;
  const id = `T-${c.id}-${n}`;
  return id.length <= 64 ? id : `T-${createHash('sha1').update(c.id).digest('hex').slice(0, 24)}-${n}`;
}

const unknownCase = (id: string) => refuse('unknown_case', `caseId: no case ${id}`);
const unknownUnit = (id: string) => refuse('unknown_unit', `unitId: no unit ${id} has registered`);

const dispatch: Decider<'case:dispatch'> = (cmd, s, ctx) => {
  const c = s.cases.get(cmd.caseId);
  if (!c) return unknownCase(cmd.caseId);
  const u = s.units.get(cmd.unitId);
  if (!u) return unknownUnit(cmd.unitId);
  const ch = new ChangeSet();
  const unitTask = u.taskId !== undefined ? s.tasks.get(u.taskId) : undefined;
  const r = dispatchCase(ch, c, u, unitTask, { actor: ctx.actor, at: ctx.at, taskId: taskIdFor(c), note: cmd.note });
  if (!r.ok) return r;
  return decided(ch, { caseId: c.id, taskId: r.data.task.id, unitId: u.id, squadId: u.squadId });
};

const recall: Decider<'task:recall'> = (cmd, s, ctx) => {
  const t = s.tasks.get(cmd.taskId);
  if (!t) return refuse('unknown_task', `taskId: no task ${cmd.taskId}`);
  if (isTaskFinished(t))
    return refuse('task_finished', `task ${t.id} is already ${t.status}: there is nothing to recall`);
  const ch = new ChangeSet();
  const r = endTaskUndone(ch, { task: t, case: s.cases.get(t.caseId), unit: s.units.get(t.unitId) }, 'recalled', {
    actor: ctx.actor,
    at: ctx.at,
    reason: cmd.reason,
  });
  if (!r.ok) return r;
  return decided(ch, { taskId: t.id, caseId: t.caseId, unitId: t.unitId });
};

const reassign: Decider<'case:reassign'> = (cmd, s, ctx) => {
  const c = s.cases.get(cmd.caseId);
  if (!c) return unknownCase(cmd.caseId);
  const u = s.units.get(cmd.unitId);
  if (!u) return unknownUnit(cmd.unitId);
  const current = c.taskId !== undefined ? s.tasks.get(c.taskId) : undefined;
  if (!taskHoldsCase(current, c))
    return refuse(
      'case_not_dispatched',
      `case ${c.id} is ${c.status}: no squad holds it, so there is nothing to reassign (dispatch it instead)`,
    );
  if (current.unitId === u.id)
    return refuse('same_unit', `case ${c.id} is already with unit ${u.id} (task ${current.id})`);
  const busy = unitRefusal(u, u.taskId !== undefined ? s.tasks.get(u.taskId) : undefined);
  if (busy) return busy;
  const step = { actor: ctx.actor, at: ctx.at };
  const ch = new ChangeSet();
  const ended = endTaskUndone(ch, { task: current, case: c, unit: s.units.get(current.unitId) }, 'recalled', {
    ...step,
    reason: cmd.reason,
  });
  if (!ended.ok) return ended;
  const returned = ended.data.case!;
  const d = dispatchCase(ch, returned, u, undefined, { ...step, taskId: taskIdFor(returned) });
  if (!d.ok) return d;
  return decided(ch, {
    caseId: c.id,
    recalledTaskId: current.id,
    taskId: d.data.task.id,
    unitId: u.id,
    squadId: u.squadId,
  });
};

const transition: Decider<'case:transition'> = (cmd, s, ctx) => {
  const c = s.cases.get(cmd.caseId);
  if (!c) return unknownCase(cmd.caseId);
  const to = COMMAND_ACTION_TARGET[cmd.action];
  if (transitionAction(c.status, to) !== cmd.action) {
    const possible =
      CASE_TRANSITIONS[c.status].map((next) => transitionAction(c.status, next)).join(', ') || 'none: it is finished';
    return refuse(
      'illegal_transition',
      `case ${c.id} is ${c.status}: "${cmd.action}" is not a step from there (possible: ${possible})`,
    );
  }
  const step = { actor: ctx.actor, at: ctx.at, reason: cmd.reason };
  const ch = new ChangeSet();
  // Parking a case a squad holds takes it off the squad: its task is recalled and the unit freed.
  const task = c.taskId !== undefined ? s.tasks.get(c.taskId) : undefined;
  const recalled = taskHoldsCase(task, c) ? task : undefined;
  if (recalled) {
    const ended = updateTask(ch, recalled, 'recalled', step);
    if (!ended.ok) return ended;
  }
  const dictionaryMs =
    cmd.action === 'file'
      ? ctx.categories.deadlineMs(c.category.standard, c.category.code, c.urgency, { position: c.position, at: ctx.at })
      : undefined;
  // A plan's `deadlines` action in force gives the category its hours when they are shorter (issue #17).
  const deadlineMs =
    dictionaryMs !== undefined && ctx.tightenDeadline
      ? ctx.tightenDeadline(c.category.code, dictionaryMs)
      : dictionaryMs;
  const moved = moveCase(ch, c, to, { ...step, ...(deadlineMs !== undefined ? { deadlineMs } : {}) });
  if (!moved.ok) return moved;
  if (recalled) releaseUnit(ch, s.units.get(recalled.unitId), recalled, step);
  return decided(ch, {
    caseId: c.id,
    from: c.status,
    to,
    action: cmd.action,
    ...(recalled ? { recalledTaskId: recalled.id } : {}),
  });
};

const extend: Decider<'case:extend'> = (cmd, s, ctx) => {
  const c = s.cases.get(cmd.caseId);
  if (!c) return unknownCase(cmd.caseId);
  const r = extendDeadline(c, Math.round(cmd.hours * 3_600_000), { actor: ctx.actor, at: ctx.at, reason: cmd.reason });
  if (!r.ok) return r;
  const ch = new ChangeSet();
  ch.put('case', c, r.data);
  ch.log({
    type: 'case.amended',
    at: ctx.at,
    change: 'deadline_extended',
    actor: ctx.actor,
    reason: cmd.reason.trim(),
    case: r.data,
  });
  return decided(ch, { caseId: c.id, deadline: r.data.deadline! });
};

const supervise: Decider<'case:supervise'> = (cmd, s, ctx) => {
  const c = s.cases.get(cmd.caseId);
  if (!c) return unknownCase(cmd.caseId);
  const reason = cmd.reason?.trim() || undefined;
  const r = superviseCase(c, { actor: ctx.actor, at: ctx.at, ...(reason !== undefined ? { reason } : {}) });
  if (!r.ok) return r;
  const ch = new ChangeSet();
  ch.put('case', c, r.data);
  ch.log({
    type: 'case.amended',
    at: ctx.at,
    change: 'supervised',
    actor: ctx.actor,
    ...(reason !== undefined ? { reason } : {}),
    case: r.data,
  });
  return decided(ch, { caseId: c.id });
};

const setMode: Decider<'mode:set'> = (cmd, _s, ctx) => {
  if (cmd.mode === ctx.mode) return refuse('already_in_mode', `the command centre is already in ${cmd.mode} mode`);
  return {
    ok: true,
    data: {
      change: {
        writes: [],
        events: [{ type: 'mode.changed', at: ctx.at, mode: cmd.mode, actor: ctx.actor }],
        mode: { expected: ctx.mode, next: cmd.mode },
      },
      receipt: { mode: cmd.mode },
    },
  };
};

/**
 * 推屏: the case or unit must exist, and a view (`extent`) comes alone (a wall shows one thing); with none, the
 * walls go back to the overview.
 */
const focus: Decider<'wall:focus'> = (cmd, s, ctx) => {
  if (cmd.caseId !== undefined && !s.cases.has(cmd.caseId)) return unknownCase(cmd.caseId);
  if (cmd.unitId !== undefined && !s.units.has(cmd.unitId)) return refuse('unknown_unit', `no unit ${cmd.unitId}`);
  if (cmd.extent !== undefined && (cmd.caseId !== undefined || cmd.unitId !== undefined)) {
    return refuse('bad_request', 'a wall shows a case, a unit or a view (extent), not a view with a case or unit');
  }
  const target = {
    ...(cmd.caseId !== undefined ? { caseId: cmd.caseId } : {}),
    ...(cmd.unitId !== undefined ? { unitId: cmd.unitId } : {}),
    ...(cmd.extent !== undefined ? { extent: cmd.extent } : {}),
  };
  const shown = Object.keys(target).length > 0 ? { ...target, by: ctx.actor, at: ctx.at } : null;
  return {
    ok: true,
    data: {
      change: { writes: [], events: [{ type: 'focus.changed', at: ctx.at, focus: shown, actor: ctx.actor }] },
      receipt: target,
    },
  };
};

/** The walls' layers: any set of known layers (the schema checked them), or null for the mode's defaults. */
const layers: Decider<'wall:layers'> = (cmd, _s, ctx) => {
  const chosen = cmd.layers && [...new Set(cmd.layers)];
  return {
    ok: true,
    data: {
      change: { writes: [], events: [{ type: 'layers.changed', at: ctx.at, layers: chosen, actor: ctx.actor }] },
      receipt: { layers: chosen },
    },
  };
};

/**
 * 推屏 of a camera: it must be in the registry (registered and not removed, or configured and not removed), and
 * 视频追溯 needs its playback template. The event carries the window limit; the reducer closes the oldest past it.
 */
const video: Decider<'wall:video'> = (cmd, s, ctx) => {
  const stored = s.cameras.get(cmd.cameraId);
  const camera = stored ? (stored.removed ? undefined : stored) : ctx.video?.cameras.get(cmd.cameraId);
  const receipt = { cameraId: cmd.cameraId, action: cmd.action };
  if (cmd.action === 'close') {
    // Closing needs no live camera: one removed while on the wall must still come off it.
    return {
      ok: true,
      data: {
        change: {
          writes: [],
          events: [{ type: 'video.changed', at: ctx.at, action: 'closed', cameraId: cmd.cameraId, actor: ctx.actor }],
        },
        receipt,
      },
    };
  }
  if (!camera) return refuse('unknown_camera', `cameraId: no camera ${cmd.cameraId} in the registry`);
  if (cmd.playback && !camera.playback)
    return refuse('no_playback', `camera ${camera.id} has no playback URL template: only its live view can be shown`);
  const window = {
    cameraId: camera.id,
    ...(cmd.playback ? { playback: cmd.playback } : {}),
    by: ctx.actor,
    at: ctx.at,
  };
  const max = ctx.video?.maxWindows ?? 1;
  return {
    ok: true,
    data: {
      change: {
        writes: [],
        events: [{ type: 'video.changed', at: ctx.at, action: 'opened', window, max, actor: ctx.actor }],
      },
      receipt,
    },
  };
};

/** The plan commands (plans/decide-plans.ts) with this module's context. */
const planDecider =
  <N extends 'plan:activate' | 'plan:end' | 'plan:supervise'>(
    decide: (cmd: CommandOf<N>, s: LoadedEntities, ctx: PlanDecideContext) => Result<Decision<N>>,
  ): Decider<N> =>
  (cmd, s, ctx) =>
    ctx.plans
      ? decide(cmd, s, { actor: ctx.actor, at: ctx.at, mode: ctx.mode, ...ctx.plans })
      : refuse('unknown_plan', 'planId: this hub has no command manual (config/plans is empty)');

const DECIDERS: { [N in CommandName]: Decider<N> } = {
  'case:dispatch': dispatch,
  'task:recall': recall,
  'case:reassign': reassign,
  'case:transition': transition,
  'case:extend': extend,
  'case:supervise': supervise,
  'mode:set': setMode,
  'wall:focus': focus,
  'wall:layers': layers,
  'wall:video': video,
  'plan:activate': planDecider(decideActivate),
  'plan:end': planDecider(decideEnd),
  'plan:supervise': planDecider(decideSupervise),
};

/** Decides a validated command (see the module docblock). */
export function decideCommand<N extends CommandName>(
  name: N,
  cmd: CommandOf<N>,
  s: LoadedEntities,
  ctx: DecideContext,
): Result<Decision<N>> {
  return (DECIDERS[name] as Decider<N>)(cmd, s, ctx);
}

/** The entities a command needs read (with their links: a case's task and unit, a unit's task and its case). */
export function commandNeeds<N extends CommandName>(name: N, cmd: CommandOf<N>): EntityIds {
  const c = cmd as Partial<{ caseId: string; unitId: string; taskId: string; cameraId: string; planId: string }>;
  return {
    ...(c.planId !== undefined ? { planIds: [c.planId] } : {}),
    ...(c.cameraId !== undefined ? { cameraIds: [c.cameraId] } : {}),
    ...(c.caseId !== undefined ? { caseIds: [c.caseId] } : {}),
    ...(c.unitId !== undefined ? { unitIds: [c.unitId] } : {}),
    ...(c.taskId !== undefined ? { taskIds: [c.taskId] } : {}),
  };
}
