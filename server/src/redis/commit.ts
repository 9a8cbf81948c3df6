import { readFileSync } from 'node:fs';
import type { NewLogEvent, RedisKeys } from '@egret/protocol';
import type { Applied } from '../domain/apply-input.ts';
import type { Redis } from './connect.ts';
import { LuaScript } from './script.ts';

const script = new LuaScript(readFileSync(new URL('./commit.lua', import.meta.url), 'utf8'));

/** How long applied input ids are remembered: far longer than an entry can stay pending before it is claimed. */
export const APPLIED_RETENTION_MS = 24 * 3_600_000;

export type CommitResult =
  | { status: 'committed'; seq: number }
  /** The entry had been applied before (a re-claimed entry): it was only acknowledged. */
  | { status: 'already_applied' }
  /** An entity changed since it was read: read again and decide again. */
  | { status: 'conflict'; kind: string; id: string };

export interface CommitInput {
  keys: RedisKeys;
  /** The input stream the entry came from, and its id. */
  stream: string;
  entryId: string;
  change: Applied & { event: NewLogEvent };
  logMaxLen: number;
  now: number;
}

/** Runs the commit script (commit.lua): apply, log, mark applied and acknowledge, all in one atomic step. */
export async function commit(redis: Redis, c: CommitInput): Promise<CommitResult> {
  const { keys, change } = c;
  const eventJson = JSON.stringify(change.event);
  const args = [
    c.entryId, keys.ingestGroup, eventJson, String(c.logMaxLen), String(c.now), String(APPLIED_RETENTION_MS),
    change.clock ? JSON.stringify(change.clock) : '', String(change.writes.length),
  ];
  for (const w of change.writes) args.push(w.kind, w.entity.id, String(w.expectedVersion ?? -1), JSON.stringify(w.entity));
  const reply = (await script.run(
    redis,
    [keys.applied, keys.logSeq, keys.log, c.stream, keys.cases, keys.units, keys.tasks, keys.clock],
    args,
  )) as [string, ...Array<string | number>];
  switch (reply[0]) {
    case 'ok':
      return { status: 'committed', seq: Number(reply[1]) };
    case 'applied':
      return { status: 'already_applied' };
    case 'conflict':
      return { status: 'conflict', kind: String(reply[1]), id: String(reply[2]) };
    default:
      throw new Error(`commit script answered ${JSON.stringify(reply)}`);
  }
}
