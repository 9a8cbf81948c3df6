import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type pino from 'pino';
import client from 'prom-client';
import { COMMANDS, type Actor, type CommandName, type InputMessage, type RedisKeys } from '@egret/protocol';
import { principalActor, principalOf } from '../commands/actor.ts';
import { DEFAULT_LIMITS, RateLimiter, tooManyRequests, type Limits } from '../http/security.ts';
import type { Redis } from '../redis/connect.ts';
import type { EgretSocket } from '../socket/types.ts';
import { AccountStore } from './accounts.ts';
import { originAllowed } from './origin.ts';
import { scryptCost } from './passwords.ts';
import {
  commandRefusal,
  deviceEventsRefusal,
  deviceFixesRefusal,
  ingestKeyEventsRefusal,
  mayIngest,
  maySee,
  type Principal,
  type ScopeRefusal,
} from './permissions.ts';
import { Sessions } from './sessions.ts';
import { parseCookies, randomToken, unsignSessionId } from './tokens.ts';

/**
 * `required`: every screen and caller proves who it is (deployments, `npm start`). `open`: anyone is a commander
 * named by what it says (`auth.user`, `X-Egret-User`) — for tests and closed-lab demos only.
 */
export type AuthMode = 'required' | 'open';

/** The session cookie's name. */
export const SESSION_COOKIE = 'egret_session';

export interface AuthOptions {
  mode: AuthMode;
  redis: Redis;
  keys: RedisKeys;
  logger: pino.Logger;
  realNow: () => number;
  registry: client.Registry;
  /** Signs session cookies; by default a secret generated once and kept in Redis (`keys.authSecret`). */
  sessionSecret?: string;
  /** Mark the cookie `Secure` (HTTPS, or behind a TLS proxy). Requests that arrive as HTTPS get it anyway. */
  cookieSecure?: boolean;
  /** Origins besides the hub's own that browsers may use it from (EGRET_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** A proxy in front sets X-Forwarded-Host: the hub's own origin may be that host too (EGRET_TRUST_PROXY). */
  trustProxy?: boolean;
  limits?: Partial<Limits>;
  /** scrypt N of new and upgraded password hashes (default 2^17). Tests only lower it, to stay fast. */
  passwordCost?: number;
}

/** The answer of the gate in front of every command: run it as `actor`, or refuse it and say why. */
export type CommandGate =
  | { ok: true; actor: Actor }
  | {
      ok: false;
      actor: Actor;
      error: 'forbidden' | 'unauthenticated' | 'rate_limited';
      message: string;
      /** Refusals worth the audit stream. */ audit: boolean;
    };

/** What a route needs of its caller (see `allow`). */
export type RouteNeed = 'see' | 'ingest' | 'command' | 'candidates';

/** The HTTP status of an authentication or permission refusal. */
export const AUTH_ERROR_STATUS: Readonly<Record<string, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  bad_origin: 403,
};

/** How often live sockets are checked against their sessions and keys (a logout or revoked key ends them). */
const SWEEP_MS = 30_000;

export type Auth = ReturnType<typeof createAuth>;

/**
 * Accounts, sessions and permissions, wired: the `/api` guard, the Socket.IO handshake check, the gate in front of
 * every command, and the scope of field devices. In `open` mode the same functions hand out commanders.
 */
export function createAuth(o: AuthOptions) {
  const { keys, logger } = o;
  const limits: Limits = { ...DEFAULT_LIMITS, ...o.limits };
  const allowed = o.allowedOrigins ?? [];
  const required = o.mode === 'required';
  const limiter = new RateLimiter(o.redis, keys.rateLimitPrefix);
  let accounts: AccountStore | undefined;
  let sessions: Sessions | undefined;
  let secret: string | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  const principals = new WeakMap<EgretSocket, Principal>();

  const refused =
    (o.registry.getSingleMetric('egret_auth_refused_total') as client.Counter<'reason'> | undefined) ??
    new client.Counter({
      name: 'egret_auth_refused_total',
      help: 'Requests and sockets refused by authentication, permission, origin or rate limits, by reason.',
      labelNames: ['reason'] as const,
      registers: [o.registry],
    });

  const ready = () => {
    if (!accounts || !sessions || !secret) throw new Error('authentication is not started');
    return { accounts, sessions, secret };
  };

  /** Who a request or handshake is, from its bearer token or its session cookie. */
  async function authenticate(headers: IncomingMessage['headers'], token: unknown): Promise<Principal | undefined> {
    const { accounts: store, sessions: s, secret: key } = ready();
    const bearer = typeof token === 'string' && token ? token : bearerOf(headers.authorization);
    if (bearer) {
      const record = await store.findKey(bearer);
      if (!record) return undefined;
      return record.role === 'field'
        ? { kind: 'device', id: record.unitId!, role: 'field', unitId: record.unitId!, keyId: record.id }
        : { kind: 'apikey', id: record.name, role: record.role, keyId: record.id };
    }
    const cookie = parseCookies(headers.cookie).get(SESSION_COOKIE);
    const sid = cookie ? unsignSessionId(cookie, key) : undefined;
    return sid ? s.resolve(sid) : undefined;
  }

  /** The same principal now, or undefined when its session ended or its key was revoked since. */
  async function recheck(p: Principal): Promise<Principal | undefined> {
    if (!required || p.kind === 'open') return p;
    if (p.sessionId) return ready().sessions.resolve(p.sessionId);
    if (p.keyId) return (await o.redis.hExists(keys.apiKeys, p.keyId)) ? p : undefined;
    return undefined;
  }

  const hostsOf = (headers: IncomingMessage['headers']) => [
    headers.host,
    o.trustProxy ? (headers['x-forwarded-host'] as string | undefined) : undefined,
  ];
  /** Whether a browser request or handshake comes from the hub's own pages (or an allowed origin). */
  const fromAllowedOrigin = (headers: IncomingMessage['headers']) =>
    originAllowed(headers.origin, hostsOf(headers), allowed);

  function openPrincipal(claimed: unknown, fallback: string): Principal {
    return principalOf(claimed, fallback);
  }

  /** Permission, then the per-caller command rate. */
  async function gate(p: Principal, name: string, payload: unknown, count: boolean): Promise<CommandGate> {
    const actor = principalActor(p);
    if (!required) return { ok: true, actor };
    if (Object.hasOwn(COMMANDS, name) || name === 'case:candidates') {
      const why =
        name === 'case:candidates'
          ? maySee(p.role)
            ? undefined
            : `case:candidates needs the viewer role at least; this caller is ${p.role}`
          : commandRefusal(p.role, name as CommandName, payload);
      if (why) {
        refused.inc({ reason: 'forbidden' });
        return { ok: false, actor, error: 'forbidden', message: why, audit: true };
      }
    }
    if (count) {
      const rate = await limiter.hit('cmd', `${p.kind}:${p.id}`, limits.commands);
      if (!rate.allowed) {
        refused.inc({ reason: 'rate_limited' });
        return {
          ok: false,
          actor,
          error: 'rate_limited',
          message: `too many commands from ${actor.id}: at most ${limits.commands.max} per ${limits.commands.windowMs / 1000} s; try again in ${Math.ceil(rate.retryAfterMs / 1000)} s`,
          audit: false,
        };
      }
    }
    return { ok: true, actor };
  }

  return {
    mode: o.mode,
    limits,
    limiter,
    /** Loads (or creates) the cookie secret once Redis is connected; creates the first admin when asked to. */
    async start(firstAdmin?: (password: string) => void): Promise<void> {
      const redis = o.redis;
      accounts = new AccountStore(redis, keys, o.realNow, scryptCost(o.passwordCost));
      sessions = new Sessions(redis, keys, accounts, o.realNow);
      if (o.sessionSecret) secret = o.sessionSecret;
      else {
        await redis.set(keys.authSecret, randomToken(48), { condition: 'NX' });
        secret = (await redis.get(keys.authSecret)) ?? undefined;
        if (!secret) throw new Error('could not read the session secret from Redis');
      }
      if (required && firstAdmin) {
        const password = await accounts.ensureFirstAdmin();
        if (password) firstAdmin(password);
      }
    },
    /** Starts checking live sockets against their sessions and keys. */
    watch(sockets: () => Iterable<EgretSocket>): void {
      if (!required || sweeper) return;
      sweeper = setInterval(() => {
        void (async () => {
          for (const socket of sockets()) {
            const p = principals.get(socket);
            if (!p || !socket.connected) continue;
            try {
              if (!(await recheck(p))) {
                refused.inc({ reason: 'session_ended' });
                socket.disconnect(true);
              }
            } catch (err) {
              logger.warn({ err: (err as Error).message }, 'could not check a socket’s session; checking again later');
              return;
            }
          }
        })();
      }, SWEEP_MS);
      sweeper.unref();
    },
    stop(): void {
      clearInterval(sweeper);
      sweeper = undefined;
    },
    fromAllowedOrigin,
    /** Counts a refusal of authentication or permission by reason (the field terminal's own refusals too). */
    countRefusal: (reason: string) => refused.inc({ reason }),
    accounts: () => ready().accounts,
    sessions: () => ready().sessions,
    secret: () => ready().secret,
    authenticate,

    /** The principal the guard attached to this request (open mode: a commander named by `X-Egret-User`). */
    principal(req: Request, res: Response): Principal {
      return (res.locals.principal as Principal | undefined) ?? openPrincipal(req.get('x-egret-user'), 'api');
    },

    /**
     * In front of `/api`: who is calling. Answers 401 without credentials (required mode) and 403 to a browser from
     * a foreign origin, and attaches the principal; what the caller may do is decided by {@link allow} at the route
     * the router matched. The auth routes and `/api/config` (the city's public geography, needed to draw the login
     * page) pass without credentials: they get no principal, so every `allow` refuses them.
     */
    guard() {
      return async (req: Request, res: Response, next: NextFunction) => {
        if (!required) {
          res.locals.principal = openPrincipal(req.get('x-egret-user'), 'api');
          return next();
        }
        const path = req.path;
        if (path.startsWith('/auth/') || path === '/config') return next();
        try {
          if (req.method !== 'GET' && req.method !== 'HEAD' && !fromAllowedOrigin(req.headers)) {
            refused.inc({ reason: 'bad_origin' });
            res.status(403).json({
              ok: false,
              error: 'bad_origin',
              message: `requests from ${req.get('origin')} are not allowed: add it to EGRET_ALLOWED_ORIGINS`,
            });
            return;
          }
          const p = await authenticate(req.headers, undefined);
          const bearer = p ? undefined : bearerOf(req.headers.authorization);
          if (bearer && (await ready().accounts.isRevoked(bearer))) {
            refused.inc({ reason: 'revoked' });
            res.status(401).json({
              ok: false,
              error: 'revoked',
              message: 'this device token was revoked (the terminal was unpaired): pair it again from the console',
            });
            return;
          }
          if (!p) {
            refused.inc({ reason: 'unauthenticated' });
            res.status(401).json({
              ok: false,
              error: 'unauthenticated',
              message: 'log in first (POST /api/auth/login), or send an API key as Authorization: Bearer <token>',
            });
            return;
          }
          res.locals.principal = p;
          next();
        } catch (err) {
          next(err);
        }
      };
    },

    /**
     * What a route needs, mounted by the router on the route it matched (never decided from the raw path: Express
     * matches `/API/INGEST/EVENTS` to `/api/ingest/events`). `ingest`: an ingest key or a field device, counted in the
     * ingest rate; `command` and `candidates`: a screen's role, counted in the command rate; `see`: a screen's role.
     * Answers 403 for a role that has no business there, 429 past the rate.
     */
    allow(need: RouteNeed) {
      return async (req: Request, res: Response, next: NextFunction) => {
        if (!required) return next();
        const p = res.locals.principal as Principal | undefined;
        if (!p) {
          refused.inc({ reason: 'unauthenticated' });
          res.status(401).json({
            ok: false,
            error: 'unauthenticated',
            message: 'log in first (POST /api/auth/login), or send an API key as Authorization: Bearer <token>',
          });
          return;
        }
        const ingest = need === 'ingest';
        if (!(ingest ? mayIngest(p.role) : maySee(p.role))) {
          refused.inc({ reason: 'forbidden' });
          res.status(403).json({
            ok: false,
            error: 'forbidden',
            message: ingest
              ? `${req.path}: only ingest keys and field devices may send inputs; this caller is ${p.role}`
              : `${req.path}: a ${p.role} caller may not use this`,
          });
          return;
        }
        if (need === 'see') return next();
        try {
          const rate = await limiter.hit(
            ingest ? 'ingest' : 'cmd',
            `${p.kind}:${p.id}`,
            ingest ? limits.ingest : limits.commands,
          );
          if (!rate.allowed) {
            refused.inc({ reason: 'rate_limited' });
            tooManyRequests(res, rate, ingest ? 'requests from this key' : 'commands');
            return;
          }
          next();
        } catch (err) {
          next(err);
        }
      };
    },

    /**
     * What a caller may not send over `/api/ingest`: a field device another unit's input or another kind; an ingest
     * key the world clock (`clock.set`, drills only). Undefined when it may (and in open mode).
     */
    ingestScope(
      _req: Request,
      res: Response,
      what: { events: InputMessage[] } | { fixes: Array<{ unitId: string }> },
    ): ScopeRefusal | undefined {
      const p = res.locals.principal as Principal | undefined;
      if (!required || !p) return undefined;
      let why: ScopeRefusal | undefined;
      if (p.kind === 'device' && p.unitId)
        why = 'events' in what ? deviceEventsRefusal(p.unitId, what.events) : deviceFixesRefusal(p.unitId, what.fixes);
      else if ('events' in what) why = ingestKeyEventsRefusal(what.events);
      if (why) refused.inc({ reason: why.reason });
      return why;
    },

    /** The gate of an HTTP command (the guard has authenticated and counted the request). */
    gateHttp(req: Request, res: Response, name: string, payload: unknown): Promise<CommandGate> {
      const p = (res.locals.principal as Principal | undefined) ?? openPrincipal(req.get('x-egret-user'), 'api');
      return gate(p, name, payload, false);
    },

    /** The gate of a socket's command or candidates request: its session again (a logout ends it), permission, rate. */
    async gateSocket(socket: EgretSocket, name: string, payload: unknown): Promise<CommandGate> {
      const p =
        principals.get(socket) ??
        openPrincipal((socket.handshake.auth as { user?: unknown } | undefined)?.user, 'console');
      const now = await recheck(p);
      if (!now) {
        refused.inc({ reason: 'session_ended' });
        setImmediate(() => socket.disconnect(true));
        return {
          ok: false,
          actor: principalActor(p),
          error: 'unauthenticated',
          message: 'this session has ended (logged out, expired, or the account changed): log in again',
          audit: false,
        };
      }
      principals.set(socket, now);
      return gate(now, name, payload, true);
    },

    /**
     * The Socket.IO handshake: a browser's Origin must be the hub's own (or allowed), and in required mode the
     * screen must bring a session cookie or `auth.token`; refusals reach the client as `connect_error` with a
     * message that starts with the reason (`unauthenticated: …`, `forbidden: …`, `bad_origin: …`).
     */
    handshake() {
      return async (socket: EgretSocket, next: (err?: Error) => void) => {
        const headers = socket.request.headers;
        if (!fromAllowedOrigin(headers)) {
          refused.inc({ reason: 'bad_origin' });
          return next(
            authError('bad_origin', `screens from ${headers.origin} are not allowed: add it to EGRET_ALLOWED_ORIGINS`),
          );
        }
        const auth = socket.handshake.auth as { user?: unknown; token?: unknown } | undefined;
        if (!required) {
          principals.set(socket, openPrincipal(auth?.user, 'console'));
          return next();
        }
        try {
          const p = await authenticate(headers, auth?.token);
          if (!p) {
            refused.inc({ reason: 'unauthenticated' });
            return next(authError('unauthenticated', 'log in to see this screen (or pair the wall)'));
          }
          if (!maySee(p.role)) {
            refused.inc({ reason: 'forbidden' });
            return next(authError('forbidden', `a ${p.role} credential cannot open a screen`));
          }
          principals.set(socket, p);
          next();
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'could not check a screen’s credentials');
          next(authError('unavailable', 'the hub cannot check credentials right now; try again'));
        }
      };
    },
  };
}

/** A handshake refusal: `connect_error` carries `message` and `data`. */
function authError(error: string, message: string): Error {
  return Object.assign(new Error(`${error}: ${message}`), { data: { error, message } });
}

function bearerOf(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
