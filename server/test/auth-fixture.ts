import { randomUUID } from 'node:crypto';
import { io as connectClient, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CommandName,
  CommandOf,
  ReceiptOf,
  RedisKeys,
  Result,
  ServerToClientEvents,
} from '@egret/protocol';
import { AccountStore } from '../src/auth/accounts.ts';
import { scryptCost } from '../src/auth/passwords.ts';
import type { AppDeps } from '../src/app.ts';
import type { Redis } from '../src/redis/connect.ts';
import { startHub, testRedis, type TestHub } from './hub-fixture.ts';

/**
 * scrypt N of the accounts tests make and of their hubs: small, to keep the tests fast. The default cost (2^17) is
 * tested on its own (auth-login-burst.test.ts).
 */
export const TEST_PASSWORD_COST = 2 ** 10;

/** The password `addUser` gives everyone unless told otherwise. */
export const PASSWORD = 'correct-horse-battery-42';

/** Fixtures for accounts and protection: a hub in `required` mode, its account store, logins and screens. */

export interface AuthHub extends TestHub {
  ns: string;
  keys: RedisKeys;
  /** The test's own Redis client. */
  redis: Redis;
  store: AccountStore;
  /** Closes the hub and the test's client. */
  closeAll(): Promise<void>;
}

/** A real hub that requires accounts, on its own namespace of the test Redis. */
export async function startAuthHub(label: string, over: Partial<Omit<AppDeps, 'redis'>> = {}): Promise<AuthHub> {
  const t = await testRedis(label);
  const hub = await startHub(t.ns, {
    auth: 'required',
    ...over,
    authOptions: { passwordCost: TEST_PASSWORD_COST, ...over.authOptions },
  });
  const store = new AccountStore(
    t.redis,
    t.keys,
    Date.now,
    scryptCost(over.authOptions?.passwordCost ?? TEST_PASSWORD_COST),
  );
  return {
    ...hub,
    ns: t.ns,
    keys: t.keys,
    redis: t.redis,
    store,
    async closeAll() {
      await hub.close();
      await t.redis.close();
    },
  };
}

/** Adds a person with a chosen password (not a one-time one), ready to log in. */
export async function addUser(store: AccountStore, user: string, role: string, password = PASSWORD): Promise<string> {
  await store.add(user, role, password);
  return password;
}

export interface LoginAnswer {
  status: number;
  body: Result<{ id: string; role: string }>;
  /** `egret_session=<value>`, ready for a Cookie header; undefined when none was set. */
  cookie?: string;
  /** The raw Set-Cookie header. */
  setCookie?: string;
}

/** `POST /api/auth/login`. */
export async function login(
  url: string,
  user: string,
  password: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<LoginAnswer> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ user, password, ...extra }),
  });
  return answer(res);
}

/** `POST /api/auth/pair` with a wall's pairing token. */
export async function pair(url: string, token: string): Promise<LoginAnswer> {
  const res = await fetch(`${url}/api/auth/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return answer(res);
}

async function answer(res: Response): Promise<LoginAnswer> {
  const setCookie = res.headers.get('set-cookie') ?? undefined;
  const cookie = setCookie ? /^(egret_session=[^;]*)/.exec(setCookie)?.[1] : undefined;
  return { status: res.status, body: (await res.json()) as LoginAnswer['body'], cookie, setCookie };
}

/** Logs in and answers the cookie, failing the test if the login is refused. */
export async function sessionCookie(url: string, user: string, password: string): Promise<string> {
  const r = await login(url, user, password);
  if (!r.cookie) throw new Error(`login as ${user} refused: ${r.status} ${JSON.stringify(r.body)}`);
  return r.cookie;
}

export type AuthSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client bringing a cookie, a token, or an Origin of its choice. */
export function screenWith(
  url: string,
  o: { cookie?: string; token?: string; origin?: string; user?: string } = {},
): AuthSocket {
  const extraHeaders: Record<string, string> = {};
  if (o.cookie) extraHeaders.cookie = o.cookie;
  if (o.origin) extraHeaders.origin = o.origin;
  const auth: Record<string, string> = {};
  if (o.token) auth.token = o.token;
  if (o.user) auth.user = o.user;
  return connectClient(url, { transports: ['websocket'], extraHeaders, auth, reconnection: false, forceNew: true });
}

/** Resolves 'connected', or the message of the `connect_error` the hub answered. */
export function connectOutcome(socket: AuthSocket, timeoutMs = 5_000): Promise<'connected' | string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the socket neither connected nor was refused')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      done('connected');
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      done(err.message);
    });
  });
}

/** Sends a command over a socket with a fresh idempotency key and waits for its acknowledgement. */
export function sendCommand<N extends CommandName>(
  socket: AuthSocket,
  name: N,
  payload: Omit<CommandOf<N>, 'idempotencyKey'> & { idempotencyKey?: string },
): Promise<Result<ReceiptOf<N>>> {
  const emit = socket.timeout(10_000).emitWithAck.bind(socket) as unknown as (
    event: string,
    arg: unknown,
  ) => Promise<Result<ReceiptOf<N>>>;
  return emit(name, { idempotencyKey: randomUUID(), ...payload });
}

/** `POST /api/commands/<name>` with the given headers. */
export async function postAs(
  url: string,
  name: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; result: Result<Record<string, unknown>>; headers: Headers }> {
  const res = await fetch(`${url}/api/commands/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, result: (await res.json()) as Result<Record<string, unknown>>, headers: res.headers };
}

/** The refused commands in the audit stream, parsed. */
export async function auditEntries(
  redis: Redis,
  keys: RedisKeys,
): Promise<
  Array<{
    command: string;
    actor: { role: string; id: string };
    error: string;
    message: string;
    payload: string;
    at: number;
  }>
> {
  return ((await redis.xRange(keys.audit, '-', '+')) ?? []).map((e) => ({
    command: e.message.command!,
    actor: JSON.parse(e.message.actor!) as { role: string; id: string },
    error: e.message.error!,
    message: e.message.message!,
    payload: e.message.payload!,
    at: Number(e.message.at),
  }));
}
