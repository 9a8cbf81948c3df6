import type pino from 'pino';
import type { Namespace, Socket } from 'socket.io';
import {
  FIELD_COMMAND_NAMES,
  FIELD_NAMESPACE,
  FieldStatus,
  isTaskActive,
  type Case,
  type FieldAnswer,
  type FieldClientToServerEvents,
  type FieldServerToClientEvents,
  type FieldState,
  type LogEvent,
  type RedisKeys,
  type WorldState,
} from '@egret/protocol';
import type { Auth } from '../auth/index.ts';
import type { Principal } from '../auth/permissions.ts';
import type { LogMirror } from '../log/mirror.ts';
import type { Redis } from '../redis/connect.ts';
import type { EgretIo } from '../socket/types.ts';
import { fieldAnswer, type FieldCommands } from './commands.ts';
import { CONN_RENEW_MS, type Presence } from './presence.ts';

/** How often live field sockets are checked against their sessions and tokens (revocations also arrive at once). */
const SWEEP_MS = 15_000;

type FieldSocket = Socket<FieldClientToServerEvents, FieldServerToClientEvents, Record<string, never>, FieldSocketData>;
interface FieldSocketData {
  principal: Principal;
}

/** Whether a principal may open the field terminal: a paired device, or an inspector. */
export function isFieldPrincipal(p: Principal): boolean {
  return (
    (p.kind === 'device' && p.role === 'field' && p.unitId !== undefined) ||
    (p.kind === 'user' && p.role === 'inspector')
  );
}

/** The cases an inspector verifies: handled or verifying, in their grids, the longest waiting first. */
function toVerify(world: WorldState, grids: ReadonlySet<string>): Case[] {
  const out: Case[] = [];
  for (const c of world.cases.values())
    if ((c.status === 'handled' || c.status === 'verifying') && c.grid !== undefined && grids.has(c.grid)) out.push(c);
  return out.sort((a, b) => (a.handledAt ?? a.reportedAt) - (b.handledAt ?? b.reportedAt));
}

/** What a field terminal shows (protocol `FieldState`), from the hub's mirror of the world; undefined: unknown unit. */
export function fieldState(world: WorldState, p: Principal, at: number): FieldState | undefined {
  if (p.kind === 'device') {
    const unit = world.units.get(p.unitId!);
    if (!unit) return undefined;
    const tasks = [...world.tasks.values()]
      .filter((t) => t.unitId === unit.id && isTaskActive(t))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((task) => ({ task, case: world.cases.get(task.caseId) }));
    return { me: { kind: 'unit', unit }, tasks, verifications: [], at, clock: world.clock };
  }
  const grids = p.grids ?? [];
  return {
    me: { kind: 'inspector', name: p.id, grids },
    tasks: [],
    verifications: toVerify(world, new Set(grids)),
    at,
    clock: world.clock,
  };
}

/** Which units and grids a batch of log events touches (whose terminals need a new `field:state`). */
export function touched(world: WorldState, batch: readonly LogEvent[]): { units: Set<string>; grids: Set<string> } {
  const units = new Set<string>();
  const grids = new Set<string>();
  for (const e of batch) {
    switch (e.type) {
      case 'task.created':
      case 'task.updated':
        units.add(e.task.unitId);
        break;
      case 'unit.registered':
      case 'unit.status_changed':
        units.add(e.unit.id);
        break;
      case 'terminal.changed':
        units.add(e.unitId);
        break;
      case 'case.reported':
      case 'case.transitioned':
      case 'case.amended': {
        if (e.case.grid !== undefined) grids.add(e.case.grid);
        const task = e.case.taskId !== undefined ? world.tasks.get(e.case.taskId) : undefined;
        if (task) units.add(task.unitId);
        break;
      }
      default:
        break;
    }
  }
  return { units, grids };
}

export interface FieldSocketOptions {
  io: EgretIo;
  auth: Auth;
  mirror: LogMirror;
  presence: Presence;
  commands: FieldCommands;
  redis: Redis;
  keys: RedisKeys;
  hubId: string;
  realNow: () => number;
  logger: pino.Logger;
}

/**
 * The field terminal's Socket.IO namespace `/field` (issue #16) on the hub's server. Handshake: a device token in
 * `auth.token`, or an inspector's session cookie; anything else is refused (`connect_error` `unauthenticated: …`,
 * `revoked: …`, `forbidden: …`, `bad_origin: …`). On connect and whenever the log touches its unit or grids the
 * terminal gets `field:state`; it sends `field:status` (outbox, duty) and the field commands, acknowledged with a
 * `FieldAnswer`. A revoked token's sockets are told (`field:ended`) and cut at once, on every hub (Redis pub/sub).
 */
export async function attachFieldSocket(o: FieldSocketOptions): Promise<{ close(): Promise<void> }> {
  const nsp = o.io.of(FIELD_NAMESPACE) as unknown as Namespace<
    FieldClientToServerEvents,
    FieldServerToClientEvents,
    Record<string, never>,
    FieldSocketData
  >;
  const conn = (s: FieldSocket) => `${o.hubId}/${s.id}`;

  nsp.use((socket, next) => {
    const headers = socket.request.headers;
    const fail = (code: string, message: string) =>
      next(Object.assign(new Error(`${code}: ${message}`), { data: { error: code, message } }));
    if (!o.auth.fromAllowedOrigin(headers)) {
      o.auth.countRefusal('bad_origin');
      return fail(
        'bad_origin',
        `field terminals from ${headers.origin} are not allowed: add it to EGRET_ALLOWED_ORIGINS`,
      );
    }
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const bearer = typeof token === 'string' && token ? token : undefined;
    void (async () => {
      const p = await o.auth.authenticate(headers, bearer);
      if (!p) {
        if (bearer && (await o.auth.accounts().isRevoked(bearer))) {
          o.auth.countRefusal('revoked');
          return fail('revoked', 'this device token was revoked (the terminal was unpaired): pair it again');
        }
        o.auth.countRefusal('unauthenticated');
        return fail(
          'unauthenticated',
          'pair this phone with its unit (a QR code from the console), or log in as an inspector',
        );
      }
      if (!isFieldPrincipal(p)) {
        o.auth.countRefusal('forbidden');
        return fail('forbidden', `a ${p.role} credential does not open the field terminal`);
      }
      socket.data.principal = p;
      next();
    })().catch((err: unknown) => {
      o.logger.warn({ err: (err as Error).message }, 'could not check a field terminal’s credentials');
      fail('unavailable', 'the hub cannot check credentials right now; try again');
    });
  });

  const sendState = (s: FieldSocket) => {
    const state = fieldState(o.mirror.world, s.data.principal, o.realNow());
    if (state) s.emit('field:state', state);
  };

  /** The principal now: its token still there, its session still alive (an inspector's grids as they are now). */
  async function recheck(p: Principal): Promise<Principal | undefined> {
    if (p.kind === 'device') return p.keyId && (await o.redis.hExists(o.keys.apiKeys, p.keyId)) ? p : undefined;
    if (p.sessionId) {
      const now = await o.auth.sessions().resolve(p.sessionId);
      return now && isFieldPrincipal(now) ? now : undefined;
    }
    return undefined;
  }

  function end(s: FieldSocket, code: 'revoked' | 'session_ended'): void {
    o.auth.countRefusal(code);
    s.emit('field:ended', {
      code,
      message:
        code === 'revoked'
          ? 'this terminal was unpaired from its unit: pair it again from the console'
          : 'your session has ended: log in again',
    });
    s.disconnect(true);
  }

  nsp.on('connection', (socket) => {
    const p = socket.data.principal;
    if (p.kind === 'device')
      o.presence
        .connected(p.unitId!, conn(socket))
        .catch((err: unknown) => o.logger.warn({ err }, 'presence: connect'));
    sendState(socket);
    socket.on('field:status', (raw) => {
      const s = FieldStatus.safeParse(raw);
      const who = socket.data.principal;
      if (!s.success || who.kind !== 'device') return;
      o.presence.status(who.unitId!, s.data).catch((err: unknown) => o.logger.warn({ err }, 'presence: status'));
    });
    for (const name of FIELD_COMMAND_NAMES) {
      socket.on(name, ((payload: unknown, ack?: (a: FieldAnswer) => void) => {
        void (async (): Promise<FieldAnswer> => {
          const now = await recheck(socket.data.principal);
          if (!now) {
            const code = socket.data.principal.kind === 'device' ? 'revoked' : 'session_ended';
            setImmediate(() => end(socket, code));
            return {
              ok: false,
              refusal: {
                code: code === 'revoked' ? 'revoked' : 'unauthenticated',
                message: code === 'revoked' ? 'this device token was revoked' : 'your session has ended: log in again',
              },
            };
          }
          socket.data.principal = now;
          const who = now.kind === 'device' ? `device:${now.unitId}` : `user:${now.id}`;
          const rate = await o.auth.limiter.hit('cmd', who, o.auth.limits.commands);
          if (!rate.allowed) {
            o.auth.countRefusal('rate_limited');
            return {
              ok: false,
              refusal: {
                code: 'rate_limited',
                message: `too many commands: try again in ${Math.ceil(rate.retryAfterMs / 1000)} s`,
              },
            };
          }
          if (now.kind === 'device') void o.presence.seen(now.unitId!).catch(() => undefined);
          return fieldAnswer(await o.commands(name, payload, now));
        })().then(
          (a) => ack?.(a),
          (err: unknown) => {
            o.logger.error({ err, command: name }, 'field command failed');
            ack?.({
              ok: false,
              refusal: { code: 'unavailable', message: 'the hub cannot run this right now; try again' },
            });
          },
        );
      }) as never);
    }
    // Any other event asking for an answer: a command the field does not have, refused (and kept) like every one.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event !== 'string' || event === 'field:status' || FIELD_COMMAND_NAMES.includes(event as never)) return;
      const ack = args.at(-1);
      if (typeof ack !== 'function') return;
      void o
        .commands(event.slice(0, 64), args.length > 1 ? args[0] : undefined, socket.data.principal)
        .then(fieldAnswer, () => ({
          ok: false as const,
          refusal: { code: 'unavailable', message: 'the hub cannot run this right now; try again' },
        }))
        .then((a) => (ack as (a: FieldAnswer) => void)(a));
    });
    socket.on('disconnect', () => {
      const who = socket.data.principal;
      if (who.kind === 'device')
        o.presence
          .disconnected(who.unitId!, conn(socket))
          .catch((err: unknown) => o.logger.warn({ err }, 'presence: disconnect'));
    });
  });

  o.mirror.listen({
    events(batch) {
      if (nsp.sockets.size === 0) return;
      // A new world clock (a drill started, its speed changed) moves every terminal's deadlines.
      if (batch.some((e) => e.type === 'clock.changed')) {
        for (const s of nsp.sockets.values()) sendState(s);
        return;
      }
      const { units, grids } = touched(o.mirror.world, batch);
      if (!units.size && !grids.size) return;
      for (const s of nsp.sockets.values()) {
        const p = s.data.principal;
        if (p.kind === 'device' ? units.has(p.unitId!) : (p.grids ?? []).some((g) => grids.has(g))) sendState(s);
      }
    },
    reset() {
      for (const s of nsp.sockets.values()) sendState(s);
    },
  });

  // Revocations from any hub or the CLI (AccountStore.revokeKey publishes the key id): cut that device at once.
  const subscriber = o.redis.duplicate();
  subscriber.on('error', (err: Error) => o.logger.warn({ err: err.message }, 'field revocation subscriber error'));
  await subscriber.connect();
  await subscriber.subscribe(o.keys.fieldRevoked, (keyId) => {
    for (const s of nsp.sockets.values()) if (s.data.principal.keyId === keyId) end(s, 'revoked');
  });

  // This hub's terminal connections are renewed in Redis; units whose hub died (nobody renews) go offline.
  const renewer = setInterval(() => {
    const mine = [...nsp.sockets.values()]
      .filter((s) => s.data.principal.kind === 'device')
      .map((s) => [s.data.principal.unitId!, conn(s)] as const);
    o.presence
      .renew(mine)
      .then(() => o.presence.sweep())
      .catch((err: unknown) => o.logger.warn({ err }, 'could not renew field terminals; trying again later'));
  }, CONN_RENEW_MS);
  renewer.unref();

  const sweeper = setInterval(() => {
    void (async () => {
      for (const s of nsp.sockets.values()) {
        const before = s.data.principal;
        const now = await recheck(before);
        if (!now) end(s, before.kind === 'device' ? 'revoked' : 'session_ended');
        else if (now !== before) {
          s.data.principal = now;
          if ((now.grids ?? []).join() !== (before.grids ?? []).join()) sendState(s);
        }
      }
    })().catch((err: unknown) => o.logger.warn({ err }, 'could not check field terminals; checking again later'));
  }, SWEEP_MS);
  sweeper.unref();

  return {
    async close() {
      clearInterval(sweeper);
      clearInterval(renewer);
      // This hub's terminals go offline with it (another hub may hold other connections of the same unit).
      await Promise.allSettled(
        [...nsp.sockets.values()]
          .filter((s) => s.data.principal.kind === 'device')
          .map((s) => o.presence.disconnected(s.data.principal.unitId!, conn(s))),
      );
      await o.presence.stop();
      if (subscriber.isOpen) await subscriber.close();
    },
  };
}
