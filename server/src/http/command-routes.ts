import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { commandErrorStatus, type Actor, type KpiReport, type Result, type SquadCandidate } from '@egret/protocol';
import { AUTH_ERROR_STATUS, type CommandGate, type RouteNeed } from '../auth/index.ts';
import { httpActor } from '../commands/actor.ts';
import type { Commands } from '../commands/execute.ts';

export interface CommandRoutesOptions {
  commands: Commands;
  candidates(req: unknown): Promise<Result<SquadCandidate[]>>;
  /** The current KPI report, or undefined while the hub is still folding the log. */
  kpi(): KpiReport | undefined;
  /**
   * Whether this caller may run the command, and as whom (server/src/auth). Absent: everyone may, as the
   * `X-Egret-User` it names (open mode). A `forbidden` refusal is audited like any other.
   */
  gate?(req: Request, res: Response, name: string, payload: unknown): Promise<CommandGate>;
  /**
   * What each route needs of its caller, checked at the route the router matched (server/src/auth `allow`): the
   * commands and candidates count in the command rate. Absent: anyone may (open mode).
   */
  allow?(need: RouteNeed): RequestHandler;
  /** The actor of a request refused before it reached the gate (a body that is not JSON). */
  actor?(req: Request, res: Response): Actor;
}

const json = express.json({ limit: '64kb', type: () => true });

const statusOf = (r: Result<unknown>) => (r.ok ? 200 : commandErrorStatus(r.error));

/**
 * The commands over HTTP, for systems (the simulator's auto-dispatcher, a case system):
 * `POST /api/commands/<name>` with the same JSON body as the Socket.IO event, answered with the same Result —
 * 200 with the receipt, or 400 (schema), 404 (unknown case, unit, task or command), 409 (conflict or a step the
 * case loop does not allow), 503 (try again). The actor is the `X-Egret-User` header (see `commandActor`).
 * Also `GET /api/cases/<id>/candidates` and `GET /api/kpi`.
 */
export function commandRoutes(o: CommandRoutesOptions): express.Router {
  const router = express.Router();
  const pass: RequestHandler = (_req, _res, next) => next();
  const allow = (need: RouteNeed) => o.allow?.(need) ?? pass;
  // Every method and letter case the router matches under /api/commands counts in the command rate.
  router.use('/api/commands', allow('command'));

  router.post('/api/commands/:name', json, async (req: Request, res: Response) => {
    const name = String(req.params.name);
    const gate: CommandGate = o.gate
      ? await o.gate(req, res, name, req.body)
      : { ok: true, actor: httpActor(req.get('x-egret-user')) };
    if (!gate.ok) {
      const refusal = gate.audit
        ? await o.commands.refuse(name, req.body, gate.actor, gate.error, gate.message)
        : { ok: false, error: gate.error, message: gate.message };
      res.status(AUTH_ERROR_STATUS[gate.error] ?? 403).json(refusal);
      return;
    }
    const r = await o.commands.execute(name, req.body, gate.actor);
    res.status(statusOf(r)).json(r);
  });

  router.get('/api/cases/:id/candidates', allow('candidates'), async (req: Request, res: Response) => {
    const r = await o.candidates({ caseId: String(req.params.id) });
    res.status(statusOf(r)).json(r);
  });

  router.get('/api/kpi', allow('see'), (_req: Request, res: Response) => {
    const report = o.kpi();
    if (!report)
      res.status(503).json({
        ok: false,
        error: 'unavailable',
        message: 'the hub is still folding the log into KPIs; try again shortly',
      });
    else res.json({ ok: true, data: report });
  });

  // A body that is not JSON (or too large) answers in the same Result shape as every other refusal.
  router.use('/api/commands', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; message?: string };
    const name = req.path.replace(/^\//, '');
    const actor = o.actor?.(req, res) ?? httpActor(req.get('x-egret-user'));
    if (e?.type === 'entity.parse.failed') {
      const body = (err as { body?: unknown }).body;
      void o.commands
        .refuse(name, body, actor, 'bad_request', `the body is not JSON: ${e.message}`)
        .then((r) => res.status(400).json(r));
      return;
    }
    if (e?.type === 'entity.too.large') {
      void o.commands
        .refuse(name, '(not kept)', actor, 'bad_request', 'the body is larger than 64 kB')
        .then((r) => res.status(413).json(r));
      return;
    }
    next(err);
  });

  return router;
}
