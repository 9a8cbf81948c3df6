import { readFileSync } from 'node:fs';
import type { Clock, Mode, NewLogEvent, RedisKeys } from '@egret/protocol';
import type { EntityWrite } from '../domain/change-set.ts';
import type { Redis } from './connect.ts';
import { LuaScript } from './script.ts';

const script = new LuaScript(readFileSync(new URL('./commit.lua', import.meta.url), 'utf8'));

/**
 * How long applied input ids and command idempotency keys are remembered: far longer than an entry can stay
 * pending before it is claimed, and than anyone retries a command.
 */
export const APPLIED_RETENTION_MS = 24 * 3_600_000;

export type CommitResult =
  /** Written: the events got the log seqs firstSeq … lastSeq. */
  | { status: 'committed'; seq: number; firstSeq: number }
  /** The entry had been applied before (a re-claimed entry): it was only acknowledged. */
  | { status: 'already_applied' }
  /** The idempotency key had been used: nothing written; `result` is what the first command returned. */
  | { status: 'replayed'; result: string }
  /** An entity changed since it was read: read again and decide again. */
  | { status: 'conflict'; kind: string; id: string };

/** A decided change: entity writes (compare-and-set on versions) and the log events, in order. */
export interface Change {
  writes: readonly EntityWrite[];
  events: readonly NewLogEvent[];
  /** The world clock to store (`clock.set`). */
  clock?: Clock;
  /** The mode to store, and the mode Redis must still hold (`mode:set`). */
  mode?: { expected: Mode; next: Mode };
}

export interface CommitInput {
  keys: RedisKeys;
  change: Change;
  logMaxLen: number;
  /** Real time: the score of what is remembered as applied. */
  now: number;
  /** The input entry this change comes from: marked applied and acknowledged in the same step. */
  entry?: { stream: string; id: string };
  /**
   * The command's idempotency field and the result to keep under it (a JSON object; `seq` is added): a later
   * commit with the same field writes nothing and answers `replayed`.
   */
  idempotency?: { field: string; result: string };
}

/** Runs the commit script (commit.lua): check versions, write, log, remember and acknowledge, in one atomic step. */
export async function commit(redis: Redis, c: CommitInput): Promise<CommitResult> {
  const { keys, change } = c;
  const args = [
    c.entry?.id ?? '',
    keys.ingestGroup,
    c.idempotency?.field ?? '',
    c.idempotency?.result ?? '',
    String(c.logMaxLen),
    String(c.now),
    String(APPLIED_RETENTION_MS),
    change.clock ? JSON.stringify(change.clock) : '',
    change.mode?.expected ?? '',
    change.mode?.next ?? '',
    String(change.events.length),
    String(change.writes.length),
  ];
  for (const e of change.events) args.push(JSON.stringify(e));
  for (const w of change.writes) args.push(w.kind, w.entity.id, String(w.expectedVersion ?? -1), JSON.stringify(w.entity));
  const reply = (await script.run(
    redis,
    [keys.applied, keys.logSeq, keys.log, c.entry?.stream ?? keys.inEvents, keys.cases, keys.units, keys.tasks, keys.clock, keys.idempotency, keys.mode,
      keys.storms, keys.sensors],
    args,
  )) as [string, ...Array<string | number>];
  switch (reply[0]) {
    case 'ok':
      return { status: 'committed', firstSeq: Number(reply[1]), seq: Number(reply[2]) };
    case 'applied':
      return { status: 'already_applied' };
    case 'replayed':
      return { status: 'replayed', result: String(reply[1]) };
    case 'conflict':
      return { status: 'conflict', kind: String(reply[1]), id: String(reply[2]) };
    default:
      throw new Error(`commit script answered ${JSON.stringify(reply)}`);
  }
}
