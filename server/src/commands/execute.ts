import { createHash } from 'node:crypto';
import client from 'prom-client';
import type pino from 'pino';
import type { CategoryDictionary } from '@egret/config';
import {
  COMMANDS,
  FIELD_COMMANDS,
  refuse,
  type Actor,
  type CommandName,
  type CommandOf,
  type Refusal,
  type Result,
} from '@egret/protocol';
import { describeIssues } from '../domain/parse-input.ts';
import type { Change } from '../domain/change.ts';
import type { EntityIds, EntityStore, LoadedEntities } from '../domain/store.ts';
import type { RefusedCommand } from './audit.ts';
import { commandNeeds, decideCommand, type DecideContext } from './decide.ts';

/** Attempts when the entities keep changing under a command (each re-reads and decides again). */
const MAX_ATTEMPTS = 20;

export interface CommandsDeps {
  /** Where entities are read and changes committed (the hub's: redis/store.ts). */
  store: EntityStore;
  /** Appends a refused command to the audit trail (the hub's: `auditRefusal` to the audit stream). */
  audit: (refused: RefusedCommand) => Promise<void>;
  /** Whether the store is reachable now: a command that failed while it was not is answered `unavailable`. */
  available: () => boolean;
  categories: CategoryDictionary;
  /** The configured cameras and the walls' window limit (`wall:video`). */
  video?: DecideContext['video'];
  /** The command manual and the mirror's plans' state (plan:* commands) and deadline tightening (issue #17). */
  plans?: DecideContext['plans'];
  tightenDeadline?: DecideContext['tightenDeadline'];
  /** World time now (the world clock at this real instant). */
  worldNow: () => number;
  realNow: () => number;
  registry: client.Registry;
  logger: pino.Logger;
}

export interface Commands {
  /**
   * Runs one command from anyone — a screen, an HTTP caller — and answers its receipt or a tagged refusal. Never
   * throws: a Redis failure is answered `unavailable` (nothing was written, or the write is found again on retry).
   */
  execute(name: string, payload: unknown, actor: Actor): Promise<Result<unknown>>;
  /** Refuses a request that never got as far as a command (a body that is not JSON): counted and audited. */
  refuse(name: string, payload: unknown, actor: Actor, error: string, message: string): Promise<Refusal>;
  /**
   * Runs a command whose schema, permission and decision are the caller's (the field terminal's commands,
   * server/src/field): the same idempotency, read–decide–commit retries, counting and refusal audit as every command.
   * Never throws, like `execute`.
   */
  runDecided(
    name: string,
    cmd: { idempotencyKey: string },
    payload: unknown,
    actor: Actor,
    how: CustomDecision,
  ): Promise<Result<unknown>>;
}

/** A decision the caller brings: what to read, and what to do with it at world time `at` (pure). */
export interface CustomDecision {
  needs: EntityIds;
  decide(s: LoadedEntities, at: number): Result<{ change: Change; receipt: object }>;
}

/** What the commit keeps under an idempotency key: the request's fingerprint and the receipt (plus `seq`). */
interface Kept {
  seq: number;
  fp: string;
  data: Record<string, unknown>;
}

/**
 * The command path: schema → idempotency key → read from the store (Redis) → decide (pure) → one atomic commit that checks
 * every entity's version and keeps the receipt under the idempotency key. A conflict (someone changed an entity
 * in between) reads and decides again, so two commanders sending the same unit get one task and one `unit_busy`.
 * Refusals change nothing and are appended to the audit stream.
 */
export function createCommands(deps: CommandsDeps): Commands {
  const { store, logger } = deps;
  const counter =
    (deps.registry.getSingleMetric('egret_commands_total') as client.Counter<'command' | 'result'> | undefined) ??
    new client.Counter({
      name: 'egret_commands_total',
      help: 'Commands handled, by command and result: ok, replayed (same idempotency key) or the refusal',
      labelNames: ['command', 'result'] as const,
      registers: [deps.registry],
    });

  async function refused(
    name: string,
    payload: unknown,
    actor: Actor,
    error: string,
    message: string,
  ): Promise<Refusal> {
    counter.inc({ command: name in COMMANDS || name in FIELD_COMMANDS ? name : 'unknown', result: error });
    try {
      await deps.audit({
        command: name,
        actor,
        error,
        message,
        payload,
        realAt: deps.realNow(),
        worldAt: deps.worldNow(),
      });
    } catch (err) {
      logger.warn(
        { err: (err as Error).message, command: name, error },
        'could not append a refused command to the audit stream',
      );
    }
    return refuse(error, message);
  }

  async function replay(
    name: string,
    payload: unknown,
    actor: Actor,
    text: string,
    fp: string,
  ): Promise<Result<unknown>> {
    const kept = JSON.parse(text) as Kept;
    if (kept.fp !== fp) {
      return refused(
        name,
        payload,
        actor,
        'idempotency_key_reused',
        `this idempotencyKey was already used for a different ${name} request (answered at log seq ${kept.seq}): use a new key per action`,
      );
    }
    counter.inc({ command: name, result: 'replayed' });
    return { ok: true, data: { ...kept.data, seq: kept.seq } };
  }

  async function run<N extends CommandName>(
    name: N,
    cmd: CommandOf<N>,
    payload: unknown,
    actor: Actor,
    custom?: CustomDecision,
  ): Promise<Result<unknown>> {
    const field = `${name}:${cmd.idempotencyKey}`;
    const fp = fingerprint(cmd);
    const kept = await store.kept(field);
    if (kept) return replay(name, payload, actor, kept, fp);

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [loaded, mode] = await Promise.all([
        store.load(custom?.needs ?? commandNeeds(name, cmd)),
        name === 'mode:set' || name === 'plan:activate' ? store.mode() : ('peacetime' as const),
      ]);
      const decision = custom
        ? custom.decide(loaded, deps.worldNow())
        : decideCommand(name, cmd, loaded, {
            actor,
            at: deps.worldNow(),
            categories: deps.categories,
            mode,
            ...(deps.video ? { video: deps.video } : {}),
            ...(deps.plans ? { plans: deps.plans } : {}),
            ...(deps.tightenDeadline ? { tightenDeadline: deps.tightenDeadline } : {}),
          });
      if (!decision.ok) {
        // The same request may have been committed by a twin (a double click) since our first look: answer as it did.
        const twin = await store.kept(field);
        if (twin) return replay(name, payload, actor, twin, fp);
        return refused(name, payload, actor, decision.error, decision.message);
      }
      const { change, receipt } = decision.data;
      const outcome = await store.commit({
        change,
        now: deps.realNow(),
        idempotency: { field, result: JSON.stringify({ fp, data: receipt }) },
      });
      if (outcome.status === 'committed') {
        counter.inc({ command: name, result: 'ok' });
        return { ok: true, data: { ...receipt, seq: outcome.seq } };
      }
      if (outcome.status === 'replayed') return replay(name, payload, actor, outcome.result, fp);
      if (outcome.status === 'already_applied')
        throw new Error('the commit script treated a command as an input entry');
      if (outcome.status === 'fenced') throw new Error('a command was fenced, but commands take no lease');
    }
    logger.warn({ command: name }, 'command kept conflicting with concurrent changes; gave up');
    return refused(
      name,
      payload,
      actor,
      'busy',
      `${name}: the entities kept changing during ${MAX_ATTEMPTS} attempts; nothing was written, try again`,
    );
  }

  return {
    refuse: refused,
    async runDecided(name, cmd, payload, actor, how) {
      try {
        // The field's names are not console commands: `run` only uses the name for keys, labels and messages.
        return await run(name as CommandName, cmd as CommandOf<CommandName>, payload, actor, how);
      } catch (err) {
        logger.error({ err, command: name }, 'command failed');
        if (!deps.available())
          return refuse('unavailable', 'the hub cannot reach Redis right now; nothing was written, try again');
        return refuse('internal', `${name} failed in the hub: ${(err as Error).message}`);
      }
    },
    async execute(name, payload, actor) {
      if (!Object.hasOwn(COMMANDS, name)) {
        return refused(
          name,
          payload,
          actor,
          'unknown_command',
          `no command ${JSON.stringify(name)}: the commands are ${Object.keys(COMMANDS).join(', ')}`,
        );
      }
      const commandName = name as CommandName;
      const parsed = COMMANDS[commandName].safeParse(payload);
      if (!parsed.success)
        return refused(name, payload, actor, 'bad_request', `${name}: ${describeIssues(parsed.error.issues)}`);
      try {
        return await run(commandName, parsed.data as CommandOf<typeof commandName>, payload, actor);
      } catch (err) {
        logger.error({ err, command: name }, 'command failed');
        if (!deps.available())
          return refuse('unavailable', 'the hub cannot reach Redis right now; nothing was written, try again');
        return refuse('internal', `${name} failed in the hub: ${(err as Error).message}`);
      }
    },
  };
}

/** A stable digest of a request without its idempotency key: the same request twice has the same fingerprint. */
export function fingerprint(cmd: object): string {
  const { idempotencyKey: _key, ...rest } = cmd as { idempotencyKey?: string };
  return createHash('sha1').update(canonical(rest)).digest('hex').slice(0, 16);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
}
