import express, { type NextFunction, type Request, type Response } from 'express';
import { commandErrorStatus, type KpiReport, type Result, type SquadCandidate } from '@egret/protocol';
import { httpActor } from '../commands/actor.ts';
import type { Commands } from '../commands/execute.ts';

export interface CommandRoutesOptions {
  commands: Commands;
  candidates(req: unknown): Promise<Result<SquadCandidate[]>>;
  /** The current KPI report, or undefined while the hub is still folding the log. */
  kpi(): KpiReport | undefined;
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

  router.post('/api/commands/:name', json, async (req: Request, res: Response) => {
    const name = String(req.params.name);
    const r = await o.commands.execute(name, req.body, httpActor(req.get('x-egret-user')));
    res.status(statusOf(r)).json(r);
  });

  router.get('/api/cases/:id/candidates', async (req: Request, res: Response) => {
    const r = await o.candidates({ caseId: String(req.params.id) });
    res.status(statusOf(r)).json(r);
  });

  router.get('/api/kpi', (_req: Request, res: Response) => {
    const report = o.kpi();
    if (!report) res.status(503).json({ ok: false, error: 'unavailable', message: 'the hub is still folding the log into KPIs; try again shortly' });
    else res.json({ ok: true, data: report });
  });

  // A body that is not JSON (or too large) answers in the same Result shape as every other refusal.
  router.use('/api/commands', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; message?: string };
    const name = req.path.replace(/^\//, '');
    const actor = httpActor(req.get('x-egret-user'));
    if (e?.type === 'entity.parse.failed') {
      const body = (err as { body?: unknown }).body;
      void o.commands.refuse(name, body, actor, 'bad_request', `the body is not JSON: ${e.message}`).then((r) => res.status(400).json(r));
      return;
    }
    if (e?.type === 'entity.too.large') {
      void o.commands.refuse(name, '(not kept)', actor, 'bad_request', 'the body is larger than 64 kB').then((r) => res.status(413).json(r));
      return;
    }
    next(err);
  });

  return router;
}
