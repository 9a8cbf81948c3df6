import { readFileSync } from 'node:fs';
import type { RedisKeys } from '@egret/protocol';
import type { CommitResult, Fence } from '../domain/change.ts';
import type { CommitRequest } from '../domain/store.ts';
import type { Redis } from './connect.ts';
import { LuaScript } from './script.ts';

const script = new LuaScript(readFileSync(new URL('./commit.lua', import.meta.url), 'utf8'));

/**
 * How long applied input ids and command idempotency keys are remembered: far longer than an entry can stay
 * pending before it is claimed, and than anyone retries a command.
 */
export const APPLIED_RETENTION_MS = 24 * 3_600_000;

/** A commit (domain/store.ts `CommitRequest`) with where it goes: the namespace's keys and the log's MAXLEN. */
export interface CommitInput extends CommitRequest {
  keys: RedisKeys;
  logMaxLen: number;
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
    c.fence?.token ?? '',
  ];
  for (const e of change.events) args.push(JSON.stringify(e));
  for (const w of change.writes)
    args.push(w.kind, w.entity.id, String(w.expectedVersion ?? -1), JSON.stringify(w.entity));
  const reply = (await script.run(
    redis,
    [
      keys.applied,
      keys.logSeq,
      keys.log,
      c.entry?.stream ?? keys.inEvents,
      keys.cases,
      keys.units,
      keys.tasks,
      keys.clock,
      keys.idempotency,
      keys.mode,
      keys.storms,
      keys.sensors,
      c.fence?.key ?? keys.applied,
      keys.slots,
      keys.cameras,
      keys.plans,
      keys.inspections,
      keys.prepositions,
    ],
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
    case 'fenced':
      return { status: 'fenced' };
    default:
      throw new Error(`commit script answered ${JSON.stringify(reply)}`);
  }
}

/**
 * Acknowledges input entries without applying anything (refused, repeated, already applied, or deleted before
 * they were read) and keeps at most one dead letter with them, in one atomic step behind the same fence as the
 * commit. KEYS: 1 input stream, 2 fence key, 3 dead-letter stream, 4 dead-letter counts.
 * ARGV: 1 group, 2 fence token ('' none), 3 dead-letter MAXLEN ('' = no dead letter), 4 reason, 5 number of ids N,
 * then N entry ids, then the dead letter's field/value pairs. Returns 'ok' or 'fenced'.
 */
const SETTLE = new LuaScript(`
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[2] then return 'fenced' end
local n = tonumber(ARGV[5])
if ARGV[3] ~= '' then
  local fields = {}
  for i = 6 + n, #ARGV do fields[#fields + 1] = ARGV[i] end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(fields))
  redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
end
if n > 0 then redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 6, 5 + n)) end
return 'ok'
`);

export interface SettleInput {
  keys: RedisKeys;
  stream: string;
  entryIds: readonly string[];
  fence?: Fence;
  /** The dead letter to keep with the acknowledgement: the fields of `deadLetterCommands(…).xadd` and its MAXLEN. */
  deadLetter?: { reason: string; fields: Readonly<Record<string, string>>; maxLen: number };
}

/** Acknowledges entries (and keeps a dead letter), fenced like {@link commit}: 'ok' or 'fenced'. */
export async function settle(redis: Redis, s: SettleInput): Promise<'ok' | 'fenced'> {
  const dl = s.deadLetter;
  const args = [
    s.keys.ingestGroup,
    s.fence?.token ?? '',
    dl ? String(dl.maxLen) : '',
    dl?.reason ?? '',
    String(s.entryIds.length),
    ...s.entryIds,
  ];
  if (dl) for (const [f, v] of Object.entries(dl.fields)) args.push(f, v);
  const reply = await SETTLE.run(
    redis,
    [s.stream, s.fence?.key ?? s.stream, s.keys.deadletter, s.keys.deadletterCounts],
    args,
  );
  return reply === 'fenced' ? 'fenced' : 'ok';
}
