import type { Server as HttpServer } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from '../redis/connect.ts';
import { LuaScript } from '../redis/script.ts';

/**
 * Protection at the edge: security headers and the Content-Security-Policy the built display satisfies, rate
 * limits counted in Redis (so they hold across several hubs), and the size limits of what callers may send.
 */

/** Largest Socket.IO message a screen may send (a command is well under 1 kB): bigger ones close that socket. */
export const SOCKET_MAX_BUFFER_BYTES = 64 * 1024;

/**
 * The Content-Security-Policy of every response. Scripts only from the hub itself (no inline script, no eval);
 * inline style attributes are allowed because Svelte writes `style=` for computed positions and sizes; deck.gl /
 * luma.gl may start workers from blob: URLs; the socket is same-origin (`'self'` covers ws: and wss:). The field
 * terminal's service worker (`/field/sw.js`) is `worker-src 'self'`; its web manifest falls back to `default-src`.
 * A tile server on another origin must be added to `img-src`/`connect-src` with `extraSources`.
 */
export function contentSecurityPolicy(
  extraSources: readonly string[] = [],
  videoSources: readonly string[] = [],
): string {
  const extra = extraSources.length ? ` ${extraSources.join(' ')}` : '';
  // Video (cameras.json origins): hls.js and mpegts.js fetch the segments (connect-src) and play them from a blob:
  // MediaSource (media-src); Safari plays HLS natively from the origin itself.
  const video = videoSources.length ? ` ${videoSources.join(' ')}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${extra}`,
    "font-src 'self' data:",
    `connect-src 'self'${extra}${video}`,
    `media-src 'self' blob:${video}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface SecurityHeadersOptions {
  /** Sent over HTTPS (directly or behind a TLS proxy): adds Strict-Transport-Security. */
  https?: boolean;
  /**
   * Report violations without blocking (`Content-Security-Policy-Report-Only`): open mode, where test tools drive
   * the page with string expressions (Playwright's `waitForFunction("…")` evaluates them, which `script-src 'self'`
   * forbids). Deployments (required mode) enforce the policy.
   */
  reportOnly?: boolean;
  /** Origins added to the CSP's img-src and connect-src (a tile server). */
  extraSources?: readonly string[];
  /** The video platform's origins (cameras.json), added to media-src and connect-src. */
  videoSources?: readonly string[];
}

/**
 * The Permissions-Policy of the field terminal's page (`/field/`): the phone's position (duty fixes, a report's pin),
 * camera (photo capture) and screen wake lock for the page itself; everything else stays off as on every page.
 */
export const FIELD_PERMISSIONS_POLICY =
  'camera=(self), microphone=(), geolocation=(self), screen-wake-lock=(self), payment=(), usb=(), interest-cohort=()';

/** The security headers of every answer, by name. */
export function securityHeaderValues(o: SecurityHeadersOptions = {}): Record<string, string> {
  return {
    [o.reportOnly ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy']: contentSecurityPolicy(
      o.extraSources,
      o.videoSources,
    ),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...(o.https ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

/** Sets the security headers on every response Express answers. */
export function securityHeaders(o: SecurityHeadersOptions = {}) {
  const values = securityHeaderValues(o);
  return (_req: Request, res: Response, next: NextFunction) => {
    res.set(values);
    next();
  };
}

/**
 * Sets the security headers on every answer of an HTTP server, before any handler runs — also on those Express never
 * sees: Engine.IO (Socket.IO's transport) answers its polling requests and its errors itself.
 */
export function securityHeadersOnServer(server: HttpServer, o: SecurityHeadersOptions = {}): void {
  const values = Object.entries(securityHeaderValues(o));
  server.prependListener('request', (_req, res) => {
    for (const [name, value] of values) res.setHeader(name, value);
  });
}

/** A limit: at most `max` hits per window of `windowMs`. */
export interface Limit {
  max: number;
  windowMs: number;
}

/** The default limits, each per caller (overridable: `createApp({ limits })`, env in main.ts). */
export const DEFAULT_LIMITS = {
  /**
   * Password checks per IP address and user name (login and password change): each attempt is counted before its
   * check; past the limit even the right password is refused until the window ends; a success clears the count.
   */
  login: { max: 5, windowMs: 60_000 },
  /** Ingest requests per API key or device token. */
  ingest: { max: 6_000, windowMs: 60_000 },
  /** Commands and candidate requests per user, wall or service key. */
  commands: { max: 600, windowMs: 60_000 },
} satisfies Record<string, Limit>;
export type Limits = typeof DEFAULT_LIMITS;

/** What a counter says after a hit or a look. */
export interface RateState {
  allowed: boolean;
  count: number;
  /** How long until the window ends (0 when there is no window). */
  retryAfterMs: number;
}

/**
 * Fixed-window counters in Redis: INCR + PEXPIRE NX in one MULTI, one key per bucket and caller
 * (`{ns}:rl:<bucket>:<who>`). Every hub counts into the same key, so a limit holds behind a load balancer.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(bucket: string, who: string): string {
    return `${this.prefix}${bucket}:${who.slice(0, 200)}`;
  }

  /** Counts one hit; allowed while the count is within the limit. */
  async hit(bucket: string, who: string, limit: Limit): Promise<RateState> {
    const key = this.key(bucket, who);
    const [count, , ttl] = (await this.redis
      .multi()
      .incr(key)
      .pExpire(key, limit.windowMs, 'NX')
      .pTTL(key)
      .exec()) as unknown as [number, number, number];
    return { allowed: count <= limit.max, count, retryAfterMs: Math.max(0, ttl) };
  }

  /** Looks without counting: allowed while fewer than `max` hits were counted in this window. */
  async peek(bucket: string, who: string, limit: Limit): Promise<RateState> {
    const key = this.key(bucket, who);
    const [count, ttl] = (await this.redis.multi().get(key).pTTL(key).exec()) as unknown as [string | null, number];
    const n = Number(count ?? 0);
    return { allowed: n < limit.max, count: n, retryAfterMs: Math.max(0, ttl) };
  }

  async reset(bucket: string, who: string): Promise<void> {
    await this.redis.del(this.key(bucket, who));
  }

  /**
   * Reserves one attempt of a slow check (a password) before it runs: counted at once, atomically, so a burst sent
   * in one instant gets at most `max` checks per window and the rest are refused without one. Settle it when the
   * outcome is known: a failure stays counted; a success forgives what was counted, except the attempts still in
   * flight (a concurrent burst stays counted). A refused reservation needs no settling.
   */
  async reserve(bucket: string, who: string, limit: Limit): Promise<Reservation> {
    const key = this.key(bucket, who);
    const [ok, count, ttl] = (await RESERVE.run(this.redis, [key], [String(limit.max), String(limit.windowMs)])) as [
      number,
      number,
      number,
    ];
    const settle = async (success: boolean) => {
      if (ok === 1) await SETTLE.run(this.redis, [key], [success ? '1' : '0']);
    };
    return { allowed: ok === 1, count, retryAfterMs: Math.max(0, ttl), settle };
  }
}

/** An attempt counted before its check: `settle(true)` after a success, `settle(false)` after a failure. */
export interface Reservation extends RateState {
  settle(success: boolean): Promise<void>;
}

/** `n`: attempts counted in this window (refused ones too); `pending`: allowed ones whose check has not ended. */
const RESERVE = new LuaScript(`
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2], 'NX')
local ttl = redis.call('PTTL', KEYS[1])
if n > tonumber(ARGV[1]) then return {0, n, ttl} end
redis.call('HINCRBY', KEYS[1], 'pending', 1)
return {1, n, ttl}
`);

/** Ends one allowed attempt; a success leaves only the attempts still in flight counted. */
const SETTLE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local pending = redis.call('HINCRBY', KEYS[1], 'pending', -1)
if pending < 0 then
  pending = 0
  redis.call('HSET', KEYS[1], 'pending', 0)
end
if ARGV[1] == '1' then redis.call('HSET', KEYS[1], 'n', pending) end
return 1
`);

/** Answers 429 with Retry-After, in the `{ ok: false, error, message }` shape. */
export function tooManyRequests(res: Response, state: RateState, what: string): void {
  const seconds = Math.max(1, Math.ceil(state.retryAfterMs / 1000));
  res
    .set('Retry-After', String(seconds))
    .status(429)
    .json({
      ok: false,
      error: 'rate_limited',
      message: `too many ${what}: try again in ${seconds} s`,
    });
}
