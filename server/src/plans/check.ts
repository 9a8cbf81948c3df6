import type { CategoryDictionary } from '@egret/config';
import {
  type Case,
  type InspectionCheck,
  type InspectionPoint,
  type NewLogEvent,
  type PlanDef,
  type Unit,
} from '@egret/protocol';
import type { EntityWrite } from '../domain/change.ts';
import { toInspection, type StoredInspection } from '../domain/plan-entities.ts';
import { refuse, type Refusal } from '../domain/rejection.ts';

/** What `inspection.check` needs beside the entities: the manual (the round's problem) and the point's name. */
export interface CheckContext {
  plans: ReadonlyMap<string, PlanDef>;
  points: ReadonlyMap<string, InspectionPoint>;
  categories: CategoryDictionary;
}

/**
 * A unit checked a point of a round (issue #17), decided. The unit must be of the inspection's squad
 * (`unit_mismatch`), the inspection open (a second check is a `duplicate`), a `problem` names the case it becomes
 * (`caseId`, new). A problem reports the case — source patrol, the round's category and urgency, deadline
 * `at + deadlineHours`, at the point's position, district and grid — in the same commit as `inspection.checked`
 * (the commit takes any number of events: case.reported first, then the check that names it). Pure.
 */
export function checkInspection(
  input: InspectionCheck,
  current: { inspection?: StoredInspection; unit?: Unit; case?: Case },
  ctx: CheckContext,
  tooLate: Refusal | undefined,
): { ok: true; writes: EntityWrite[]; events: NewLogEvent[] } | Refusal {
  const prev = current.inspection;
  if (!prev) return refuse('unknown_inspection', `inspectionId: no inspection ${input.inspectionId} was issued`);
  const unit = current.unit;
  if (!unit) return refuse('unknown_unit', `unitId: no unit ${input.unitId} has registered`);
  if (unit.squadId !== prev.squadId)
    return refuse(
      'unit_mismatch',
      `unitId: unit ${unit.id} is of squad ${unit.squadId}; inspection ${prev.id} is squad ${prev.squadId}'s`,
    );
  if (input.result === 'problem' && input.caseId === undefined)
    return refuse('schema', 'caseId: required when result is problem (the case the problem becomes)');
  if (tooLate) return tooLate;
  if (prev.status !== 'open')
    return refuse('duplicate', `inspectionId: inspection ${prev.id} was already checked (${prev.status})`);
  const actor = { role: 'field' as const, id: unit.id };
  const note = input.note?.trim() || undefined;
  const next: StoredInspection = {
    ...prev,
    status: input.result,
    checkedAt: input.at,
    unitId: unit.id,
    ...(note !== undefined ? { note } : {}),
    ...(input.result === 'problem' ? { caseId: input.caseId } : {}),
    version: prev.version + 1,
  };
  const writes: EntityWrite[] = [{ kind: 'inspection', expectedVersion: prev.version, entity: next }];
  const events: NewLogEvent[] = [];
  if (input.result === 'problem') {
    if (current.case) return refuse('duplicate', `caseId: case ${input.caseId} was already reported`);
    const action = ctx.plans
      .get(prev.planId)
      ?.levels.flatMap((l) => l.actions)
      .find((a) => a.id === prev.actionId);
    if (action?.kind !== 'round')
      return refuse('unknown_inspection', `inspectionId: plan ${prev.planId} has no round ${prev.actionId} any more`);
    const code = action.problem.categoryCode;
    const category = ctx.categories.ref('GB/T 47678.5-2026', code) ?? ctx.categories.ref('local', code);
    if (!category) return refuse('unknown_category', `the round's category ${code} is not in the dictionary`);
    const point = ctx.points.get(prev.pointId);
    const c: Case = {
      id: input.caseId!,
      category,
      source: 'patrol',
      urgency: action.problem.urgency,
      position: prev.position,
      address: (point?.name ?? prev.pointId).slice(0, 200),
      district: prev.district,
      ...(prev.grid !== undefined ? { grid: prev.grid } : {}),
      description: `${prev.id}${note !== undefined ? `: ${note}` : ''}`.slice(0, 2000),
      status: 'reported',
      reportedAt: input.at,
      deadline: input.at + action.problem.deadlineHours * 3_600_000,
      supervised: false,
      history: [{ to: 'reported', at: input.at, actor }],
      version: 0,
    };
    writes.push({ kind: 'case', expectedVersion: null, entity: c });
    events.push({ type: 'case.reported', at: input.at, case: c });
  }
  events.push({ type: 'inspection.checked', at: input.at, inspection: toInspection(next), actor });
  return { ok: true, writes, events };
}
