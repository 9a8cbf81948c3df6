import { randomUUID } from 'node:crypto';
import { io as connectClient, type Socket } from 'socket.io-client';
import type {
  Case,
  ClientToServerEvents,
  CommandName,
  CommandOf,
  InputMessage,
  LogEvent,
  ReceiptOf,
  RedisKeys,
  Result,
  ServerToClientEvents,
  Task,
  Unit,
  UnitType,
} from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { asData, caseReport, now, waitFor, xaddInput, type TestHub } from './hub-fixture.ts';

/** Fixtures for the closed loop: a commander's console, the field's inputs, and reads of what Redis holds. */

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A commander's console: a real Socket.IO client that names its user in the handshake. */
export class Console {
  readonly socket: ConsoleSocket;

  constructor(url: string, user?: string) {
    this.socket = connectClient(url, {
      transports: ['websocket'],
      auth: user ? { user } : {},
      reconnection: false,
      forceNew: true,
    });
  }

  /** Sends a command and waits for its acknowledgement; a fresh idempotency key unless the payload has one. */
  send<N extends CommandName>(
    name: N,
    payload: Omit<CommandOf<N>, 'idempotencyKey'> & { idempotencyKey?: string },
  ): Promise<Result<ReceiptOf<N>>> {
    const body = { idempotencyKey: randomUUID(), ...payload };
    const emit = this.socket.emitWithAck.bind(this.socket) as unknown as (
      event: string,
      arg: unknown,
    ) => Promise<Result<ReceiptOf<N>>>;
    return emit(name, body);
  }

  close(): void {
    this.socket.close();
  }
}

/** The same command over HTTP: `POST /api/commands/<name>`; answers the status and the Result. */
export async function postCommand(
  url: string,
  name: string,
  body: unknown,
  user?: string,
): Promise<{ status: number; result: Result<Record<string, unknown>> }> {
  const res = await fetch(`${url}/api/commands/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(user ? { 'x-egret-user': user } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, result: (await res.json()) as Result<Record<string, unknown>> };
}

export function input(redis: Redis, keys: RedisKeys, m: InputMessage): Promise<string> {
  return xaddInput(redis, keys, asData(m));
}

/** Registers a unit through the input stream. */
export function registerUnit(
  redis: Redis,
  keys: RedisKeys,
  unitId: string,
  over: { squadId?: string; district?: string; type?: UnitType; status?: Unit['status'] } = {},
): Promise<string> {
  return input(redis, keys, {
    kind: 'unit.register',
    unitId,
    name: unitId,
    type: over.type ?? 'enforcement',
    squadId: over.squadId ?? `SQ-${unitId}`,
    district: over.district ?? '350203',
    status: over.status ?? 'available',
    at: now(),
  });
}

/** Reports a case and has the case system accept and file it (three entries on the input stream). */
export async function fileCase(
  redis: Redis,
  keys: RedisKeys,
  caseId: string,
  over: Partial<Extract<InputMessage, { kind: 'case.report' }>> = {},
  at = now(),
): Promise<void> {
  const actor = { role: 'dispatcher', id: 'clerk-1' } as const;
  await input(redis, keys, caseReport(caseId, { at, ...over }));
  await input(redis, keys, { kind: 'case.transition', caseId, to: 'accepted', actor, at });
  await input(redis, keys, { kind: 'case.transition', caseId, to: 'filed', actor, at });
}

/** A field app's progress report on a task. */
export function taskUpdate(
  redis: Redis,
  keys: RedisKeys,
  taskId: string,
  unitId: string,
  status: Task['status'],
  reason?: string,
): Promise<string> {
  return input(redis, keys, { kind: 'task.update', taskId, unitId, status, at: now(), ...(reason ? { reason } : {}) });
}

export async function readLogEvents(redis: Redis, keys: RedisKeys): Promise<LogEvent[]> {
  return ((await redis.xRange(keys.log, '-', '+')) ?? []).map((e) => JSON.parse(e.message.e!) as LogEvent);
}

export async function logLength(redis: Redis, keys: RedisKeys): Promise<number> {
  return Number((await redis.get(keys.logSeq)) ?? 0);
}

export async function stored<T extends Case | Unit | Task>(
  redis: Redis,
  key: string,
  id: string,
): Promise<T | undefined> {
  const text = await redis.hGet(key, id);
  return text ? (JSON.parse(text) as T) : undefined;
}

/** Waits until the hub's mirror holds case `id` in `status`. */
export function caseReaches(hub: TestHub, id: string, status: Case['status'], timeoutMs = 10_000): Promise<void> {
  return waitFor(
    `case ${id} to be ${status} (it is ${hub.app.world().cases.get(id)?.status})`,
    () => hub.app.world().cases.get(id)?.status === status,
    timeoutMs,
  );
}

/** Waits until the mirror has caught up with the log head in Redis. */
export async function mirrorCaughtUp(hub: TestHub, redis: Redis, keys: RedisKeys): Promise<void> {
  const head = await logLength(redis, keys);
  await waitFor(`the mirror to reach seq ${head}`, () => hub.app.world().seq >= head);
}

/** Waits until the input stream has no pending and no unread entries (everything sent was handled). */
export async function inputsHandled(redis: Redis, keys: RedisKeys, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    'every input entry to be handled',
    async () => {
      const groups = (await redis.xInfoGroups(keys.inEvents)) as unknown as Array<{
        name: string;
        pending: number;
        lag?: number | null;
      }>;
      const g = groups.find((x) => x.name === keys.ingestGroup);
      return g !== undefined && Number(g.pending) === 0 && Number(g.lag ?? 0) === 0;
    },
    timeoutMs,
  );
}

/** Unwraps an ok Result, failing with the refusal's message otherwise. */
export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error}: ${r.message}`);
  return r.data;
}
