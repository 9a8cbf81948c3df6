import { createHash } from 'node:crypto';
import type { CategoryDictionary, DistrictShape, GridSpec } from '@egret/config';
import {
  FIELD_COMMANDS,
  refuse,
  type FieldAnswer,
  type FieldCommandName,
  type PhotoRef,
  type Result,
} from '@egret/protocol';
import type { Principal } from '../auth/permissions.ts';
import { principalActor } from '../commands/actor.ts';
import type { Commands } from '../commands/execute.ts';
import { describeIssues } from '../domain/parse-input.ts';
import { decideCaseReport, decideCaseVerify, decideTaskProgress, fieldCommandNeeds } from './decide.ts';

export interface FieldCommandsDeps {
  /** The hub's command path: idempotency, read–decide–commit, counting and the audit of refusals. */
  commands: Commands;
  /** Whether the photo store holds a photo (server/src/photos): a command naming one it lacks is `unknown_photo`. */
  photos: { has(id: string): Promise<boolean> };
  categories: CategoryDictionary;
  shapes: readonly DistrictShape[];
  grids: GridSpec;
}

/** Runs one field command from a device or an inspector (already authenticated): a receipt or a tagged refusal. */
export type FieldCommands = (name: string, payload: unknown, p: Principal) => Promise<Result<unknown>>;

/** The case id of an inspector's report: stable for one inspector and idempotency key (a replay names the same case). */
export function reportedCaseId(inspector: string, idempotencyKey: string): string {
  return `I-${createHash('sha256').update(`${inspector}\n${idempotencyKey}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

/** Which kind of caller each field command is for. */
const FOR: Record<FieldCommandName, 'device' | 'inspector'> = {
  'task:progress': 'device',
  'case:report': 'inspector',
  'case:verify': 'inspector',
};

/**
 * The field terminal's commands over the hub's one command path: schema, who may (a device progresses its unit's
 * tasks; an inspector reports and verifies), the photos exist, then `commands.runDecided` with the pure deciders of
 * ./decide.ts. Idempotency keys are kept per caller (`<who>|<key>`): one phone's key never answers another's request.
 * Every refusal is counted and audited like a console command's.
 */
export function createFieldCommands(deps: FieldCommandsDeps): FieldCommands {
  const { commands } = deps;
  return async (name, payload, p) => {
    const actor = principalActor(p);
    const no = (code: string, message: string) => commands.refuse(name, payload, actor, code, message);
    if (!Object.hasOwn(FIELD_COMMANDS, name))
      return no(
        'unknown_command',
        `no field command ${JSON.stringify(name)}: they are ${Object.keys(FIELD_COMMANDS).join(', ')}`,
      );
    const n = name as FieldCommandName;
    const parsed = FIELD_COMMANDS[n].safeParse(payload);
    if (!parsed.success) return no('bad_request', `${n}: ${describeIssues(parsed.error.issues)}`);
    const isDevice = p.kind === 'device' && p.role === 'field' && p.unitId !== undefined;
    const isInspector = p.kind === 'user' && p.role === 'inspector';
    if (FOR[n] === 'device' ? !isDevice : !isInspector)
      return no(
        'forbidden',
        `${n} is for ${FOR[n] === 'device' ? 'a paired field device' : 'an inspector'}; this caller is ${p.kind} ${p.role}`,
      );
    const cmd = parsed.data;
    const photos: PhotoRef[] = 'photos' in cmd ? (cmd.photos ?? []) : [];
    for (const [i, ph] of photos.entries()) {
      try {
        if (!(await deps.photos.has(ph.id)))
          return no('unknown_photo', `photos[${i}].id: no photo ${ph.id} was uploaded (POST /api/photos first)`);
      } catch {
        return refuse('unavailable', 'the hub cannot reach its photo store right now; nothing was written, try again');
      }
    }
    const scoped = { ...cmd, idempotencyKey: `${actor.role}:${actor.id}|${cmd.idempotencyKey}` };
    const needs =
      n === 'case:report'
        ? { caseIds: [reportedCaseId(actor.id, cmd.idempotencyKey)] }
        : fieldCommandNeeds(cmd as { taskId: string } | { caseId: string });
    return commands.runDecided(n, scoped, payload, actor, {
      needs,
      decide: (s, at) => {
        switch (n) {
          case 'task:progress':
            return decideTaskProgress(parsed.data as never, s, { actor, unitId: p.unitId!, at });
          case 'case:report':
            return decideCaseReport(parsed.data as never, s, {
              actor,
              at,
              caseId: reportedCaseId(actor.id, cmd.idempotencyKey),
              categories: deps.categories,
              shapes: deps.shapes,
              grids: deps.grids,
            });
          case 'case:verify':
            return decideCaseVerify(parsed.data as never, s, { actor, at, grids: p.grids ?? [] });
        }
      },
    });
  };
}

/** A command's Result as the field terminal gets it (`FieldAnswer`). */
export function fieldAnswer(r: Result<unknown>): FieldAnswer {
  return r.ok ? { ok: true, result: r.data } : { ok: false, refusal: { code: r.error, message: r.message } };
}
