import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { describeIssues } from '../domain/parse-input.ts';
import { tooManyRequests } from '../http/security.ts';
import type { Auth } from './index.ts';
import { SESSION_COOKIE } from './index.ts';
import { MAX_PASSWORD_LENGTH, weakPasswordReason } from './passwords.ts';
import { WALL_SESSION_TTL_MS } from './sessions.ts';
import { parseCookies, signSessionId, unsignSessionId } from './tokens.ts';

export interface AuthRoutesOptions {
  auth: Auth;
  /** Mark cookies Secure even when the request arrived over plain HTTP (a TLS proxy in front, EGRET_COOKIE_SECURE=1). */
  cookieSecure?: boolean;
}

const Login = z.object({
  user: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  /** Required when the account has a one-time password. */
  newPassword: z.string().max(MAX_PASSWORD_LENGTH).optional(),
});
const ChangePassword = z.object({
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  newPassword: z.string().max(MAX_PASSWORD_LENGTH),
});
const Pair = z.object({ token: z.string().min(1).max(128) });
/**
 * The rate bucket of password checks (login and password change, per address and user): reserved before the check
 * (RateLimiter.reserve), a hash in Redis — not the plain counter the `login` bucket was before.
 */
const PASSWORD_BUCKET = 'password';
/** Pairing attempts per IP address and minute: a token is 32 random bytes, this only keeps noise down. */
const PAIR_LIMIT = { max: 20, windowMs: 60_000 };

const fail = (res: Response, status: number, error: string, message: string) =>
  res.status(status).json({ ok: false, error, message });

/**
 * `/api/auth`: log in (`POST login` → session cookie), log out, who am I (`GET me`), change my password, and pair a
 * wall (`POST pair` with the one-time token from `/wall?pair=…` → a long-lived viewer session cookie).
 */
export function authRoutes(o: AuthRoutesOptions): express.Router {
  const { auth } = o;
  const router = express.Router();
  const json = express.json({ limit: '4kb', type: () => true });

  const secure = (req: Request) => o.cookieSecure === true || req.secure;
  const setCookie = (req: Request, res: Response, sessionId: string, maxAgeMs?: number) => {
    const parts = [
      `${SESSION_COOKIE}=${signSessionId(sessionId, auth.secret())}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
    ];
    if (maxAgeMs !== undefined) parts.push(`Max-Age=${Math.floor(maxAgeMs / 1000)}`);
    if (secure(req)) parts.push('Secure');
    res.append('Set-Cookie', parts.join('; '));
  };
  const clearCookie = (req: Request, res: Response) => {
    res.append(
      'Set-Cookie',
      `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure(req) ? '; Secure' : ''}`,
    );
  };
  const sessionIdOf = (req: Request) => {
    const value = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    return value ? unsignSessionId(value, auth.secret()) : undefined;
  };

  // Every state-changing auth request must come from the hub's own pages (login CSRF), and the mode must ask for it.
  router.use('/api/auth', (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' && !auth.fromAllowedOrigin(req.headers)) {
      return void fail(res, 403, 'bad_origin', `requests from ${req.get('origin')} are not allowed`);
    }
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/auth/me', async (req: Request, res: Response) => {
    if (auth.mode === 'open')
      return void res.json({ ok: true, data: { mode: 'open', kind: 'open', id: null, role: 'commander' } });
    const p = await auth.authenticate(req.headers, undefined);
    if (!p) return void fail(res, 401, 'unauthenticated', 'not logged in');
    res.json({ ok: true, data: { mode: 'required', kind: p.kind, id: p.id, role: p.role } });
  });

  router.post('/api/auth/login', json, async (req: Request, res: Response) => {
    if (auth.mode === 'open')
      return void fail(res, 404, 'auth_off', 'this hub runs without accounts (EGRET_AUTH=open)');
    const body = Login.safeParse(req.body);
    if (!body.success) return void fail(res, 400, 'bad_request', describeIssues(body.error.issues));
    const { user, password, newPassword } = body.data;
    const who = `${req.ip ?? 'unknown'}|${user.toLowerCase()}`;
    // Counted before the (slow) check, atomically: a burst gets at most `max` checks. During a lock even the right
    // password is refused: the lock must not tell a guesser when it found it.
    const attempt = await auth.limiter.reserve(PASSWORD_BUCKET, who, auth.limits.login);
    if (!attempt.allowed)
      return void tooManyRequests(res, attempt, 'password attempts for this user from this address');
    const account = await auth
      .accounts()
      .check(user, password)
      .catch(async (err: unknown) => {
        await attempt.settle(false);
        throw err;
      });
    await attempt.settle(account !== undefined);
    if (!account) return void fail(res, 401, 'bad_credentials', 'wrong user name or password');
    let gen = account.gen;
    if (account.mustChangePassword) {
      if (newPassword === undefined)
        return void fail(
          res,
          403,
          'password_change_required',
          'this is a one-time password: choose a new password to log in',
        );
      const weak =
        weakPasswordReason(newPassword, user) ??
        (newPassword === password ? 'the new password must differ from the one-time password' : undefined);
      if (weak) return void fail(res, 400, 'weak_password', weak);
      await auth.accounts().setPassword(account.user, newPassword);
      gen += 1;
    }
    const sid = await auth.sessions().create({ kind: 'user', name: account.user, gen });
    setCookie(req, res, sid);
    res.json({ ok: true, data: { id: account.user, role: account.role } });
  });

  router.post('/api/auth/logout', async (req: Request, res: Response) => {
    const sid = auth.mode === 'required' ? sessionIdOf(req) : undefined;
    if (sid) await auth.sessions().destroy(sid);
    clearCookie(req, res);
    res.json({ ok: true, data: null });
  });

  router.post('/api/auth/password', json, async (req: Request, res: Response) => {
    if (auth.mode === 'open')
      return void fail(res, 404, 'auth_off', 'this hub runs without accounts (EGRET_AUTH=open)');
    const p = await auth.authenticate(req.headers, undefined);
    if (!p || p.kind !== 'user')
      return void fail(res, 401, 'unauthenticated', 'log in as a person to change a password');
    const body = ChangePassword.safeParse(req.body);
    if (!body.success) return void fail(res, 400, 'bad_request', describeIssues(body.error.issues));
    const who = `${req.ip ?? 'unknown'}|${p.id.toLowerCase()}`;
    const attempt = await auth.limiter.reserve(PASSWORD_BUCKET, who, auth.limits.login);
    if (!attempt.allowed)
      return void tooManyRequests(res, attempt, 'password attempts for this user from this address');
    const right = await auth
      .accounts()
      .check(p.id, body.data.password)
      .catch(async (err: unknown) => {
        await attempt.settle(false);
        throw err;
      });
    await attempt.settle(right !== undefined);
    if (!right) return void fail(res, 401, 'bad_credentials', 'the current password is wrong');
    const weak = weakPasswordReason(body.data.newPassword, p.id);
    if (weak) return void fail(res, 400, 'weak_password', weak);
    await auth.accounts().setPassword(p.id, body.data.newPassword);
    // The change ended every session of this account (gen); this browser gets a fresh one.
    const account = await auth.accounts().get(p.id);
    const sid = await auth.sessions().create({ kind: 'user', name: p.id, gen: account!.gen });
    setCookie(req, res, sid);
    res.json({ ok: true, data: { id: p.id, role: account!.role } });
  });

  router.post('/api/auth/pair', json, async (req: Request, res: Response) => {
    if (auth.mode === 'open') return void res.json({ ok: true, data: { wall: null } });
    const body = Pair.safeParse(req.body);
    if (!body.success) return void fail(res, 400, 'bad_request', describeIssues(body.error.issues));
    const rate = await auth.limiter.hit('pair', req.ip ?? 'unknown', PAIR_LIMIT);
    if (!rate.allowed) return void tooManyRequests(res, rate, 'pairing attempts from this address');
    const pairing = await auth.accounts().usePairing(body.data.token);
    if (!pairing)
      return void fail(
        res,
        401,
        'pairing_invalid',
        'this pairing link was used already, has expired or was never issued: make a new one with `npm run accounts -- pair-wall <name>`',
      );
    const sid = await auth.sessions().create({ kind: 'wall', name: pairing.name });
    setCookie(req, res, sid, WALL_SESSION_TTL_MS);
    res.json({ ok: true, data: { wall: pairing.name } });
  });

  router.use('/api/auth', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string };
    if (e?.type === 'entity.parse.failed') return void fail(res, 400, 'bad_request', 'the body is not JSON');
    if (e?.type === 'entity.too.large') return void fail(res, 413, 'too_large', 'the body is larger than 4 kB');
    next(err);
  });

  return router;
}
