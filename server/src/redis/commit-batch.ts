import { readFileSync } from 'node:fs';
import type { Clock, NewLogEvent, RedisKeys } from '@egret/protocol';
import type { EntityWrite, Fence } from '../domain/change.ts';
import { APPLIED_RETENTION_MS } from './commit.ts';
import type { Redis } from './connect.ts';
import { LuaScript } from './script.ts';

const script = new LuaScript(readFileSync(new URL('./commit-batch.lua', import.meta.url), 'utf8'));

/** One refused entry's dead letter: its reason and the six fields `deadLetterCommands(…).xadd` keeps. */
export interface BatchDeadLetter {
  reason: string;
  fields: Readonly<Record<'source' | 'entryId' | 'reason' | 'detail' | 'data' | 'at', string>>;
}

/** A decided batch of input entries (ingest/decide-batch.ts) and where it goes. */
export interface BatchCommitInput {
  keys: RedisKeys;
  stream: string;
  logMaxLen: number;
  deadletterMaxLen: number;
  /** Real time: the score of what is remembered as applied. */
  now: number;
  fence?: Fence;
  writes: readonly EntityWrite[];
  events: readonly NewLogEvent[];
  clock?: Clock;
  /** Entries whose change is written: remembered as applied and acknowledged. */
  applied: readonly string[];
  /** Entries only acknowledged: changed nothing, refused, or applied before. */
  acknowledged: readonly string[];
  deadLetters: readonly BatchDeadLetter[];
}

export type BatchCommitResult =
  | { status: 'committed'; firstSeq: number; seq: number }
  | { status: 'conflict'; kind: string; id: string }
  | { status: 'fenced' };

const DEAD_LETTER_FIELDS = ['source', 'entryId', 'reason', 'detail', 'data', 'at'] as const;

/**
 * Runs commit-batch.lua: a whole batch's version checks, writes, log events, dead letters, applied marks and
 * acknowledgements in one atomic step, behind the applier's fence.
 */
export async function commitBatch(redis: Redis, c: BatchCommitInput): Promise<BatchCommitResult> {
  const { keys } = c;
  const args = [
    keys.ingestGroup,
    String(c.logMaxLen),
    String(c.now),
    String(APPLIED_RETENTION_MS),
    c.clock ? JSON.stringify(c.clock) : '',
    c.fence?.token ?? '',
    String(c.events.length),
    String(c.writes.length),
    String(c.applied.length),
    String(c.acknowledged.length),
    String(c.deadLetters.length),
    String(c.deadletterMaxLen),
  ];
  for (const e of c.events) args.push(JSON.stringify(e));
  for (const w of c.writes) args.push(w.kind, w.entity.id, String(w.expectedVersion ?? -1), JSON.stringify(w.entity));
  args.push(...c.applied, ...c.acknowledged);
  for (const d of c.deadLetters) {
    args.push(d.reason);
    for (const f of DEAD_LETTER_FIELDS) args.push(f, d.fields[f]);
  }
  const reply = (await script.run(
    redis,
    [
      keys.applied,
      keys.logSeq,
      keys.log,
      c.stream,
      keys.cases,
      keys.units,
      keys.tasks,
      keys.clock,
      keys.storms,
      keys.sensors,
      c.fence?.key ?? keys.applied,
      keys.slots,
      keys.cameras,
      keys.plans,
      keys.inspections,
      keys.prepositions,
      keys.deadletter,
      keys.deadletterCounts,
      keys.idempotency,
    ],
    args,
  )) as [string, ...Array<string | number>];
  switch (reply[0]) {
    case 'ok':
      return { status: 'committed', firstSeq: Number(reply[1]), seq: Number(reply[2]) };
    case 'conflict':
      return { status: 'conflict', kind: String(reply[1]), id: String(reply[2]) };
    case 'fenced':
      return { status: 'fenced' };
    default:
      throw new Error(`batch commit script answered ${JSON.stringify(reply)}`);
  }
}
