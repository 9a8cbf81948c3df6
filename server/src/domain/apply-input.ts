import type { CategoryDictionary, DistrictShape } from '@egret/config';
import { locateDistrict } from '@egret/config';
import {
  MAX_FUTURE_SKEW_MS, UPSTREAM_ACTOR, transitionCase, worldNow as clockWorldNow,
  type Case, type Clock, type InputMessage, type NewLogEvent, type Task, type TaskStatus, type Unit,
} from '@egret/protocol';
import { refuse, type Refusal } from './rejection.ts';

/** What the commit needs to know about the entities an input touches, as read from Redis just before. */
export interface CurrentEntities {
  case?: Case;
  unit?: Unit;
  task?: Task;
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
}

/**
 * One entity the commit writes, with the version it must still have in Redis (null: must not exist yet).
 * The commit script refuses when someone else changed it in between, and the caller decides again.
 */
export type EntityWrite =
  | { kind: 'case'; expectedVersion: number | null; entity: Case }
  | { kind: 'unit'; expectedVersion: number | null; entity: Unit }
  | { kind: 'task'; expectedVersion: number | null; entity: Task };

export interface Applied {
  ok: true;
  writes: EntityWrite[];
  /** The world clock to store, for `clock.set`. */
  clock?: Clock;
  /** The log event this change appends; null when the input changes nothing (a repeated status report). */
  event: NewLogEvent | null;
}

const FINISHED_TASK: ReadonlySet<TaskStatus> = new Set(['done', 'declined', 'timed_out', 'recalled']);

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
      if (!category) return refuse('unknown_category', `category: ${input.category.standard} ${input.category.code} is not in the category dictionary`);
      const district = locateDistrict(ctx.shapes, [input.lon, input.lat]);
      if (!district) return refuse('outside_city', `lon/lat: ${input.lon}, ${input.lat} lies outside every district of the city`);
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
        ...(input.description !== undefined ? { description: input.description } : {}),
        status: 'reported',
        reportedAt: input.at,
        supervised: false,
        history: [{ to: 'reported', at: input.at, actor: UPSTREAM_ACTOR }],
        version: 0,
      };
      return { ok: true, writes: [{ kind: 'case', expectedVersion: null, entity: c }], event: { type: 'case.reported', at: input.at, case: c } };
    }
    case 'case.transition': {
      const c = current.case;
      if (!c) return refuse('unknown_case', `caseId: no case ${input.caseId}`);
      if (tooLate) return tooLate;
      const deadlineMs = input.to === 'filed' ? ctx.categories.deadlineMs(c.category.standard, c.category.code, c.urgency) : undefined;
      const r = transitionCase(c, input.to, {
        actor: input.actor,
        at: input.at,
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      });
      if (!r.ok) return refuse(r.error === 'reason_required' ? 'reason_required' : 'illegal_transition', `to: ${r.message}`);
      return {
        ok: true,
        writes: [{ kind: 'case', expectedVersion: c.version, entity: r.data }],
        event: {
          type: 'case.transitioned', at: input.at, from: c.status, to: input.to, actor: input.actor,
          ...(input.reason !== undefined ? { reason: input.reason } : {}), case: r.data,
        },
      };
    }
    case 'unit.register': {
      if (!ctx.districts.has(input.district)) return refuse('unknown_district', `district: ${input.district} is not a district of this city`);
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
        version: prev ? prev.version + 1 : 0,
      };
      return {
        ok: true,
        writes: [{ kind: 'unit', expectedVersion: prev ? prev.version : null, entity: unit }],
        event: { type: 'unit.registered', at: input.at, unit },
      };
    }
    case 'unit.status': {
      const prev = current.unit;
      if (!prev) return refuse('unknown_unit', `unitId: no unit ${input.unitId} has registered`);
      if (tooLate) return tooLate;
      if (prev.status === input.status) return { ok: true, writes: [], event: null };
      const unit: Unit = { ...prev, status: input.status, version: prev.version + 1 };
      return {
        ok: true,
        writes: [{ kind: 'unit', expectedVersion: prev.version, entity: unit }],
        event: { type: 'unit.status_changed', at: input.at, from: prev.status, to: input.status, unit },
      };
    }
    case 'task.update': {
      const prev = current.task;
      if (!prev) return refuse('unknown_task', `taskId: no task ${input.taskId}`);
      if (tooLate) return tooLate;
      if (prev.unitId !== input.unitId) return refuse('unit_mismatch', `unitId: task ${prev.id} belongs to unit ${prev.unitId}, not ${input.unitId}`);
      if (prev.status === input.status) return { ok: true, writes: [], event: null };
      if (FINISHED_TASK.has(prev.status)) return refuse('illegal_transition', `status: task ${prev.id} is already ${prev.status}`);
      const actor = { role: 'field', id: input.unitId } as const;
      const task: Task = {
        ...prev,
        status: input.status,
        updatedAt: input.at,
        actor,
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        version: prev.version + 1,
      };
      return {
        ok: true,
        writes: [{ kind: 'task', expectedVersion: prev.version, entity: task }],
        event: { type: 'task.updated', at: input.at, from: prev.status, to: input.status, actor, task },
      };
    }
    case 'clock.set':
      if (tooLate) return tooLate;
      return { ok: true, writes: [], clock: input.clock, event: { type: 'clock.changed', at: input.at, clock: input.clock } };
  }
}

/** A refusal when `at` is too far ahead of world time (a `clock.set` is checked against the clock it sets). */
function farFuture(input: InputMessage, ctx: ApplyContext): Refusal | undefined {
  const reference = input.kind === 'clock.set' ? clockWorldNow(input.clock, ctx.realNow) : ctx.worldNow;
  if (input.at <= reference + MAX_FUTURE_SKEW_MS) return undefined;
  return refuse('far_future', `at: ${input.at} is ${Math.round((input.at - reference) / 1000)} s ahead of the world clock (${MAX_FUTURE_SKEW_MS / 1000} s allowed)`);
}

/** Which entities an input needs read before `applyInput`. */
export function entitiesNeeded(input: InputMessage): { caseId?: string; unitId?: string; taskId?: string } {
  switch (input.kind) {
    case 'case.report':
    case 'case.transition':
      return { caseId: input.caseId };
    case 'unit.register':
    case 'unit.status':
      return { unitId: input.unitId };
    case 'task.update':
      return { taskId: input.taskId };
    case 'clock.set':
      return {};
  }
}
