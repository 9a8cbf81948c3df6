import express, { type NextFunction, type Request, type Response } from 'express';
import {
  fieldErrorStatus,
  fieldPairingUrl,
  FieldPairingRequest,
  FieldPairRequest,
  type Actor,
  type FieldAnswer,
  type FieldPairAnswer,
  type FieldPairingAnswer,
  type WorldState,
} from '@egret/protocol';
import type { Auth } from '../auth/index.ts';
import { atLeast, type Principal } from '../auth/permissions.ts';
import { principalActor } from '../commands/actor.ts';
import type { Commands } from '../commands/execute.ts';
import { describeIssues } from '../domain/parse-input.ts';
import { fieldAnswer, type FieldCommands } from './commands.ts';
import type { FieldPairings } from './pairing.ts';
import { isFieldPrincipal } from './socket.ts';

/** Pairing attempts per IP address and minute: a code is 50 random bits and lives 10 minutes; this stops a burst. */
export const FIELD_PAIR_LIMIT = { max: 10, windowMs: 60_000 };

export interface FieldRoutesOptions {
  auth: Auth;
  pairings: FieldPairings;
  commands: Commands;
  fieldCommands: FieldCommands;
  world: () => WorldState;
  /** A unit's terminal was unpaired (its sockets are cut through the revocation channel too). */
  onUnpaired?: (unitId: string) => void;
}

const json = express.json({ limit: '64kb', type: () => true });
const small = express.json({ limit: '2kb', type: () => true });

function answer(res: Response, status: number, a: FieldAnswer): void {
  res.status(status).json(a);
}
function no(res: Response, status: number, code: string, message: string): void {
  answer(res, status, { ok: false, refusal: { code, message } });
}

/** Who pairs a phone: an unpaired device, named by what it says it is. */
const UNPAIRED: Actor = { role: 'field', id: 'unpaired-device' };

/**
 * `POST /api/field/pair` (issue #16): a phone trades a one-time pairing code for a device token. No session (a new
 * phone has none), so it is mounted before the `/api` guard; it checks the Origin of browsers itself, and counts
 * every attempt per address before it looks at the code (a burst of guesses is refused 429). An unknown, used or
 * expired code: 404 `invalid_code`, counted and kept in the audit stream like every refusal.
 */
export function fieldPairRoute(o: FieldRoutesOptions): express.Router {
  const router = express.Router();
  router.post('/api/field/pair', small, async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!o.auth.fromAllowedOrigin(req.headers)) {
        o.auth.countRefusal('bad_origin');
        return no(res, 403, 'bad_origin', `requests from ${req.get('origin')} are not allowed`);
      }
      const rate = await o.auth.limiter.hit('field-pair', req.ip ?? 'unknown', FIELD_PAIR_LIMIT);
      if (!rate.allowed) {
        o.auth.countRefusal('rate_limited');
        res.set('Retry-After', String(Math.max(1, Math.ceil(rate.retryAfterMs / 1000))));
        return no(res, 429, 'rate_limited', 'too many pairing attempts from this address: wait a minute');
      }
      const body = FieldPairRequest.safeParse(req.body);
      const device = body.success ? body.data.device : undefined;
      const kept = { device: device ?? null };
      if (!body.success) {
        const r = await o.commands.refuse(
          'field:pair',
          kept,
          UNPAIRED,
          'bad_request',
          describeIssues(body.error.issues),
        );
        return no(res, 400, r.error, r.message);
      }
      const paired = await o.pairings.use(body.data.code);
      if (!paired) {
        o.auth.countRefusal('invalid_code');
        const r = await o.commands.refuse(
          'field:pair',
          kept,
          UNPAIRED,
          'invalid_code',
          'this pairing code is unknown, was used already, or has expired: ask the console for a new one',
        );
        return no(res, 404, r.error, r.message);
      }
      const unitName = o.world().units.get(paired.unitId)?.name ?? paired.unitId;
      answer(res, 200, {
        ok: true,
        result: { token: paired.token, unitId: paired.unitId, unitName } satisfies FieldPairAnswer,
      });
    } catch (err) {
      next(err);
    }
  });
  router.use('/api/field/pair', bodyErrors(o));
  return router;
}

/**
 * The rest of the field API, mounted after the `/api` guard and before the viewers-only gate (devices and inspectors
 * open no screen): a dispatcher makes a pairing code and unpairs a unit's terminal; a device or an inspector runs
 * the field commands over HTTP (the same as the `/field` socket's acks), answered `FieldAnswer` with FIELD_ERRORS'
 * statuses. In `open` mode the console side is anyone's, as the rest of the hub; the field commands still need a
 * real device token or inspector session (they act as that unit or person).
 */
export function fieldRoutes(o: FieldRoutesOptions): express.Router {
  const router = express.Router();
  const principal = (res: Response) => res.locals.principal as Principal | undefined;
  const dispatcher = (res: Response): boolean => {
    const p = principal(res);
    if (o.auth.mode === 'open' || (p && (p.kind === 'user' || p.kind === 'apikey') && atLeast(p.role, 'dispatcher')))
      return true;
    o.auth.countRefusal(p ? 'forbidden' : 'unauthenticated');
    if (p)
      no(
        res,
        403,
        'forbidden',
        `only dispatchers (and above) pair and unpair field terminals; this caller is ${p.role}`,
      );
    else no(res, 401, 'unauthenticated', 'log in first');
    return false;
  };

  router.post('/api/field/pairings', small, async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!dispatcher(res)) return;
      const actor = principalActor(principal(res) ?? { kind: 'open', id: 'api', role: 'commander' });
      const body = FieldPairingRequest.safeParse(req.body);
      if (!body.success) {
        const r = await o.commands.refuse(
          'field:pairing',
          req.body,
          actor,
          'bad_request',
          describeIssues(body.error.issues),
        );
        return no(res, 400, r.error, r.message);
      }
      const unitId = body.data.unitId;
      if (!o.world().units.has(unitId)) {
        const r = await o.commands.refuse(
          'field:pairing',
          req.body,
          actor,
          'unknown_unit',
          `unitId: no unit ${unitId}`,
        );
        return no(res, 404, r.error, r.message);
      }
      const { code, expiresAt } = await o.pairings.create(unitId, actor.id);
      answer(res, 201, {
        ok: true,
        result: { code, url: fieldPairingUrl(code), expiresAt } satisfies FieldPairingAnswer,
      });
    } catch (err) {
      next(err);
    }
  });

  router.delete('/api/field/devices/:unitId', async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!dispatcher(res)) return;
      const unitId = String(req.params.unitId);
      const revoked = await o.auth.accounts().revokeKey(`device:${unitId}`);
      await o.pairings.cancel(unitId);
      o.onUnpaired?.(unitId);
      answer(res, 200, { ok: true, result: { unitId, revoked } });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/field/commands/:name', json, async (req: Request, res: Response, next: NextFunction) => {
    try {
      let p = principal(res);
      // Open mode's guard names anyone a commander: the field acts as a real unit or person, so look at the credential.
      if (!p || p.kind === 'open') p = await o.auth.authenticate(req.headers, undefined);
      if (!p) {
        o.auth.countRefusal('unauthenticated');
        return no(
          res,
          401,
          'unauthenticated',
          'send the device token (Authorization: Bearer …) or log in as an inspector',
        );
      }
      const name = String(req.params.name);
      if (!isFieldPrincipal(p)) {
        o.auth.countRefusal('forbidden');
        const r = await o.commands.refuse(
          name,
          req.body,
          principalActor(p),
          'forbidden',
          `a ${p.role} caller does not use the field terminal`,
        );
        return no(res, 403, r.error, r.message);
      }
      const who = p.kind === 'device' ? `device:${p.unitId}` : `user:${p.id}`;
      const rate = await o.auth.limiter.hit('cmd', who, o.auth.limits.commands);
      if (!rate.allowed) {
        o.auth.countRefusal('rate_limited');
        res.set('Retry-After', String(Math.max(1, Math.ceil(rate.retryAfterMs / 1000))));
        return no(res, 429, 'rate_limited', 'too many commands from this terminal: try again shortly');
      }
      const a = fieldAnswer(await o.fieldCommands(name, req.body, p));
      answer(res, a.ok ? 200 : fieldErrorStatus(a.refusal.code), a);
    } catch (err) {
      next(err);
    }
  });

  router.use('/api/field', bodyErrors(o));
  return router;
}

/** A body that is not JSON, or too large: the same answer shape as every refusal, and kept in the audit stream. */
function bodyErrors(o: FieldRoutesOptions) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; message?: string };
    if (e?.type !== 'entity.parse.failed' && e?.type !== 'entity.too.large') return next(err);
    const p = res.locals.principal as Principal | undefined;
    const actor = p ? principalActor(p) : UNPAIRED;
    const tooLarge = e.type === 'entity.too.large';
    void o.commands
      .refuse(
        `field:${req.path.replace(/^\//, '')}`.slice(0, 64),
        '(not kept)',
        actor,
        'bad_request',
        tooLarge ? 'the body is too large' : `the body is not JSON: ${e.message}`,
      )
      .then((r) => no(res, tooLarge ? 413 : 400, r.error, r.message), next);
  };
}
